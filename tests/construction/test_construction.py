"""Construction : validation avant exécution, cache, mise en place sûre, messages d'échec.

Le moteur de rendu d'essai, les années couvertes et les dossiers jetables passent par les
paramètres nommés de :func:`synthese_ihu.cli.construire` (``publication=False`` : le petit projet
n'a pas de vraies données, ni données ouvertes ni colophon ; voir ``tests/publication/``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from projet_jetable import projet_sections

from synthese_ihu import cache, cli, execution, mise_en_place

ANNEES = range(2012, 2023)


def carnet(titre: str, *cellules) -> nbformat.NotebookNode:
    """Carnet d'essai : un titre Markdown, la cellule ``parameters``, puis ``cellules``."""
    return new_notebook(
        cells=[
            new_markdown_cell(f"# {titre}"),
            new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}),
            *cellules,
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def ecrire_carnet(chemin: Path, *cellules) -> Path:
    nbformat.write(carnet(chemin.stem, *cellules), str(chemin))
    return chemin


@pytest.fixture
def projet(tmp_path):
    """Petit projet jetable : deux sections, données, paquet, verrou."""
    projet = projet_sections(
        tmp_path,
        [
            (
                "ouverture",
                "00_carnet_annee.ipynb",
                "Ouverture",
                carnet(
                    "00_carnet_annee",
                    new_code_cell("print(f'ouverture {annee}')"),
                    new_markdown_cell("Texte d'origine."),
                ),
            ),
            (
                "calcul",
                "01_carnet_calcul.ipynb",
                "Calcul",
                carnet("01_carnet_calcul", new_code_cell("annee * 10")),
            ),
        ],
    )
    (projet.donnees / "valeurs.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return projet


class Moteur(list):
    """Moteur de rendu d'essai : écrit un HTML et un « PDF » texte ; la liste garde ses appels."""

    def __init__(self, rendre):
        super().__init__()
        self.rendre = functools.partial(rendre, self)


def _rendre(appels, carnets, annee, dossier, interne=False, **options):
    appels.append({"carnets": carnets, "annee": annee, "interne": interne})
    texte = "\n".join(
        "".join(c.source) + "".join(str(o) for o in c.get("outputs", []))
        for nb in carnets
        for c in nb.cells
    )
    (Path(dossier) / f"synthese-ihu-{annee}.html").write_text(texte, encoding="utf-8")
    (Path(dossier) / f"synthese-ihu-{annee}.pdf").write_text("pdf", encoding="utf-8")
    return {
        "html": Path(dossier) / f"synthese-ihu-{annee}.html",
        "pdf": Path(dossier) / f"synthese-ihu-{annee}.pdf",
        "durees": {"html": 0.1, "pdf": 0.2},
        "figures": [],
    }


@pytest.fixture
def rendu():
    """Moteur de rendu d'essai (ses appels)."""
    return Moteur(_rendre)


def construire(argv, projet, moteur, **options):
    """``synthese-ihu construire`` sur le petit projet, avec le moteur d'essai (rendus ici)."""
    options.setdefault("processus", 0)
    return cli.construire(
        argv,
        emplacements=projet,
        rendre=moteur.rendre,
        publication=False,
        annees=ANNEES,
        **options,
    )


@pytest.fixture
def sans_noyau(monkeypatch):
    """Tout démarrage de noyau fait échouer le test."""

    async def interdit(self):
        raise AssertionError("un noyau a été démarré")

    monkeypatch.setattr(execution.Noyau, "demarrer", interdit)


@pytest.mark.lent
def test_construction_puis_cache_puis_markdown_modifie(projet, rendu, capsys, monkeypatch):
    assert construire(["--annee", "2021"], projet, rendu) == 0
    sortie = capsys.readouterr().out
    assert "exécution (noyau" in sortie and "Synthèse 2021 construite" in sortie
    assert "dont html" in sortie and "mise en place" in sortie
    html = projet.rapports / "2021" / "synthese-ihu-2021.html"
    assert "ouverture 2021" in html.read_text() and "20210" in html.read_text()
    [appel] = rendu
    assert [nb.metadata.synthese_ihu["section"] for nb in appel["carnets"]] == [
        "ouverture",
        "calcul",
    ]
    conserves = projet.construction / "2021" / "carnets"
    froid = {p.name: p.read_bytes() for p in conserves.iterdir()}
    assert set(froid) == {"00_carnet_annee.ipynb", "01_carnet_calcul.ipynb"}

    # rien n'a changé : le rapport publié est vérifié et gardé, ni noyau ni rendu
    async def interdit(self):
        raise AssertionError("un noyau a été démarré")

    monkeypatch.setattr(execution.Noyau, "demarrer", interdit)
    assert construire(["--annee", "2021"], projet, rendu) == 0
    sortie = capsys.readouterr().out
    assert "✓ 2021 déjà à jour (2 fichiers vérifiés)" in sortie
    assert "exécution (noyau" not in sortie
    assert len(rendu) == 1
    assert {p.name: p.read_bytes() for p in conserves.iterdir()} == froid  # octet pour octet

    # seule une cellule Markdown change : servi par le cache, avec le nouveau texte
    source = projet.carnets / "00_carnet_annee.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    nb.cells[-1].source = "Texte corrigé par l'analyste."
    nbformat.write(nb, str(source))
    assert construire(["--annee", "2021"], projet, rendu) == 0
    assert capsys.readouterr().out.count(" cache\n") == 2  # les deux sections reprises
    assert len(rendu) == 2
    texte = html.read_text()
    assert "Texte corrigé par l'analyste." in texte and "Texte d'origine." not in texte
    assert "ouverture 2021" in texte  # sorties reprises du cache


@pytest.mark.rapide
def test_changer_d_annee_change_la_cle(projet):
    nb = execution.lire_source(projet.carnets / "01_carnet_calcul.ipynb")
    commune = cache.empreinte_commune(projet.donnees, projet.paquet, projet.verrou)
    cle = cache.cle_carnet(nb, {"annee": 2022}, commune)
    assert cache.cle_carnet(nb, {"annee": 2021}, commune) != cle
    assert cache.cle_carnet(nb, {"annee": 2022}, commune) == cle
    # Markdown exclu de la clé ; code, données, paquet, verrou inclus
    nb.cells[0].source = "# autre titre"
    assert cache.cle_carnet(nb, {"annee": 2022}, commune) == cle
    nb.cells[2].source = "annee * 11"
    assert cache.cle_carnet(nb, {"annee": 2022}, commune) != cle
    for fichier in (projet.donnees / "valeurs.csv", projet.paquet / "module.py", projet.verrou):
        avant = cache.empreinte_commune(projet.donnees, projet.paquet, projet.verrou)
        fichier.write_text(fichier.read_text() + "# modifié\n", encoding="utf-8")
        assert cache.empreinte_commune(projet.donnees, projet.paquet, projet.verrou) != avant


@pytest.mark.lent
def test_changer_d_annee_reexecute(projet, rendu, capsys):
    assert construire(["--annee", "2022"], projet, rendu) == 0
    capsys.readouterr()
    assert construire(["--annee", "2021", "--interne"], projet, rendu) == 0
    sortie = capsys.readouterr().out
    assert "2 exécutée(s), 0 en cache" in sortie  # pas de sortie 2022 publiée pour 2021
    html = projet.rapports / "interne" / "2021" / "synthese-ihu-2021.html"
    assert "ouverture 2021" in html.read_text()
    assert rendu[-1]["interne"] is True
    assert not (projet.rapports / "2021").exists()  # l'interne n'est jamais là où va le public


@pytest.mark.lent
def test_echec_garde_le_rapport_precedent(projet, rendu, capsys):
    precedent = projet.rapports / "2022"
    precedent.mkdir(parents=True)
    (precedent / "synthese-ihu-2022.html").write_text("bon rapport", encoding="utf-8")
    ecrire_carnet(
        projet.carnets / "01_carnet_calcul.ipynb",
        new_code_cell("total = annee * 10"),
        new_code_cell("total / 0  # division impossible"),
    )
    assert construire(["--annee", "2022"], projet, rendu) == 1
    erreur = capsys.readouterr().err
    assert "« calcul » (01_carnet_calcul.ipynb)" in erreur
    assert "cellule n° 4 « total / 0  # division impossible »" in erreur
    assert "ZeroDivisionError: division by zero" in erreur
    assert "Traceback" not in erreur and "rapport précédent n'a pas été modifié" in erreur
    assert rendu == []
    assert [p.name for p in precedent.iterdir()] == ["synthese-ihu-2022.html"]
    assert (precedent / "synthese-ihu-2022.html").read_text() == "bon rapport"
    conserve = projet.construction / "2022" / "carnets" / "01_carnet_calcul.ipynb"
    sorties = nbformat.read(str(conserve), as_version=4).cells[4].outputs
    assert sorties[-1].ename == "ZeroDivisionError" and sorties[-1].traceback


@pytest.mark.rapide
def test_rendu_en_echec_garde_le_rapport_precedent(projet, capsys):
    precedent = projet.rapports / "2022"
    precedent.mkdir(parents=True)
    (precedent / "ancien.html").write_text("bon rapport", encoding="utf-8")

    def rendre(appels, carnets, annee, dossier, interne=False, **options):
        (Path(dossier) / "moitie.html").write_text("<html>", encoding="utf-8")
        raise OSError("disque plein")

    assert construire(["--annee", "2022"], projet, Moteur(rendre)) == 1
    erreur = capsys.readouterr().err
    assert "rendu en échec : OSError: disque plein" in erreur
    assert "rapport précédent n'a pas été modifié" in erreur and "Traceback" not in erreur
    assert [p.name for p in precedent.iterdir()] == ["ancien.html"]


@pytest.mark.rapide
def test_publier_remplace_d_un_coup(tmp_path):
    neuf, destination = tmp_path / "neuf", tmp_path / "reports" / "2022"
    neuf.mkdir()
    (neuf / "a.html").write_text("nouveau", encoding="utf-8")
    destination.mkdir(parents=True)
    (destination / "vieux.html").write_text("ancien", encoding="utf-8")
    assert mise_en_place.publier(neuf, destination) is True
    assert [p.name for p in destination.iterdir()] == ["a.html"]
    assert sorted(p.name for p in destination.parent.iterdir()) == ["2022"]  # rien ne traîne
    assert mise_en_place.publier(neuf, destination) is False  # déjà identique : pas touché


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--annee", "2022a"], "année invalide"),
        (["--annee", "2030"], "non couverte"),
        (["--annee", "2022", "--couleur", "bleu"], "option(s) inconnue(s) : --couleur bleu"),
        (["--annee", "2022", "--ann", "2021"], "inconnue"),
        (["--annee", "2022", "--sections", "calcul,absente"], "section(s) inconnue(s) : absente"),
        (["--annee"], "l'option --annee attend une valeur"),
        (["--annee", "2022", "--interne=oui"], "--interne: ignored explicit argument 'oui'"),
        (["--annee", "2022.0"], "année invalide"),
        (["--annee", "2022-2012"], "plage d'années décroissante : 2022-2012 (écrire 2012-2022)"),
        (["--annee", "2011-2013"], "plage 2011-2013 : année(s) 2011 non couverte(s)"),
        (["--annee", "2020-2030"], "année(s) 2023, 2024, 2025, 2026, 2027 … non couverte(s)"),
        (["--annee", "abc"], "année invalide : 'abc'"),
        (["--annee", "2012-"], "plage d'années invalide : '2012-'"),
        (["--annee", "2012-2013", "--sections", "calcul"], "vaut pour une seule année"),
    ],
)
@pytest.mark.lent
def test_parametres_refuses_avant_toute_execution(projet, rendu, sans_noyau, capsys, argv, message):
    assert construire(argv, projet, rendu) == 2
    erreur = capsys.readouterr().err
    assert message in erreur and "Rien n'a été exécuté." in erreur
    assert not projet.construction.exists() and rendu == []


