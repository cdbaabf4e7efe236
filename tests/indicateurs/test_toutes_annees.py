"""Les indicateurs se calculent pour toute année couverte (2012 … dernière campagne).

Pour chaque année, chaque fonction ``f(d, annee)`` de :mod:`synthese_ihu.indicateurs` s'exécute
sur la vue de l'année et rend un résultat brut (jamais du texte), ou ``None`` quand la période
n'existe pas encore ; chaque calcul de la table des chiffres publiés aussi.
"""

from __future__ import annotations

import inspect

import pytest
from test_chiffres_publies import CALCULS

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import annees_couvertes

pytestmark = pytest.mark.lent

FONCTIONS = [
    f for _, f in inspect.getmembers(ind, inspect.isfunction)
    if f.__module__.startswith(f"{ind.__name__}.")
    and list(inspect.signature(f).parameters)[:2] == ["d", "annee"]
]


def test_annees_couvertes_de_reference():
    annees = annees_couvertes()
    assert annees[0] == 2012 and 2022 in annees
    assert annees == list(range(2012, annees[-1] + 1))


@pytest.mark.parametrize("annee", range(2012, 2023))
def test_indicateurs_pour_chaque_annee(donnees, annee):
    vue = donnees.pour_annee(annee)
    assert len(FONCTIONS) > 40
    for fonction in FONCTIONS:
        resultat = fonction(vue, annee)
        assert not isinstance(resultat, str), fonction.__name__
    for ident, calcul in CALCULS.items():
        assert not isinstance(calcul(vue, annee), str), ident


@pytest.mark.parametrize("annee", [2012, 2013])
def test_pas_de_comparaison_ni_de_cofinancement_au_debut(donnees, annee):
    vue = donnees.pour_annee(annee)
    assert ind.periodes_comparaison(annee) is None
    assert ind.articles_evolution(vue) is None
    assert ind.cofinancements_cumul(vue) is None and ind.effet_levier(vue) is None
    assert ind.cofinancements_declarants_tendance(vue).verifiee is False


def test_vue_2018_sans_foresight_dans_les_indicateurs(donnees):
    vue = donnees.pour_annee(2018)
    assert ind.nombre_ihu_suivis(vue) == 6
    assert "foresight" not in set(vue.indicateurs["ihu"])
    assert "foresight" in set(vue.dotations["ihu"])  # engagé en 2018, compté en finances


# réactualisations du jeu de référence (data/README.md) : (table, ihu, annee, clé, campagne)
REACTUALISATIONS = [
    ("depenses", "liryc", 2015, "personnel", 2016),
    ("indicateurs", "mixsurg", 2017, "brevets_deposes", 2018),
    ("indicateurs", "ican", 2018, "projets_recherche", 2019),
    ("indicateurs", "mi", 2020, "essais_cliniques", 2021),
    ("depenses", "imagine", 2021, "fonctionnement", 2022),
]


@pytest.mark.parametrize(("table", "ihu", "annee", "cle", "campagne"), REACTUALISATIONS)
def test_la_reactualisation_l_emporte(donnees, table, ihu, annee, cle, campagne):
    colonne = "nature" if table == "depenses" else "indicateur"
    toutes = getattr(donnees, table)
    toutes = toutes.loc[(toutes["ihu"] == ihu) & (toutes["annee"] == annee)
                        & (toutes[colonne] == cle)]
    assert sorted(toutes["campagne"]) == [annee, campagne]  # valeur initiale et réactualisée
    for cible, attendue in ((campagne - 1, annee), (campagne, campagne), (2022, campagne)):
        vue = getattr(donnees.pour_annee(cible), table)
        ligne = vue.loc[(vue["ihu"] == ihu) & (vue["annee"] == annee) & (vue[colonne] == cle)]
        assert ligne["campagne"].tolist() == [attendue], cible
