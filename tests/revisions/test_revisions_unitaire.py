"""Révisions (#17) sur de petits cas : cause publique, extractions figées, note réservée."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from synthese_ihu import revisions as rv
from synthese_ihu.revisions_faits import cause_publique, tableau_public
from synthese_ihu.revisions_note import _cellules, ouvrir, references_des_carnets

pytestmark = pytest.mark.rapide


def _comparaison(changements, causes, revises=("a",)) -> rv.Comparaison:
    chiffres = pd.DataFrame(
        {
            "id": list(revises),
            "libelle": [f"Chiffre {i}" for i in revises],
            "periode": ["2021"] * len(revises),
            "publie": ["1"] * len(revises),
            "revise_texte": ["2"] * len(revises),
            "revise": [True] * len(revises),
        }
    )
    return rv.Comparaison(2022, 2021, changements, chiffres, causes, {}, {})


def test_cause_publique_sans_ihu_ni_classeur():
    c = [
        rv.Changement(
            "reactualisation",
            "depenses",
            "fonctionnement",
            2021,
            "imagine",
            1.0,
            2.0,
            2021,
            2022,
            "campagnes/2022/imagine_2022.xlsx",
            "Depenses",
            2,
        ),
        rv.Changement(
            "reactualisation",
            "indicateurs",
            "brevets_deposes",
            2020,
            "icm",
            1.0,
            3.0,
            2021,
            2022,
            "campagnes/2022/icm_2022.xlsx",
            "Indicateurs",
            9,
        ),
        rv.Changement("entree", "cofinancements", "europe", 2021, "thema", None, 5.0, None, 2022),
    ]
    comparaison = _comparaison(c, {"a": [0, 1, 2]})
    cause = cause_publique(comparaison, "a")
    assert cause == (
        "valeurs réactualisées (dépenses — fonctionnement 2021, indicateurs — "
        "brevets déposés 2020) ; IHU entré dans le décompte (cofinancements — "
        "europe 2021)"
    )
    for mot in ("imagine", "icm", "thema", "xlsx", "ligne"):
        assert mot not in cause.lower()
    tableau = tableau_public(comparaison)
    assert list(tableau.columns)[2:4] == ["Édition 2021, données d'alors",
                                          "Édition 2021, données de 2022"]


def test_une_seule_cause_au_singulier():
    c = [
        rv.Changement(
            "ajout", "indicateurs", "projets_recherche", 2021, "mi", None, 4.0, None, 2022
        )
    ]
    assert cause_publique(_comparaison(c, {"a": [0]}), "a").startswith(
        "valeur déclarée après coup (indicateurs — "
    )


def test_figer_garde_les_extractions_d_un_coup(tmp_path):
    for i, relatif in enumerate(rv.SOURCES_MILLESIMEES.values()):
        (tmp_path / relatif).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relatif).write_text(f"a,b\n{i},1\n", encoding="utf-8")
    dossier = rv.figer(2021, tmp_path)
    assert rv.millesimes(tmp_path) == {2021: set(rv.SOURCES_MILLESIMEES.values())}
    versements = tmp_path / "agence" / "versements.csv"
    assert (dossier / "agence" / "versements.csv").read_bytes() == versements.read_bytes()
    versements.write_text("a,b\n9,9\n", encoding="utf-8")
    rv.figer(2021, tmp_path)  # refiger remplace le millésime entier
    assert (dossier / "agence" / "versements.csv").read_text(encoding="utf-8") == "a,b\n9,9\n"
    assert sorted(p.name for p in (tmp_path / "millesimes").iterdir()) == ["2021"]


def test_la_note_nomme_les_ihu_donc_interne_seulement():
    with pytest.raises(PermissionError, match="variante interne"):
        ouvrir(2022, interne=False)


def test_la_note_jamais_sous_le_rapport_public():
    from synthese_ihu.chemins import RAPPORTS
    from synthese_ihu.revue import main

    assert main(["--annee", "2022", "--sortie", str(RAPPORTS / "2022" / "revue")]) == 2
    assert main(["--annee", "1999"]) == 2


def test_references_des_carnets(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "%%recit --si v.x_baisse\nIl y a {v.n} essais.", id="soin-01"
            ),
            nbformat.v4.new_code_cell("%%recit\n{v.n} et {v.m}", id="soin-02"),
            nbformat.v4.new_markdown_cell("{v.z}", id="soin-03"),
        ]
    )
    nbformat.write(nb, tmp_path / "07_soin.ipynb")
    refs = references_des_carnets(tmp_path)
    assert sorted(refs) == ["m", "n", "x_baisse"]
    assert [i for _, i, _ in refs["n"]] == ["soin-01", "soin-02"]
    assert "x_baisse" not in references_des_carnets(tmp_path, conditions=False)
    assert _cellules(refs["n"]) == "07_soin : 01, 02"


def test_une_revision_se_lit_a_la_meme_precision():
    from synthese_ihu.revisions_faits import meme_precision

    assert meme_precision("33 M€", "32,9 M€") == ("33,0 M€", "32,9 M€")
    assert meme_precision("12,5 %", "13 %") == ("12,5 %", "13,0 %")
    assert meme_precision("−1 %", "+2,5 %") == ("−1,0 %", "+2,5 %")
    assert meme_precision("1\u202f145", "1\u202f160") == ("1\u202f145", "1\u202f160")
