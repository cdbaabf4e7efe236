"""Figures de la bibliométrie comparée : écarts de croissance à la France et au monde (références
Web of Science), part française (une barre par IHU, anonymisée). Production :
:mod:`.bibliometrie` ; articles les plus cités et remerciements : :mod:`.bibliometrie_citations`."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu import constats, indicateurs
from synthese_ihu.figures import style, traces
from synthese_ihu.figures.anonymisation import anonymiser
from synthese_ihu.figures.base import Contexte, Figure, FigureIndisponible, Mesure
from synthese_ihu.figures.bibliometrie import (
    _PERIODES,
    _dans,
    _exiger_periodes,
    _signe,
)
from synthese_ihu.figures.colonnes import (
    ECART_POINTS,
    LIBELLE_PERIODE,
    PART_PCT,
    PERIODE,
    RANG,
    Colonne,
)
from synthese_ihu.figures.commun import contexte, texte, vue
from synthese_ihu.figures.rendu import nouvelle_figure
from synthese_ihu.figures.textes import nombre

ID_CROISSANCE = "croissance_ihu_france_monde"
#: Décimales publiées des figures par IHU : écarts aux références en points, à l'unité ; parts
#: de quelques %, à une décimale.
DECIMALES_CROISSANCE, DECIMALES_PART_FRANCE = 0, 1




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
    # périodes de l'export bibliométrique (celles d'evolution_vs_france), pas de l'année cible :
    # un export non renouvelé ne compare pas le monde sur des années qu'il ne couvre pas
    ctx = contexte(annee, donnees)
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
    dans ses catégories WoS (anonymisé, tri par écart décroissant).

    Protection : les références France et monde d'un IHU se recalculent avec les outils
    bibliométriques publics à partir de ses catégories, que le rapport nomme. Publiés pour le
    même IHU anonyme, l'écart à la France et l'écart au monde se retranchent : leur différence,
    croissance France moins croissance monde, ne dépend que des catégories et étiquette la barre.
    Une seule comparaison est donc publiée par IHU (la France) ; le monde ne l'est qu'en nombre
    d'IHU et en fourchette de références (texte). Les écarts sont arrondis au point
    (:mod:`synthese_ihu.figures.precision`). Source : :func:`evolution_vs_references`.
    """
    _exiger_periodes(ctx)
    tableau = evolution_vs_references(donnees, ctx.annee)
    if tableau is None:
        raise FigureIndisponible("aucune référence bibliométrique")
    ecart_france = tableau["croissance_ihu"] - tableau["croissance_france"]
    longue = pd.DataFrame({"ihu": tableau.index, "reference": "France",
                           "ecart_points": (100 * ecart_france).astype("float64").to_numpy()})
    cadre = anonymiser(longue, ecart_france, ID_CROISSANCE, croissant=False, interne=interne)
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
    """Une barre par IHU : écart à la France (points)."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    valeurs = cadre.sort_values("rang")["ecart_points"].astype(float).to_numpy()
    ax.bar(range(len(valeurs)), valeurs, width=0.65, color=style.COULEURS_SERIES["France"],
           label=REFERENCES["France"])
    ax.bar_label(ax.containers[0], labels=[_signe(v, DECIMALES_CROISSANCE) for v in valeurs],
                 padding=1.5, fontsize=6.5, color=style.ENCRE)
    ax.margins(y=0.12)
    traces.sans_axe_bas(ax)
    traces.axe_ihu(ax, cadre.sort_values("rang"))
    style.axe_valeurs(ax, "Écart de croissance (points)", signe=True)  # périodes : légende
    return fig


def alt_croissance(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Combien d'IHU croissent plus vite que la France ; étendue des écarts."""
    ecarts = cadre["ecart_points"]
    return (
        f"Barres, par IHU anonyme, de l'écart entre l'évolution du nombre d'articles de l'IHU "
        f"entre {ctx.lp1} et {ctx.lp2} et celle de la France dans ses catégories du Web of "
        f"Science, en points : {int((ecarts > 0).sum())} IHU sur {len(ecarts)} au-dessus de la "
        f"France, écarts de {_signe(ecarts.min())} à {_signe(ecarts.max())} points."
    )


def legende_croissance(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Périmètre comparé, protection et anonymisation."""
    return (
        "Croissance de la production SAMPRA de chaque IHU (y compris avant sa labellisation) "
        "moins celle des articles français de ses catégories du Web of Science (production de "
        "l'IHU incluse), en points, arrondie à l'unité. La comparaison au monde n'est donnée "
        "qu'en nombre d'IHU (texte ci-dessus) : publiés ensemble pour un même IHU, les deux "
        "écarts donneraient, par différence, un chiffre propre à ses catégories nommées, qui le "
        "ferait reconnaître. IHU anonymes, triés par écart décroissant : ordre propre à cette "
        "figure."
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


REFERENCE = Colonne(
    nom="reference", titre="Référence",
    description="Référence comparée : France, dans les catégories du Web of Science de l'IHU "
    "(la comparaison au monde n'est publiée qu'en nombre d'IHU).")

FIGURES = [
    Figure(id=ID_CROISSANCE, section="recherche",
           titre="Évolution du nombre d'articles par IHU : écart à la France, {p2} par "
           "rapport à {p1}",
           legende=legende_croissance, alt=alt_croissance, donnees=donnees_croissance,
           tracer=tracer_croissance, colonnes=(RANG, REFERENCE, ECART_POINTS), par_ihu=True,
           decimales=DECIMALES_CROISSANCE, absente=_PERIODES,
           mesures=(Mesure(colonne="ecart_points", lignes={"reference": "France"},
                           propres={"croissance_articles": 1},
                           nominatives={"croissance_france_categories": -1}),)),
    Figure(id="part_production_francaise", section="recherche",
           titre="Part de chaque IHU dans la production française de ses domaines, {p1} et "
           "{p2}",
           legende=legende_part_france, alt=alt_part_france, donnees=donnees_part_france,
           tracer=tracer_part_france, colonnes=(RANG, PERIODE, LIBELLE_PERIODE, PART_PCT),
           par_ihu=True, decimales=DECIMALES_PART_FRANCE, absente=_PERIODES,
           # part = articles de l'IHU / articles français de ses catégories (quotient : log)
           mesures=tuple(Mesure(colonne="part_pct", lignes={"periode": p}, echelle="log",
                                propres={f"log_articles_{p}": 1},
                                nominatives={f"log_articles_france_categories_{p}": -1})
                         for p in ("P1", "P2"))),
]
