"""Statut des valeurs : publiée, reconstruite ou estimée, point par point, et les mots qui en
découlent.

Le statut vient des données et des métadonnées, jamais d'une phrase :

- points des campagnes, de l'agence et de la bibliométrie : ``reconstruit`` si ``data/raw`` est
  le jeu de référence reconstruit (``referentiel/metadonnees.toml``,
  ``donnees_reconstruites``), ``publie`` sinon ;
- points de contexte (``contexte/*.csv``) : leur colonne ``statut`` (``publie`` : chiffre publié
  par la source ; ``estime`` : estimation) ;
- valeurs citées : ``publie`` si l'agence les a publiées (``valeurs_publiees`` de l'édition
  ``edition_publiee``), voir :func:`synthese_ihu.publication.provenance_valeur`.

« Certaines de ces valeurs sont des estimations » n'est vrai que si certaines, et pas toutes,
les valeurs *imprimées* le sont : :func:`etendue` le décide, sur les lignes que les valeurs
citées lisent (:func:`lignes_depots`, :func:`lignes_creations`, :func:`lignes_essais`) ; la
source citée est celle de ces mêmes lignes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

PUBLIE, RECONSTRUIT, ESTIME = "publie", "reconstruit", "estime"
STATUTS = (PUBLIE, RECONSTRUIT, ESTIME)
#: Étendue d'un statut parmi des valeurs imprimées.
AUCUNE, CERTAINES, TOUTES = "aucune", "certaines", "toutes"


def etendue(statuts: Iterable[str], statut: str = ESTIME) -> str:
    """:data:`AUCUNE`, :data:`CERTAINES` (au moins une, pas toutes) ou :data:`TOUTES` des
    valeurs imprimées ont ``statut`` (aucune valeur : :data:`AUCUNE`)."""
    statuts = list(statuts)
    n = sum(s == statut for s in statuts)
    if n == 0:
        return AUCUNE
    return TOUTES if n == len(statuts) else CERTAINES


def statut_jeu(metadonnees: Any) -> str:
    """Statut des points de campagne, d'agence et de bibliométrie du jeu de données."""
    return RECONSTRUIT if getattr(metadonnees, "donnees_reconstruites", False) else PUBLIE


def _lignes(tableau: pd.DataFrame, annee: int) -> pd.DataFrame:
    return tableau.loc[tableau["annee"] == annee]


def lignes_depots(d: Any, annee: int) -> pd.DataFrame:
    """Lignes INPI que le rapport imprime pour ``annee`` : France (tous domaines), régions des
    IHU suivis (tous domaines et domaines des IHU) — celles de ``depots_france``,
    ``depots_regions`` et ``depots_regions_domaines``."""
    from synthese_ihu import indicateurs as ind

    t = _lignes(d.brevets_inpi, annee)
    regions = ind.regions_ihu_suivis(d, annee)
    cites = ((t["territoire"] == "France") & (t["perimetre"] == "tous_domaines")) | t[
        "territoire"].isin(regions)
    return t.loc[cites]


def lignes_creations(d: Any, annee: int) -> pd.DataFrame:
    """Lignes des créations d'entreprises imprimées pour ``annee`` (France, régions des IHU)."""
    t = _lignes(d.creations_entreprises, annee)
    return t.loc[t["territoire"].isin(["France", "regions_ihu"])]


def lignes_essais(d: Any, annee: int) -> pd.DataFrame:
    """Ligne des essais en cours en France imprimée pour ``annee`` (total et promotion
    académique)."""
    return _lignes(d.essais_france, annee)


def _statuts(lignes: pd.DataFrame) -> list[str]:
    return [str(s) for s in lignes["statut"]]


def statuts_depots(d: Any, annee: int) -> list[str]:
    """Statuts des dépôts INPI imprimés pour ``annee`` (:func:`lignes_depots`)."""
    return _statuts(lignes_depots(d, annee))


def statuts_creations(d: Any, annee: int) -> list[str]:
    """Statuts des créations d'entreprises imprimées pour ``annee``."""
    return _statuts(lignes_creations(d, annee))


def statuts_essais(d: Any, annee: int) -> list[str]:
    """Statut des essais en cours en France imprimés pour ``annee`` (une ligne)."""
    return _statuts(lignes_essais(d, annee))


def statuts_contexte(d: Any, annee: int) -> list[str]:
    """Statuts de toutes les valeurs de contexte imprimées dans l'édition ``annee`` : celles du
    texte (année ``annee``) et les points de la figure des essais en France (chaque année de
    la série, depuis la première année des indicateurs)."""
    from synthese_ihu.config import periodes

    e = d.essais_france
    figure = e.loc[e["annee"].between(periodes().premiere_annee_indicateurs, annee), "statut"]
    return [*statuts_depots(d, annee), *statuts_creations(d, annee), *statuts_essais(d, annee),
            *(str(s) for s in figure)]


def annees_estimees(cadre: pd.DataFrame) -> list[int]:
    """Années dont un point du tableau d'une figure est estimé (colonne ``statut``)."""
    if "statut" not in cadre.columns or "annee" not in cadre.columns:
        return []
    return sorted({int(a) for a in cadre.loc[cadre["statut"] == ESTIME, "annee"]})
