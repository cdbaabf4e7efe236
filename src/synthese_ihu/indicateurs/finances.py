"""Indicateurs financiers : dotations, versements, dépenses déclarées et leur répartition."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthese_ihu.cadre import Cadre, Mesure, fin_source, rapport
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import (
    NATURES,
    NATURES_EQUIPEMENT,
    NATURES_FONCTIONNEMENT,
)
from synthese_ihu.indicateurs.commun import (
    Tendance,
    _cible,
    _part,
    _somme,
    fourchette,
)


# --- finances -----------------------------------------------------------------------------------
def dotation_engagee(d: Donnees, annee: int | None = None) -> float:
    """Σ des dotations engagées jusqu'en ``annee`` (euros)."""
    annee = _cible(d, annee)
    return _somme(d.dotations.loc[d.dotations["annee_engagement"] <= annee, "montant_eur"])


def verse_cumul(d: Donnees, annee: int | None = None) -> float:
    """Σ des versements de l'ANR jusqu'en ``annee`` (euros)."""
    annee = _cible(d, annee)
    return _somme(d.versements.loc[d.versements["annee"] <= annee, "montant_eur"])


def verse_annee(d: Donnees, annee: int | None = None) -> float:
    """Versements de l'ANR dans l'année ``annee`` (euros)."""
    annee = _cible(d, annee)
    return _somme(d.versements.loc[d.versements["annee"] == annee, "montant_eur"])


def verse_cumul_part_dotation(d: Donnees, annee: int | None = None) -> float | None:
    """Part de la dotation engagée déjà versée (0-1)."""
    return _part(verse_cumul(d, annee), dotation_engagee(d, annee))


def versements_par_ihu(d: Donnees, annee: int | None = None) -> pd.Series:
    """Versements cumulés jusqu'en ``annee`` par IHU (euros)."""
    annee = _cible(d, annee)
    v = d.versements.loc[d.versements["annee"] <= annee]
    return v.groupby("ihu")["montant_eur"].sum()


def depenses_cumul(d: Donnees, annee: int | None = None) -> float:
    """Σ des dépenses déclarées jusqu'en ``annee`` (euros, campagne la plus récente)."""
    annee = _cible(d, annee)
    return _somme(d.depenses.loc[d.depenses["annee"] <= annee, "montant_eur"])


def depenses_annee(d: Donnees, annee: int | None = None) -> float:
    """Dépenses déclarées pour l'année ``annee`` (euros)."""
    annee = _cible(d, annee)
    return _somme(d.depenses.loc[d.depenses["annee"] == annee, "montant_eur"])


def ihu_dotes(d: Donnees, annee: int | None = None) -> list[str]:
    """IHU dont une dotation engagée jusqu'en ``annee`` figure au fichier de l'agence."""
    annee = _cible(d, annee)
    dot = d.dotations.loc[d.dotations["annee_engagement"] <= annee, "ihu"]
    return sorted(set(dot.astype(str)))


def ihu_declarant_depenses(d: Donnees, annee: int | None = None) -> list[str]:
    """IHU qui ont déclaré des dépenses jusqu'en ``annee``."""
    annee = _cible(d, annee)
    return sorted(set(d.depenses.loc[d.depenses["annee"] <= annee, "ihu"].astype(str)))


def ihu_verses(d: Donnees, annee: int | None = None) -> list[str]:
    """IHU qui ont reçu au moins un versement de l'agence jusqu'en ``annee``."""
    annee = _cible(d, annee)
    v = d.versements.loc[(d.versements["annee"] <= annee) & (d.versements["montant_eur"] > 0)]
    return sorted(set(v["ihu"].astype(str)))


def cadre_dotation(d: Donnees, annee: int | None = None) -> Cadre:
    """Cadre commun des dépenses et de la dotation : IHU dotés, financés et déclarant des
    dépenses (un IHU retenu dans l'année n'a encore ni versement ni dépense), jusqu'à la
    dernière année du fichier des dotations."""
    annee = _cible(d, annee)
    fin = fin_source(d, "dotations", annee)
    ihu = set(ihu_dotes(d, fin)) & set(ihu_verses(d, fin)) & set(ihu_declarant_depenses(d, fin))
    return Cadre(frozenset(ihu), fin)


def depenses_cumul_dotes(d: Donnees, annee: int | None = None) -> float:
    """Σ des dépenses déclarées par les IHU du cadre de la dotation (:func:`cadre_dotation`),
    jusqu'à sa dernière année : même cadre que la dotation à laquelle on les rapporte."""
    cadre = cadre_dotation(d, annee)
    dep = d.depenses.loc[(d.depenses["annee"] <= cadre.fin)
                         & d.depenses["ihu"].astype(str).isin(cadre.perimetre)]
    return _somme(dep["montant_eur"])


def dotation_cadre(d: Donnees, annee: int | None = None) -> float:
    """Dotation engagée des IHU du cadre de la dotation (:func:`cadre_dotation`)."""
    cadre = cadre_dotation(d, annee)
    dot = d.dotations.loc[(d.dotations["annee_engagement"] <= cadre.fin)
                          & d.dotations["ihu"].astype(str).isin(cadre.perimetre)]
    return _somme(dot["montant_eur"])


def depenses_cumul_part_dotation(d: Donnees, annee: int | None = None) -> float | None:
    """Dépenses cumulées rapportées à la dotation engagée, sur leur cadre commun (0-1)."""
    cadre = cadre_dotation(d, annee)
    return rapport(Mesure("dépenses déclarées cumulées", depenses_cumul_dotes(d, annee), cadre),
                   Mesure("dotation engagée", dotation_cadre(d, annee), cadre))


