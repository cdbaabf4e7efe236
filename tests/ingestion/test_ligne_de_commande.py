"""La commande ``synthese-ihu ingerer`` face à une campagne pathologique, dans un processus à
part : refus en moins de 5 s de temps processeur (``RLIMIT_CPU``), mémoire maximale < 500 Mo lue
dans l'usage des ressources du processus (jamais de chronomètre), code de sortie, messages
situés, pas de trace Python ; ``--debug`` seul montre la trace d'une erreur imprévue.
"""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import hostiles as h
import openpyxl
import outils_ingestion as _outils
import pytest
from outils_ingestion import ANNEE, empreinte

from synthese_ihu import cli
from synthese_ihu.ingestion.controles import ENTETES
from synthese_ihu.ingestion.examen import examiner

module_ingerer = importlib.import_module("synthese_ihu.ingestion.ingerer")

racine_partagee = _outils.racine_partagee
existantes = _outils.existantes
modeles = _outils.modeles
remplis = _outils.remplis

BIN = Path(sys.executable).parent
#: lance la commande sous RLIMIT_CPU = 5 s et rend son code et sa mémoire maximale (Kio)
MESURE = textwrap.dedent("""
    import json, resource, subprocess, sys
    cpu = int(sys.argv[1])
    def limiter():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    r = subprocess.run(sys.argv[2:], preexec_fn=limiter, capture_output=True, text=True)
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"code": r.returncode, "rss_kio": u.ru_maxrss,
                      "cpu_s": u.ru_utime + u.ru_stime, "err": r.stderr, "out": r.stdout}))
""")


@pytest.mark.lent  # commande lancée à part : hors de `make test-unit`
def test_campagne_pathologique_refusee_bornee(racine_partagee, remplis, tmp_path):
    avant = empreinte(racine_partagee / "raw")
    entree = tmp_path / "recus"
    entree.mkdir()
    # une valeur en XFD1048576 (calamine s'interrompait), une feuille de 31 Mo compressée en
    # quelques Kio, une partie qui ment sur sa taille, un classeur chiffré
    wb = openpyxl.load_workbook(remplis["ican"])
    wb["Depenses"]["XFD1048576"] = 1
    wb.save(entree / "ican_2023.xlsx")
    (entree / "icm_2023.xlsx").write_bytes(h.bombe(remplis["icm"].read_bytes(), "Depenses",
                                                   31_000_000))
    (entree / "mi_2023.xlsx").write_bytes(h.fausser_entete(
        h.bombe(remplis["mi"].read_bytes(), "Indicateurs", 20_000_000),
        "xl/worksheets/sheet4.xml", taille=50))
    (entree / "liryc_2023.xlsx").write_bytes(h.ole("EncryptedPackage"))
    commande = [str(BIN / "synthese-ihu"), "ingerer", "--annee", str(ANNEE), "--donnees",
                str(racine_partagee), "--entree", str(entree)]
    r = subprocess.run([sys.executable, "-c", MESURE, "5", *commande], capture_output=True,
                       text=True, check=True)
    mesure = json.loads(r.stdout)
    print(f"CPU {mesure['cpu_s']:.2f} s, RSS max {mesure['rss_kio'] / 1024:.0f} Mo")
    assert mesure["code"] == 1, mesure  # ni SIGXCPU, ni SIGABRT : un refus
    assert mesure["rss_kio"] < 500 * 1024, mesure
    assert mesure["cpu_s"] < 5, mesure
    err = mesure["err"]
    assert "Traceback" not in err and "panicked" not in err
    assert ("recus/ican_2023.xlsx, feuille « Depenses », ligne 1048576 (cellule XFD1048576) : "
            "valeur « 1 » en XFD1048576, hors de la zone lue") in err
    assert ("recus/icm_2023.xlsx : partie « xl/worksheets/sheet3.xml » de 31000000 octets une "
            "fois décompressée : attendu au plus 30000000") in err
    assert "recus/mi_2023.xlsx : partie « xl/worksheets/sheet4.xml » : contenu endommagé" in err
    assert "recus/liryc_2023.xlsx : classeur protégé par un mot de passe" in err
    assert "4 problèmes dans les données" in err
    assert empreinte(racine_partagee / "raw") == avant


def _colonnes_en_trop(texte: str) -> str:
    """Feuille Depenses de 27 Mo, juste sous classeur.partie_max_octets : 5 000 lignes, 23
    colonnes sans en-tête remplies de textes de 190 caractères (défauts de cellule, non
    bloquants : calamine lit donc tout le classeur)."""
    entete = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{n}</t></is></c>'
                     for c, n in zip("ABC", ("annee", "nature", "montant_eur"), strict=True))
    cellule = "y" * 190
    lignes = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{cellule}</t></is></c>'
                                   for c in "DEFGHIJKLMNOPQRSTUVWXYZ") + "</row>"
        for r in range(2, 5001))
    debut, _, reste = texte.partition("<sheetData>")
    return debut + f'<sheetData><row r="1">{entete}</row>{lignes}' + reste.partition(
        "</sheetData>")[1] + reste.partition("</sheetData>")[2]