@pytest.mark.rapide
def test_configuration_avec_cle_inconnue_refusee(projet, rendu, sans_noyau, capsys):
    texte = projet.configuration.read_text(encoding="utf-8")
    projet.configuration.write_text(texte.replace('titre = "Essai"', 'titre = "Essai"\ncoleur = 1'))
    assert construire(["--annee", "2022"], projet, rendu) == 2
    erreur = capsys.readouterr().err
    assert "clé inconnue « coleur »" in erreur and str(projet.configuration) in erreur
    assert not projet.construction.exists()


@pytest.mark.lent
def test_apercu_partiel_ne_touche_pas_reports(projet, rendu, capsys):
    assert construire(["--annee", "2022", "--sections", "calcul"], projet, rendu) == 0
    assert not projet.rapports.exists()
    assert [nb.metadata.synthese_ihu["section"] for nb in rendu[0]["carnets"]] == ["calcul"]
    apercu = projet.construction / "2022" / "rendu-public-partiel" / "synthese-ihu-2022.html"
    assert "20220" in apercu.read_text()


# --------------------------------------------------------------------------------------------
# Plusieurs années (--annee début-fin)


@pytest.mark.lent
def test_plusieurs_annees_un_seul_groupe_de_noyaux(projet, rendu, capsys, monkeypatch):
    demarrages = []
    demarrer = execution.Noyau.demarrer

    async def compter(self):
        demarrages.append(self.numero)
        await demarrer(self)

    monkeypatch.setattr(execution.Noyau, "demarrer", compter)
    assert construire(["--annee", "2020-2022"], projet, rendu) == 0
    sortie = capsys.readouterr().out
    assert sorted(demarrages) == [1, 2]  # 6 carnets, 2 noyaux démarrés une fois chacun
    for annee in (2020, 2021, 2022):
        html = projet.rapports / str(annee) / f"synthese-ihu-{annee}.html"
        assert f"ouverture {annee}" in html.read_text() and f"{annee}0" in html.read_text()
        assert f"✓ {annee} ouverture" in sortie and f"◆ {annee} : sections prêtes" in sortie
    assert sorted(a["annee"] for a in rendu) == [2020, 2021, 2022]
    assert "Synthèses 2020 à 2022 : 3 rapport(s) sur 3 en place" in sortie

    # rien n'a changé : rapports vérifiés et gardés, aucun noyau ; une année seule reste possible
    demarrages.clear()
    assert construire(["--annee", "2020-2021"], projet, rendu) == 0
    sortie = capsys.readouterr().out
    assert demarrages == [] and len(rendu) == 3
    assert "✓ 2020 déjà à jour" in sortie and "✓ 2021 déjà à jour" in sortie
    assert "  2020  déjà à jour (vérifié)" in sortie and "exécutée(s)" not in sortie
    assert construire(["--annee", "2021"], projet, rendu) == 0
    assert "Synthèse 2021 déjà à jour (vérifiée en" in capsys.readouterr().out
    # un mécanisme désactivé change la clé : 2021 est reconstruite depuis le cache des carnets
    monkeypatch.setenv("SYNTHESE_IHU_SANS", "cache_publication")
    assert construire(["--annee", "2020-2021"], projet, rendu) == 0
    assert demarrages == [] and "0 carnet(s) exécuté(s), 4 en cache" in capsys.readouterr().out


