"""Contenu de l'édition de référence rétabli depuis les données (issue #15).

Les faits que la synthèse 2022 imprimait et que le rapport avait perdus viennent de fichiers de
``data/raw`` (référentiel des appels, références de contexte) ; les valeurs attendues ci-dessous
sont celles du texte publié (chiffres clés, notes 8 et 9), comme ``published_figures.yaml`` pour
les autres chiffres.
"""

from __future__ import annotations

import pytest

from synthese_ihu import figures, valeurs

pytestmark = pytest.mark.rapide


@pytest.fixture(scope="module")
def v(donnees):
    return valeurs.Valeurs(donnees.pour_annee(2022), 2022, donnees)


def test_annee_d_evaluation_des_ihu_du_pia1(v, donnees):
    assert v.annee_evaluation_pia1 == 2019  # « évalués par un jury international en 2019 »
    assert v.instance_evaluation_pia1 == "jury international"
    assert valeurs.Valeurs(donnees.pour_annee(2018), 2018, donnees).annee_evaluation_pia1 is None


def test_note_clinicaltrials(v):
    assert str(v.essais_base_etudes) == "467\u202f060" and str(v.essais_base_pays) == "220"
    assert v.essais_date_extraction == "25 septembre 2023"
    assert v.essais_requete_pays == "France"
    assert v.essais_requete_debut_avant == "31 décembre 2022"
    assert "ClinicalTrials.gov" in v.essais_base_source


def test_contexte_des_start_up_avec_sa_source(v):
    assert v.observatoire_startups.startswith("Observatoire de la dynamique des startups")
    assert v.annonce_observatoire == "communiqué de presse de mars 2023"
    assert "French Care" in v.labels_startups


def test_ihu_plus_rapides_que_le_monde_comme_la_regle(v, donnees):
    """Le compte cité est celui de la règle (croissance de l'IHU au-dessus de celle du monde),
    la figure ne publie par IHU que l'écart à la France, et le compte est vraisemblable :
    certains IHU, pas tous ceux qui dépassent la France."""
    from synthese_ihu.figures.bibliometrie_impact import evolution_vs_references

    cadre = figures.donnees_figure("croissance_ihu_france_monde", donnees, 2022)
    assert set(cadre["reference"]) == {"France"}
    tableau = evolution_vs_references(donnees, 2022)
    assert v.nb_ihu_plus_vite_monde == int(
        (tableau["croissance_ihu"] > tableau["croissance_monde"]).sum())
    assert v.nb_ihu_plus_rapides == int((cadre["ecart_points"] > 0).sum())
    assert 0 < v.nb_ihu_plus_vite_monde < v.nb_ihu_plus_rapides


def test_evolution_par_categorie_non_plate(donnees):
    """Figure « évolution par catégorie » : +20 % et −15 % (E) exacts, chaque autre catégorie
    en hausse avec sa propre évolution (au moins 10 points entre extrêmes)."""
    from synthese_ihu.generation.parametres import ECART_MIN_CATEGORIES

    cadre = figures.donnees_figure("evolution_categories", donnees, 2022).set_index("categorie")
    evolution = cadre["evolution_pct"]
    assert round(evolution["Ensemble"]) == 20 and round(evolution["E"]) == -15
    autres = evolution.drop(["E", "Ensemble"])
    assert (autres > 0).all()
    assert autres.max() - autres.min() >= ECART_MIN_CATEGORIES


def test_parts_des_figures_s_ajoutent(donnees):
    """Figure 2 (répartition observée / prévue) et positions d'auteur : les parts affichées
    s'ajoutent à 100 %, et la part d'équipement du texte alternatif est leur somme."""
    cadre = figures.donnees_figure("repartition_observee_prevue", donnees, 2022)
    assert (cadre.groupby("repartition")["part_pct"].sum().round(6) == 100).all()
    equipement = cadre.loc[(cadre["repartition"] == "observee")
                           & cadre["nature"].str.startswith("equipement"), "part_pct"].sum()
    _, alt = figures.legende_figure("repartition_observee_prevue", donnees, 2022)
    assert f"{equipement:.0f} % des dépenses observées" in alt.replace("\u00a0", " ")
    positions = figures.donnees_figure("positions_auteurs", donnees, 2022)
    assert (positions.groupby("periode")["part_pct"].sum().round(6) == 100).all()
    p2 = positions.loc[positions["periode"] == "P2"].set_index("position")["part_pct"]
    assert round(p2["1"] + p2["DA"]) == 38 and round(p2["2"] + p2["PA"]) == 16


def test_carte_des_ihu_de_l_edition(donnees):
    cadre = figures.donnees_figure("carte_ihu", donnees, 2022)
    assert len(cadre) == 19  # 7 IHU suivis en 2022 et les 12 IHU3 que l'édition annonce
    assert (cadre["groupe"] == "suivi").sum() == 7
    assert len(figures.donnees_figure("carte_ihu", donnees, 2016)) == 6
