"""Répartitions entières exactes : plus forts restes, ajustement proportionnel itératif (IPF)."""

from __future__ import annotations

import numpy as np


def plus_forts_restes(total: int, poids) -> np.ndarray:
    """Répartit un entier proportionnellement à des poids, la somme étant exacte.

    Parameters
    ----------
    total : int
        Entier à répartir (>= 0).
    poids : array-like
        Poids positifs ou nuls, pas tous nuls.

    Returns
    -------
    numpy.ndarray
        Entiers >= 0 de somme ``total`` (méthode des plus forts restes).
    """
    p = np.asarray(poids, dtype=float)
    if total < 0 or p.sum() <= 0 or (p < 0).any():
        raise ValueError(f"répartition impossible : total={total}, poids={p}")
    brut = p / p.sum() * total
    base = np.floor(brut).astype(np.int64)
    reste = int(total - base.sum())
    ordre = np.argsort(-(brut - base), kind="stable")
    base[ordre[:reste]] += 1
    return base


def ipf(graine: np.ndarray, lignes, colonnes, iterations: int = 2000) -> np.ndarray:
    """Ajuste une matrice positive à des marges données (ajustement proportionnel itératif).

    Parameters
    ----------
    graine : numpy.ndarray
        Matrice de départ (>= 0) ; ses zéros restent des zéros.
    lignes, colonnes : array-like
        Sommes voulues des lignes et des colonnes (même total).
    iterations : int, optional
        Nombre maximal d'itérations.

    Returns
    -------
    numpy.ndarray
        Matrice réelle aux marges (quasi) exactes.
    """
    m = np.asarray(graine, dtype=float).copy()
    lig = np.asarray(lignes, dtype=float)
    col = np.asarray(colonnes, dtype=float)
    for _ in range(iterations):
        m *= (lig / np.where(m.sum(1) > 0, m.sum(1), 1))[:, None]
        m *= (col / np.where(m.sum(0) > 0, m.sum(0), 1))[None, :]
        if np.abs(m.sum(1) - lig).max() < 1e-7 * max(1.0, lig.max()):
            break
    return m


def matrice_entiere(graine: np.ndarray, lignes, colonnes) -> np.ndarray:
    """Matrice d'entiers >= 0 aux marges exactes, proche de l'IPF de ``graine``.

    Parameters
    ----------
    graine : numpy.ndarray
        Matrice de départ (>= 0) ; les cellules nulles restent nulles.
    lignes, colonnes : array-like of int
        Sommes entières voulues (même total).

    Returns
    -------
    numpy.ndarray
        Matrice entière dont les sommes de lignes et de colonnes sont exactement celles voulues.
    """
    lig = np.asarray(lignes, dtype=np.int64)
    col = np.asarray(colonnes, dtype=np.int64)
    if lig.sum() != col.sum():
        raise ValueError(f"marges incohérentes : {lig.sum()} != {col.sum()}")
    masque = np.asarray(graine) > 0
    reel = ipf(graine, lig, col)
    m = np.floor(reel).astype(np.int64)
    frac = reel - m
    for _ in range(100_000):
        r, c = lig - m.sum(1), col - m.sum(0)
        if not r.any() and not c.any():
            return m
        if (r > 0).any() and (c > 0).any():
            cand = np.where(masque & (r[:, None] > 0) & (c[None, :] > 0), frac, -np.inf)
            i, j = np.unravel_index(np.argmax(cand), cand.shape)
            if np.isfinite(cand[i, j]):
                m[i, j] += 1
                frac[i, j] -= 1
                continue
        if (r < 0).any() and (c < 0).any():
            cand = np.where((m > 0) & (r[:, None] < 0) & (c[None, :] < 0), -frac, -np.inf)
            i, j = np.unravel_index(np.argmax(cand), cand.shape)
            if np.isfinite(cand[i, j]):
                m[i, j] -= 1
                frac[i, j] += 1
                continue
        # déplacement à marges de l'autre axe constantes
        if r.any():
            i, k = int(np.argmax(r)), int(np.argmin(r))
            cand = np.where(masque[i] & (m[k] > 0), m[k], -1)
            j = int(np.argmax(cand))
            m[i, j] += 1
            m[k, j] -= 1
        else:
            j, k = int(np.argmax(c)), int(np.argmin(c))
            cand = np.where(masque[:, j] & (m[:, k] > 0), m[:, k], -1)
            i = int(np.argmax(cand))
            m[i, j] += 1
            m[i, k] -= 1
    raise RuntimeError("arrondi contrôlé : pas de convergence")


def bruit(rng: np.random.Generator, forme, ecart: float) -> np.ndarray:
    """Facteurs multiplicatifs tirés uniformément dans ``[1 - ecart, 1 + ecart]``."""
    return rng.uniform(1 - ecart, 1 + ecart, size=forme)


def eur(millions: list[float]) -> np.ndarray:
    """Millions d'euros (au dixième) en euros entiers."""
    return np.array([round(v * 10) * 100_000 for v in millions], dtype=np.int64)
