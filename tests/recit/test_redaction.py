"""Sens d'une évolution et phases d'une série : des faits, jamais des phrases."""

import pandas as pd
import pytest

from synthese_ihu.redaction import phases, sens

pytestmark = pytest.mark.rapide


@pytest.mark.parametrize(
    ("avant", "apres", "attendu"),
    [(100, 120, "hausse"), (100, 85, "baisse"), (100, 103, "stable"), (0, 5, "hausse")],
)
def test_sens(avant, apres, attendu):
    assert sens(avant, apres) == attendu


def test_phases_hausse_puis_plateau():
    serie = pd.Series([400, 600, 800, 1150, 1160, 1140], index=range(2015, 2021))
    assert [(p.sens, p.debut, p.fin) for p in phases(serie)] == [
        ("hausse", 2015, 2018),
        ("stable", 2018, 2020),
    ]
