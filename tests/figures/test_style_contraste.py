"""Contraste des textes des figures (WCAG 2.1 AA : 4,5:1)."""

from __future__ import annotations

import pytest

from synthese_ihu.figures import style

pytestmark = pytest.mark.rapide


def test_contraste_wcag():
    assert style.contraste("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contraste("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert style.contraste("#767676") == pytest.approx(4.54, abs=0.01)
    assert style.contraste(style.GRIS) < 4.5  # d'où GRIS_TEXTE pour les notes


@pytest.mark.parametrize("couleur", [style.ENCRE, style.GRIS_TEXTE, style.TEXTE_CUMUL])
def test_textes_sur_blanc_lisibles(couleur):
    assert style.contraste(couleur) >= 4.5


@pytest.mark.parametrize(
    "fond",
    sorted({*style.COULEURS_NATURES.values(), *style.COULEURS_CATEGORIES.values(),
            *style.COULEURS_ORIGINES.values(), style.COULEUR_UNIQUE}),
)
def test_texte_sur_aplat_lisible(fond):
    assert style.contraste(style.encre_sur(fond), fond) >= 4.5
