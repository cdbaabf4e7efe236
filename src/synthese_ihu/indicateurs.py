"""Indicateurs du rapport : fonctions pures sur une vue :class:`~synthese_ihu.donnees.Donnees`.

Chaque fonction reçoit la vue déjà restreinte par ``Donnees.pour_annee(N)`` et l'année cible
``annee`` (par défaut celle de la vue) et rend des nombres bruts (euros, effectifs, fractions
0-1), des ``pandas.Series``/``DataFrame`` ou de petites classes de données — jamais du texte mis
en forme. Les définitions suivent ``docs/definitions.md`` ; quand une période ou une série
n'existe pas encore pour l'année cible (pas de cofinancement avant 2014, pas de périodes
comparées en 2012…), la fonction rend ``None``.

Les fonctions ``*_tendance`` rendent une :class:`Tendance` : le sens observé, les faits qui le
fondent et ``verifiee``, vrai si l'énoncé type du rapport (celui de l'édition 2022, transposé à
l'année cible) est vrai pour ces données. Le récit choisit ses mots d'après ces résultats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from synthese_ihu import constats
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import (
    NATURES,
    NATURES_EQUIPEMENT,
    NATURES_FONCTIONNEMENT,
    ORIGINES,
    PREMIERE_ANNEE,
    PREMIERE_CAMPAGNE_COFINANCEMENTS,
)

#: Seuil de variation relative en deçà duquel une évolution est dite stable.
SEUIL_STABILITE = 0.05
#: En deçà de ce seuil, une hausse est dite « légère ».
SEUIL_LEGER = 0.25
#: Part des revues par catégorie dans chaque discipline (méthode SAMPRA) ; NC = non classées.
PARTS_CATEGORIES_REVUES: Mapping[str, float] = {"A": 0.10, "B": 0.15, "C": 0.25, "D": 0.25,
                                                 "E": 0.25}
#: Premier ou dernier auteur ; deuxième ou avant-dernier auteur (meilleure position par article).
POSITIONS_PREMIER_DERNIER = ("1", "DA")
POSITIONS_DEUXIEME_AVANT_DERNIER = ("2", "PA")


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


def nombre_ihu_suivis(d: Donnees, annee: int | None = None) -> int:
    """Nombre d'IHU suivis en ``annee``."""
    return len(ihu_suivis(d, annee))


def nombre_ihu_selectionnes(d: Donnees, annee_selection: int) -> int:
    """Nombre d'IHU du référentiel de la vue sélectionnés en ``annee_selection``."""
    return int((d.ihu["annee_selection"] == annee_selection).sum())


def nombre_ihu_selectionnes_2023(d: Donnees) -> int:
    """Nombre d'IHU sélectionnés en 2023 (IHU3, France 2030 ; faits marquants)."""
    return len(d.ihu_2023)


def _premieres(d: Donnees) -> pd.Series:
    return d.ihu.set_index("ihu")["premiere_annee_indicateurs"]


def _labellise(d: Donnees, tableau: pd.DataFrame) -> pd.DataFrame:
    """Lignes du périmètre labellisé : années >= première année d'indicateurs de l'IHU."""
    premiere = tableau["ihu"].map(_premieres(d)).astype("Float64")
    return tableau.loc[(tableau["annee"] >= premiere).fillna(False).astype(bool)]


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


def depenses_cumul_dotes(d: Donnees, annee: int | None = None) -> float:
    """Σ des dépenses déclarées jusqu'en ``annee`` par les IHU dotés (même périmètre que la
    dotation à laquelle on les rapporte)."""
    annee = _cible(d, annee)
    dep = d.depenses.loc[(d.depenses["annee"] <= annee)
                         & d.depenses["ihu"].astype(str).isin(ihu_dotes(d, annee))]
    return _somme(dep["montant_eur"])


