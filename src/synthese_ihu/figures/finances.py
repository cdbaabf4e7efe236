"""Figures du suivi financier : dépenses par nature (par année, observées/prévues, par IHU)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu import indicateurs
from synthese_ihu.figures import style, traces
from synthese_ihu.figures.anonymisation import anonymiser
from synthese_ihu.figures.base import PREMIERE_ANNEE_FINANCES, Contexte, Figure, Mesure, tiret
from synthese_ihu.figures.colonnes import (
    ANNEE,
    LIBELLE,
    MONTANT_MEUR,
    NATURE,
    PART_PCT,
    RANG,
    Colonne,
)
from synthese_ihu.figures.commun import texte
from synthese_ihu.figures.precision import parts_arrondies
from synthese_ihu.figures.rendu import nouvelle_figure
from synthese_ihu.figures.textes import nombre

NATURES = {
    "equipement_immobilier": "Équipement immobilier",
    "equipement_mobilier": "Équipement mobilier",
    "personnel": "Personnel",
    "fonctionnement": "Fonctionnement",
}
EQUIPEMENT = ("equipement_immobilier", "equipement_mobilier")

ID_ANNEE = "depenses_nature_annee"
ID_OBSERVEE = "repartition_observee_prevue"
ID_PAR_IHU = "repartition_nature_ihu"


def _depenses(donnees: Any, annee: int) -> pd.DataFrame:
    """Lignes de dépenses de la vue, années 2011..N, colonnes en chaînes simples."""
    dep = donnees.depenses.copy()
    dep["annee"] = dep["annee"].astype("int64")
    dep = dep.loc[dep["annee"].between(PREMIERE_ANNEE_FINANCES, annee)]
    dep["ihu"] = texte(dep["ihu"])
    dep["nature"] = texte(dep["nature"])
    return dep


def _mode_nature(cadre: pd.DataFrame) -> pd.DataFrame:
    cadre = cadre.copy()
    cadre["nature"] = pd.Categorical(cadre["nature"], categories=list(NATURES))
    cadre = cadre.sort_values([c for c in cadre.columns if c in ("rang", "annee", "repartition")]
                              + ["nature"], kind="mergesort")
    cadre["nature"] = cadre["nature"].astype(str)
    cadre.insert(cadre.columns.get_loc("nature") + 1, "libelle", cadre["nature"].map(NATURES))
    return cadre.reset_index(drop=True)


def _parts(montants: pd.Series) -> pd.Series:
    """Parts (%) à l'unité, de somme exactement 100 (plus forts restes) : les étiquettes de la
    barre, le texte alternatif et le CSV s'ajoutent."""
    if montants.sum() <= 0:
        return montants * np.nan
    return pd.Series(parts_arrondies(montants.to_numpy(dtype=float)), index=montants.index)


