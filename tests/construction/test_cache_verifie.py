"""Caches qui prouvent leur contenu : carnets exécutés, données ouvertes, rapport publié.

Chaque entrée abîmée (carnet en cache changé en un autre JSON valide, CSV des données ouvertes
tronqué, PDF publié tronqué) est écartée et refaite, avec une ligne ; l'état « déjà à jour »
refuse une clé changée ; l'élagage tient la taille du cache sous sa limite. Appels directs et
projet jetable (``tests/projet_jetable.py``, moteur de rendu d'essai passé par ``rendre=``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from processus import executer
from projet_jetable import ANNEES, projet_jetable

from synthese_ihu import cache, cli, etat_publie
from synthese_ihu.cache_publication import donnees_publication
from synthese_ihu.config import Parametres
from synthese_ihu.construction import Emplacements


def carnet_execute(valeur: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_code_cell("montant()")])
    nb.cells[0].outputs = [new_output("stream", name="stdout", text=f"{valeur} M€\n")]
    return nb


@pytest.mark.rapide
def test_carnet_en_cache_altere_est_ecarte(tmp_path):
    depot = cache.Cache(tmp_path / "cache")
    depot.ecrire("bon", carnet_execute("401,1"))
    assert depot.lire("bon").cells[0].outputs[0].text == "401,1 M€\n"

    # le carnet en cache devient un AUTRE JSON valide : 401,1 → 999,9
    depot.ecrire("cle", carnet_execute("401,1"))
    chemin = depot.chemin("cle")
    chemin.write_bytes(chemin.read_bytes().replace(b"401,1", b"999,9"))
    assert nbformat.reads(chemin.read_text(encoding="utf-8"), as_version=4)  # toujours valide
    raisons = []
    assert depot.lire("cle", alteree=raisons.append) is None
    assert raisons == ["altéré"]
    assert not chemin.exists() and not chemin.with_name(chemin.name + ".sha256").exists()
    assert depot.lire("cle", alteree=raisons.append) is None and raisons == ["altéré"]  # absent

    # une entrée sans son empreinte (écriture interrompue entre les deux) ne prouve rien
    depot.ecrire("sans", carnet_execute("401,1"))
    depot.chemin("sans").with_name("sans.ipynb.sha256").unlink()
    assert depot.lire("sans", alteree=raisons.append) is None
    assert raisons[-1] == "sans empreinte" and not depot.chemin("sans").exists()


def preparer_essai(appels):
    """``publication.preparer`` d'essai : écrit deux fichiers de données ouvertes."""

    def preparer(donnees, annee, dossier, provenance):
        appels.append(annee)
        if dossier is not None:
            dossier.mkdir(parents=True)
            (dossier / "chiffres_cles.csv").write_text(
                'indicateur,valeur\nversements,"401,1"\n' * 20, encoding="utf-8"
            )
            (dossier / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")
        return {"colophon": {"licence": "Licence Ouverte"}}

    return preparer


@pytest.mark.rapide
def test_donnees_ouvertes_en_cache_tronquees_refaites(tmp_path):
    parametres = Parametres(annee=2022, sections=("essai",))
    construction, appels, lignes = tmp_path / "build", [], []

    def publier(nom):
        travail = tmp_path / nom
        travail.mkdir()
        return donnees_publication(
            parametres,
            tmp_path / "raw",
            construction,
            travail,
            None,
            "commune",
            preparer=preparer_essai(appels),
            afficher=lignes.append,
        )

    faits, dossier = publier("a")
    attendu = (dossier / "chiffres_cles.csv").read_bytes()
    assert appels == [2022] and faits["colophon"]["licence"] == "Licence Ouverte"
    faits, dossier = publier("b")  # reprise du cache, vérifiée
    assert appels == [2022] and lignes == []
    assert (dossier / "chiffres_cles.csv").read_bytes() == attendu

    [entree] = (construction / "cache" / "publication").iterdir()
    csv = entree / "donnees" / "chiffres_cles.csv"
    csv.write_bytes(csv.read_bytes()[:30])  # CSV tronqué dans le cache
    faits, dossier = publier("c")
    assert appels == [2022, 2022]  # refaites
    assert len(lignes) == 1 and "données ouvertes 2022" in lignes[0]
    assert "donnees/chiffres_cles.csv altéré" in lignes[0]
    assert (dossier / "chiffres_cles.csv").read_bytes() == attendu
    assert csv.read_bytes() == attendu  # l'entrée refaite est complète

    (entree / "donnees" / "intrus.csv").write_text("x\n", encoding="utf-8")
    publier("d")
    assert appels == [2022] * 3 and "donnees/intrus.csv en trop" in lignes[-1]
    assert not (tmp_path / "d" / "donnees" / "intrus.csv").exists()


@pytest.mark.rapide
def test_etat_publie_refuse_une_cle_changee_ou_un_fichier_altere(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("# Essai"), new_code_cell("1")])
    projet = projet_jetable(tmp_path, nb)
    parametres = Parametres(annee=2022, sections=("essai",))
    destination = projet.rapports / "2022"
    destination.mkdir(parents=True)
    (destination / "synthese-ihu-2022.pdf").write_bytes(b"%PDF-1.7 " + b"x" * 2000)
    (destination / "synthese-ihu-2022.html").write_text("<p>401,1 M€</p>", encoding="utf-8")

    def cle(parametres=parametres, version="v1", **options):
        return etat_publie.cle(parametres, projet, "commune", destination, version=version,
                               **options)  # fmt: skip

    reference = cle()
    etat = etat_publie.Etat(
        etat_publie.chemin_etat(projet.construction, parametres), reference, destination
    )
    assert etat_publie.verifier(etat) is None  # jamais publié
    etat_publie.enregistrer(etat, {"pdf": "synthese-ihu-2022.pdf"})
    assert etat.chemin == projet.construction / "etat" / "public-2022.json"
    assert etat_publie.verifier(etat) == (2, {"pdf": "synthese-ihu-2022.pdf"})

    # la clé couvre la version du code (colophon), les paramètres, le moteur, la destination,
    # les carnets (Markdown compris) et la configuration
    assert cle(version="v2") != reference
    assert cle(parametres=Parametres(annee=2022, sections=("essai",), interne=True)) != reference
    assert cle(moteur="autre.rendre") != reference and cle(publication=False) != reference
    assert etat_publie.cle(parametres, projet, "commune", tmp_path / "ailleurs", version="v1") != (
        reference
    )
    source = projet.carnets / "00_essai.ipynb"
    source.write_text(source.read_text(encoding="utf-8").replace("# Essai", "# Autre"), "utf-8")
    assert cle() != reference
    projet.configuration.write_text(
        projet.configuration.read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    changee = cle()
    assert changee != reference
    assert etat_publie.verifier(etat_publie.Etat(etat.chemin, changee, destination)) is None

    # même clé, PDF publié tronqué, fichier en trop, fichier retiré : refusé avec son nom
    pdf = destination / "synthese-ihu-2022.pdf"
    octets = pdf.read_bytes()
    pdf.write_bytes(octets[:1000])
    assert etat_publie.verifier(etat).endswith("synthese-ihu-2022.pdf altéré")
    pdf.write_bytes(octets)
    (destination / "reste.tmp").write_text("x", encoding="utf-8")
    assert etat_publie.verifier(etat).endswith("reste.tmp en trop")
    (destination / "reste.tmp").unlink()
    (destination / "synthese-ihu-2022.html").unlink()
    assert etat_publie.verifier(etat).endswith("synthese-ihu-2022.html absent")


@pytest.mark.rapide
def test_elagage_garde_la_taille_sous_la_limite(tmp_path):
    racine = tmp_path / "cache"
    depot = cache.Cache(racine)
    for k in range(6):  # six carnets d'environ 10 ko, utilisés de k = 0 (le plus ancien) à 5
        depot.ecrire(f"c{k}", carnet_execute("x" * 10_000))
        empreinte = depot.chemin(f"c{k}").with_name(f"c{k}.ipynb.sha256")
        os.utime(empreinte, (1_000_000 + k, 1_000_000 + k))
    publication = racine / "publication" / "p0"
    publication.mkdir(parents=True)
    (publication / "a.csv").write_bytes(b"y" * 10_000)
    (publication / cache.MANIFESTE).write_text("{}", encoding="utf-8")
    os.utime(publication / cache.MANIFESTE, (1_000_000 + 2.5, 1_000_000 + 2.5))
    en_cours = racine / "publication" / "p1.tmp-123-ab"  # provisoire : pas une entrée
    en_cours.mkdir()
    assert depot.lire("c1") is not None  # c1 vient de servir : il passe devant les autres

    taille = sum(p.stat().st_size for p in racine.rglob("*") if p.is_file())
    limite = taille // 2
    lignes = []
    retirees = cache.elaguer(racine, limite=limite, afficher=lignes.append)
    restant = sum(p.stat().st_size for p in racine.rglob("*") if p.is_file())
    assert restant <= limite
    assert retirees == 4 and len(lignes) == 1 and "4 entrée(s)" in lignes[0]
    gardes = sorted(p.name for p in (racine / "carnets").glob("*.ipynb"))
    assert gardes == ["c1.ipynb", "c4.ipynb", "c5.ipynb"] and not publication.exists()
    assert en_cours.exists()  # les restes des courses mortes relèvent de verrous (par verrou)
    assert cache.elaguer(racine, limite=limite, afficher=lignes.append) == 0 and len(lignes) == 1


# --------------------------------------------------------------------------------------------
# Construction : une section exécutée dans un noyau, moteur de rendu d'essai


def rendre_essai(carnets, annee, dossier, interne=False, **options):
    """Moteur de rendu d'essai : le texte des sorties dans un HTML, un « PDF » d'octets fixes."""
    rendre_essai.appels += 1
    texte = "\n".join(
        str(o.get("text", "")) for nb in carnets for c in nb.cells for o in c.get("outputs", [])
    )
    (Path(dossier) / "rapport.html").write_text(texte, encoding="utf-8")
    (Path(dossier) / "rapport.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * 3000)
    return {"html": "rapport.html", "pdf": "rapport.pdf"}


@pytest.mark.lent
def test_rapport_et_carnet_alteres_reconstruits(tmp_path, capsys):
    nb = new_notebook(
        cells=[
            new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}),
            new_code_cell("print('401,1 M€')"),
        ]
    )
    projet: Emplacements = projet_jetable(tmp_path, nb)
    rendre_essai.appels = 0

    def construire():
        code = cli.construire(
            ["--annee", "2022"],
            emplacements=projet,
            rendre=rendre_essai,
            publication=False,
            annees=ANNEES,
            processus=0,
        )
        return code, capsys.readouterr().out

    code, sortie = construire()
    assert code == 0 and rendre_essai.appels == 1 and "exécution (noyau" in sortie
    html = projet.rapports / "2022" / "rapport.html"
    pdf = projet.rapports / "2022" / "rapport.pdf"
    assert "401,1 M€" in html.read_text(encoding="utf-8")

    # rien n'a changé : vérifié, sauté, ni noyau ni rendu
    code, sortie = construire()
    assert code == 0 and rendre_essai.appels == 1
    assert "✓ 2022 déjà à jour (2 fichiers vérifiés)" in sortie
    assert "Synthèse 2022 déjà à jour (vérifiée en" in sortie and "construite" not in sortie
    assert "exécution (noyau" not in sortie

    # PDF publié tronqué ET carnet en cache changé en un autre JSON valide (401,1 → 999,9)
    pdf.write_bytes(pdf.read_bytes()[:1000])
    [entree] = (projet.construction / "cache" / "carnets").glob("*.ipynb")
    entree.write_bytes(entree.read_bytes().replace(b"401,1", b"999,9"))
    json.loads(entree.read_text(encoding="utf-8"))
    code, sortie = construire()
    assert code == 0 and rendre_essai.appels == 2
    lignes = [ligne for ligne in sortie.splitlines() if "⚠" in ligne]
    assert len(lignes) == 2, sortie
    assert lignes[0].startswith("  ⚠ 2022 : ")
    assert lignes[0].endswith("reports/2022/rapport.pdf altéré depuis la publication, reconstruit")
    assert lignes[1] == "  ⚠ cache : carnet 00_essai (2022) altéré, réexécuté"
    assert "exécution (noyau" in sortie
    assert "401,1 M€" in html.read_text(encoding="utf-8")
    assert "999,9" not in html.read_text(encoding="utf-8")
    assert len(pdf.read_bytes()) > 3000

    code, sortie = construire()  # et de nouveau à jour
    assert code == 0 and rendre_essai.appels == 2 and "déjà à jour" in sortie


