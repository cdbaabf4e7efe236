"""Figures de la recherche : projets et production bibliométrique (SAMPRA) — volumes, catégories
de revues, positions d'auteurs. Impact et comparaisons : :mod:`.bibliometrie_impact`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu import constats, indicateurs
from synthese_ihu.figures import style, traces
from synthese_ihu.figures.base import Contexte, Figure, FigureIndisponible
from synthese_ihu.figures.colonnes import (
    ANNEE,
    ARTICLES,
    IHU_SUIVIS,
    LIBELLE_PERIODE,
    PART_PCT,
    PERIODE,
    Colonne,
)
from synthese_ihu.figures.commun import serie_avec_suivis, texte
from synthese_ihu.figures.precision import parts_arrondies
from synthese_ihu.figures.rendu import nouvelle_figure
from synthese_ihu.figures.textes import forme_serie, nombre, pourcentage

CATEGORIES = ("A", "B", "C", "D", "E", "NC")
POSITIONS = ("1", "2", "3", "k", "PA", "DA")
ENSEMBLE = "Ensemble"
LIBELLES_COURTS = {
    "1": "1\n(premier)", "2": "2\n(deuxième)", "3": "3\n(troisième)", "k": "k\n(intermédiaire)",
    "PA": "PA\n(avant-dernier)", "DA": "DA\n(dernier)",
}


def _signe(valeur: float, decimales: int = 0) -> str:
    """Écart signé à la française, décimales fixes : ``+12``, ``\u22123``, ``+5,0``, ``0``."""
    texte_ = style.nombre(abs(valeur), decimales, fixes=True)
    if round(abs(valeur), decimales) == 0:
        return texte_
    return ("+" if valeur > 0 else "\u2212") + texte_


def _exiger_periodes(ctx: Contexte) -> None:
    if ctx.p1 is None:
        raise FigureIndisponible(f"pas de périodes comparées en {ctx.annee}")


def _dans(annees: pd.Series, periode: tuple[int, int]) -> pd.Series:
    return annees.astype("int64").between(*periode)


# --- projets de recherche ---------------------------------------------------------------------
def donnees_projets(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Projets de recherche translationnelle ou multidisciplinaire en cours, par année."""
    return serie_avec_suivis(donnees, ctx.annee, "projets_recherche", "projets")


