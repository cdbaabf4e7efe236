"""Cofinancements déclarés et effet levier (depuis la première campagne qui les recueille)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthese_ihu.cadre import Cadre, Mesure, fin_source, rapport
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import (
    ORIGINES,
    PREMIERE_CAMPAGNE_COFINANCEMENTS,
)
from synthese_ihu.indicateurs.commun import (
    Tendance,
    _cible,
    _premieres,
    _somme,
    ihu_suivis,
)
from synthese_ihu.indicateurs.finances import ihu_verses, versements_par_ihu


# --- cofinancements -----------------------------------------------------------------------------
def _cofinancements(d: Donnees, annee: int) -> pd.DataFrame:
    c = d.cofinancements
    return c.loc[c["annee"].between(PREMIERE_CAMPAGNE_COFINANCEMENTS, annee)]


def cofinancements_cumul(d: Donnees, annee: int | None = None) -> float | None:
    """Σ des cofinancements déclarés de 2014 à N (euros) ; ``None`` avant 2014."""
    annee = _cible(d, annee)
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS:
        return None
    return _somme(_cofinancements(d, annee)["montant_eur"])


def cofinancements_annee(d: Donnees, annee: int | None = None) -> float | None:
    """Cofinancements déclarés pour l'année N (euros) ; ``None`` avant 2014."""
    annee = _cible(d, annee)
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS:
        return None
    return _somme(d.cofinancements.loc[d.cofinancements["annee"] == annee, "montant_eur"])


def cadre_levier(d: Donnees, annee: int | None = None) -> Cadre:
    """Cadre de l'effet levier : IHU qui ont reçu l'aide (un IHU retenu sans versement n'a pas
    d'effet levier), jusqu'à la dernière année des versements (au plus N)."""
    annee = _cible(d, annee)
    fin = fin_source(d, "versements", annee)
    return Cadre(frozenset(ihu_verses(d, fin)), fin)


def _cofinancements_cadre(d: Donnees, cadre: Cadre) -> pd.DataFrame:
    cof = _cofinancements(d, cadre.fin)
    return cof.loc[cof["ihu"].astype(str).isin(cadre.perimetre)]


def effet_levier(d: Donnees, annee: int | None = None) -> float | None:
    """Cofinancements 2014..fin / aide versée jusqu'à fin, sur le cadre de l'effet levier
    (:func:`cadre_levier`) ; 0-1, peut dépasser 1."""
    annee = _cible(d, annee)
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS:
        return None
    cadre = cadre_levier(d, annee)
    cof = _somme(_cofinancements_cadre(d, cadre)["montant_eur"])
    vers = versements_par_ihu(d, cadre.fin).reindex(sorted(cadre.perimetre)).sum()
    return rapport(Mesure("cofinancements déclarés", cof, cadre),
                   Mesure("aide versée", float(vers), cadre))


def effet_levier_par_ihu(d: Donnees, annee: int | None = None) -> pd.Series | None:
    """Par IHU du cadre de l'effet levier : cofinancements 2014..fin / versements cumulés."""
    annee = _cible(d, annee)
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS:
        return None
    cadre = cadre_levier(d, annee)
    ihu = sorted(cadre.perimetre & set(ihu_suivis(d, annee)))
    cof = _cofinancements_cadre(d, cadre).groupby("ihu")["montant_eur"].sum()
    vers = versements_par_ihu(d, cadre.fin).reindex(ihu)
    return (cof.reindex(ihu, fill_value=0.0) / vers.replace(0, np.nan)).astype("float64")


def cofinancements_par_origine(d: Donnees, annee: int | None = None) -> pd.Series | None:
    """Parts (0-1) des cofinancements 2014..N par origine ; ``None`` si rien n'est déclaré."""
    annee = _cible(d, annee)
    cof = _cofinancements(d, annee)
    total = cof["montant_eur"].sum()
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS or total == 0:
        return None
    par = cof.groupby("origine", observed=False)["montant_eur"].sum()
    return (par.reindex(list(ORIGINES), fill_value=0.0) / total).astype("float64")


def cofinancements_par_annee_et_origine(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Cofinancements (euros) par année 2014..N (lignes) et origine (colonnes)."""
    annee = _cible(d, annee)
    table = _cofinancements(d, annee).pivot_table(
        index="annee",
        columns="origine",
        values="montant_eur",
        aggfunc="sum",
        observed=False,
        fill_value=0.0,
    )
    return table.reindex(
        index=range(PREMIERE_CAMPAGNE_COFINANCEMENTS, annee + 1),
        columns=list(ORIGINES),
        fill_value=0.0,
    )


def cofinancements_declares(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Total déclaré par année 2014..N (lignes) et IHU (colonnes) ; NaN quand l'IHU n'était
    pas encore suivi, 0 quand il n'a rien déclaré."""
    annee = _cible(d, annee)
    cof = _cofinancements(d, annee)
    table = cof.pivot_table(index="annee", columns="ihu", values="montant_eur", aggfunc="sum")
    suivis = ihu_suivis(d, annee)
    table = table.reindex(
        index=range(PREMIERE_CAMPAGNE_COFINANCEMENTS, annee + 1), columns=suivis
    ).fillna(0.0)
    premieres = _premieres(d)
    for ihu in suivis:
        table.loc[table.index < premieres[ihu], ihu] = np.nan
    return table


def cofinancements_declarants(d: Donnees, annee: int | None = None) -> list[str]:
    """IHU suivis dont le total de cofinancement déclaré pour N est > 0."""
    annee = _cible(d, annee)
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS:
        return []
    ligne = cofinancements_declares(d, annee).loc[annee]
    return [str(i) for i in ligne.index[ligne > 0]]


def cofinancements_declarants_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Tous les IHU suivis déclarent des cofinancements en N ; certains n'ont rien déclaré
    certaines années antérieures.

    Returns
    -------
    Tendance
        faits : ``declarants`` (en N), ``non_declarants`` (en N), ``lacunes`` (liste de
        couples (ihu, année) antérieurs sans déclaration).
    """
    annee = _cible(d, annee)
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS:
        return Tendance("stable", False, {})
    table = cofinancements_declares(d, annee)
    declarants = cofinancements_declarants(d, annee)
    non = sorted(set(ihu_suivis(d, annee)) - set(declarants))
    avant = table.loc[table.index < annee]
    lacunes = [
        (str(i), int(a)) for a, ligne in avant.iterrows() for i, v in ligne.items() if v == 0
    ]
    return Tendance(
        "stable",
        not non and bool(lacunes),
        {"declarants": declarants, "non_declarants": non, "lacunes": lacunes},
    )
