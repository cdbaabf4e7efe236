"""Test de vérité : chaque constat imprimé est vrai de son année (2012 à 2022, et une campagne
2023 entrée par modèles et ingestion), relu sur les données publiées (voir ``verite.py``)."""

from __future__ import annotations

import re
import shutil

import pytest
from constructions import ANNEES
from verite import Publie, enonces, verifier

pytestmark = pytest.mark.lent


@pytest.mark.parametrize("annee", ANNEES)
def test_chaque_constat_imprime_est_vrai(constructions_publiques, annee):
    rapport = constructions_publiques[annee]
    erreurs, verifies = verifier(rapport.carnets, Publie(annee, rapport.dossier))
    assert verifies >= 20, f"{annee} : {verifies} faits vérifiés seulement"
    assert not erreurs, "\n".join(erreurs)


def test_campagne_2023_ingeree(rapport_2023_ingere):
    r = rapport_2023_ingere
    erreurs, verifies = verifier(r.carnets, Publie(r.annee, r.dossier, r.donnees))
    assert verifies > 30
    assert not erreurs, "\n".join(erreurs)


def test_2023_sans_article_ni_ratio_hors_couverture(rapport_2023_ingere):
    """Pas d'article compté après l'export (2022), pas de dépenses de 19 IHU sur la dotation
    de 7 : chaque énoncé le dit avec les faits de sa couverture."""
    faits = {}
    for e in enonces(rapport_2023_ingere.carnets):
        faits.update(e.faits)
    assert faits["fin_bibliometrie"] == 2022 and faits["bibliometrie_incomplete"] is True
    assert faits["perimetres_finances_differents"] is True
    assert faits["nb_ihu_dotes"] == 7 and faits["nb_ihu_depenses"] == 19
    html = (rapport_2023_ingere.dossier / "synthese-ihu-2023.html").read_text(encoding="utf-8")
    html = re.sub(r"<[^>]+>", "", html).replace("\u202f", " ").replace("\u2019", "'")
    html = re.sub(r"\s+", " ", html)
    assert re.search(r"31 639 articles? publiés de 2012 à 2022", html)
    assert not re.search(r"articles[^.]{0,80}2023|2023[^.]{0,40}articles publiés", html.replace(
        "les articles de 2023 n'y figurent pas encore", ""))


def test_une_serie_retournee_fait_echouer_le_test(constructions_publiques, tmp_path):
    """Les essais des IHU publiés à l'envers (hausse depuis 2020) : l'énoncé « recule chaque
    année depuis 2020 » du carnet 07 devient faux, et l'erreur le nomme."""
    rapport = constructions_publiques[2022]
    copie = tmp_path / "2022"
    shutil.copytree(rapport.dossier / "donnees", copie / "donnees")
    chemin = copie / "donnees" / "essais_cliniques_annee.csv"
    import pandas as pd

    essais = pd.read_csv(chemin)
    ihu = essais["serie"] == "IHU"
    essais.loc[ihu, "essais"] = essais.loc[ihu, "essais"].to_numpy()[::-1]
    essais.to_csv(chemin, index=False)
    erreurs, _ = verifier(rapport.carnets, Publie(2022, copie))
    assert any("07_soin.ipynb · cellule soin-13 · essais_baisse_depuis" in e for e in erreurs), \
        erreurs
    assert all(e.startswith("2022 · ") for e in erreurs)