@pytest.mark.lent
def test_plusieurs_annees_une_en_echec(projet, rendu, capsys, monkeypatch):
    """L'année en échec garde son rapport précédent ; les autres sont construites et publiées."""
    precedent = projet.rapports / "2021"
    precedent.mkdir(parents=True)
    (precedent / "synthese-ihu-2021.html").write_text("bon rapport", encoding="utf-8")
    ecrire_carnet(
        projet.carnets / "01_carnet_calcul.ipynb",
        new_code_cell("if annee == 2021:\n    raise ValueError(f'année {annee} refusée')"),
    )
    assert construire(["--annee", "2020-2022"], projet, rendu) == 1
    sortie = capsys.readouterr()
    assert "✗ 2021 : échec : la section « calcul » (01_carnet_calcul.ipynb)" in sortie.out
    assert "ValueError: année 2021 refusée" in sortie.out
    assert "2021  ÉCHEC : rapport précédent inchangé" in sortie.out
    assert "Échec pour 2021 : ces rapports n'ont pas été modifiés" in sortie.err
    assert "Traceback" not in sortie.out + sortie.err
    assert [p.name for p in precedent.iterdir()] == ["synthese-ihu-2021.html"]
    assert (precedent / "synthese-ihu-2021.html").read_text() == "bon rapport"
    assert sorted(a["annee"] for a in rendu) == [2020, 2022]
    for annee in (2020, 2022):
        assert (projet.rapports / str(annee) / f"synthese-ihu-{annee}.html").is_file()
    conserve = projet.construction / "2021" / "carnets" / "01_carnet_calcul.ipynb"
    cellules = nbformat.read(str(conserve), as_version=4).cells
    assert [o.ename for c in cellules for o in c.get("outputs", []) if "ename" in o] == [
        "ValueError"
    ]


