"""Les formulations suivent les données : une baisse ne s'écrit baisse que si elle en est une."""

import pandas as pd
import pytest

from synthese_ihu.redaction import decrire_serie, evolution, phases, sens, une_evolution

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("avant", "apres", "attendu"),
    [(100, 120, "hausse"), (100, 85, "baisse"), (100, 103, "stable"), (0, 5, "hausse")],
)
def test_sens(avant, apres, attendu):
    assert sens(avant, apres) == attendu


def test_evolution_ecrit_le_sens_et_l_ampleur():
    assert evolution(100, 120) == "en hausse de 20\u00a0%"
    assert evolution(100, 85) == "en baisse de 15\u00a0%"
    assert une_evolution(100, 85) == "une diminution"


def test_phases_hausse_puis_plateau():
    serie = pd.Series([400, 600, 800, 1150, 1160, 1140], index=range(2015, 2021))
    assert [(p.sens, p.debut, p.fin) for p in phases(serie)] == [
        ("hausse", 2015, 2018),
        ("stable", 2018, 2020),
    ]


def test_description_change_quand_les_donnees_changent():
    chute = pd.Series([300, 310, 150, 120, 160], index=range(2018, 2023))
    texte = decrire_serie(chute)
    assert "diminue de 2019 à 2021" in texte
    assert texte.endswith("augmente en 2022 (de 120 à 160)")
    remontee = pd.Series([300, 310, 150, 130, 140], index=range(2018, 2023))
    assert "augmente légèrement en 2022" in decrire_serie(remontee)
