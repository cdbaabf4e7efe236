"""Lisibilité d'une figure dessinée : aucun texte n'en chevauche un autre ni une courbe.

Mesuré avec les étendues que matplotlib calcule lui-même (``get_window_extent`` avec le moteur
de rendu de la figure) : graduations, étiquettes de valeurs, annotations, titres, légendes et
noms de la carte. Un texte ne doit chevaucher ni un autre texte, ni une courbe de données
(ligne à marqueurs ou à libellé de légende), ni un point d'un nuage (lieux de la carte). Les
tests des figures l'appellent sur chaque figure de plusieurs éditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text

__all__ = ["Chevauchement", "chevauchements"]

#: Recouvrement toléré (pixels à 150 ppp) : deux textes qui se touchent ne se gênent pas.
TOLERANCE_PX = 1.0
#: Espace libre (pixels à 150 ppp) autour d'un marqueur : un texte ne le touche pas.
ESPACE_POINT_PX = 2.0


@dataclass(frozen=True)
class Chevauchement:
    """Deux éléments d'une figure qui se recouvrent (textes tels qu'imprimés)."""

    premier: str
    second: str

    def __str__(self) -> str:
        return f"« {self.premier} » chevauche « {self.second} »"


def _textes(fig: Any, moteur: Any) -> list[tuple[str, Any]]:
    vus = []
    for texte in fig.findobj(Text):
        contenu = texte.get_text().strip()
        if contenu and _dessine(texte):
            boite = texte.get_window_extent(moteur)
            if boite.width > 0 and boite.height > 0:
                vus.append((contenu, boite))
    return vus


def _dessine(texte: Any) -> bool:
    """Vrai si le texte est imprimé (graduation masquée ou hors de la vue exclue)."""
    if not texte.get_visible():
        return False
    axes = texte.axes
    if axes is None:
        return True
    for axe in (axes.xaxis, axes.yaxis):
        for graduation in axe.get_major_ticks() + axe.get_minor_ticks():
            if texte in (graduation.label1, graduation.label2):
                return graduation.get_visible() and _dans_vue(axe, graduation)
    return True


def _dans_vue(axe: Any, graduation: Any) -> bool:
    bas, haut = sorted(axe.get_view_interval())
    return bas - 1e-9 <= graduation.get_loc() <= haut + 1e-9


def _recouvre(a: Any, b: Any, tolerance: float = TOLERANCE_PX) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def _segment_traverse(boite: Any, p: np.ndarray, q: np.ndarray) -> bool:
    """Le segment [p, q] (pixels) entre-t-il dans la boîte (rétrécie de la tolérance) ?"""
    x0, x1 = boite.x0 + TOLERANCE_PX, boite.x1 - TOLERANCE_PX
    y0, y1 = boite.y0 + TOLERANCE_PX, boite.y1 - TOLERANCE_PX
    debut, fin = 0.0, 1.0
    d = q - p
    for bord_p, bord_d, bas, haut in ((p[0], d[0], x0, x1), (p[1], d[1], y0, y1)):
        if abs(bord_d) < 1e-12:
            if not bas <= bord_p <= haut:
                return False
            continue
        t0, t1 = sorted(((bas - bord_p) / bord_d, (haut - bord_p) / bord_d))
        debut, fin = max(debut, t0), min(fin, t1)
        if debut > fin:
            return False
    return True


def _courbes(fig: Any) -> list[tuple[str, np.ndarray]]:
    """Courbes de données (lignes à marqueurs ou légendées), en pixels."""
    courbes = []
    for ax in fig.axes:
        for ligne in ax.get_lines():
            if not isinstance(ligne, Line2D) or not ligne.get_visible():
                continue
            legendee = not ligne.get_label().startswith("_")
            if ligne.get_marker() in (None, "None", "", " ") and not legendee:
                continue  # repères (moyenne, séparation des périodes) : pas des données
            points = ax.transData.transform(np.column_stack(ligne.get_data()).astype(float))
            courbes.append((ligne.get_label().lstrip("_") or "courbe", points))
    return courbes


def _points(fig: Any, moteur: Any) -> list[tuple[str, Any]]:
    """Marqueurs (lieux de la carte, points des courbes), chacun comme une boîte en pixels."""
    from matplotlib.transforms import Bbox

    boites = []
    for ax in fig.axes:
        for ligne in ax.get_lines():
            if not ligne.get_visible() or ligne.get_marker() in (None, "None", "", " "):
                continue
            # bord du marqueur compris, et un espace libre : un nom ne touche pas son point
            rayon = ((ligne.get_markersize() / 2 + ligne.get_markeredgewidth()) * fig.dpi / 72
                     + ESPACE_POINT_PX)
            for centre in ax.transData.transform(np.column_stack(ligne.get_data()).astype(float)):
                boites.append(("point", Bbox.from_extents(centre[0] - rayon, centre[1] - rayon,
                                                          centre[0] + rayon, centre[1] + rayon)))
        for nuage in ax.collections:
            if not isinstance(nuage, PathCollection) or not nuage.get_visible():
                continue
            tailles = nuage.get_sizes()
            for i, centre in enumerate(nuage.get_offset_transform().transform(
                    nuage.get_offsets())):
                aire = tailles[i % len(tailles)] if len(tailles) else 20.0
                rayon = np.sqrt(aire) / 2 * fig.dpi / 72
                boites.append(("point", Bbox.from_extents(centre[0] - rayon, centre[1] - rayon,
                                                          centre[0] + rayon, centre[1] + rayon)))
    return boites


def chevauchements(fig: Any) -> list[Chevauchement]:
    """Recouvrements entre textes, entre un texte et une courbe, entre un texte et un point.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Figure dessinée (non encore écrite en SVG).

    Returns
    -------
    list of Chevauchement
        Vide si la figure est lisible.
    """
    canevas = FigureCanvasAgg(fig)
    canevas.draw()
    moteur = canevas.get_renderer()
    textes = _textes(fig, moteur)
    trouves = []
    for i, (texte, boite) in enumerate(textes):
        for autre, boite_autre in textes[i + 1:]:
            if _recouvre(boite, boite_autre):
                trouves.append(Chevauchement(texte, autre))
        for nom, points in _courbes(fig):
            if any(_segment_traverse(boite, p, q) for p, q in zip(points, points[1:],
                                                                  strict=False)):
                trouves.append(Chevauchement(texte, f"courbe {nom}"))
        for nom, point in _points(fig, moteur):
            if _recouvre(boite, point, tolerance=0.0):
                trouves.append(Chevauchement(texte, nom))
    return trouves
