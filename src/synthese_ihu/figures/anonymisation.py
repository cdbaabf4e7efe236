"""Anonymisation des figures par IHU : rang propre à chaque figure, aucune identité.

Chaque figure par IHU trie les IHU sur **sa propre** valeur tracée (croissante ou décroissante),
les ex æquo étant départagés par un mélange déterministe dont la graine dérive de l'identifiant de
la figure : deux figures ne partagent un ordre que si leurs valeurs l'imposent. Le tableau publié
remplace l'IHU par ``rang`` (1..n) ; la version interne (pilotage de l'agence) garde ``ihu``.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

#: Colonnes d'identité qu'un tableau public ne porte jamais.
COLONNES_IDENTITE = ("ihu", "nom", "code", "ville", "theme")


def graine(id_figure: str) -> int:
    """Graine stable (indépendante de ``PYTHONHASHSEED``) dérivée de l'identifiant de figure."""
    return int.from_bytes(hashlib.sha256(id_figure.encode("utf-8")).digest()[:8], "big")


def ordre_ihu(valeurs: pd.Series, id_figure: str, *, croissant: bool) -> pd.Series:
    """Rang (1..n) de chaque IHU dans l'ordre propre à une figure.

    Parameters
    ----------
    valeurs : pandas.Series
        Valeur de tri par IHU (index : code IHU). Les valeurs manquantes vont en dernier.
    id_figure : str
        Identifiant de la figure (graine du départage des ex æquo).
    croissant : bool
        Ordre croissant (``True``) ou décroissant des valeurs.

    Returns
    -------
    pandas.Series
        Rang entier par IHU (même index que ``valeurs``).
    """
    codes = sorted(valeurs.index.astype(str))
    melange = np.random.default_rng(graine(id_figure)).permutation(len(codes))
    cle_hasard = pd.Series(melange, index=codes)
    cadre = pd.DataFrame(
        {
            "valeur": pd.to_numeric(valeurs, errors="coerce").to_numpy(dtype=float),
            "hasard": cle_hasard.reindex(valeurs.index.astype(str)).to_numpy(),
        },
        index=valeurs.index,
    )
    cadre["valeur"] = cadre["valeur"].round(9)  # ex æquo au bruit flottant près
    cadre = cadre.sort_values(
        ["valeur", "hasard"], ascending=[croissant, True], na_position="last", kind="mergesort"
    )
    return pd.Series(np.arange(1, len(cadre) + 1), index=cadre.index, name="rang")


def anonymiser(
    cadre: pd.DataFrame,
    tri: pd.Series,
    id_figure: str,
    *,
    croissant: bool,
    interne: bool = False,
) -> pd.DataFrame:
    """Remplace la colonne ``ihu`` par ``rang`` et trie le tableau dans l'ordre de la figure.

    Parameters
    ----------
    cadre : pandas.DataFrame
        Données tracées, avec une colonne ``ihu``.
    tri : pandas.Series
        Valeur de tri par IHU (index : code IHU), celle que la figure montre.
    id_figure : str
        Identifiant de la figure.
    croissant : bool
        Sens du tri.
    interne : bool
        Version interne : garde la colonne ``ihu`` (jamais publiée).

    Returns
    -------
    pandas.DataFrame
        ``rang`` en première colonne, sans colonne d'identité (sauf ``ihu`` en interne).
    """
    rangs = ordre_ihu(tri, id_figure, croissant=croissant)
    sortie = cadre.copy()
    sortie.insert(0, "rang", sortie["ihu"].map(rangs).astype("int64"))
    sortie = sortie.sort_values("rang", kind="mergesort")
    a_retirer = [c for c in COLONNES_IDENTITE if c in sortie.columns]
    if interne:
        a_retirer = [c for c in a_retirer if c != "ihu"]
    return sortie.drop(columns=a_retirer).reset_index(drop=True)
