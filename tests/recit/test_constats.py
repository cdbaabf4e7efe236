"""Règles des constats (``synthese_ihu.constats``) : chaque constat tient ou tombe avec la série."""

import pandas as pd
import pytest

from synthese_ihu import constats

pytestmark = pytest.mark.rapide

#: Essais en cours dans les IHU (figure 19 de 2022) et en France.
ESSAIS = pd.Series([720, 770, 800, 780, 735, 690], index=range(2017, 2023))
FRANCE = pd.Series([5930, 6160, 6420, 6690, 7020, 7364], index=range(2017, 2023))


def test_baisse_depuis_la_premiere_annee_en_recul():
    # 2018 : 770, 2019 : 800 (hausse) ; recul en 2020, 2021 et 2022 : « depuis 2020 »
    assert constats.debut_baisse(ESSAIS, 2022) == 2020
    assert constats.debut_baisse(ESSAIS, 2019) is None  # 2019 est une hausse
    assert constats.debut_baisse(ESSAIS, 2020) == 2020


def test_baisse_interrompue_raccourcit_la_periode():
    serie = ESSAIS.copy()
    serie[2021] = 790  # 2021 remonte au-dessus de 2020
    assert constats.debut_baisse(serie, 2022) == 2022


def test_hausse_chaque_annee_en_france():
    assert constats.hausse_chaque_annee(FRANCE, 2020, 2022)
    creuse = FRANCE.copy()
    creuse[2021] = 6600
    assert not constats.hausse_chaque_annee(creuse, 2020, 2022)
    assert not constats.hausse_chaque_annee(FRANCE, 2020, 2023)  # 2023 inconnue


def test_plateau_apres_la_hausse():
    projets = pd.Series([520, 640, 760, 860, 960, 1050, 1120, 1130, 1150, 1160, 1145],
                        index=range(2012, 2023))
    assert constats.fin_hausse_puis_plateau(projets) == 2018
    projets[2022] = 1300
    assert constats.fin_hausse_puis_plateau(projets) is None


def test_repli_puis_reprise_des_chercheurs():
    chercheurs = pd.Series([149, 158, 180, 145, 132, 160], index=range(2017, 2023))
    f = constats.forme(chercheurs)
    assert (f.pic, f.pic_annee) == (180, 2019)
    assert (f.repli_debut, f.repli_fin, f.hausse_depuis) == (2020, 2021, 2022)
    assert constats.repli_puis_reprise(chercheurs, 2022)
    assert not f.hausse_legere  # +21 % : une nette reprise, pas un léger redressement
    chercheurs[2022] = 140  # +6 % : légère
    assert constats.forme(chercheurs).hausse_legere
    assert constats.repli_puis_reprise(chercheurs, 2022)
    chercheurs[2022] = 200  # au-dessus du point haut de 2019 : plus une reprise partielle
    assert not constats.repli_puis_reprise(chercheurs, 2022)
    chercheurs[2022], chercheurs[2021] = 140, 150  # hausse en 2021 : pas de repli jusqu'en N-1
    assert not constats.repli_puis_reprise(chercheurs, 2022)


def test_vocabulaire_des_evolutions_dans_un_seul_tableau():
    from synthese_ihu import indicateurs, redaction

    assert indicateurs.SEUIL_LEGER is constats.SEUIL_LEGER == constats.SEUILS["leger"]
    assert indicateurs.SEUIL_STABILITE == constats.SEUILS["stable"] < constats.SEUIL_LEGER
    assert redaction.SEUIL_LEGER == constats.SEUILS["leger"]


def test_tous_sauf_un_et_entrees():
    assert constats.nombre_sauf(pd.Series([True, True, False])) == 1
    premieres = pd.Series([2012, 2012, 2019, None, 2023], index=list("abcde"))
    assert constats.entrees(premieres, 2022) == {2019: 1}
    assert constats.entrees(premieres, 2023) == {2019: 1, 2023: 1}
