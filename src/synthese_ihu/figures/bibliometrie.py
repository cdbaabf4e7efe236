"""Figures de la recherche : projets et bibliométrie (SAMPRA, références Web of Science)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu import constats, indicateurs
from synthese_ihu.figures import style, traces
from synthese_ihu.figures.anonymisation import anonymiser
from synthese_ihu.figures.base import Contexte, Figure, FigureIndisponible
from synthese_ihu.figures.colonnes import (
    ANNEE,
    ARTICLES,
    ECART_POINTS,
    GROUPE,
    IHU_SUIVIS,
    INDICATEUR,
    LIBELLE,
    LIBELLE_PERIODE,
    PART_PCT,
    PERIODE,
    RANG,
    SERIE,
    Colonne,
)
from synthese_ihu.figures.commun import contexte, serie_avec_suivis, texte, vue
from synthese_ihu.figures.precision import parts_arrondies
from synthese_ihu.figures.rendu import nouvelle_figure
from synthese_ihu.figures.textes import forme_serie, nombre, pourcentage

CATEGORIES = ("A", "B", "C", "D", "E", "NC")
POSITIONS = ("1", "2", "3", "k", "PA", "DA")
LIBELLES_COURTS = {
    "1": "1\n(premier)", "2": "2\n(deuxième)", "3": "3\n(troisième)", "k": "k\n(intermédiaire)",
    "PA": "PA\n(avant-dernier)", "DA": "DA\n(dernier)",
}
ENSEMBLE = "Ensemble"
ID_CROISSANCE = "croissance_ihu_france_monde"
ID_TOP_IHU = "top_cites_ihu_france"
#: Décimales publiées des figures par IHU : écarts aux références en points, à l'unité ; parts
#: de quelques % et écarts du top 1 % (moins d'un point), à une décimale.
DECIMALES_CROISSANCE, DECIMALES_PART_FRANCE, DECIMALES_TOP_IHU, DECIMALES_REMERCIEMENTS = (
    0, 1, 1, 0)


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
REFERENCES = {"France": "Écart à la France (mêmes catégories WoS)",
              "Monde": "Écart au monde (mêmes catégories WoS)"}


def _monde(donnees: Any, ctx: Contexte) -> pd.Series:
    """Croissance P2/P1 des articles du monde dans les catégories WoS de chaque IHU.

    :mod:`synthese_ihu.indicateurs` ne compare qu'à la France : le monde est calculé ici, avec
    les mêmes périodes et le même périmètre (références WoS, IHU inclus).
    """
    ref = donnees.references_wos
    ref = ref.loc[texte(ref["perimetre"]).eq("Monde")]
    ihu = texte(ref["ihu"])
    sommes = [ref.loc[_dans(ref["annee"], p)].groupby(ihu)["articles"].sum()
              for p in (ctx.p1, ctx.p2)]
    return pd.Series({i: indicateurs.variation_relative(float(sommes[0].get(i, 0)),
                                                        float(sommes[1].get(i, 0)))
                      for i in sorted(set(ihu))}, dtype="float64")


def evolution_vs_references(donnees: Any, annee: int) -> pd.DataFrame | None:
    """Par IHU : croissance P1 → P2 de l'IHU, de la France et du monde dans ses catégories WoS,
    et si l'IHU croît plus vite que chacune (la règle que citent le texte et la figure).

    Returns
    -------
    DataFrame or None
        Index IHU ; colonnes ``croissance_ihu``, ``croissance_france``, ``croissance_monde``
        (parts, 0,20 = +20 %), ``plus_rapide_france``, ``plus_rapide_monde`` ; ``None`` sans
        périodes comparées ni références.
    """
    ctx = contexte(annee)
    if ctx.p1 is None:
        return None
    donnees = vue(donnees, annee)
    tableau = indicateurs.evolution_vs_france(donnees, annee)
    if tableau is None or tableau.empty:
        return None
    tableau = tableau.astype({"croissance_ihu": "float64", "croissance_france": "float64"})
    tableau.index = tableau.index.astype(str)
    tableau = tableau.dropna(subset=["croissance_ihu"])
    if tableau.empty:
        return None
    tableau["croissance_monde"] = _monde(donnees, ctx).reindex(tableau.index)
    for ref in ("france", "monde"):
        tableau[f"plus_rapide_{ref}"] = [
            bool(constats.plus_rapide(c, r))
            for c, r in zip(tableau["croissance_ihu"], tableau[f"croissance_{ref}"], strict=True)]
    return tableau.drop(columns=["plus_rapide"])


def donnees_croissance(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Écart (points) entre la croissance P2/P1 des articles de chaque IHU et celle de la France
    et du monde dans ses catégories WoS (anonymisé, tri par écart à la France décroissant).

    Protection : les références France et monde d'un IHU se recalculent avec les outils
    bibliométriques publics à partir de ses catégories, que le rapport nomme ; publiées par IHU,
    elles étiquetteraient chaque barre. Seuls les écarts, arrondis au point
    (:mod:`synthese_ihu.figures.precision`), sont publiés par IHU ; les références le sont en
    fourchette (légende). Source : :func:`evolution_vs_references`.
    """
    _exiger_periodes(ctx)
    tableau = evolution_vs_references(donnees, ctx.annee)
    if tableau is None:
        raise FigureIndisponible("aucune référence bibliométrique")
    longue = pd.DataFrame(
        [(i, ref, 100 * float(tableau.loc[i, "croissance_ihu"]
                              - tableau.loc[i, f"croissance_{ref.lower()}"]))
         for i in tableau.index for ref in REFERENCES],
        columns=["ihu", "reference", "ecart_points"],
    )
    ecart_france = tableau["croissance_ihu"] - tableau["croissance_france"]
    cadre = anonymiser(longue, ecart_france, "croissance_ihu_france_monde", croissant=False,
                       interne=interne)
    cadre["reference"] = pd.Categorical(cadre["reference"], categories=list(REFERENCES))
    cadre = cadre.sort_values(["rang", "reference"], kind="mergesort")
    cadre["reference"] = cadre["reference"].astype(str)
    return cadre.reset_index(drop=True)


