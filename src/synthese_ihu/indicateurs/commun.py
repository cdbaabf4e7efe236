"""Outils communs des indicateurs : résultats structurés (fourchette, période, tendance),
variations, périmètre des IHU suivis et labellisés."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

# Seuils du vocabulaire des évolutions : un seul tableau, dans les constats.
from synthese_ihu.constats import SEUIL_LEGER, SEUIL_STABILITE  # noqa: E402, F401
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import (
    PREMIERE_ANNEE,
)


# --- résultats structurés -----------------------------------------------------------------------
@dataclass(frozen=True)
class Fourchette:
    """Minimum et maximum d'une valeur sur les IHU, avec les IHU concernés."""

    min: float
    max: float
    ihu_min: str
    ihu_max: str


@dataclass(frozen=True)
class Periode:
    """Période d'années, bornes incluses."""

    debut: int
    fin: int

    @property
    def annees(self) -> list[int]:
        """Années de la période."""
        return list(range(self.debut, self.fin + 1))

    def __contains__(self, annee: object) -> bool:
        return isinstance(annee, int | np.integer) and self.debut <= annee <= self.fin


@dataclass(frozen=True)
class Tendance:
    """Résultat d'une vérification de tendance.

    Attributes
    ----------
    sens : str
        ``"hausse"``, ``"baisse"`` ou ``"stable"`` : sens du mouvement principal décrit.
    verifiee : bool
        Vrai si l'énoncé type du rapport est vrai pour ces données.
    faits : Mapping
        Les faits calculés qui fondent le constat (séries, années, écarts…).
    """

    sens: str
    verifiee: bool
    faits: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TendanceSerie:
    """Forme d'une série annuelle.

    Attributes
    ----------
    sens : str
        Sens de la première à la dernière valeur (voir :func:`sens_variation`).
    annees_hausse, annees_baisse : list of int
        Années en hausse (resp. en baisse) par rapport à l'année précédente.
    fin_hausse : int or None
        Dernière année d'une hausse ininterrompue depuis le début de la série, au-delà de
        laquelle la série reste en plateau ; ``None`` s'il n'y a pas de tel plateau final.
    plateau : list of int
        Années du plateau final (chacune à ±seuil de la valeur de ``fin_hausse``).
    pente : float or None
        Pente de la droite des moindres carrés (unités par an).
    """

    sens: str
    annees_hausse: list[int]
    annees_baisse: list[int]
    fin_hausse: int | None
    plateau: list[int]
    pente: float | None


# --- outils génériques --------------------------------------------------------------------------
def variation_relative(avant: float, apres: float) -> float | None:
    """``apres / avant - 1`` ; ``None`` si ``avant`` est nul ou manquant."""
    if avant is None or apres is None or pd.isna(avant) or pd.isna(apres) or avant == 0:
        return None
    return float(apres) / float(avant) - 1


def sens_variation(avant: float, apres: float, seuil: float = SEUIL_STABILITE) -> str:
    """Sens d'une évolution.

    Parameters
    ----------
    avant, apres : float
        Valeurs comparées.
    seuil : float, default 0.05
        Variation relative en deçà de laquelle l'évolution est dite stable.

    Returns
    -------
    str
        ``"hausse"``, ``"baisse"`` ou ``"stable"``.
    """
    if avant == 0:
        return "hausse" if apres > 0 else ("baisse" if apres < 0 else "stable")
    variation = apres / avant - 1
    if variation > seuil:
        return "hausse"
    if variation < -seuil:
        return "baisse"
    return "stable"


def pente(serie: pd.Series) -> float | None:
    """Pente (par an) de la droite des moindres carrés d'une série indexée par années."""
    serie = serie.dropna()
    if len(serie) < 2:
        return None
    x = serie.index.to_numpy(dtype=float)
    return float(np.polyfit(x, serie.to_numpy(dtype=float), 1)[0])


def tendance_serie(serie: pd.Series, seuil: float = SEUIL_STABILITE) -> TendanceSerie | None:
    """Décrit la forme d'une série annuelle : hausses, baisses, hausse puis plateau.

    Parameters
    ----------
    serie : pandas.Series
        Valeurs indexées par années.
    seuil : float, default 0.05
        Tolérance du plateau et de la stabilité.

    Returns
    -------
    TendanceSerie or None
        ``None`` si la série compte moins de deux années.
    """
    serie = serie.dropna().sort_index().astype(float)
    if len(serie) < 2:
        return None
    annees = [int(a) for a in serie.index]
    v = serie.to_numpy()
    hausse = [annees[i] for i in range(1, len(v)) if v[i] > v[i - 1]]
    baisse = [annees[i] for i in range(1, len(v)) if v[i] < v[i - 1]]
    fin_hausse, plateau = None, []
    for i in range(1, len(v) - 1):  # fin de hausse candidate : au moins une année de plateau après
        if v[i] <= v[i - 1]:
            break
        reste = v[i + 1 :]
        if v[i] > 0 and np.all(np.abs(reste / v[i] - 1) <= seuil):
            fin_hausse, plateau = annees[i], annees[i + 1 :]
            break
    return TendanceSerie(
        sens=sens_variation(v[0], v[-1], seuil),
        annees_hausse=hausse,
        annees_baisse=baisse,
        fin_hausse=fin_hausse,
        plateau=plateau,
        pente=pente(serie),
    )


