"""Cadre d'une valeur : son périmètre (quels IHU) et sa couverture (jusqu'à quelle année).

Un nombre vrai devient faux quand la phrase qui l'entoure se trompe de cadre : dépenses de six
IHU rapportées à la dotation de sept, cofinancements de 2023 rapportés à une aide connue jusqu'en
2022, « augmente » quand seuls les entrants font monter le total. Ce module décide ces cadres, et
lui seul : la couverture d'une source vient de sa déclaration (``[couverture.<source>]``,
:mod:`synthese_ihu.donnees.metadonnees`, vérifiée au chargement), le périmètre des données.

- :func:`rapport` : un ratio entre deux :class:`Mesure` de même cadre, sinon :class:`ErreurCadre`
  qui nomme les deux valeurs (la construction s'arrête) ;
- :func:`fin_source` : dernière année d'une source vue par l'édition N (périodes ancrées sur
  elle, pas sur N) ;
- :func:`perimetre_constant` : une série annuelle recalculée sur les IHU présents au début, et
  ce que les entrants ajoutent (voir :mod:`synthese_ihu.constats`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from synthese_ihu.donnees import Donnees


class ErreurCadre(ValueError):
    """Deux valeurs de cadres différents comparées ou divisées l'une par l'autre."""


@dataclass(frozen=True)
class Cadre:
    """Périmètre (IHU comptés) et dernière année couverte d'une valeur."""

    perimetre: frozenset[str]
    fin: int

    def decrire(self) -> str:
        ihu = ", ".join(sorted(self.perimetre)) or "aucun"
        return f"{len(self.perimetre)} IHU ({ihu}), jusqu'en {self.fin}"


@dataclass(frozen=True)
class Mesure:
    """Une valeur et son cadre ; ``libelle`` la nomme dans les erreurs."""

    libelle: str
    valeur: float | None
    cadre: Cadre


def rapport(numerateur: Mesure, denominateur: Mesure) -> float | None:
    """``numerateur / denominateur`` s'ils ont le même cadre ; ``None`` si l'un manque ou si le
    dénominateur est nul.

    Raises
    ------
    ErreurCadre
        Périmètres ou dernières années différents : le message nomme les deux valeurs et leur
        cadre (calculer sur le cadre commun, :func:`commun`).
    """
    a, b = numerateur.cadre, denominateur.cadre
    if a != b:
        raise ErreurCadre(
            f"« {numerateur.libelle} » ({a.decrire()}) rapporté à « {denominateur.libelle} » "
            f"({b.decrire()}) : cadres différents ; calculer les deux sur le cadre commun "
            f"({commun(a, b).decrire()})")
    n, d = numerateur.valeur, denominateur.valeur
    if n is None or d is None or pd.isna(n) or pd.isna(d) or d == 0:
        return None
    return float(n) / float(d)


def commun(*cadres: Cadre) -> Cadre:
    """Cadre commun : IHU présents dans tous, plus petite dernière année."""
    perimetre = frozenset.intersection(*(c.perimetre for c in cadres))
    return Cadre(perimetre, min(c.fin for c in cadres))


def fin_source(d: Donnees, source: str, annee: int) -> int:
    """Dernière année de la source ``source`` (attribut de ``Donnees``) vue par l'édition ``annee``.

    La couverture déclarée fait foi (le chargement la vérifie sur les données) ; des tableaux
    construits en mémoire sans déclaration sont tenus pour à jour en ``annee``.
    """
    couverture = d.metadonnees.couvertures.get(source)
    return int(annee) if couverture is None else couverture.fin(annee)


def source_arretee(d: Donnees, source: str, annee: int) -> bool:
    """La source s'arrête avant l'année de l'édition (export ou extraction non renouvelé)."""
    return fin_source(d, source, annee) < annee


