"""Figures des articles les plus cités (top 10 % et 1 %, écart de chaque IHU à la France) et des
remerciements à l'aide de l'État (une barre par IHU, anonymisée)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu import indicateurs
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
    ANNEE,
    ARTICLES,
    ECART_POINTS,
    GROUPE,
    INDICATEUR,
    LIBELLE,
    PART_PCT,
    RANG,
    SERIE,
)
from synthese_ihu.figures.commun import texte
from synthese_ihu.figures.rendu import nouvelle_figure
from synthese_ihu.figures.textes import nombre

ID_TOP_IHU = "top_cites_ihu_france"
#: Décimales publiées des figures par IHU : écarts du top 1 % (moins d'un point), à une décimale ;
#: parts d'articles avec remerciements, à l'unité.
DECIMALES_TOP_IHU, DECIMALES_REMERCIEMENTS = 1, 0




TOPS = {"top10": "10 % les plus cités", "top1": "1 % les plus cités"}


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
        ax.set_title(f"Parmi les {libelle} au monde", loc="left", fontsize=8.5)
        # panneau d'une demi-largeur : années horizontales, une sur deux au-delà de six
        style.axe_annees(ax, annees, libelles_max=6)
        style.axe_valeurs(ax, "Articles" if cle == "top10" else "", entier=True)
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
        ax.set_title(f"Parmi les {libelle} :\nensemble des IHU "
                     f"{style.nombre(ens[cle, 'IHU'], 1, fixes=True)}\u00a0%, France "
                     f"{style.nombre(ens[cle, 'France'], 1, fixes=True)}\u00a0%", loc="left",
                     fontsize=7.5)
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
        f"catégories du Web of Science : parmi les 10 % les plus cités, "
        f"{nombre(ens['top10', 'IHU'], 1)} % pour "
        f"l'ensemble des IHU contre {nombre(ens['top10', 'France'], 1)} % pour la France, "
        f"{dessus} IHU sur {len(ecarts)} au-dessus de la France ; parmi les 1 % les plus cités, "
        f"{nombre(ens['top1', 'IHU'], 1)} % contre {nombre(ens['top1', 'France'], 1)} %."
    )


def legende_top_ihu(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Périmètre, protection et anonymisation."""
    return (
        f"Articles publiés sur {ctx.lp2} (production SAMPRA des IHU) ; France : articles des "
        "catégories du Web of Science de chaque IHU, articles des IHU inclus. Par IHU, seul "
        "l'écart à la France est montré, en points (une décimale) : la part de la France dans "
        "les catégories nommées d'un IHU permettrait de le reconnaître. IHU anonymes, triés par "
        "écart décroissant sur les 10 % les plus cités : ordre propre à cette figure."
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


FIGURES = [
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
           par_ihu=True, decimales=DECIMALES_TOP_IHU, absente=_PERIODES,
           mesures=tuple(Mesure(colonne="ecart_points", lignes={"indicateur": cle},
                                propres={f"part_{cle}": 1},
                                nominatives={f"part_{cle}_france_categories": -1})
                         for cle in TOPS)),
    Figure(id="remerciements_ihu", section="recherche",
           titre="Part des articles mentionnant l'aide de l'État, par IHU, {p2}",
           legende=legende_remerciements, alt=alt_remerciements, donnees=donnees_remerciements,
           tracer=tracer_remerciements, colonnes=(RANG, GROUPE, PART_PCT), par_ihu=True,
           decimales=DECIMALES_REMERCIEMENTS, absente=_PERIODES,
           mesures=(Mesure(colonne="part_pct", lignes={"groupe": "IHU"},
                           propres={"part_remerciements": 1}),)),
]
