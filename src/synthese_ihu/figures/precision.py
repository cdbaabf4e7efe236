"""Précision d'affichage des figures : arrondi décidé une fois par figure, parts qui s'ajoutent.

Une figure par IHU ne publie pas plus de précision qu'elle n'en montre : son tableau
(:func:`synthese_ihu.figures.donnees_figure`) est arrondi aux décimales que déclare la figure
(:attr:`synthese_ihu.figures.base.Figure.decimales`) dès sa construction, si bien que le CSV
publié, les étiquettes du SVG, le texte alternatif et la légende partent des mêmes valeurs
arrondies. Les parts d'une barre à 100 % sont arrondies par la
méthode des plus forts restes : les étiquettes s'ajoutent exactement à 100.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Colonnes jamais arrondies (identifiants, années, rangs, comptes).
_INTACTES = {"rang", "annee"}


def decimales(id_figure: str) -> int | None:
    """Décimales publiées d'une figure (``None`` : figure sans valeur par IHU)."""
    from synthese_ihu.figures import FIGURES  # le registre importe ce module

    spec = FIGURES.get(id_figure)
    return None if spec is None else spec.decimales


def arrondir(id_figure: str, cadre: pd.DataFrame) -> pd.DataFrame:
    """Arrondit les colonnes décimales d'un tableau de figure à la précision de la figure.

    Parameters
    ----------
    id_figure : str
        Identifiant de la figure.
    cadre : pandas.DataFrame
        Tableau tracé.

    Returns
    -------
    pandas.DataFrame
        Le tableau, colonnes flottantes arrondies (inchangé si la figure n'a pas de précision
        déclarée).
    """
    n = decimales(id_figure)
    if n is None or cadre.empty:
        return cadre
    cadre = cadre.copy()
    for colonne in cadre.columns:
        if colonne not in _INTACTES and pd.api.types.is_float_dtype(cadre[colonne]):
            cadre[colonne] = cadre[colonne].round(n) + 0.0  # + 0.0 : pas de « -0 »
    return cadre


def parts_arrondies(valeurs, decimales: int = 0) -> np.ndarray:
    """Parts (%) arrondies dont la somme fait exactement 100 (plus forts restes).

    Parameters
    ----------
    valeurs : array-like
        Montants ou parts >= 0, pas tous nuls.
    decimales : int
        Décimales des parts.

    Returns
    -------
    numpy.ndarray
        Parts en %, arrondies à ``decimales``, de somme 100.
    """
    v = np.asarray(valeurs, dtype=float)
    if (v < 0).any() or v.sum() <= 0:
        raise ValueError(f"parts impossibles : {v}")
    unite = 10 ** decimales
    brut = v / v.sum() * 100 * unite
    base = np.floor(brut + 1e-9)
    reste = int(round(100 * unite - base.sum()))
    ordre = np.argsort(-(brut - base), kind="stable")
    base[ordre[:reste]] += 1
    return base / unite