# --- périmètre constant -------------------------------------------------------------------------
def evolutions(par_ihu: pd.DataFrame) -> pd.DataFrame:
    """Évolutions d'une année sur l'autre à périmètre constant, et apport des entrants.

    Parameters
    ----------
    par_ihu : DataFrame
        Colonnes ``ihu``, ``annee``, ``valeur`` : une ligne par IHU suivi et par année.

    Returns
    -------
    DataFrame
        Indexé par année (à partir de la deuxième) : ``avant`` et ``apres``, sommes de l'année
        précédente et de l'année sur les seuls IHU présents les deux années ; ``apport``, valeur
        de l'année des IHU absents l'année précédente (entrants) ; ``total`` de l'année.
    """
    colonnes = ["avant", "apres", "apport", "total"]
    if par_ihu.empty:
        return pd.DataFrame(columns=colonnes, dtype="float64")
    t = par_ihu.groupby(["annee", "ihu"])["valeur"].sum().unstack("ihu").sort_index()
    lignes = {}
    for avant, annee in zip(t.index[:-1], t.index[1:], strict=True):
        presents = t.columns[t.loc[avant].notna() & t.loc[annee].notna()]
        entrants = t.columns[t.loc[avant].isna() & t.loc[annee].notna()]
        lignes[int(annee)] = [t.loc[avant, presents].sum(), t.loc[annee, presents].sum(),
                              t.loc[annee, entrants].sum(), t.loc[annee].sum()]
    return pd.DataFrame.from_dict(lignes, orient="index", columns=colonnes).astype("float64")


def hausse_chaque_annee_constante(par_ihu: pd.DataFrame, debut: int, fin: int) -> bool:
    """Hausse chaque année de ``debut`` à ``fin`` sur les IHU présents les deux années : une
    série qui ne monte que par l'arrivée d'IHU n'« augmente » pas."""
    e = evolutions(par_ihu)
    return debut <= fin and all(a in e.index and e.loc[a, "apres"] > e.loc[a, "avant"]
                                for a in range(debut, fin + 1))


def entrants_expliquent(par_ihu: pd.DataFrame, annee: int) -> bool:
    """Les entrants de ``annee`` expliquent que ``annee`` soit le maximum de la série : sans
    eux, une autre année dépasserait ``annee`` (1 chercheur sur 180 n'explique rien)."""
    e = evolutions(par_ihu)
    if annee not in e.index or not e.loc[annee, "apport"] > 0:
        return False
    totaux = par_ihu.groupby("annee")["valeur"].sum()
    autres = totaux.drop(index=annee, errors="ignore")
    return bool(len(autres) and totaux[annee] - e.loc[annee, "apport"] < autres.max())


# --- années citées ------------------------------------------------------------------------------
_MOIS = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre"}
#: Année à quatre chiffres isolée (pas dans un nombre, une date ISO ni une empreinte).
_ANNEE = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)(?![\w-])")
#: Mots après lesquels une année nomme une publication ou un programme, pas un fait daté :
#: « l'édition 2022 » (source du jeu reconstruit), « France 2030 », « Innovation Santé 2030 »
#: (noms de programmes).
_NOMS = {"édition", "france", "santé"}
_MOT_AVANT = re.compile(r"(\w+)[\s\u00a0\u202f]+$")


def annees_posterieures(texte: str, annee: int) -> list[str]:
    """Années nues postérieures à l'édition dans un texte (« depuis 2019 » en 2012).

    Une date avec son mois (« 31 décembre 2024 », « juin 2023 ») est un jalon daté — fin de
    financement, extraction, publication — et reste permise ; une année nue après N énonce comme
    un fait ce que l'édition N ne pouvait pas savoir. Un nom qui porte une année (« France
    2030 », « l'édition 2022 » d'où vient le jeu reconstruit) n'est pas une date.

    Returns
    -------
    list of str
        Extraits (± 40 caractères) autour de chaque année fautive, dans l'ordre du texte.
    """
    fautes = []
    for m in _ANNEE.finditer(texte):
        mot = _MOT_AVANT.search(texte[max(0, m.start() - 30):m.start()])
        if int(m.group(1)) > annee and not (mot and mot.group(1).lower() in _MOIS | _NOMS):
            fautes.append(texte[max(0, m.start() - 40):m.end() + 20].replace("\n", " "))
    return fautes