_A_JOUR = """
import sys
from pathlib import Path
from synthese_ihu import cli
from synthese_ihu.construction import Emplacements
racine = Path(sys.argv[1])
emplacements = Emplacements(
    configuration=racine / "synthese.toml", carnets=racine / "notebooks",
    construction=racine / "build", rapports=racine / "reports", donnees=racine / "raw",
    paquet=racine / "paquet", verrou=racine / "requirements.lock", rendu=racine / "rendu",
)
code = cli.construire(["--annee", "2022"], emplacements=emplacements, annees=range(2012, 2023))
lourds = ("pandas", "matplotlib", "nbconvert", "weasyprint", "seaborn", "jupyter_client")
print("lourds:", [m for m in lourds if m in sys.modules])
sys.exit(code)
"""


@pytest.mark.lent
def test_annee_a_jour_decidee_sans_import_lourd(tmp_path):
    """La commande entière, dans un processus neuf : l'année vérifiée à jour est sautée sans
    que pandas, matplotlib, nbconvert, WeasyPrint ni jupyter_client soient importés."""
    projet = projet_jetable(tmp_path, new_notebook(cells=[new_code_cell("1")]))
    parametres = Parametres(annee=2022, sections=("essai",))
    destination = projet.rapports / "2022"
    destination.mkdir(parents=True)
    (destination / "synthese-ihu-2022.pdf").write_bytes(b"%PDF-1.7 " + b"x" * 2000)
    commune = cache.empreinte_commune(projet.donnees, projet.paquet, projet.verrou)
    etat = etat_publie.Etat(
        etat_publie.chemin_etat(projet.construction, parametres),
        etat_publie.cle(parametres, projet, commune, destination),
        destination,
    )
    etat_publie.enregistrer(etat, {"pdf": "synthese-ihu-2022.pdf"})
    resultat = executer([sys.executable, "-c", _A_JOUR, str(tmp_path)], timeout=120)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "✓ 2022 déjà à jour (1 fichier vérifié)" in resultat.stdout
    assert "lourds: []" in resultat.stdout
