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
from types import MappingProxyType

import pandas as pd

#: Vocabulaire des évolutions, un seul tableau (variation relative, en valeur absolue) : en deçà
#: de « stable », l'évolution est dite stable ; en deçà de « leger », une hausse ou une baisse
#: est « légère » ; au-delà, elle est « nette » (+21 % n'est pas un léger redressement).
#: Constats, indicateurs, rédaction et tests lisent ce tableau, et lui seul.
SEUILS = MappingProxyType({"stable": 0.05, "leger": 0.10})
SEUIL_STABILITE = SEUILS["stable"]
SEUIL_LEGER = SEUILS["leger"]


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
    repli_pire, repli_pire_annee : float or None, int or None
        Plus forte baisse d'une année sur l'autre pendant le repli, et son année
        (:func:`plus_fort_mouvement`).
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
    repli_pire: float | None = None
    repli_pire_annee: int | None = None


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
    pire = (None, None) if repli_debut is None else plus_fort_mouvement(serie, repli_debut,
                                                                        repli_fin)
    return Forme(
        debut=debut, fin=fin, valeur_debut=v[debut], valeur_fin=v[fin], pic=v[pic_annee],
        pic_annee=pic_annee, hausse_continue=hausse_chaque_annee(serie, debut + 1, fin),
        baisse_depuis=debut_baisse(serie, fin), hausse_depuis=hausse_depuis,
        repli_debut=repli_debut, repli_fin=repli_fin, variation_fin=variation,
        hausse_legere=variation is not None and 0 < variation < SEUIL_LEGER,
        repli_pire=pire[1], repli_pire_annee=pire[0],
    )


def plus_fort_mouvement(serie: pd.Series, debut: int, fin: int
                        ) -> tuple[int | None, float | None]:
    """Plus forte variation d'une année sur l'autre (en valeur absolue) de ``debut`` à ``fin`` :
    une phrase sur une étendue (« recul de 2020 à 2021 ») la nomme quand elle dépasse celle
    qu'elle énonce (−19 % en 2020 derrière −9 % en 2021)."""
    v = _valeurs(serie)
    variations = {a: v[a] / v[a - 1] - 1 for a in range(debut, fin + 1)
                  if a in v and a - 1 in v and v[a - 1]}
    if not variations:
        return None, None
    annee = max(variations, key=lambda a: (abs(variations[a]), -a))
    return annee, variations[annee]


def repli_puis_reprise(serie: pd.Series, annee: int) -> bool:
    """Baisse en N-2 et en N-1, puis reprise en N sans retrouver le point haut d'avant le repli
    (énoncé 2022 des chercheurs étrangers : la reprise reste partielle).

    « Légère » ou « nette », la reprise est qualifiée par :data:`SEUILS`
    (``Forme.hausse_legere``), pas par cette règle.
    """
    f = forme(serie)
    if not (f is not None and f.fin == annee and f.hausse_depuis == annee
            and f.repli_debut is not None and f.repli_debut <= annee - 2):
        return False
    avant = [v for a, v in _valeurs(serie).items() if a < f.repli_debut]
    return bool(avant) and f.valeur_fin < max(avant)


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
