"""Indicateurs de campagne (projets, chercheurs, étudiants), valorisation (brevets, start-up),
soin (essais cliniques) et contexte (créations d'entreprises)."""

from __future__ import annotations

import pandas as pd

from synthese_ihu import constats
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import (
    PREMIERE_ANNEE,
)
from synthese_ihu.indicateurs.commun import (
    SEUIL_STABILITE,
    Tendance,
    _cible,
    _labellise,
    _part,
    _premieres,
    ihu_suivis,
    sens_variation,
)


# --- indicateurs de campagne --------------------------------------------------------------------
def indicateur_par_ihu(d: Donnees, indicateur: str, annee: int | None = None) -> pd.Series:
    """Valeur d'un indicateur commun en ``annee`` pour chaque IHU suivi (0 si non déclaré)."""
    annee = _cible(d, annee)
    ind = d.indicateurs
    ind = ind.loc[(ind["indicateur"] == indicateur) & (ind["annee"] == annee)]
    valeurs = _labellise(d, ind).groupby("ihu")["valeur"].sum()
    return valeurs.reindex(ihu_suivis(d, annee), fill_value=0).astype("int64")


def indicateur_annee(d: Donnees, indicateur: str, annee: int | None = None) -> int:
    """Σ sur les IHU suivis d'un indicateur commun en ``annee``."""
    return int(indicateur_par_ihu(d, indicateur, annee).sum())


def indicateur_cumul_par_ihu(
    d: Donnees, indicateur: str, annee: int | None = None, debut: int = PREMIERE_ANNEE
) -> pd.Series:
    """Cumul ``debut``..``annee`` d'un indicateur par IHU suivi (périmètre labellisé)."""
    annee = _cible(d, annee)
    ind = d.indicateurs
    ind = ind.loc[(ind["indicateur"] == indicateur) & ind["annee"].between(debut, annee)]
    valeurs = _labellise(d, ind).groupby("ihu")["valeur"].sum()
    return valeurs.reindex(ihu_suivis(d, annee), fill_value=0).astype("int64")


def indicateur_cumul(
    d: Donnees, indicateur: str, annee: int | None = None, debut: int = PREMIERE_ANNEE
) -> int:
    """Σ ``debut``..``annee`` d'un indicateur commun sur les IHU suivis."""
    return int(indicateur_cumul_par_ihu(d, indicateur, annee, debut).sum())


def indicateur_serie(
    d: Donnees, indicateur: str, annee: int | None = None, debut: int = PREMIERE_ANNEE
) -> pd.Series:
    """Σ par année (``debut``..``annee``) d'un indicateur commun, périmètre labellisé."""
    annee = _cible(d, annee)
    ind = d.indicateurs
    ind = ind.loc[(ind["indicateur"] == indicateur) & ind["annee"].between(debut, annee)]
    serie = _labellise(d, ind).groupby("annee")["valeur"].sum()
    return serie.reindex(range(debut, annee + 1), fill_value=0).astype("int64")


def indicateur_par_ihu_et_annee(
    d: Donnees, indicateur: str, annee: int | None = None, debut: int = PREMIERE_ANNEE
) -> pd.DataFrame:
    """Tableau années (lignes) × IHU (colonnes) d'un indicateur commun, périmètre labellisé."""
    annee = _cible(d, annee)
    ind = d.indicateurs
    ind = ind.loc[(ind["indicateur"] == indicateur) & ind["annee"].between(debut, annee)]
    table = _labellise(d, ind).pivot_table(
        index="annee", columns="ihu", values="valeur", aggfunc="sum"
    )
    return table.reindex(range(debut, annee + 1))


def projets_tendance(
    d: Donnees, annee: int | None = None, seuil: float = SEUIL_STABILITE
) -> Tendance:
    """Projets de recherche : hausse chaque année depuis 2012, puis plateau (±``seuil``).

    Énoncé 2022 : hausse chaque année jusqu'en 2018, puis chaque année 2019-2022 à ±5 % de
    2018, malgré le 7e IHU compté à partir de 2019.

    Returns
    -------
    Tendance
        ``sens`` = ``"stable"`` si un plateau final existe, sinon sens sur la série ; faits :
        ``serie``, ``fin_hausse``, ``plateau``, ``ihu_ajoutes_pendant_plateau``.
    """
    annee = _cible(d, annee)
    serie = indicateur_serie(d, "projets_recherche", annee)
    fin = constats.fin_hausse_puis_plateau(serie, seuil)
    ajoutes = []
    if fin is not None:
        prem = _premieres(d)
        ajoutes = sorted(str(i) for i, p in prem.items() if pd.notna(p) and fin < p <= annee)
    return Tendance(
        sens="stable" if fin is not None else sens_variation(serie.iloc[0], serie.iloc[-1]),
        verifiee=fin is not None,
        faits={
            "serie": serie,
            "fin_hausse": fin,
            "plateau": [] if fin is None else list(range(fin + 1, annee + 1)),
            "ihu_ajoutes_pendant_plateau": ajoutes,
        },
    )


