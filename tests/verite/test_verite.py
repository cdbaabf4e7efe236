"""Test de vérité : chaque constat imprimé est vrai de son année (2012 à 2022, et une campagne
2023 entrée par modèles et ingestion), relu sur les données publiées (voir ``verite.py``)."""

from __future__ import annotations

import re
import shutil

import pytest
from constructions import ANNEES
from verite import Publie, anachronismes, enonces, verifier

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
    assert faits["cadre_dotation_arrete"] is True and faits["depenses_hors_cadre"] is True
    assert faits["nb_ihu_cadre_dotation"] == 7 and faits["nb_ihu_depenses"] == 19
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


@pytest.mark.parametrize("annee", ANNEES)
def test_aucune_annee_posterieure_a_l_edition(constructions_publiques, annee):
    """« depuis 2019 » dans l'édition 2012 : toute année nue du récit est au plus N."""
    erreurs = anachronismes(constructions_publiques[annee].carnets, annee)
    assert not erreurs, "\n".join(erreurs)


def test_une_annee_future_plantee_fait_echouer_le_test(constructions_publiques, tmp_path):
    """Un paragraphe de l'édition 2012 qui cite « depuis 2019 » est nommé par le test."""
    import json

    source = constructions_publiques[2012].carnets / "03_recherche.ipynb"
    carnet = json.loads(source.read_text(encoding="utf-8"))
    cellule = next(c for c in carnet["cells"] if c["cell_type"] == "markdown")
    cellule["source"] = ["Un travail conduit depuis 2019 a amélioré les données."]
    (tmp_path / "03_recherche.ipynb").write_text(json.dumps(carnet), encoding="utf-8")
    erreurs = anachronismes(tmp_path, 2012)
    assert erreurs == [f"2012 · 03_recherche.ipynb · cellule {cellule['id']} · année "
                       "postérieure à l'édition : « Un travail conduit depuis 2019 a amélioré "
                       "les donn »"]
    # une année calculée ({v.…}) n'est pas un texte écrit : elle est vérifiée par ailleurs
    cellule["source"] = ["Les cofinancements sont suivis à partir de {v.debut_cofinancements}."]
    (tmp_path / "03_recherche.ipynb").write_text(json.dumps(carnet), encoding="utf-8")
    assert anachronismes(tmp_path, 2012) == []


def _texte(rapport) -> str:
    html = (rapport.dossier / f"synthese-ihu-{rapport.annee}.html").read_text(encoding="utf-8")
    html = re.sub(r"<[^>]+>", "", html).replace("\u202f", " ").replace("\u2019", "'")
    return re.sub(r"\s+", " ", html.replace("\u00a0", " "))


def test_2023_cadres_des_entrants_et_des_sources_arretees(rapport_2023_ingere):
    """2023 : 12 IHU entrants sans aide ni export bibliométrique, versements arrêtés en 2022.
    Chaque ratio porte sur son cadre, les entrants sont nommés, chaque source dit sa fin."""
    r = rapport_2023_ingere
    assert not anachronismes(r.carnets, r.annee)
    faits = {}
    for e in enonces(r.carnets):
        faits.update(e.faits)
    assert faits["nb_ihu_levier"] == 7 and faits["fin_levier"] == 2022
    assert faits["levier_cadre_reduit"] is True and faits["cadre_dotation_arrete"] is True
    assert faits["nb_suivis_ihu3"] == 12
    texte = _texte(r)
    assert "12 IHU retenus en 2023 au titre de France 2030" in texte
    assert re.search(r"sur les 7 IHU qui l'ont reçue et avec les versements connus jusqu'en "
                     r"2022, les cofinancements déclarés de 2014 à 2022", texte)
    assert "Contexte : ;" not in texte and "(jusqu'en 2022)" in texte
    assert re.search(r"Données arrêtées\s*Source par source\s*:\s*campagnes de suivi 2023\s*;"
                     r"[^.]*versements de l.agence 2022", texte)
    assert "aide versée par l'ANR jusqu'en 2023" not in texte


def test_2023_sans_nouvel_export_memes_chiffres_bibliometriques_que_2022(rapport_2023_ingere):
    """L'export bibliométrique n'est pas renouvelé : l'édition 2023 redonne exactement les
    chiffres bibliométriques de 2022 (périodes ancrées sur la fin de la source, pas sur N)."""
    from synthese_ihu.donnees import charger
    from synthese_ihu.valeurs import Valeurs

    d = charger(rapport_2023_ingere.donnees / "raw")
    v22, v23 = Valeurs(d.pour_annee(2022), 2022, d), Valeurs(d.pour_annee(2023), 2023, d)
    noms = ["articles_cumul", "articles_evolution", "articles_evolution_cat_e", "p1", "p2",
            "position_premier_dernier", "position_deuxieme_avant_dernier", "remerciements",
            "nb_ihu_plus_rapides", "nb_ihu_moins_rapides", "fin_bibliometrie"]
    assert {n: str(getattr(v23, n)) for n in noms} == {n: str(getattr(v22, n)) for n in noms}