def depenses_par_nature(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Dépenses par année (lignes) et nature (colonnes), en euros."""
    annee = _cible(d, annee)
    dep = d.depenses.loc[d.depenses["annee"] <= annee]
    table = dep.pivot_table(
        index="annee",
        columns="nature",
        values="montant_eur",
        aggfunc="sum",
        observed=False,
        fill_value=0.0,
    )
    return table.reindex(columns=list(NATURES), fill_value=0.0).astype(float)


def depenses_equipement_fonctionnement(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Par année : ``equipement`` (immobilier + mobilier), ``fonctionnement`` (personnel +
    fonctionnement), en euros."""
    nat = depenses_par_nature(d, annee)
    return pd.DataFrame(
        {
            "equipement": nat[list(NATURES_EQUIPEMENT)].sum(axis=1),
            "fonctionnement": nat[list(NATURES_FONCTIONNEMENT)].sum(axis=1),
        }
    )


def repartition_previsionnelle(d: Donnees) -> pd.Series:
    """Répartition prévisionnelle des dépenses par nature (parts 0-1, tous IHU de la vue)."""
    rep = d.repartition_previsionnelle.groupby("nature", observed=False)["montant_eur"].sum()
    rep = rep.reindex(list(NATURES), fill_value=0.0)
    return rep / rep.sum() if rep.sum() else rep


def ecart_repartition_previsionnelle(d: Donnees, annee: int | None = None) -> pd.Series:
    """Par année, écart entre la répartition cumulée des dépenses et la prévisionnelle.

    L'écart est la demi-somme des écarts absolus de parts par nature (0 = identiques, 1 =
    disjointes), sur les dépenses cumulées depuis le début jusqu'à l'année.
    """
    nat = depenses_par_nature(d, annee).cumsum()
    parts = nat.div(nat.sum(axis=1).replace(0, np.nan), axis=0)
    prev = repartition_previsionnelle(d)
    return (parts - prev).abs().sum(axis=1) / 2


def depenses_nature_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """L'équipement l'emporte chaque année jusqu'à une bascule, le fonctionnement ensuite.

    Énoncé 2022 : équipement premier chaque année jusqu'en 2018, fonctionnement (personnel +
    fonctionnement) chaque année depuis 2019, le personnel y étant la première nature ; la
    répartition cumulée se rapproche de la prévisionnelle (écart en ``annee`` inférieur à celui
    de l'année qui précède la bascule).

    Returns
    -------
    Tendance
        ``sens`` = ``"hausse"`` si le fonctionnement l'emporte en ``annee`` (part en hausse) ;
        faits : ``annees_equipement``, ``annees_fonctionnement``, ``annee_bascule`` (ou
        ``None``), ``personnel_premier`` (années où le personnel est la première nature),
        ``ecart_previsionnel`` (série), ``se_rapproche``.
    """
    annee = _cible(d, annee)
    ef = depenses_equipement_fonctionnement(d, annee)
    nat = depenses_par_nature(d, annee)
    if ef.empty:
        return Tendance("stable", False, {"annee_bascule": None})
    equip = [int(a) for a in ef.index[ef["equipement"] > ef["fonctionnement"]]]
    fonct = [int(a) for a in ef.index[ef["fonctionnement"] > ef["equipement"]]]
    annees = [int(a) for a in ef.index]
    bascule = None
    for i, a in enumerate(annees[1:], start=1):
        if set(annees[:i]) <= set(equip) and set(annees[i:]) <= set(fonct):
            bascule = a
            break
    personnel_premier = [int(a) for a in nat.index if nat.loc[a].idxmax() == "personnel"]
    ecart = ecart_repartition_previsionnelle(d, annee)
    se_rapproche = None
    if bascule is not None and (bascule - 1) in ecart.index and annee in ecart.index:
        se_rapproche = bool(ecart.loc[annee] < ecart.loc[bascule - 1])
    verifiee = (
        bascule is not None
        and set(range(bascule, annee + 1)) <= set(personnel_premier)
        and bool(se_rapproche)
    )
    return Tendance(
        sens="hausse" if annee in fonct else ("baisse" if annee in equip else "stable"),
        verifiee=verifiee,
        faits={
            "annees_equipement": equip,
            "annees_fonctionnement": fonct,
            "annee_bascule": bascule,
            "personnel_premier": personnel_premier,
            "ecart_previsionnel": ecart,
            "se_rapproche": se_rapproche,
        },
    )


def part_equipement_par_ihu(d: Donnees, annee: int | None = None) -> pd.Series:
    """Part de l'équipement dans les dépenses cumulées de chaque IHU (0-1)."""
    annee = _cible(d, annee)
    dep = d.depenses.loc[d.depenses["annee"] <= annee]
    total = dep.groupby("ihu")["montant_eur"].sum()
    equip = dep.loc[dep["nature"].isin(NATURES_EQUIPEMENT)].groupby("ihu")["montant_eur"].sum()
    return (equip.reindex(total.index, fill_value=0.0) / total.replace(0, np.nan)).dropna()


def depenses_nature_par_ihu_tendance(
    d: Donnees, annee: int | None = None, seuil: float = 0.30
) -> Tendance:
    """La répartition par nature diffère fortement d'un IHU à l'autre (max - min > ``seuil``)."""
    parts = part_equipement_par_ihu(d, annee)
    if parts.empty:
        return Tendance("stable", False, {"parts": parts})
    ecart = float(parts.max() - parts.min())
    return Tendance(
        sens="stable",
        verifiee=ecart > seuil,
        faits={"parts": parts, "ecart": ecart, "fourchette": fourchette(parts)},
    )
