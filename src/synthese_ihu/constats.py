"""Règles des constats du récit : une fonction par constat, sur des séries annuelles.

Un constat (« diminue chaque année depuis 2020 », « tous les IHU sauf un », « plateau depuis
2018 ») est décidé ici, et seulement ici : le catalogue des valeurs (:mod:`synthese_ihu.valeurs`)
en tire les faits que citent les carnets, :mod:`synthese_ihu.indicateurs` les tendances
vérifiées, le garde-fou de la génération (:mod:`synthese_ihu.generation.controle`) et les tests de
données les appellent. Chaque règle tient en une ligne de ``docs/definitions.md``.

Les fonctions reçoivent des ``pandas.Series`` indexées par années (ou par IHU) et rendent des
faits : une année, un booléen, un compte, ou ``None`` quand le constat ne tient pas.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: En deçà de cette variation relative, une hausse d'une année sur l'autre est dite « légère ».
SEUIL_LEGER = 0.25


def _valeurs(serie: pd.Series) -> dict[int, float]:
    serie = serie.dropna()
    return {int(a): float(v) for a, v in serie.items()}


def debut_baisse(serie: pd.Series, annee: int) -> int | None:
    """Première année d'une baisse ininterrompue jusqu'à ``annee`` ; ``None`` sans baisse en N.

    « Diminue chaque année depuis Y » : chaque année de Y à N est inférieure à la précédente, et
    Y - 1 ne l'était pas (ou n'a pas d'année précédente).
    """
    v = _valeurs(serie)
    if annee not in v or annee - 1 not in v or not v[annee] < v[annee - 1]:
        return None
    debut = annee
    while debut - 2 in v and v[debut - 1] < v[debut - 2]:
        debut -= 1
    return debut


def debut_hausse(serie: pd.Series, annee: int) -> int | None:
    """Première année d'une hausse ininterrompue jusqu'à ``annee`` ; ``None`` sans hausse en N."""
    return debut_baisse(-serie, annee)


def hausse_chaque_annee(serie: pd.Series, debut: int, fin: int) -> bool:
    """Chaque année de ``debut`` à ``fin`` est supérieure à la précédente (toutes connues)."""
    v = _valeurs(serie)
    return debut <= fin and all(a in v and a - 1 in v and v[a] > v[a - 1]
                                for a in range(debut, fin + 1))


def fin_hausse_puis_plateau(serie: pd.Series, seuil: float = 0.05) -> int | None:
    """Dernière année d'une hausse chaque année depuis le début, suivie d'un plateau jusqu'à N.

    Plateau : chaque année suivante reste à ±``seuil`` de la valeur de cette année (au moins
    une année de plateau). ``None`` si la série n'a pas cette forme.
    """
    v = _valeurs(serie)
    annees = sorted(v)
    for i in range(1, len(annees) - 1):
        a = annees[i]
        if not v[a] > v[annees[i - 1]]:
            return None
        if v[a] > 0 and all(abs(v[b] / v[a] - 1) <= seuil for b in annees[i + 1:]):
            return a
    return None


def plus_rapide(croissance: float | None, reference: float | None) -> bool | None:
    """« Progresse plus vite que sa référence » (France ou monde, mêmes catégories WoS) :
    croissance strictement supérieure ; ``None`` si l'une manque."""
    if croissance is None or reference is None or pd.isna(croissance) or pd.isna(reference):
        return None
    return bool(croissance > reference)


def nombre_sauf(drapeaux: pd.Series) -> int:
    """Nombre d'éléments (IHU) pour lesquels le constat ne tient pas (« tous sauf n »)."""
    return int((~drapeaux.astype(bool)).sum())


@dataclass(frozen=True)
class Forme:
    """Faits sur la forme d'une série annuelle, tels que le récit et les figures les citent.

    Attributes
    ----------
    debut, fin : int
        Première et dernière années de la série.
    valeur_debut, valeur_fin : float
    pic, pic_annee : float, int
        Maximum et sa première année.
    hausse_continue : bool
        Hausse chaque année de ``debut`` à ``fin``.
    baisse_depuis, hausse_depuis : int or None
        Voir :func:`debut_baisse`, :func:`debut_hausse` (mouvement en cours en N).
    repli_debut, repli_fin : int or None
        Baisse ininterrompue qui précède la hausse en cours (``repli_fin = hausse_depuis - 1``).
    variation_fin : float or None
        ``N / (N-1) - 1``.
    hausse_legere : bool
        Hausse en N de moins de :data:`SEUIL_LEGER`.
    """

    debut: int
    fin: int
    valeur_debut: float
    valeur_fin: float
    pic: float
    pic_annee: int
    hausse_continue: bool
    baisse_depuis: int | None
    hausse_depuis: int | None
    repli_debut: int | None
    repli_fin: int | None
    variation_fin: float | None
    hausse_legere: bool


def forme(serie: pd.Series) -> Forme | None:
    """Forme d'une série annuelle (au moins deux années), ``None`` sinon."""
    v = _valeurs(serie)
    if len(v) < 2:
        return None
    annees = sorted(v)
    debut, fin = annees[0], annees[-1]
    pic_annee = max(annees, key=lambda a: (v[a], -a))
    hausse_depuis = debut_hausse(serie, fin)
    repli_debut = repli_fin = None
    if hausse_depuis is not None and hausse_depuis - 1 > debut:
        repli_debut = debut_baisse(serie, hausse_depuis - 1)
        repli_fin = hausse_depuis - 1 if repli_debut is not None else None
    variation = v[fin] / v[fin - 1] - 1 if fin - 1 in v and v[fin - 1] else None
    return Forme(
        debut=debut, fin=fin, valeur_debut=v[debut], valeur_fin=v[fin], pic=v[pic_annee],
        pic_annee=pic_annee, hausse_continue=hausse_chaque_annee(serie, debut + 1, fin),
        baisse_depuis=debut_baisse(serie, fin), hausse_depuis=hausse_depuis,
        repli_debut=repli_debut, repli_fin=repli_fin, variation_fin=variation,
        hausse_legere=variation is not None and 0 < variation < SEUIL_LEGER,
    )


def repli_puis_reprise(serie: pd.Series, annee: int) -> bool:
    """Baisse en N-2 et en N-1, puis légère hausse en N (énoncé 2022 des chercheurs étrangers)."""
    f = forme(serie)
    return bool(f is not None and f.fin == annee and f.hausse_depuis == annee
                and f.repli_debut is not None and f.repli_debut <= annee - 2
                and f.hausse_legere)


def entrees(premieres: pd.Series, annee: int) -> dict[int, int]:
    """IHU entrés dans le décompte après la première année, jusqu'à ``annee`` : année -> nombre.

    ``premieres`` : première année d'indicateurs de chaque IHU (index IHU, vide si non suivi).
    """
    p = premieres.dropna().astype(int)
    p = p.loc[p <= annee]
    if p.empty:
        return {}
    premiere = int(p.min())
    return {int(a): int(n) for a, n in p.loc[p > premiere].value_counts().sort_index().items()}