@pytest.mark.lent
def test_plusieurs_annees_rendu_en_echec(projet, rendu, capsys, monkeypatch):
    def rendre_sauf_2021(appels, carnets, annee, dossier, interne=False, **options):
        if annee == 2021:
            raise OSError("disque plein")
        return _rendre(appels, carnets, annee, dossier, interne=interne, **options)

    assert construire(["--annee", "2020-2022"], projet, Moteur(rendre_sauf_2021)) == 1
    sortie = capsys.readouterr().out
    assert "✗ 2021 : rendu en échec : OSError: disque plein" in sortie
    assert not (projet.rapports / "2021").exists()
    assert (projet.rapports / "2022" / "synthese-ihu-2022.html").is_file()


@pytest.mark.lent
def test_mecanisme_desactive_par_la_variable(projet, rendu, capsys, monkeypatch):
    """``SYNTHESE_IHU_SANS=cache_execution`` (banc) : rien n'est repris du cache."""
    assert construire(["--annee", "2021"], projet, rendu) == 0
    capsys.readouterr()
    monkeypatch.setenv("SYNTHESE_IHU_SANS", "cache_execution")
    assert construire(["--annee", "2021"], projet, rendu) == 0
    assert "2 exécutée(s), 0 en cache" in capsys.readouterr().out
