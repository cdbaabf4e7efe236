"""Interruptions et erreurs du système : une ligne, le bon code, rien qui reste derrière.

``synthese-ihu construire`` tourne dans un processus à part sur un projet jetable
(``tests/cli_jetable.py``), son dossier temporaire (``TMPDIR``) vide et privé ; le signal part
quand un noyau exécute une cellule qui attend, ou quand un processus de rendu rend.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from processus import executer, surveille
from projet_jetable import ANNEES, projet_jetable

from synthese_ihu import cli, signaux

AIDE = Path(__file__).resolve().parents[1] / "cli_jetable.py"


def interrompre(tmp_path: Path, attente: str, numero: int, groupe: bool):
    """Lance la construction jetable, envoie ``numero`` dès ``en_cours`` ; rend ce qui reste."""
    dossier, temporaire = tmp_path / "projet", tmp_path / "tmp"
    dossier.mkdir()
    temporaire.mkdir()
    ancien = dossier / "reports" / "2022"
    ancien.mkdir(parents=True)
    (ancien / "synthese-ihu-2022.html").write_text("bon rapport", encoding="utf-8")
    argv = [sys.executable, str(AIDE), str(dossier), attente, "--annee", "2022"]
    # Dispositions d'un terminal quel que soit le lanceur (nohup ignore SIGINT et SIGHUP), son
    # propre groupe comme au premier plan, et rien de vivant après le test, même en échec.
    with surveille(argv, cwd=dossier, env={**os.environ, "TMPDIR": str(temporaire)},
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as processus:
        limite = time.monotonic() + 90
        while not (dossier / "en_cours").exists():
            assert processus.poll() is None, processus.communicate()
            assert time.monotonic() < limite, "la construction jetable n'a pas démarré"
            time.sleep(0.05)
        enfants = psutil.Process(processus.pid).children(recursive=True)
        assert enfants  # un noyau, ou un processus de rendu
        if groupe:
            os.killpg(processus.pid, numero)  # Ctrl-C du terminal : tout le groupe le reçoit
        else:
            processus.send_signal(numero)
        sortie, erreur = processus.communicate(timeout=60)
        _, vivants = psutil.wait_procs(enfants, timeout=10)
    return processus.returncode, sortie, erreur, vivants, temporaire, ancien


@pytest.mark.lent
@pytest.mark.parametrize(
    ("attente", "numero", "groupe"),
    [
        ("cellule", signal.SIGINT, True),
        ("rendu", signal.SIGTERM, False),
        ("cellule", signal.SIGHUP, False),
    ],
)
def test_interruption_une_ligne_rien_ne_reste(tmp_path, attente, numero, groupe):
    code, sortie, erreur, vivants, temporaire, ancien = interrompre(
        tmp_path, attente, numero, groupe
    )
    assert code == 128 + numero, erreur
    assert erreur.splitlines() == ["Construction interrompue : reports/2022 inchangé."]
    assert "Traceback" not in sortie
    assert vivants == []  # noyau, processus de rendu (et leur suivi) arrêtés
    assert sorted(temporaire.rglob("*")) == []  # ni fichier de connexion ni sockets
    assert [p.name for p in ancien.iterdir()] == ["synthese-ihu-2022.html"]
    assert (ancien / "synthese-ihu-2022.html").read_text(encoding="utf-8") == "bon rapport"


def _projet(tmp_path):
    nb = new_notebook(
        cells=[new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}), new_code_cell("1")]
    )
    return projet_jetable(tmp_path, nb)


@pytest.mark.lent
def test_disque_plein_au_rendu_une_phrase(tmp_path, capsys):
    projet = _projet(tmp_path)

    def rendre(carnets, annee, dossier, interne=False, **options):
        chemin = Path(dossier) / f"synthese-ihu-{annee}.pdf"
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(chemin))

    code = cli.construire(
        ["--annee", "2022"],
        emplacements=projet,
        rendre=rendre,
        publication=False,
        annees=ANNEES,
        processus=0,
    )
    erreur = capsys.readouterr().err
    assert code == 1 and "Traceback" not in erreur
    assert "rendu en échec : disque plein : impossible d'écrire " in erreur
    assert "synthese-ihu-2022.pdf" in erreur and "Errno" not in erreur
    assert not (projet.rapports / "2022").exists()


@pytest.mark.rapide
def test_construction_impossible_a_ecrire_une_phrase(tmp_path, capsys, monkeypatch):
    """build/ sous un fichier : rien ne peut s'écrire ; une phrase, code 3, avant tout noyau."""
    monkeypatch.chdir(tmp_path)  # chemins dits relatifs au dossier courant : le fixer
    projet = _projet(tmp_path)
    (tmp_path / "fichier").write_text("", encoding="utf-8")
    bloque = dataclasses.replace(projet, construction=tmp_path / "fichier" / "build")
    code = cli.construire(
        ["--annee", "2022"], emplacements=bloque, publication=False, annees=ANNEES, processus=0
    )
    erreur = capsys.readouterr().err
    assert code == cli.CODE_SYSTEME, erreur
    assert erreur.splitlines() == [
        "Construction arrêtée : fichier/build : un élément du chemin n'est pas un dossier ; "
        f"{(projet.rapports / '2022').relative_to(tmp_path)} inchangé."
    ]