def depenses_cumul_part_dotation(d: Donnees, annee: int | None = None) -> float | None:
    """Dépenses cumulées des IHU dotés rapportées à leur dotation engagée (0-1)."""
    return _part(depenses_cumul_dotes(d, annee), dotation_engagee(d, annee))


def depenses_par_nature(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Dépenses par année (lignes) et nature (colonnes), en euros."""
    annee = _cible(d, annee)
    dep = d.depenses.loc[d.depenses["annee"] <= annee]
    table = dep.pivot_table(index="annee", columns="nature", values="montant_eur",
                            aggfunc="sum", observed=False, fill_value=0.0)
    return table.reindex(columns=list(NATURES), fill_value=0.0).astype(float)


def depenses_equipement_fonctionnement(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Par année : ``equipement`` (immobilier + mobilier), ``fonctionnement`` (personnel +
    fonctionnement), en euros."""
    nat = depenses_par_nature(d, annee)
    return pd.DataFrame({
        "equipement": nat[list(NATURES_EQUIPEMENT)].sum(axis=1),
        "fonctionnement": nat[list(NATURES_FONCTIONNEMENT)].sum(axis=1),
    })


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
    table = _labellise(d, ind).pivot_table(index="annee", columns="ihu", values="valeur",
                                           aggfunc="sum")
    return table.reindex(range(debut, annee + 1))


def projets_tendance(d: Donnees, annee: int | None = None, seuil: float = SEUIL_STABILITE
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
        faits={"serie": serie, "fin_hausse": fin,
               "plateau": [] if fin is None else list(range(fin + 1, annee + 1)),
               "ihu_ajoutes_pendant_plateau": ajoutes},
    )


def chercheurs_etrangers_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Chercheurs étrangers : baisse en N-2 et en N-1, légère hausse en N (< +25 %).

    Énoncé 2022 : chute en 2020, qui se poursuit en 2021, légère hausse en 2022. Règle :
    :func:`constats.repli_puis_reprise`.

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


def etudiants_tendance(d: Donnees, annee: int | None = None, debut: int | None = None,
                       fin: int | None = None, part_min: float = 0.8) -> Tendance:
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
        faits={"debut": debut, "fin": fin, "hausse_totale": total, "hausse_par_ihu": delta,
               "deux_ihu": [str(i) for i in deux.index], "part_deux_ihu": part},
    )


# --- bibliométrie -------------------------------------------------------------------------------
def fin_bibliometrie(d: Donnees, annee: int | None = None) -> int:
    """Dernière année couverte par l'export bibliométrique, au plus ``annee``.

    Un export arrêté avant N (pas d'export nouveau pour la campagne) ne compte pas zéro article
    pour les années qu'il ne couvre pas : périodes, cumuls et séries s'arrêtent à cette année.
    """
    annee = _cible(d, annee)
    annees = d.articles["annee"]
    return min(annee, int(annees.max())) if len(annees) else annee


def ihu_bibliometrie(d: Donnees, annee: int | None = None) -> list[str]:
    """IHU suivis présents dans l'export bibliométrique (un IHU entrant n'y est pas encore)."""
    return sorted(set(ihu_suivis(d, annee)) & set(d.articles["ihu"].astype(str)))


def periodes_bibliometrie(d: Donnees, annee: int | None = None
                          ) -> tuple[Periode, Periode] | None:
    """Périodes comparées de la bibliométrie : celles de l'année couverte par l'export."""
    return periodes_comparaison(fin_bibliometrie(d, annee))


