"""Les constats du récit reproduisent, pour 2022, les énoncés de l'édition de référence.

Chaque fait vient de la règle que le rapport utilise (``constats`` via le catalogue des valeurs) :
c'est cette fonction-là que le test appelle (``docs/definitions.md``, « Constats du récit »).
"""

from __future__ import annotations

import pytest

from synthese_ihu.valeurs import Valeurs

pytestmark = pytest.mark.rapide


@pytest.fixture(scope="module")
def v(donnees):
    return Valeurs(donnees.pour_annee(2022), 2022, donnees)


def test_essais_baisse_depuis_2020_et_hausse_en_france(v):
    assert v.essais_baisse_depuis == 2020  # 800 en 2019, puis 780, 735, 690
    assert v.essais_france_hausse is True


def test_projets_plateau_apres_2018_malgre_un_ihu_de_plus(v):
    assert v.projets_fin_hausse == 2018
    assert (v.projets_entree_plateau, v.projets_nb_entres_plateau) == (2019, 1)


def test_chercheurs_recul_2020_2021_puis_nette_reprise(v):
    assert (v.chercheurs_repli_debut, v.chercheurs_repli_fin) == (2020, 2021)
    # +21 % en 2022 : « nettement », pas « légèrement » (un seul tableau de seuils)
    assert v.chercheurs_reprise_un_an and not v.chercheurs_hausse_legere
    # le maximum de 2019 tombe l'année d'entrée de FOReSIGHT, mais l'entrant n'y ajoute presque
    # rien : la phrase « les entrants s'ajoutent » ne s'imprime pas
    assert (v.chercheurs_pic_annee, v.chercheurs_pic_entree) == (2019, False)


def test_bibliometrie_tous_sauf_un(v):
    assert (v.nb_ihu_plus_rapides, v.nb_ihu_moins_rapides) == (6, 1)
    assert (v.nb_ihu_part_hausse, v.nb_ihu_part_recul) == (6, 1)
    assert v.categorie_baisse == "E" and v.hausse_surtout_k
    assert v.fin_bibliometrie == 2022 and not v.bibliometrie_incomplete


def test_finances_et_perimetre(v):
    assert (v.derniere_annee_equipement, v.bascule_fonctionnement) == (2018, 2019)
    assert v.personnel_premier_depuis_bascule and v.prevision_se_rapproche
    assert not v.perimetres_finances_differents and v.nb_ihu_dotes == 7
    assert (v.avant_entree_1, v.annee_entree_1, v.nb_ihu_apres_entree_1) == (2018, 2019, 7)


def test_cofinancements_et_etudiants(v):
    assert v.cofinancements_lacunes and v.nb_ihu_sans_cofinancement == 0
    assert v.etudiants_concentration
    assert (v.etudiants_concentration_debut, v.etudiants_concentration_fin) == (2019, 2021)


def test_chaque_chiffre_cle_porte_son_libelle_et_sa_periode(v):
    """chiffres_cles.csv lit le libellé et la période de la valeur elle-même (aucun complément
    ailleurs) : aucun libellé vide, aucune période au-delà de l'année cible."""
    from synthese_ihu.formatage import Valeur

    chiffres = {nom: x for nom, x in v.toutes().items() if isinstance(x, Valeur)}
    assert len(chiffres) > 60
    sans_libelle = sorted(nom for nom, x in chiffres.items() if not x.libelle)
    assert sans_libelle == []
    for nom, x in chiffres.items():
        assert x.periode == "" or int(x.periode[-4:]) <= 2022, nom
    assert (v.projets_max.libelle, v.projets_max.periode) == (
        "Projets en cours : maximum par IHU", "2022")
    assert (v.origine_privee.libelle, v.origine_privee.periode) == (
        "Part des cofinancements d'origine privée", "2014-2022")
    assert v.part_top10_ihu.periode == v.articles_evolution.periode == "2018-2022"