@pytest.mark.rapide
@pytest.mark.parametrize(
    ("numero", "attendu"),
    [
        (errno.ENOSPC, "disque plein : impossible d'écrire /donnees/raw/x.csv"),
        (
            errno.EROFS,
            "système de fichiers en lecture seule : impossible d'écrire /donnees/raw/x.csv",
        ),
        (errno.EACCES, "permission refusée sur /donnees/raw/x.csv"),
        (errno.EAGAIN, "/donnees/raw/x.csv est verrouillé par une autre commande"),
    ],
)
def test_erreur_du_systeme_une_phrase_et_code_3(numero, attendu):
    exc = OSError(numero, os.strerror(numero), "/donnees/raw/x.csv")
    texte, code = cli.phrase_echec("ingerer", exc)
    assert code == cli.CODE_SYSTEME
    assert texte.startswith(f"La commande « synthese-ihu ingerer » a échoué : {attendu} ; data/raw")
    assert texte.count(".") == texte.count(".csv") + 1  # une seule phrase


@pytest.mark.lent
def test_sortie_impossible_une_phrase_trace_avec_debug(tmp_path, capsys):
    (tmp_path / "fichier").write_text("", encoding="utf-8")
    sortie = tmp_path / "fichier" / "modeles"
    argv = ["modele", "--annee", "2023", "--ihu", "ican", "--sortie", str(sortie)]
    assert cli.main(argv) == cli.CODE_SYSTEME
    erreur = capsys.readouterr().err
    assert erreur.splitlines() == [
        f"La commande « synthese-ihu modele » a échoué : {sortie} : un élément du chemin n'est "
        "pas un dossier."
    ]
    with pytest.raises(NotADirectoryError):
        cli.main([*argv, "--debug"])


@pytest.mark.rapide
def test_signal_leve_une_interruption_puis_les_suivants_sont_ignores():
    appels, anciens = [], {numero: signal.getsignal(numero) for numero in signaux.SIGNAUX}
    try:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nohup : reste ignoré
        with pytest.raises(signaux.Interruption) as info:
            with signaux.signaux_d_arret(au_signal=lambda: appels.append("enfants")):
                os.kill(os.getpid(), signal.SIGHUP)  # ignoré
                assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)
        assert info.value.code == 143 and appels == ["enfants"]
        os.kill(os.getpid(), signal.SIGINT)  # pendant le nettoyage : sans effet
        os.kill(os.getpid(), signal.SIGHUP)
        os.kill(os.getpid(), signal.SIGTERM)
        assert appels == ["enfants"]
    finally:
        for numero, ancien in anciens.items():  # pour la suite des tests de ce processus
            signal.signal(numero, ancien)


@pytest.mark.rapide
def test_dossiers_de_noyaux_d_un_processus_mort_supprimes(tmp_path):
    from synthese_ihu import noyau

    pid_mort = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1  # n'existe jamais
    mort = tmp_path / f"{noyau.PREFIXE_DOSSIER}{pid_mort}-abc"
    vivant = tmp_path / f"{noyau.PREFIXE_DOSSIER}{os.getpid()}-abc"
    for dossier in (mort, vivant):
        dossier.mkdir()
        (dossier / "connexion.json").write_text("{}", encoding="utf-8")
    assert noyau.nettoyer_restes(tmp_path) == [mort]
    assert not mort.exists() and (vivant / "connexion.json").exists()


@pytest.mark.rapide
def test_etat_des_rapports_remplaces_et_inchanges(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rapports = tmp_path / "reports"
    for annee in (2020, 2021):
        (rapports / str(annee)).mkdir(parents=True)
    avant = {rapports / str(a): cli._identite(rapports / str(a)) for a in (2020, 2021, 2022)}
    assert cli.etat_rapports(avant) == "reports/2020, reports/2021 et reports/2022 inchangés"
    (rapports / ".2021.nouveau").mkdir()
    os.rename(rapports / ".2021.nouveau", rapports / "2021")  # remplacé d'un coup
    (rapports / "2022").mkdir()  # construit
    assert cli.etat_rapports(avant) == (
        "reports/2021 et reports/2022 remplacés, reports/2020 inchangé"
    )
    assert cli.etat_rapports({}) == "aperçu partiel, aucun rapport touché"


@pytest.mark.lent
def test_enfant_des_tests_aux_dispositions_d_un_terminal_meme_sous_nohup():
    """Sous ``nohup`` (SIGINT, SIGHUP ignorés) et SIGTERM bloqué, l'enfant d'un test a pourtant
    les dispositions d'un terminal : les tests d'interruption ne dépendent pas du lanceur."""
    anciens = {numero: signal.getsignal(numero) for numero in (signal.SIGINT, signal.SIGHUP)}
    masque = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        lu = executer([sys.executable, "-c", (
            "import signal\n"
            "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler,"
            " signal.getsignal(signal.SIGHUP) is signal.SIG_DFL,"
            " sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])))")], timeout=60)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, masque)
        for numero, ancien in anciens.items():
            signal.signal(numero, ancien)
    assert lu.stdout.split() == ["True", "True", "[]"], lu.stderr


@pytest.mark.rapide
def test_sockets_des_noyaux_hors_d_un_tmpdir_trop_long(tmp_path, monkeypatch):
    """Un TMPDIR profond (pytest -n 2 : …/popen-gw0/test_…/tmp) donnerait des chemins de socket
    au-delà des 107 octets d'une socket Unix : le noyau ne démarrerait pas."""
    from synthese_ihu import noyau

    profond = tmp_path / ("d" * 90)
    profond.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(profond))
    assert noyau.base_sockets() == "/tmp"
    court = tmp_path / "t"  # un dossier court est gardé tel quel
    court.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(court))
    attendu = (str(court) if len(str(court)) + noyau._SUFFIXE_SOCKET <= noyau.LONGUEUR_SOCKET
               else "/tmp")
    assert noyau.base_sockets() == attendu