def articles_labellises(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Lignes SAMPRA du périmètre labellisé, ``2012 <= annee <= fin de l'export``."""
    fin = fin_bibliometrie(d, annee)
    art = d.articles.loc[d.articles["annee"].between(PREMIERE_ANNEE, fin)]
    return _labellise(d, art)


def articles_cumul(d: Donnees, annee: int | None = None) -> int:
    """Nombre d'articles (couples article-IHU) du périmètre labellisé, 2012..N."""
    return len(articles_labellises(d, annee))


def articles_par_annee(d: Donnees, annee: int | None = None, par: str | None = None
                       ) -> pd.Series | pd.DataFrame:
    """Articles du périmètre labellisé par année (et par ``categorie``/``position`` si ``par``)."""
    art = articles_labellises(d, annee)
    annees = range(PREMIERE_ANNEE, fin_bibliometrie(d, annee) + 1)
    if par is None:
        return art.groupby("annee").size().reindex(annees, fill_value=0)
    table = art.groupby(["annee", par], observed=False).size().unstack(par, fill_value=0)
    return table.reindex(annees, fill_value=0)


def _dans(art: pd.DataFrame, periode: Periode) -> pd.DataFrame:
    return art.loc[art["annee"].between(periode.debut, periode.fin)]


def articles_evolution(d: Donnees, annee: int | None = None) -> float | None:
    """Évolution du nombre d'articles labellisés de P1 à P2 (``P2/P1 - 1``)."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    art = articles_labellises(d, annee)
    return variation_relative(len(_dans(art, periodes[0])), len(_dans(art, periodes[1])))


def articles_evolution_par_categorie(d: Donnees, annee: int | None = None) -> pd.Series | None:
    """Évolution P1 → P2 des articles labellisés, par catégorie de revue."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    art = articles_labellises(d, annee)
    p1 = _dans(art, periodes[0]).groupby("categorie", observed=False).size()
    p2 = _dans(art, periodes[1]).groupby("categorie", observed=False).size()
    return pd.Series({c: variation_relative(p1[c], p2[c]) for c in p1.index}, dtype="float64")


def parts_positions(d: Donnees, annee: int | None = None) -> pd.Series | None:
    """Part des articles labellisés de P2 par meilleure position d'auteur (0-1)."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p2 = _dans(articles_labellises(d, annee), periodes[1])
    if p2.empty:
        return None
    return p2["position"].value_counts(normalize=True, sort=False)


def position_premier_dernier(d: Donnees, annee: int | None = None) -> float | None:
    """Part des articles de P2 dont un membre de l'IHU est premier ou dernier auteur."""
    parts = parts_positions(d, annee)
    return None if parts is None else float(parts.reindex(POSITIONS_PREMIER_DERNIER).sum())


def position_deuxieme_avant_dernier(d: Donnees, annee: int | None = None) -> float | None:
    """Part des articles de P2 dont la meilleure position est deuxième ou avant-dernière."""
    parts = parts_positions(d, annee)
    return None if parts is None else float(parts.reindex(POSITIONS_DEUXIEME_AVANT_DERNIER).sum())


def position_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """La hausse des articles de P1 à P2 vient surtout de la position k (Δk > Δtotal / 2).

    Returns
    -------
    Tendance
        ``sens`` de P1 à P2 ; faits : ``delta_par_position``, ``delta_total``, ``part_k``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return Tendance("stable", False, {})
    art = articles_labellises(d, annee)
    p1 = _dans(art, periodes[0]).groupby("position", observed=False).size()
    p2 = _dans(art, periodes[1]).groupby("position", observed=False).size()
    delta = p2 - p1
    total = int(delta.sum())
    part_k = _part(float(delta.get("k", 0)), total) if total > 0 else None
    return Tendance(
        sens=sens_variation(int(p1.sum()), int(p2.sum())),
        verifiee=bool(total > 0 and delta.get("k", 0) > total / 2),
        faits={"periodes": periodes, "delta_par_position": delta, "delta_total": total,
               "part_k": part_k},
    )


def _wos_france(d: Donnees) -> pd.DataFrame:
    return d.references_wos.loc[d.references_wos["perimetre"] == "France"]


def evolution_vs_france(d: Donnees, annee: int | None = None) -> pd.DataFrame | None:
    """Par IHU : croissance P1 → P2 de toute sa production SAMPRA et des articles France.

    Returns
    -------
    DataFrame or None
        Index IHU ; colonnes ``croissance_ihu``, ``croissance_france``, ``plus_rapide``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p1, p2 = periodes
    art, fr = d.articles, _wos_france(d)
    lignes = {}
    for ihu in ihu_bibliometrie(d, annee):
        a, f = art.loc[art["ihu"] == ihu], fr.loc[fr["ihu"] == ihu]
        c_ihu = variation_relative(len(_dans(a, p1)), len(_dans(a, p2)))
        c_fr = variation_relative(_dans(f, p1)["articles"].sum(), _dans(f, p2)["articles"].sum())
        lignes[ihu] = {"croissance_ihu": c_ihu, "croissance_france": c_fr,
                       "plus_rapide": constats.plus_rapide(c_ihu, c_fr)}
    return pd.DataFrame.from_dict(lignes, orient="index")


def evolution_vs_france_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Tous les IHU sauf un croissent plus vite que la France (P1 → P2).

    Returns
    -------
    Tendance
        faits : ``tableau`` (voir :func:`evolution_vs_france`), ``moins_rapides`` (IHU).
    """
    tab = evolution_vs_france(d, annee)
    if tab is None or tab["plus_rapide"].isna().any():
        return Tendance("stable", False, {"tableau": tab})
    moins = [str(i) for i in tab.index[~tab["plus_rapide"].astype(bool)]]
    return Tendance("hausse", len(moins) == 1, {"tableau": tab, "moins_rapides": moins})


def part_france(d: Donnees, annee: int | None = None) -> pd.DataFrame | None:
    """Par IHU : articles de l'IHU / articles France (ses catégories WoS) sur P1 et P2.

    Returns
    -------
    DataFrame or None
        Index IHU ; colonnes ``part_p1``, ``part_p2``, ``hausse``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    art, fr = d.articles, _wos_france(d)
    lignes = {}
    for ihu in ihu_bibliometrie(d, annee):
        a, f = art.loc[art["ihu"] == ihu], fr.loc[fr["ihu"] == ihu]
        parts = [_part(len(_dans(a, p)), _dans(f, p)["articles"].sum()) for p in periodes]
        hausse = None if None in parts else parts[1] > parts[0]
        lignes[ihu] = {"part_p1": parts[0], "part_p2": parts[1], "hausse": hausse}
    return pd.DataFrame.from_dict(lignes, orient="index")


def part_france_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """La part de chaque IHU dans la production française augmente, sauf pour un IHU."""
    tab = part_france(d, annee)
    if tab is None or tab["hausse"].isna().any():
        return Tendance("stable", False, {"tableau": tab})
    sans = [str(i) for i in tab.index[~tab["hausse"].astype(bool)]]
    return Tendance("hausse", len(sans) == 1, {"tableau": tab, "sans_hausse": sans})


def top_cites_par_annee(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Articles labellisés parmi les 1 % et 10 % les plus cités, par année (``top1``,
    ``top10``)."""
    art = articles_labellises(d, annee)
    table = art.groupby("annee")[["top1", "top10"]].sum()
    fin = fin_bibliometrie(d, annee)
    return table.reindex(range(PREMIERE_ANNEE, fin + 1), fill_value=0).astype("int64")


def top_cites_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Articles top 1 % et top 10 % : pente positive de 2012 à N-1, baisse en N (vs N-1).

    Returns
    -------
    Tendance
        faits : ``series``, ``pentes`` (par an, 2012..N-1), ``baisse_derniere_annee``.
    """
    annee = fin_bibliometrie(d, annee)
    table = top_cites_par_annee(d, annee)
    if len(table) < 3:
        return Tendance("stable", False, {"series": table})
    pentes = {c: pente(table[c].loc[: annee - 1]) for c in ("top1", "top10")}
    baisse = {c: bool(table[c].loc[annee] < table[c].loc[annee - 1]) for c in ("top1", "top10")}
    ok = all(p is not None and p > 0 for p in pentes.values()) and all(baisse.values())
    return Tendance("hausse" if pentes["top10"] and pentes["top10"] > 0 else "stable", ok,
                    {"series": table, "pentes": pentes, "baisse_derniere_annee": baisse})


def top_cites_vs_france(d: Donnees, annee: int | None = None) -> pd.DataFrame | None:
    """Parts top 1 % / top 10 % des articles de P2, IHU contre France (mêmes catégories WoS).

    Les articles de l'IHU sont toute sa production SAMPRA de P2 ; la France est la somme des
    références WoS des IHU. La ligne ``"ensemble"`` porte les parts globales.

    Returns
    -------
    DataFrame or None
        Index IHU + ``"ensemble"`` ; colonnes ``top10_ihu``, ``top10_france``, ``top1_ihu``,
        ``top1_france``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p2 = periodes[1]
    art = _dans(d.articles.loc[d.articles["ihu"].isin(ihu_suivis(d, annee))], p2)
    fr = _dans(_wos_france(d), p2)
    fr = fr.loc[fr["ihu"].isin(ihu_bibliometrie(d, annee))]

    def ligne(a: pd.DataFrame, f: pd.DataFrame) -> dict[str, float | None]:
        n, nf = len(a), f["articles"].sum()
        return {"top10_ihu": _part(a["top10"].sum(), n), "top10_france": _part(
                f["articles_top10"].sum(), nf), "top1_ihu": _part(a["top1"].sum(), n),
                "top1_france": _part(f["articles_top1"].sum(), nf)}

    lignes = {i: ligne(art.loc[art["ihu"] == i], fr.loc[fr["ihu"] == i])
              for i in ihu_bibliometrie(d, annee)}
    lignes["ensemble"] = ligne(art, fr)
    return pd.DataFrame.from_dict(lignes, orient="index").astype("float64")


def top_cites_vs_france_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Part d'articles très cités plus élevée dans les IHU qu'en France (P2).

    Vérifié si les parts top 10 % et top 1 % globales des IHU dépassent celles de la France
    et si la part top 10 % de chaque IHU dépasse celle de la France sur ses catégories.
    """
    tab = top_cites_vs_france(d, annee)
    if tab is None or tab.isna().any().any():
        return Tendance("stable", False, {"tableau": tab})
    ens = tab.loc["ensemble"]
    par_ihu = tab.drop(index="ensemble")
    en_dessous = [str(i) for i in par_ihu.index[par_ihu["top10_ihu"] <= par_ihu["top10_france"]]]
    ok = bool(ens["top10_ihu"] > ens["top10_france"] and ens["top1_ihu"] > ens["top1_france"]
              and not en_dessous)
    return Tendance(sens_variation(ens["top10_france"], ens["top10_ihu"]), ok,
                    {"tableau": tab, "ihu_top10_sous_france": en_dessous})


def remerciements(d: Donnees, annee: int | None = None) -> float | None:
    """Part des articles labellisés de P2 qui remercient l'aide de l'État (0-1)."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p2 = _dans(articles_labellises(d, annee), periodes[1])
    return None if p2.empty else float(p2["remerciement"].mean())


# --- valorisation -------------------------------------------------------------------------------
def regions_ihu_suivis(d: Donnees, annee: int | None = None) -> list[str]:
    """Régions des IHU suivis en ``annee``."""
    suivis = ihu_suivis(d, annee)
    return sorted(d.ihu.loc[d.ihu["ihu"].isin(suivis), "region"].astype(str).unique())


def depots_brevets(d: Donnees, annee: int | None = None, territoire: str = "France",
                   perimetre: str = "tous_domaines") -> float | None:
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
    return _part(indicateur_annee(d, "brevets_deposes", annee),
                 depots_brevets(d, annee, "regions_ihu"))


def brevets_part_regions_domaines(d: Donnees, annee: int | None = None) -> float | None:
    """Brevets des IHU en N / dépôts des régions des IHU dans les domaines des IHU en N."""
    return _part(indicateur_annee(d, "brevets_deposes", annee),
                 depots_brevets(d, annee, "regions_ihu", "domaines_ihu"))


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
    return s.groupby("annee_creation").size().reindex(range(PREMIERE_ANNEE, annee + 1),
                                                       fill_value=0)


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
    return Tendance("baisse" if depuis is not None else sens_variation(ihu.iloc[0], ihu.iloc[-1]),
                    bool(depuis is not None and hausse_fr),
                    {"serie_ihu": ihu, "serie_france": france, "depuis": depuis,
                     "hausse_france": hausse_fr})


def essais_france_serie(d: Donnees, annee: int | None = None) -> pd.Series:
    """Essais en cours en France par année connue, jusqu'à ``annee``."""
    annee = _cible(d, annee)
    france = d.essais_france.set_index("annee")["essais_en_cours"].sort_index()
    france.index = france.index.astype(int)
    return france.loc[france.index <= annee].astype(float)


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


def effet_levier(d: Donnees, annee: int | None = None) -> float | None:
    """Cofinancements 2014..N / aide versée cumulée (0-1, peut dépasser 1)."""
    return _part(cofinancements_cumul(d, annee), verse_cumul(d, annee))


def effet_levier_par_ihu(d: Donnees, annee: int | None = None) -> pd.Series | None:
    """Par IHU suivi : cofinancements 2014..N de l'IHU / versements cumulés à l'IHU."""
    annee = _cible(d, annee)
    if annee < PREMIERE_CAMPAGNE_COFINANCEMENTS:
        return None
    cof = _cofinancements(d, annee).groupby("ihu")["montant_eur"].sum()
    suivis = ihu_suivis(d, annee)
    vers = versements_par_ihu(d, annee).reindex(suivis)
    return (cof.reindex(suivis, fill_value=0.0) / vers.replace(0, np.nan)).astype("float64")


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
        index="annee", columns="origine", values="montant_eur", aggfunc="sum", observed=False,
        fill_value=0.0)
    return table.reindex(index=range(PREMIERE_CAMPAGNE_COFINANCEMENTS, annee + 1),
                         columns=list(ORIGINES), fill_value=0.0)


def cofinancements_declares(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Total déclaré par année 2014..N (lignes) et IHU (colonnes) ; NaN quand l'IHU n'était
    pas encore suivi, 0 quand il n'a rien déclaré."""
    annee = _cible(d, annee)
    cof = _cofinancements(d, annee)
    table = cof.pivot_table(index="annee", columns="ihu", values="montant_eur", aggfunc="sum")
    suivis = ihu_suivis(d, annee)
    table = table.reindex(index=range(PREMIERE_CAMPAGNE_COFINANCEMENTS, annee + 1),
                          columns=suivis).fillna(0.0)
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
    lacunes = [(str(i), int(a)) for a, ligne in avant.iterrows() for i, v in ligne.items()
               if v == 0]
    return Tendance("stable", not non and bool(lacunes),
                    {"declarants": declarants, "non_declarants": non, "lacunes": lacunes})


# --- contexte -----------------------------------------------------------------------------------
def creations_entreprises(d: Donnees, annee: int | None = None, territoire: str = "France"
                          ) -> int | None:
    """Créations d'entreprises « Santé humaine et action sociale » (``France`` ou
    ``regions_ihu``) en ``annee`` ; ``None`` si absent."""
    annee = _cible(d, annee)
    c = d.creations_entreprises
    lignes = c.loc[(c["annee"] == annee) & (c["territoire"] == territoire), "creations"]
    return None if lignes.empty else int(lignes.iloc[0])