def chercheurs_etrangers_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Chercheurs étrangers : baisse en N-2 et en N-1, reprise partielle en N.

    Énoncé 2022 : chute en 2020, qui se poursuit en 2021, reprise en 2022 (« légère » ou
    « nette » selon :data:`constats.SEUILS`). Règle : :func:`constats.repli_puis_reprise`.

    Returns
    -------
    Tendance
        ``sens`` = sens de N-1 à N ; faits : ``serie``, ``forme``.
    """
    annee = _cible(d, annee)
    serie = indicateur_serie(d, "chercheurs_etrangers", annee)
    forme = constats.forme(serie)
    if forme is None:
        return Tendance("stable", False, {"serie": serie, "forme": None})
    return Tendance(
        sens=sens_variation(serie[annee - 1], serie[annee]),
        verifiee=constats.repli_puis_reprise(serie, annee),
        faits={"serie": serie, "forme": forme},
    )


def etudiants_tendance(
    d: Donnees,
    annee: int | None = None,
    debut: int | None = None,
    fin: int | None = None,
    part_min: float = 0.8,
) -> Tendance:
    """Étudiants en double cursus : la hausse ``debut`` → ``fin`` vient de deux IHU.

    Énoncé 2022 : la hausse 2019 → 2021 vient pour au moins 80 % de deux IHU. Par défaut
    ``debut = N-3`` et ``fin = N-1``.

    Returns
    -------
    Tendance
        ``sens`` de ``debut`` à ``fin`` ; faits : ``hausse_par_ihu``, ``deux_ihu``,
        ``part_deux_ihu``.
    """
    annee = _cible(d, annee)
    debut = annee - 3 if debut is None else debut
    fin = annee - 1 if fin is None else fin
    table = indicateur_par_ihu_et_annee(d, "etudiants_double_cursus", annee)
    if debut not in table.index or fin not in table.index or debut < PREMIERE_ANNEE:
        return Tendance("stable", False, {})
    delta = (table.loc[fin].fillna(0) - table.loc[debut].fillna(0)).sort_values(ascending=False)
    total = float(delta.sum())
    deux = delta.head(2)
    part = _part(float(deux.sum()), total) if total > 0 else None
    return Tendance(
        sens=sens_variation(float(table.loc[debut].sum()), float(table.loc[fin].sum())),
        verifiee=bool(total > 0 and part is not None and part >= part_min),
        faits={
            "debut": debut,
            "fin": fin,
            "hausse_totale": total,
            "hausse_par_ihu": delta,
            "deux_ihu": [str(i) for i in deux.index],
            "part_deux_ihu": part,
        },
    )


# --- valorisation -------------------------------------------------------------------------------
def regions_ihu_suivis(d: Donnees, annee: int | None = None) -> list[str]:
    """Régions des IHU suivis en ``annee``."""
    suivis = ihu_suivis(d, annee)
    return sorted(d.ihu.loc[d.ihu["ihu"].isin(suivis), "region"].astype(str).unique())


def depots_brevets(
    d: Donnees,
    annee: int | None = None,
    territoire: str = "France",
    perimetre: str = "tous_domaines",
) -> float | None:
    """Dépôts de brevets INPI d'un territoire (``France``, une région ou ``"regions_ihu"``,
    somme des régions des IHU suivis) en ``annee`` ; ``None`` si absent."""
    annee = _cible(d, annee)
    inpi = d.brevets_inpi
    inpi = inpi.loc[(inpi["annee"] == annee) & (inpi["perimetre"] == perimetre)]
    territoires = regions_ihu_suivis(d, annee) if territoire == "regions_ihu" else [territoire]
    lignes = inpi.loc[inpi["territoire"].isin(territoires)]
    if lignes["territoire"].nunique() < len(territoires):
        return None
    return float(lignes["depots"].sum())


def brevets_part_france(d: Donnees, annee: int | None = None) -> float | None:
    """Brevets déposés par les IHU en N / dépôts en France en N."""
    return _part(indicateur_annee(d, "brevets_deposes", annee), depots_brevets(d, annee))


def brevets_part_regions(d: Donnees, annee: int | None = None) -> float | None:
    """Brevets déposés par les IHU en N / dépôts des régions des IHU suivis en N."""
    return _part(
        indicateur_annee(d, "brevets_deposes", annee), depots_brevets(d, annee, "regions_ihu")
    )


def brevets_part_regions_domaines(d: Donnees, annee: int | None = None) -> float | None:
    """Brevets des IHU en N / dépôts des régions des IHU dans les domaines des IHU en N."""
    return _part(
        indicateur_annee(d, "brevets_deposes", annee),
        depots_brevets(d, annee, "regions_ihu", "domaines_ihu"),
    )


def startups_annee(d: Donnees, annee: int | None = None) -> int:
    """Start-up créées en ``annee`` (liste de la campagne la plus récente de chaque IHU)."""
    annee = _cible(d, annee)
    return int((d.startups["annee_creation"] == annee).sum())


def startups_cumul(d: Donnees, annee: int | None = None, debut: int = PREMIERE_ANNEE) -> int:
    """Start-up créées de ``debut`` à ``annee``."""
    annee = _cible(d, annee)
    return int(d.startups["annee_creation"].between(debut, annee).sum())


def startups_actives_plus_3_ans(d: Donnees, annee: int | None = None) -> int:
    """Start-up créées en ``annee - 3`` ou avant et toujours actives."""
    annee = _cible(d, annee)
    s = d.startups
    return int(((s["annee_creation"] <= annee - 3) & (s["statut"] == "active")).sum())


def startups_par_annee(d: Donnees, annee: int | None = None) -> pd.Series:
    """Start-up créées par année, 2012..``annee``."""
    annee = _cible(d, annee)
    s = d.startups.loc[d.startups["annee_creation"].between(PREMIERE_ANNEE, annee)]
    return (
        s.groupby("annee_creation").size().reindex(range(PREMIERE_ANNEE, annee + 1), fill_value=0)
    )


# --- soin ---------------------------------------------------------------------------------------
def essais_france(d: Donnees, annee: int | None = None) -> float | None:
    """Essais cliniques en cours en France en ``annee`` (``None`` si absent)."""
    annee = _cible(d, annee)
    lignes = d.essais_france.loc[d.essais_france["annee"] == annee, "essais_en_cours"]
    return None if lignes.empty else float(lignes.iloc[0])


def essais_cliniques_part_france(d: Donnees, annee: int | None = None) -> float | None:
    """Essais cliniques en cours dans les IHU en N / essais en cours en France en N."""
    return _part(indicateur_annee(d, "essais_cliniques", annee), essais_france(d, annee))


def essais_cliniques_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Essais en cours : baisse chaque année depuis Y dans les IHU, hausse chaque année en France
    sur la même période (règles :func:`constats.debut_baisse` et
    :func:`constats.hausse_chaque_annee`).

    Énoncé 2022 : baisse chaque année depuis 2020 (2020 < 2019, 2021 < 2020, 2022 < 2021) dans
    les IHU, hausse chaque année de 2020 à 2022 en France.

    Returns
    -------
    Tendance
        faits : ``serie_ihu``, ``serie_france``, ``depuis`` (Y ou ``None``), ``hausse_france``.
    """
    annee = _cible(d, annee)
    ihu = indicateur_serie(d, "essais_cliniques", annee)
    france = essais_france_serie(d, annee)
    depuis = constats.debut_baisse(ihu, annee)
    hausse_fr = depuis is not None and constats.hausse_chaque_annee(france, depuis, annee)
    return Tendance(
        "baisse" if depuis is not None else sens_variation(ihu.iloc[0], ihu.iloc[-1]),
        bool(depuis is not None and hausse_fr),
        {"serie_ihu": ihu, "serie_france": france, "depuis": depuis, "hausse_france": hausse_fr},
    )


def essais_france_serie(d: Donnees, annee: int | None = None) -> pd.Series:
    """Essais en cours en France par année connue, jusqu'à ``annee``."""
    annee = _cible(d, annee)
    france = d.essais_france.set_index("annee")["essais_en_cours"].sort_index()
    france.index = france.index.astype(int)
    return france.loc[france.index <= annee].astype(float)


# --- contexte -----------------------------------------------------------------------------------
def creations_entreprises(
    d: Donnees, annee: int | None = None, territoire: str = "France"
) -> int | None:
    """Créations d'entreprises « Santé humaine et action sociale » (``France`` ou
    ``regions_ihu``) en ``annee`` ; ``None`` si absent."""
    annee = _cible(d, annee)
    c = d.creations_entreprises
    lignes = c.loc[(c["annee"] == annee) & (c["territoire"] == territoire), "creations"]
    return None if lignes.empty else int(lignes.iloc[0])
