"""Nombres dans les légendes et textes alternatifs : :mod:`synthese_ihu.formatage`, qui
n'accepte que des ``int``/``float`` Python, appliqué aux scalaires numpy des tableaux."""

from __future__ import annotations

from synthese_ihu import formatage


def nombre(valeur: float, decimales: int = 0) -> str:
    """``31 639`` ; ``104,5`` (voir :func:`synthese_ihu.formatage.nombre`)."""
    return formatage.nombre(float(valeur), decimales)


def pourcentage(part: float, decimales: int = 0, signe: bool = False) -> str:
    """Part 0-1 en ``13 %`` ; ``+20 %`` avec ``signe`` (voir :func:`formatage.pourcentage`)."""
    return formatage.pourcentage(float(part), decimales, signe=signe)