def tracer_projets(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Une barre par année."""
    return traces.barres_annuelles(cadre, "projets", "Projets en cours")


def alt_projets(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Forme de la série et valeur de l'année."""
    serie = cadre.set_index("annee")["projets"]
    fin_hausse = constats.fin_hausse_puis_plateau(serie)
    forme = forme_serie(serie) if fin_hausse is None else (
        f"{nombre(serie.iloc[-1])} en {ctx.annee} ; en hausse chaque année jusqu'en {fin_hausse} "
        f"({nombre(serie[fin_hausse])}), puis stable à 5 % près")
    return (
        f"Barres du nombre de projets de recherche en cours par année : {forme}."
    )


def legende_projets(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Définition de l'indicateur."""
    texte = "Projets en cours chaque année, quelle que soit leur source de financement."
    if cadre["ihu_suivis"].nunique() > 1:
        texte += " Les pointillés marquent un changement du nombre d'IHU suivis."
    return texte


# --- articles par catégorie de revue ----------------------------------------------------------
def donnees_categories(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Articles du périmètre labellisé par année (2012..N) et catégorie de revue.

    Source : :func:`synthese_ihu.indicateurs.articles_par_annee` (``par="categorie"``).
    """
    table = indicateurs.articles_par_annee(donnees, ctx.annee, par="categorie")
    if table.to_numpy().sum() == 0:
        return pd.DataFrame(columns=["annee", "categorie", "articles"])
    table.columns = [str(c) for c in table.columns]
    table = table.reindex(columns=list(CATEGORIES), fill_value=0)
    longue = table.stack().rename("articles").reset_index()
    longue.columns = ["annee", "categorie", "articles"]
    return longue.astype({"annee": "int64", "articles": "int64"})


def tracer_categories(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres empilées par catégorie, total au-dessus."""
    libelles = {c: ("Non classée (NC)" if c == "NC" else c) for c in CATEGORIES}
    return traces.barres_empilees_annuelles(
        cadre, "categorie", "articles", style.COULEURS_CATEGORIES, libelles, "Articles publiés",
        total=True,
    )


def alt_categories(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Total, forme de la série et part des catégories A et B."""
    par_an = cadre.groupby("annee")["articles"].sum()
    a_b = cadre.loc[cadre["categorie"].isin(["A", "B"]), "articles"].sum()
    return (
        "Barres empilées des articles publiés par année et catégorie de revue (A à E, NC) : "
        f"{nombre(par_an.sum())} articles de {par_an.index.min()} à {par_an.index.max()}, dont "
        f"{pourcentage(a_b / par_an.sum())} en catégories A et B ; total annuel : "
        f"{forme_serie(par_an)}."
    )


def legende_categories(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Catégories de revues et périmètre."""
    parts = ", ".join(
        f"{categorie} = {pourcentage(part)}"
        for categorie, part in indicateurs.PARTS_CATEGORIES_REVUES.items()
    )
    return (
        "Articles des IHU labellisés (export SAMPRA). Part des revues de chaque discipline par "
        f"catégorie, de la plus forte à la plus faible par facteur d'impact : {parts} ; "
        "NC = revues non classées par l'ISI."
    )


# --- évolution par catégorie ------------------------------------------------------------------
def donnees_evolution(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Évolution (%) du nombre d'articles P2 / P1 par catégorie, et pour l'ensemble.

    Sources : :func:`synthese_ihu.indicateurs.articles_evolution_par_categorie` et
    :func:`synthese_ihu.indicateurs.articles_evolution`.
    """
    _exiger_periodes(ctx)
    par_categorie = indicateurs.articles_evolution_par_categorie(donnees, ctx.annee)
    ensemble = indicateurs.articles_evolution(donnees, ctx.annee)
    if par_categorie is None or ensemble is None:
        raise FigureIndisponible("aucun article sur l'une des périodes")
    par_categorie.index = [str(c) for c in par_categorie.index]
    valeurs = [*par_categorie.reindex(list(CATEGORIES)).to_numpy(float), float(ensemble)]
    return pd.DataFrame({"categorie": [*CATEGORIES, ENSEMBLE],
                         "evolution_pct": np.round(100 * np.array(valeurs), 2)})


def tracer_evolution(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres d'évolution (négatives permises), valeur signée sur chaque barre."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    ordre = list(cadre["categorie"])
    valeurs = cadre["evolution_pct"].astype(float).to_numpy()
    couleurs = [style.COULEURS_CATEGORIES.get(c, style.ENCRE) for c in ordre]
    positions = np.arange(len(ordre))
    ax.bar(positions, valeurs, width=0.65, color=couleurs, edgecolor=style.GRIS, linewidth=0.4)
    traces.sans_axe_bas(ax)
    for x, v in zip(positions, valeurs, strict=True):
        if np.isnan(v):
            continue
        ax.annotate(pourcentage(v / 100, signe=True).replace("-", "\u2212"), (x, v),
                    xytext=(0, 2 if v >= 0 else -2), textcoords="offset points", ha="center",
                    va="bottom" if v >= 0 else "top", fontsize=7.5)
    ax.margins(y=0.15)
    libelles = ["Non classée\n(NC)" if c == "NC" else ("Toutes\ncatégories" if c == ENSEMBLE
                                                          else c) for c in ordre]
    ax.set_xticks(positions, libelles)
    ax.tick_params(axis="x", length=0)
    ax.set_xlabel("Catégorie de revue")
    style.axe_valeurs(ax, f"Évolution {ctx.lp2} / {ctx.lp1}", pourcentage=True, signe=True)
    return fig


def alt_evolution(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Évolution d'ensemble, catégories en baisse."""
    valeurs = cadre.set_index("categorie")["evolution_pct"]
    ensemble = valeurs.pop(ENSEMBLE)
    baisses = [f"{c} ({pourcentage(v / 100, signe=True)})" for c, v in valeurs.items() if v < 0]
    if not baisses:
        fin = "aucune catégorie en baisse"
    elif len(baisses) == 1:
        fin = f"seule la catégorie {baisses[0]} est en baisse"
    else:
        fin = f"catégories en baisse : {', '.join(baisses)}"
    return (
        f"Barres de l'évolution du nombre d'articles entre {ctx.lp1} et {ctx.lp2} par "
        f"catégorie de revue : {pourcentage(ensemble / 100, signe=True)} toutes catégories "
        f"confondues ; {fin}."
    )


def legende_evolution(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Définition des périodes."""
    return (
        f"Nombre d'articles des IHU labellisés sur {ctx.lp2} rapporté à celui de {ctx.lp1} "
        "(périodes de même durée), moins 1."
    )


# --- positions d'auteur -----------------------------------------------------------------------
def donnees_positions(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Articles (périmètre labellisé) par meilleure position d'un membre de l'IHU, P1 et P2 :
    nombre et part (%) des articles de la période (parts au dixième, de somme 100 par période,
    plus forts restes)."""
    _exiger_periodes(ctx)
    art = indicateurs.articles_labellises(donnees, ctx.annee)
    if art.empty:
        raise FigureIndisponible("aucun article")
    art = art.assign(position=texte(art["position"]))
    blocs = []
    for cle, periode, libelle in (("P1", ctx.p1, ctx.lp1), ("P2", ctx.p2, ctx.lp2)):
        compte = art.loc[_dans(art["annee"], periode)].groupby("position").size()
        compte = compte.reindex(list(POSITIONS), fill_value=0).astype("int64")
        parts = (parts_arrondies(compte.to_numpy(), 1) if compte.sum() > 0
                 else np.full(len(compte), np.nan))
        blocs.append(pd.DataFrame({"periode": cle, "libelle_periode": libelle,
                                   "position": list(POSITIONS), "articles": compte.to_numpy(),
                                   "part_pct": parts}))
    return pd.concat(blocs, ignore_index=True)


def tracer_positions(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres groupées par position, une couleur par période ; la part (%) des articles de la
    période au-dessus de chaque barre."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    libelles = dict(zip(cadre["periode"], cadre["libelle_periode"], strict=False))
    traces.barres_groupees(ax, cadre, "position", "periode", "articles", style.COULEURS_PERIODES,
                           POSITIONS, libelles)
    for conteneur, periode in zip(ax.containers, style.COULEURS_PERIODES, strict=False):
        parts = cadre.loc[cadre["periode"] == periode].set_index("position")["part_pct"]
        ax.bar_label(conteneur, labels=[f"{nombre(parts[p], 1)}\u00a0%" for p in POSITIONS],
                     padding=1.5, fontsize=6.5, color=style.ENCRE)
    ax.margins(y=0.12)
    ax.set_xticks(range(len(POSITIONS)), [LIBELLES_COURTS[p] for p in POSITIONS])
    ax.set_xlabel("Meilleure position d'un membre de l'IHU parmi les auteurs")
    ax.tick_params(axis="x", length=0)
    style.axe_valeurs(ax, "Articles publiés", entier=True)
    return fig


def _parts_p2(cadre: pd.DataFrame) -> pd.Series:
    return cadre.loc[cadre["periode"] == "P2"].set_index("position")["part_pct"] / 100


def alt_positions(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Parts premier/dernier et deuxième/avant-dernier sur P2, origine de la hausse."""
    parts = _parts_p2(cadre)
    large = cadre.pivot_table(index="position", columns="periode", values="articles")
    delta = large["P2"] - large["P1"]
    principal = str(delta.idxmax())
    return (
        f"Barres groupées des articles par position d'auteur, {ctx.lp1} et {ctx.lp2}, avec la "
        f"part de chaque position dans les articles de la période : sur {ctx.lp2}, "
        f"{pourcentage(parts['1'] + parts['DA'])} des articles ont un membre de "
        f"l'IHU en premier ou dernier auteur, {pourcentage(parts['2'] + parts['PA'])} en "
        f"deuxième ou avant-dernier ; la plus forte hausse est en position {principal}."
    )


def legende_positions(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Codes des positions, lecture des parts."""
    return (
        "Hauteur des barres : nombre d'articles ; au-dessus, part des articles de la période "
        "(parts arrondies au dixième, de somme 100 % par période). "
        "Position : 1 = premier auteur, 2 = deuxième, 3 = troisième, k = intermédiaire, "
        "PA = avant-dernier, DA = dernier auteur. Quand plusieurs membres d'un IHU signent un "
        "article, seule la meilleure position compte."
    )


# --- croissance par IHU contre France et monde ------------------------------------------------
#: Références comparées : (clé, libellé de la série d'écarts).


CATEGORIE = Colonne(
    nom="categorie", titre="Catégorie de revue",
    description="Catégorie de la revue (A à E, NC : non classée ; Ensemble : toutes "
    "catégories).")
EVOLUTION_PCT = Colonne(nom="evolution_pct", titre="Évolution (%)",
                        description="Évolution en pourcentage entre les deux périodes comparées.",
                        unite="%")
POSITION = Colonne(
    nom="position", titre="Position d'auteur",
    description="Meilleure position d'un membre de l'IHU parmi les auteurs : 1, 2, 3, k "
    "(intermédiaire), PA (avant-dernier), DA (dernier).")
PROJETS = Colonne(nom="projets", titre="Projets en cours",
                  description="Projets de recherche translationnelle ou multidisciplinaire.",
                  unite="nombre")
_PERIODES = "il faut au moins trois années de données pour comparer deux périodes"

FIGURES = [
    Figure(id="projets_annee", section="recherche",
           titre="Projets de recherche translationnelle ou multidisciplinaire en cours, {d}",
           legende=legende_projets, alt=alt_projets, donnees=donnees_projets,
           tracer=tracer_projets, colonnes=(ANNEE, PROJETS, IHU_SUIVIS),
           absente="aucun projet déclaré"),
    Figure(id="articles_categorie_annee", section="recherche",
           titre="Articles publiés par année et catégorie de revue, {b}",
           legende=legende_categories, alt=alt_categories, donnees=donnees_categories,
           tracer=tracer_categories, colonnes=(ANNEE, CATEGORIE, ARTICLES),
           absente="aucun article"),
    Figure(id="evolution_categories", section="recherche",
           titre="Évolution du nombre d'articles par catégorie de revue, {p2} par rapport à "
           "{p1}",
           legende=legende_evolution, alt=alt_evolution, donnees=donnees_evolution,
           tracer=tracer_evolution, colonnes=(CATEGORIE, EVOLUTION_PCT), absente=_PERIODES),
    Figure(id="positions_auteurs", section="recherche",
           titre="Articles selon la position des auteurs membres d'un IHU, {p1} et {p2}",
           legende=legende_positions, alt=alt_positions, donnees=donnees_positions,
           tracer=tracer_positions,
           colonnes=(PERIODE, LIBELLE_PERIODE, POSITION, ARTICLES, PART_PCT),
           absente=_PERIODES),
]