def fourchette(valeurs: pd.Series | None) -> Fourchette | None:
    """Minimum et maximum d'une série indexée par IHU ; ``None`` si elle est vide ou absente."""
    if valeurs is None:
        return None
    valeurs = valeurs.dropna()
    if valeurs.empty:
        return None
    return Fourchette(
        min=valeurs.min().item() if hasattr(valeurs.min(), "item") else valeurs.min(),
        max=valeurs.max().item() if hasattr(valeurs.max(), "item") else valeurs.max(),
        ihu_min=str(valeurs.idxmin()),
        ihu_max=str(valeurs.idxmax()),
    )


def periodes_comparaison(
    annee: int, premiere: int = PREMIERE_ANNEE
) -> tuple[Periode, Periode] | None:
    """Périodes comparées (glissantes) pour l'année cible.

    ``n = annee - premiere + 1``, ``L = min(5, (n - 1) // 2)`` ; période récente
    ``P2 = [annee-L+1, annee]``, ancienne ``P1 = [annee-2L, annee-L-1]``.

    Parameters
    ----------
    annee : int
        Année cible.
    premiere : int, default 2012
        Première année d'indicateurs.

    Returns
    -------
    tuple of Periode or None
        ``(P1, P2)``, ou ``None`` si ``L < 1`` (moins de trois années de données).
    """
    n = annee - premiere + 1
    longueur = min(5, (n - 1) // 2)
    if longueur < 1:
        return None
    return (
        Periode(annee - 2 * longueur, annee - longueur - 1),
        Periode(annee - longueur + 1, annee),
    )


def _cible(d: Donnees, annee: int | None) -> int:
    if annee is None:
        annee = d.annee
    if annee is None:
        raise ValueError("année cible inconnue : passer `annee` ou une vue Donnees.pour_annee(N)")
    return int(annee)


def _somme(valeurs: pd.Series) -> float:
    return float(valeurs.sum()) if len(valeurs) else 0.0


def _part(numerateur: float | None, denominateur: float | None) -> float | None:
    if numerateur is None or denominateur is None or pd.isna(denominateur) or denominateur == 0:
        return None
    return float(numerateur) / float(denominateur)


# --- périmètre ----------------------------------------------------------------------------------
def ihu_suivis(d: Donnees, annee: int | None = None) -> list[str]:
    """Codes des IHU suivis en ``annee`` (``premiere_annee_indicateurs <= annee``)."""
    annee = _cible(d, annee)
    ref = d.ihu
    masque = (ref["premiere_annee_indicateurs"] <= annee).fillna(False).astype(bool)
    return sorted(ref.loc[masque, "ihu"].astype(str))


def ihu_de_l_edition(ref: pd.DataFrame, annee: int) -> pd.DataFrame:
    """IHU que l'édition ``annee`` présente (tableau des IHU, carte) : retenus au plus tard
    l'année de sa parution (N + 1), suivis ou non ; une seule règle pour le tableau et la carte."""
    return ref.loc[(ref["annee_selection"] <= annee + 1).fillna(False).astype(bool)]


def nombre_ihu_suivis(d: Donnees, annee: int | None = None) -> int:
    """Nombre d'IHU suivis en ``annee``."""
    return len(ihu_suivis(d, annee))


def nombre_ihu_selectionnes(d: Donnees, annee_selection: int) -> int:
    """Nombre d'IHU du référentiel de la vue sélectionnés en ``annee_selection``."""
    return int((d.ihu["annee_selection"] == annee_selection).sum())


def _premieres(d: Donnees) -> pd.Series:
    return d.ihu.set_index("ihu")["premiere_annee_indicateurs"]


def _labellise(d: Donnees, tableau: pd.DataFrame) -> pd.DataFrame:
    """Lignes du périmètre labellisé : années >= première année d'indicateurs de l'IHU."""
    premiere = tableau["ihu"].map(_premieres(d)).astype("Float64")
    return tableau.loc[(tableau["annee"] >= premiere).fillna(False).astype(bool)]