# --- dépenses par nature et par année ---------------------------------------------------------
def donnees_annee(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Dépenses déclarées par année (2011..N) et nature, en M€ (arrondies au millier d'euros).

    Source : :func:`synthese_ihu.indicateurs.depenses_par_nature`.
    """
    table = indicateurs.depenses_par_nature(donnees, ctx.annee)
    table = table.loc[table.index >= PREMIERE_ANNEE_FINANCES]
    if table.empty or table.to_numpy().sum() == 0:
        return pd.DataFrame(columns=["annee", "nature", "libelle", "montant_meur"])
    table = table.reindex(range(int(table.index.min()), ctx.annee + 1), fill_value=0.0)
    longue = (table / 1e6).round(3).stack().rename("montant_meur").reset_index()
    longue.columns = ["annee", "nature", "montant_meur"]
    longue["annee"] = longue["annee"].astype("int64")
    longue["nature"] = texte(longue["nature"])
    return _mode_nature(longue)


def tracer_annee(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres empilées des dépenses par nature et par année."""
    return traces.barres_empilees_annuelles(
        cadre, "nature", "montant_meur", style.COULEURS_NATURES, NATURES,
        "Dépenses déclarées (M€)",
    )


def _dominante(cadre: pd.DataFrame) -> pd.Series:
    large = cadre.pivot_table(index="annee", columns="nature", values="montant_meur",
                              aggfunc="sum")
    equipement = large.reindex(columns=list(EQUIPEMENT)).fillna(0).sum(axis=1)
    fonctionnement = large.drop(columns=list(EQUIPEMENT), errors="ignore").sum(axis=1)
    return pd.Series(np.where(equipement >= fonctionnement, "équipement", "fonctionnement"),
                     index=large.index)


def _phases_dominante(cadre: pd.DataFrame) -> str:
    dominante = _dominante(cadre)
    morceaux: list[tuple[str, int, int]] = []
    for annee, poste in dominante.items():
        if morceaux and morceaux[-1][0] == poste:
            morceaux[-1] = (poste, morceaux[-1][1], int(annee))
        else:
            morceaux.append((poste, int(annee), int(annee)))
    phrases = [
        f"{'l’' if poste == 'équipement' else 'le '}{poste} domine "
        f"{'en ' + str(a) if a == b else 'de ' + str(a) + ' à ' + str(b)}"
        for poste, a, b in morceaux
    ]
    return ", puis ".join(phrases)


def alt_annee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Texte alternatif : forme générale et total de l'année."""
    total = cadre.loc[cadre["annee"] == ctx.annee, "montant_meur"].sum()
    return (
        "Barres empilées des dépenses déclarées par nature et par année, "
        f"{tiret(int(cadre['annee'].min()), ctx.annee)}, en M€ : "
        f"{_phases_dominante(cadre)} ; {nombre(total, 1)} M€ en {ctx.annee}."
    )


def legende_annee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Légende : ce que regroupe chaque poste."""
    return (
        "Équipement immobilier et équipement mobilier : investissements ; personnel et "
        "fonctionnement (hors personnel) : ensemble, les dépenses de fonctionnement au sens "
        "large, dont parle le texte. Montants déclarés par les IHU, réactualisés le cas "
        "échéant."
    )


# --- répartition observée cumulée contre prévisionnelle ---------------------------------------
REPARTITIONS = {"observee": "Observée", "prevue": "Prévisionnelle"}


def donnees_observee(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Parts (%) des natures : dépenses cumulées jusqu'à N contre répartition prévisionnelle.

    Sources : :func:`synthese_ihu.indicateurs.depenses_par_nature` (cumul) et
    :func:`synthese_ihu.indicateurs.repartition_previsionnelle`.
    """
    observee = indicateurs.depenses_par_nature(donnees, ctx.annee).sum(axis=0)
    prevue = indicateurs.repartition_previsionnelle(donnees)
    if observee.sum() == 0 or prevue.sum() == 0:
        return pd.DataFrame(columns=["repartition", "libelle_repartition", "nature", "libelle",
                                     "part_pct"])
    blocs = [
        pd.DataFrame({"repartition": cle, "nature": list(NATURES),
                      "part_pct": _parts(parts.reindex(list(NATURES), fill_value=0.0))
                      .to_numpy()})
        for cle, parts in (("observee", observee), ("prevue", prevue))
    ]
    cadre = _mode_nature(pd.concat(blocs, ignore_index=True))
    cadre.insert(1, "libelle_repartition", cadre["repartition"].map(REPARTITIONS))
    return cadre


def _libelles_repartition(ctx: Contexte) -> dict[str, str]:
    return {
        "observee": f"Observée\n(cumul {tiret(PREMIERE_ANNEE_FINANCES, ctx.annee)})",
        "prevue": "Prévisionnelle\n(durée totale des projets)",
    }


def tracer_observee(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Deux barres à 100 % : répartition observée cumulée et répartition prévisionnelle."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    traces.barres_100(ax, cadre, "repartition", "nature", "part_pct", style.COULEURS_NATURES,
                      NATURES, ordre=list(REPARTITIONS), largeur=0.55)
    ax.set_xticks([0, 1], list(_libelles_repartition(ctx).values()))
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.6, 1.6)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, reverse=True)
    return fig


def _part_equipement(cadre: pd.DataFrame, cle: str) -> float:
    sous = cadre.loc[(cadre["repartition"] == cle) & cadre["nature"].isin(EQUIPEMENT)]
    return float(sous["part_pct"].sum())


def alt_observee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Texte alternatif : part de l'équipement observée et prévue."""
    obs, prev = _part_equipement(cadre, "observee"), _part_equipement(cadre, "prevue")
    return (
        "Deux barres à 100 % comparant la répartition par nature des dépenses cumulées "
        f"{tiret(PREMIERE_ANNEE_FINANCES, ctx.annee)} à la répartition prévisionnelle : "
        f"l'équipement représente {nombre(obs)} % des dépenses observées contre "
        f"{nombre(prev)} % prévus."
    )