@pytest.mark.lent
def test_classeur_aux_limites_lu_en_memoire_bornee(racine_partagee, remplis, tmp_path):
    """Le plus gros classeur que l'examen laisse lire à calamine : mémoire maximale < 500 Mo."""
    entree = tmp_path / "recus"
    entree.mkdir()
    octets = h.modifier_feuille(remplis["ican"].read_bytes(), "Depenses", _colonnes_en_trop)
    taille = len(h.lire_parties(octets)["xl/worksheets/sheet3.xml"])
    assert 25_000_000 < taille < 30_000_000
    (entree / "ican_2023.xlsx").write_bytes(octets)
    commande = [str(BIN / "synthese-ihu"), "ingerer", "--annee", str(ANNEE), "--donnees",
                str(racine_partagee), "--entree", str(entree)]
    r = subprocess.run([sys.executable, "-c", MESURE, "20", *commande], capture_output=True,
                       text=True, check=True)
    mesure = json.loads(r.stdout)
    print(f"CPU {mesure['cpu_s']:.2f} s, RSS max {mesure['rss_kio'] / 1024:.0f} Mo")
    assert mesure["code"] == 1, mesure
    assert mesure["rss_kio"] < 500 * 1024, mesure
    assert ("recus/ican_2023.xlsx, feuille « Depenses », ligne 2 (cellule D2) : valeur « yyy"
            in mesure["err"])


@pytest.mark.rapide
def test_erreur_imprevue_une_phrase_sans_trace(monkeypatch, capsys):
    def panne(argv):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(module_ingerer, "main", panne)
    assert cli.main(["ingerer", "--annee", "2023"]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("La commande « synthese-ihu ingerer » a été arrêtée par une erreur "
                          "imprévue (RuntimeError : panne simulée)")
    with pytest.raises(RuntimeError, match="panne simulée"):
        cli.main(["ingerer", "--annee", "2023", "--debug"])


@pytest.mark.rapide
def test_code_de_sortie_erreur_systeme(racine_partagee, existantes, remplis, monkeypatch,
                                       tmp_path):
    """Disque plein pendant la mise en place : code 3, une phrase, rien de changé."""
    racine = _outils.copier_donnees(tmp_path / "data")
    entree = racine / "incoming" / str(ANNEE)
    entree.mkdir(parents=True)
    entree.joinpath("thema_2023.xlsx").write_bytes(remplis["thema"].read_bytes())
    avant = empreinte(racine / "raw")

    def plein(*args, **kwargs):
        raise OSError(28, "No space left on device", "ican_2023.xlsx")

    monkeypatch.setattr(module_ingerer.remplacement, "remplacer", plein)
    sortie, erreurs = io.StringIO(), io.StringIO()
    code = module_ingerer.lancer(ANNEE, racine, None, existantes, sortie, erreurs)
    assert code == 3
    assert erreurs.getvalue().startswith("Campagne 2023 non entrée : disque plein : "
                                         "impossible d'écrire ican_2023.xlsx ; ")
    assert "No space" not in erreurs.getvalue() and len(erreurs.getvalue().splitlines()) == 1
    assert empreinte(racine / "raw") == avant


@pytest.mark.lent  # calamine lancé à part : un abandon ne doit pas emporter pytest
def test_classeurs_abimes_au_hasard(remplis, tmp_path):
    """200 classeurs abîmés au hasard (graines fixes) : l'examen rend toujours un verdict (jamais
    « incompréhensible », qui trahirait une exception imprévue), et calamine ne s'interrompt sur
    aucun de ceux que l'examen laisse lire."""
    valide = remplis["ican"].read_bytes()
    lus = []
    for graine in range(200):
        chemin = tmp_path / f"a{graine}.xlsx"
        chemin.write_bytes(h.alterer(valide, graine))
        examen = examiner(chemin, chemin.name, ENTETES)
        assert not any("incompréhensible" in p.message for p in examen.problemes), graine
        if not examen.bloquant:
            lus.append(str(chemin))
    assert 25 < len(lus) < 175  # les deux issues sont exercées
    lire = ("import sys, pandas as pd\nfor f in sys.argv[1:]:\n    try:\n        pd.read_excel("
            "f, sheet_name=None, engine='calamine', dtype=object)\n    except Exception:\n"
            "        pass\n")
    r = subprocess.run([sys.executable, "-c", lire, *lus], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