def fourchettes_references(donnees: Any, annee: int) -> dict[str, tuple[float, float]] | None:
    """Fourchette (min, max) des croissances de référence France et monde, en % : ce qui est
    publié des références par IHU (jamais par IHU)."""
    tableau = evolution_vs_references(donnees, annee)
    if tableau is None:
        return None
    return {ref: (100 * float(tableau[f"croissance_{ref.lower()}"].min()),
                  100 * float(tableau[f"croissance_{ref.lower()}"].max()))
            for ref in REFERENCES}


def tracer_croissance(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres groupées par IHU : écart à la France, écart au monde (points)."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    rangs = sorted(cadre["rang"].unique())
    couleurs = {"France": style.COULEURS_SERIES["France"],
                "Monde": style.COULEURS_SERIES["Monde"]}
    traces.barres_groupees(ax, cadre, "rang", "reference", "ecart_points", couleurs, rangs,
                           REFERENCES)
    for conteneur, ref in zip(ax.containers, couleurs, strict=False):
        valeurs = cadre.loc[cadre["reference"] == ref].sort_values("rang")["ecart_points"]
        ax.bar_label(conteneur, labels=[_signe(v, DECIMALES_CROISSANCE)
                                        for v in valeurs], padding=1.5,
                     fontsize=6.5, color=style.ENCRE)
    ax.margins(y=0.12)
    traces.sans_axe_bas(ax)
    traces.axe_ihu(ax, cadre)
    style.axe_valeurs(ax, f"Écart de croissance {ctx.lp2} / {ctx.lp1} (points)", signe=True)
    return fig


def alt_croissance(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Combien d'IHU croissent plus vite que la France, que le monde ; étendue des écarts."""
    large = cadre.pivot_table(index="rang", columns="reference", values="ecart_points")
    return (
        f"Barres groupées, par IHU anonyme, de l'écart entre l'évolution du nombre d'articles de "
        f"l'IHU entre {ctx.lp1} et {ctx.lp2} et celle de la France et du monde dans ses "
        f"catégories du Web of Science, en points : écart à la France de "
        f"{_signe(large['France'].min())} à {_signe(large['France'].max())}"
        f" points, écart au monde de {_signe(large['Monde'].min())} à "
        f"{_signe(large['Monde'].max())} points."
    )


def legende_croissance(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Périmètres comparés, fourchettes des références, protection et anonymisation."""
    return (
        "Croissance de la production SAMPRA de chaque IHU (y compris avant sa labellisation) "
        "moins celle des articles de ses catégories du Web of Science, en France et dans le "
        "monde (production de l'IHU incluse), en points, arrondie à l'unité. Les références "
        "propres à chaque IHU ne sont données qu'en fourchette (texte ci-dessus) : calculables "
        "à partir des catégories nommées, elles permettraient de reconnaître chaque IHU. IHU "
        "anonymes, triés par écart à la France décroissant : ordre propre à cette figure."
    )


# --- part de la production française ----------------------------------------------------------
def donnees_part_france(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Part (%) des articles de chaque IHU dans la production française de ses catégories WoS,
    sur P1 et P2 (anonymisé ; tri par part croissante sur P2).

    Source : :func:`synthese_ihu.indicateurs.part_france`.
    """
    _exiger_periodes(ctx)
    tableau = indicateurs.part_france(donnees, ctx.annee)
    if tableau is None or tableau.empty:
        raise FigureIndisponible("aucune référence bibliométrique")
    tableau = tableau.astype({"part_p1": "float64", "part_p2": "float64"})
    tableau.index = tableau.index.astype(str)
    tableau = tableau.dropna(subset=["part_p1", "part_p2"], how="all")
    if tableau.empty:
        raise FigureIndisponible("aucune référence française")
    longue = pd.DataFrame(
        [(i, cle, libelle, round(100 * float(tableau.loc[i, f"part_{cle.lower()}"]), 3))
         for i in tableau.index for cle, libelle in (("P1", ctx.lp1), ("P2", ctx.lp2))],
        columns=["ihu", "periode", "libelle_periode", "part_pct"],
    )
    cadre = anonymiser(longue, tableau["part_p2"], "part_production_francaise", croissant=True,
                       interne=interne)
    return cadre.sort_values(["rang", "periode"], kind="mergesort").reset_index(drop=True)


def tracer_part_france(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres groupées par IHU : P1 et P2."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    rangs = sorted(cadre["rang"].unique())
    libelles = dict(zip(cadre["periode"], cadre["libelle_periode"], strict=False))
    traces.barres_groupees(ax, cadre, "rang", "periode", "part_pct", style.COULEURS_PERIODES,
                           rangs, libelles)
    traces.axe_ihu(ax, cadre)
    style.axe_valeurs(ax, "Part de la production française", pourcentage=True, decimales=1)
    return fig


def alt_part_france(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Nombre d'IHU dont la part augmente."""
    large = cadre.pivot_table(index="rang", columns="periode", values="part_pct")
    hausse = int((large["P2"] > large["P1"]).sum())
    return (
        "Barres groupées, par IHU anonyme, de la part de ses articles dans la production "
        f"française de ses catégories du Web of Science, {ctx.lp1} et {ctx.lp2} : la part "
        f"augmente pour {hausse} IHU sur {len(large)} ; sur {ctx.lp2}, de "
        f"{nombre(large['P2'].min(), 1)} % à {nombre(large['P2'].max(), 1)} % selon l'IHU."
    )


def legende_part_france(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Périmètre et anonymisation."""
    return (
        "Articles de l'IHU (SAMPRA, y compris avant labellisation) rapportés aux articles "
        "français des mêmes catégories du Web of Science. IHU anonymes, triés par part "
        f"croissante sur {ctx.lp2} : ordre propre à cette figure."
    )


# --- articles les plus cités par année --------------------------------------------------------
TOPS = {"top10": "Top 10 %", "top1": "Top 1 %"}


def donnees_top_annee(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Articles parmi les 10 % et les 1 % les plus cités au monde, par année (labellisés).

    Source : :func:`synthese_ihu.indicateurs.top_cites_par_annee`.
    """
    table = indicateurs.top_cites_par_annee(donnees, ctx.annee)
    if table.to_numpy().sum() == 0:
        return pd.DataFrame(columns=["annee", "indicateur", "libelle", "articles"])
    blocs = [pd.DataFrame({"annee": table.index.astype("int64"), "indicateur": cle,
                           "libelle": libelle, "articles": table[cle].to_numpy("int64")})
             for cle, libelle in TOPS.items()]
    return pd.concat(blocs, ignore_index=True)


def tracer_top_annee(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Deux panneaux côte à côte (échelles propres) : top 10 %, top 1 %."""
    fig = nouvelle_figure()
    axes = fig.subplots(1, 2)
    for ax, (cle, libelle) in zip(axes, TOPS.items(), strict=True):
        sous = cadre.loc[cadre["indicateur"] == cle].sort_values("annee")
        annees = list(sous["annee"])
        hauteurs = sous["articles"].astype(float).to_numpy()
        ax.bar(np.arange(len(annees)), hauteurs, width=0.7,
               color=style.BLEU if cle == "top10" else style.BLEU_CIEL)
        ax.set_title(f"Articles du {libelle.lower()} mondial", loc="left", fontsize=8.5)
        style.axe_annees(ax, annees)
        style.axe_valeurs(ax, "Articles" if cle == "top10" else "", entier=True)
        if len(annees) > 8:
            for etiquette in ax.get_xticklabels():
                etiquette.set_rotation(90)
    return fig


def alt_top_annee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Tendance et dernière année."""
    morceaux = []
    for cle, libelle in TOPS.items():
        serie = cadre.loc[cadre["indicateur"] == cle].set_index("annee")["articles"]
        fin = int(serie.index.max())
        morceaux.append(f"{libelle} : {nombre(serie.loc[fin])} en {fin}, "
                        f"maximum {nombre(serie.max())} en {int(serie.idxmax())}")
    return (
        "Deux diagrammes en barres du nombre d'articles parmi les plus cités au monde, par "
        f"année de publication ({' ; '.join(morceaux)})."
    )


def legende_top_annee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Pourquoi la dernière année est basse."""
    return (
        "Articles des IHU labellisés parmi les 10 % (à gauche) et les 1 % (à droite) les plus "
        "cités au monde ; échelles différentes. Les articles les plus récents, encore peu cités, "
        "y sont mécaniquement sous-représentés."
    )


# --- part des articles les plus cités, par IHU et France --------------------------------------
def donnees_top_ihu(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Articles top 10 % et top 1 % sur P2 : écart (points) entre la part de chaque IHU et celle
    de la France dans ses catégories WoS (``ecart_points``), et, pour l'ensemble des IHU
    (``rang`` vide), la part des IHU et celle de la France (``part_pct``) ; anonymisé, tri par
    écart du top 10 % décroissant. Source : :func:`synthese_ihu.indicateurs.top_cites_vs_france`.

    Protection : la part de la France dans les catégories d'un IHU se recalcule à partir de ses
    catégories nommées ; seuls les écarts sont publiés par IHU (voir
    :func:`donnees_croissance`).
    """
    _exiger_periodes(ctx)
    tableau = indicateurs.top_cites_vs_france(donnees, ctx.annee)
    if tableau is None or tableau.drop(index="ensemble", errors="ignore").dropna().empty:
        raise FigureIndisponible("aucune référence bibliométrique")
    tableau.index = tableau.index.astype(str)
    ensemble = tableau.loc["ensemble"]
    par_ihu = tableau.drop(index="ensemble").dropna()
    lignes = [(i, "IHU", cle, "Écart à la France", np.nan,
               100 * float(par_ihu.loc[i, f"{cle}_ihu"] - par_ihu.loc[i, f"{cle}_france"]))
              for i in par_ihu.index for cle in TOPS]
    cadre = pd.DataFrame(lignes, columns=["ihu", "groupe", "indicateur", "serie", "part_pct",
                                          "ecart_points"])
    cadre = anonymiser(cadre, par_ihu["top10_ihu"] - par_ihu["top10_france"],
                       "top_cites_ihu_france", croissant=False, interne=interne)
    cadre["rang"] = cadre["rang"].astype("Int64")
    total = pd.DataFrame([(pd.NA, "Ensemble des IHU", cle, serie,
                           100 * float(ensemble[f"{cle}_{col}"]), np.nan)
                          for cle in TOPS for serie, col in (("IHU", "ihu"),
                                                             ("France", "france"))],
                         columns=["rang", "groupe", "indicateur", "serie", "part_pct",
                                  "ecart_points"])
    total["rang"] = total["rang"].astype("Int64")
    cadre = pd.concat([cadre, total], ignore_index=True)
    cadre.insert(cadre.columns.get_loc("indicateur") + 1, "libelle",
                 cadre["indicateur"].map(TOPS))
    return cadre


def _ensemble_top(cadre: pd.DataFrame) -> pd.Series:
    ens = cadre.loc[cadre["rang"].isna()]
    return ens.set_index(["indicateur", "serie"])["part_pct"]


def tracer_top_ihu(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Deux panneaux (top 10 %, top 1 %) : écart de chaque IHU à la France (points) ; parts de
    l'ensemble des IHU et de la France dans le titre du panneau."""
    fig = nouvelle_figure()
    axes = fig.subplots(1, 2)
    ens = _ensemble_top(cadre)
    ihu = cadre.dropna(subset=["rang"])
    for ax, (cle, libelle) in zip(axes, TOPS.items(), strict=True):
        sous = ihu.loc[ihu["indicateur"] == cle].sort_values("rang")
        valeurs = sous["ecart_points"].astype(float).to_numpy()
        positions = np.arange(len(sous))
        ax.bar(positions, valeurs, width=0.65, color=style.COULEURS_SERIES["IHU"])
        ax.bar_label(ax.containers[0],
                     labels=[_signe(v, DECIMALES_TOP_IHU) for v in valeurs],
                     padding=1.5,
                     fontsize=6.5, color=style.ENCRE)
        ax.margins(y=0.15)
        traces.sans_axe_bas(ax)
        ax.set_title(f"{libelle} les plus cités : ensemble des IHU "
                     f"{style.nombre(ens[cle, 'IHU'], 1, fixes=True)}\u00a0%,\nFrance "
                     f"{style.nombre(ens[cle, 'France'], 1, fixes=True)}\u00a0%", loc="left",
                     fontsize=8)
        traces.axe_ihu(ax, sous)
        ax.set_xlabel("IHU (ordre propre à cette figure)", loc="right")
        style.axe_valeurs(ax, "Écart à la France (points)" if cle == "top10" else "",
                          decimales=1)
    return fig


def alt_top_ihu(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Parts d'ensemble et nombre d'IHU au-dessus de la France."""
    ihu = cadre.dropna(subset=["rang"])
    ecarts = ihu.loc[ihu["indicateur"] == "top10", "ecart_points"]
    ens = _ensemble_top(cadre)
    dessus = int((ecarts > 0).sum())
    return (
        f"Deux diagrammes en barres, par IHU anonyme, de l'écart entre la part de ses articles "
        f"de {ctx.lp2} parmi les 10 % et les 1 % les plus cités et celle de la France dans ses "
        f"catégories du Web of Science : top 10 %, {nombre(ens['top10', 'IHU'], 1)} % pour "
        f"l'ensemble des IHU contre {nombre(ens['top10', 'France'], 1)} % pour la France, "
        f"{dessus} IHU sur {len(ecarts)} au-dessus de la France ; top 1 %, "
        f"{nombre(ens['top1', 'IHU'], 1)} % contre {nombre(ens['top1', 'France'], 1)} %."
    )


def legende_top_ihu(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Périmètre, protection et anonymisation."""
    return (
        f"Articles publiés sur {ctx.lp2} (production SAMPRA des IHU) ; France : articles des "
        "catégories du Web of Science de chaque IHU, articles des IHU inclus. Par IHU, seul "
        "l'écart à la France est montré, en points (une décimale) : la part de la France dans "
        "les catégories nommées d'un IHU permettrait de le reconnaître. IHU anonymes, triés par "
        "écart du top 10 % décroissant : ordre propre à cette figure."
    )


# --- remerciements ----------------------------------------------------------------------------
def donnees_remerciements(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Part (%) des articles de P2 (labellisés) mentionnant l'aide de l'État, par IHU
    (anonymisé, tri décroissant) et pour l'ensemble des IHU (``rang`` vide).

    L'ensemble vient de :func:`synthese_ihu.indicateurs.remerciements` ; la part par IHU, que ce
    module ne donne pas, est calculée ici sur le même périmètre.
    """
    _exiger_periodes(ctx)
    ensemble = indicateurs.remerciements(donnees, ctx.annee)
    art = indicateurs.articles_labellises(donnees, ctx.annee)
    art = art.loc[_dans(art["annee"], ctx.p2)]
    if ensemble is None or art.empty:
        raise FigureIndisponible("aucun article")
    parts = (100 * art.groupby(texte(art["ihu"]))["remerciement"].mean()).round(3)
    cadre = pd.DataFrame({"ihu": parts.index, "groupe": "IHU", "part_pct": parts.to_numpy()})
    cadre = anonymiser(cadre, parts, "remerciements_ihu", croissant=False, interne=interne)
    cadre["rang"] = cadre["rang"].astype("Int64")
    total = pd.DataFrame({"rang": pd.array([pd.NA], dtype="Int64"),
                          "groupe": ["Ensemble des IHU"],
                          "part_pct": [round(100 * ensemble, 3)]})
    return pd.concat([cadre, total], ignore_index=True)


def tracer_remerciements(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Une barre par IHU, trait pointillé pour l'ensemble."""
    return traces.barres_ihu_et_ensemble(
        cadre, "part_pct", DECIMALES_REMERCIEMENTS,
        "Ensemble des IHU : {ensemble}\u00a0% des articles",
        "Articles avec remerciements",
    )


def alt_remerciements(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Part d'ensemble et étendue."""
    ihu = cadre.loc[cadre["groupe"] == "IHU", "part_pct"]
    ensemble = float(cadre.loc[cadre["groupe"] != "IHU", "part_pct"].iloc[0])
    return (
        f"Barres, par IHU anonyme, de la part des articles de {ctx.lp2} mentionnant l'aide de "
        f"l'État : {nombre(ensemble)} % pour l'ensemble des IHU, de {nombre(ihu.min())} % à "
        f"{nombre(ihu.max())} % selon l'IHU."
    )


def legende_remerciements(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Ce qui compte comme remerciement."""
    return (
        f"Articles des IHU labellisés publiés sur {ctx.lp2}, références erronées ou simple "
        "mention de l'IHU comprises. IHU anonymes, triés par part décroissante : ordre propre à "
        "cette figure ; pointillés : ensemble des IHU."
    )


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
REFERENCE = Colonne(
    nom="reference", titre="Référence",
    description="Référence comparée : France ou Monde, dans les catégories du Web of Science de "
    "l'IHU.")
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
    Figure(id=ID_CROISSANCE, section="recherche",
           titre="Évolution du nombre d'articles par IHU : écart à la France et au monde, "
           "{p2} par rapport à {p1}",
           legende=legende_croissance, alt=alt_croissance, donnees=donnees_croissance,
           tracer=tracer_croissance, colonnes=(RANG, REFERENCE, ECART_POINTS), par_ihu=True,
           decimales=DECIMALES_CROISSANCE, absente=_PERIODES),
    Figure(id="part_production_francaise", section="recherche",
           titre="Part de chaque IHU dans la production française de ses domaines, {p1} et "
           "{p2}",
           legende=legende_part_france, alt=alt_part_france, donnees=donnees_part_france,
           tracer=tracer_part_france, colonnes=(RANG, PERIODE, LIBELLE_PERIODE, PART_PCT),
           par_ihu=True, decimales=DECIMALES_PART_FRANCE, absente=_PERIODES),
    Figure(id="top_cites_annee", section="recherche",
           titre="Articles parmi les 10 % et 1 % les plus cités au monde, par année, {b}",
           legende=legende_top_annee, alt=alt_top_annee, donnees=donnees_top_annee,
           tracer=tracer_top_annee, colonnes=(ANNEE, INDICATEUR, LIBELLE, ARTICLES),
           absente="aucun article"),
    Figure(id=ID_TOP_IHU, section="recherche",
           titre="Part des articles les plus cités : écart de chaque IHU à la France, {p2}",
           legende=legende_top_ihu, alt=alt_top_ihu, donnees=donnees_top_ihu,
           tracer=tracer_top_ihu,
           colonnes=(RANG, GROUPE, INDICATEUR, LIBELLE, SERIE, PART_PCT, ECART_POINTS),
           par_ihu=True, decimales=DECIMALES_TOP_IHU, absente=_PERIODES),
    Figure(id="remerciements_ihu", section="recherche",
           titre="Part des articles mentionnant l'aide de l'État, par IHU, {p2}",
           legende=legende_remerciements, alt=alt_remerciements, donnees=donnees_remerciements,
           tracer=tracer_remerciements, colonnes=(RANG, GROUPE, PART_PCT), par_ihu=True,
           decimales=DECIMALES_REMERCIEMENTS, absente=_PERIODES),
]