def legende_observee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Légende : définition de la répartition prévisionnelle, arrondi des parts."""
    return (
        "Répartition prévisionnelle : annexes financières des conventions, sur la durée totale "
        "des projets des IHU suivis. Parts arrondies à l'unité de façon que chaque barre fasse "
        "100 %."
    )


# --- répartition par nature par IHU -----------------------------------------------------------
def donnees_par_ihu(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Part (%) de chaque nature dans les dépenses cumulées de chaque IHU (anonymisé).

    Les IHU sont triés par part de l'équipement décroissante
    (:func:`synthese_ihu.indicateurs.part_equipement_par_ihu`).
    """
    dep = _depenses(donnees, ctx.annee)
    if dep.empty:
        return pd.DataFrame(columns=["rang", "nature", "libelle", "part_pct"])
    large = dep.pivot_table(index="ihu", columns="nature", values="montant_eur", aggfunc="sum")
    large = large.reindex(columns=list(NATURES)).fillna(0.0)
    large = large.loc[large.sum(axis=1) > 0]
    parts = large.apply(_parts, axis=1)
    longue = parts.stack().rename("part_pct").reset_index()
    equipement = indicateurs.part_equipement_par_ihu(donnees, ctx.annee)
    equipement.index = equipement.index.astype(str)
    cadre = anonymiser(longue, equipement.reindex(parts.index), ID_PAR_IHU, croissant=False,
                       interne=interne)
    return _mode_nature(cadre)


def tracer_par_ihu(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres à 100 % par IHU, dans l'ordre de la figure."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    rangs = list(cadre.drop_duplicates("rang").sort_values("rang")["rang"])
    traces.barres_100(ax, cadre, "rang", "nature", "part_pct", style.COULEURS_NATURES, NATURES,
                      ordre=rangs, largeur=0.7)
    traces.axe_ihu(ax, cadre)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, reverse=True)
    return fig


def alt_par_ihu(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Texte alternatif : étendue de la part de l'équipement entre IHU."""
    equipement = (cadre.loc[cadre["nature"].isin(EQUIPEMENT)].groupby("rang")["part_pct"].sum())
    return (
        f"Barres à 100 %, une par IHU ({len(equipement)} IHU, anonymes, triés par part de "
        "l'équipement décroissante) : l'équipement représente de "
        f"{nombre(equipement.min())} % à {nombre(equipement.max())} % des dépenses cumulées "
        f"{tiret(PREMIERE_ANNEE_FINANCES, ctx.annee)} selon l'IHU."
    )


def legende_par_ihu(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Légende : anonymisation."""
    return (
        "Dépenses cumulées de chaque IHU depuis le début du projet. IHU anonymes, triés par part "
        "de l'équipement décroissante : l'ordre des IHU est propre à chaque figure."
    )


REPARTITION = Colonne(
    nom="repartition", titre="Répartition",
    description="observee : dépenses déclarées par les IHU ; prevue : annexes financières des "
    "conventions.")
LIBELLE_REPARTITION = Colonne(nom="libelle_repartition", titre="Libellé de la répartition",
                              description="Libellé affiché dans la figure.")

FIGURES = [
    Figure(
        id=ID_ANNEE, section="suivi_financier",
        titre="Dépenses déclarées par nature et par année, {f} (M€)",
        legende=legende_annee, alt=alt_annee, donnees=donnees_annee, tracer=tracer_annee,
        colonnes=(ANNEE, NATURE, LIBELLE, MONTANT_MEUR), absente="aucune dépense déclarée",
    ),
    Figure(
        id=ID_OBSERVEE, section="suivi_financier",
        titre="Répartition des dépenses par nature : observée ({f}) et prévisionnelle",
        legende=legende_observee, alt=alt_observee, donnees=donnees_observee,
        tracer=tracer_observee,
        colonnes=(REPARTITION, LIBELLE_REPARTITION, NATURE, LIBELLE, PART_PCT),
        absente="aucune dépense déclarée",
    ),
    Figure(
        id=ID_PAR_IHU, section="suivi_financier",
        titre="Répartition des dépenses cumulées par nature, par IHU, {f}",
        legende=legende_par_ihu, alt=alt_par_ihu, donnees=donnees_par_ihu,
        tracer=tracer_par_ihu, colonnes=(RANG, NATURE, LIBELLE, PART_PCT), par_ihu=True,
        decimales=0,  # parts (%) à l'unité, plus forts restes par IHU
        absente="aucune dépense déclarée",
        mesures=tuple(Mesure(colonne="part_pct", lignes={"nature": n}, echelle="log",
                             propres={f"log_depenses_{n}": 1, "log_depenses": -1})
                      for n in NATURES),
    ),
]
