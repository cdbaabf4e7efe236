"""Aucun texte d'une figure n'en chevauche un autre, ni une courbe, ni un lieu de la carte.

Mesuré par :func:`synthese_ihu.figures.lisibilite.chevauchements` (étendues calculées par
matplotlib) sur chaque figure des éditions 2012, 2018 et 2022 des données de référence ; les
cas plantés vérifient que la mesure voit un recouvrement. Années horizontales, graduations à
décimales égales.
"""

from __future__ import annotations

import pytest

from synthese_ihu.figures import FIGURES, FigureIndisponible, donnees_figure, figure_tracee, style
from synthese_ihu.figures.lisibilite import chevauchements
from synthese_ihu.figures.rendu import nouvelle_figure

ANNEES = (2012, 2018, 2022)


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_aucun_texte_ne_se_chevauche(donnees, annee):
    fautes = {}
    for ident in FIGURES:
        try:
            fig = figure_tracee(ident, donnees_figure(ident, donnees, annee), annee)
        except FigureIndisponible:
            continue
        with style.contexte(ident):
            trouves = chevauchements(fig)
            rotations = {t.get_rotation() for ax in fig.axes for t in ax.get_xticklabels()
                         if t.get_text().isdigit() and len(t.get_text()) == 4}
        if trouves:
            fautes[ident] = [str(c) for c in trouves]
        if rotations - {0.0}:
            fautes.setdefault(ident, []).append(f"années inclinées ({sorted(rotations)})")
    assert not fautes, fautes


@pytest.mark.rapide
def test_deux_textes_l_un_sur_l_autre_sont_vus():
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "86")
    ax.text(0.5, 0.5, "87")
    ax.text(0.1, 0.1, "seul")
    assert [str(c) for c in chevauchements(fig)] == ["« 86 » chevauche « 87 »"]


@pytest.mark.rapide
def test_une_courbe_sur_une_etiquette_et_un_nom_sur_un_point_sont_vus():
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.plot([0, 10], [5.1, 5.1], marker="o", label="cumul")
    ax.text(5, 5, "86")
    ax.plot([2], [8], marker="o", linestyle="none")
    ax.annotate("Lyon", (2, 8), xytext=(0, 0), textcoords="offset points")
    vus = {str(c) for c in chevauchements(fig)}
    assert "« 86 » chevauche « courbe cumul »" in vus
    assert "« Lyon » chevauche « point »" in vus


@pytest.mark.rapide
def test_graduations_a_decimales_egales():
    formateur = style.formateur_nombre(1)
    assert formateur.format_ticks([0.0, 0.2, 0.8, 1.0]) == ["0,0", "0,2", "0,8", "1,0"]
    assert formateur.format_ticks([0.0, 500.0, 1000.0]) == ["0", "500", "1\u202f000"]
    pourcent = style.formateur_pourcentage(1, signe=True)
    assert pourcent.format_ticks([0.0, 2.5, 5.0]) == ["0,0\u00a0%", "+2,5\u00a0%", "+5,0\u00a0%"]
