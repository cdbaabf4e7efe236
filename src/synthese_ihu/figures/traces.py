"""Tracés génériques (seaborn / matplotlib) des tableaux de figures.

Chaque fonction prend le tableau exact de la figure et rend une figure matplotlib, sans titre
(le titre est dans la légende HTML). Axes des IHU : aucune identité, seulement le rang propre à la
figure (ou le code en version interne, si la colonne ``ihu`` est présente).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure as FigureMpl
from matplotlib.patches import Patch

from synthese_ihu.figures import style
from synthese_ihu.figures.rendu import nouvelle_figure

#: Libellé de l'axe des IHU : l'ordre ne vaut que pour la figure.
ETIQUETTE_IHU = "IHU (ordre propre à cette figure)"


def _annees(cadre: pd.DataFrame, colonne: str = "annee") -> list[int]:
    return sorted(int(a) for a in cadre[colonne].unique())


def etiqueter_barres(ax: Axes, positions: Sequence[float], hauteurs: Sequence[float],
                     decimales: int = 0, suffixe: str = "", taille: float = 7.0,
                     dedans: bool = False) -> None:
    """Écrit la valeur au-dessus (ou au-dessous si négative) de chaque barre.

    Avec ``dedans``, la valeur s'écrit en blanc au pied de la barre (barres foncées), ce qui
    laisse libre l'espace au-dessus des barres pour une ligne de référence.
    """
    plus_haute = max((abs(h) for h in hauteurs if not pd.isna(h)), default=0.0)
    for x, h in zip(positions, hauteurs, strict=True):
        if pd.isna(h):
            continue
        texte = style.nombre(h, decimales, fixes=True) + suffixe
        if dedans and h >= 0.12 * plus_haute:
            ax.annotate(texte, (x, 0), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=taille,
                        color=style.encre_sur(style.COULEUR_UNIQUE))
            continue
        ax.annotate(
            texte, (x, h), xytext=(0, 2 if h >= 0 else -2), textcoords="offset points",
            ha="center", va="bottom" if h >= 0 else "top", fontsize=taille, color=style.ENCRE,
        )


def axe_ihu(ax: Axes, cadre: pd.DataFrame, horizontal: bool = False) -> None:
    """Axe des IHU : positions 0..n-1 dans l'ordre de ``rang`` ; aucun libellé public.

    En version interne (colonne ``ihu`` présente), les codes d'IHU servent de libellés.
    """
    ordre = cadre.drop_duplicates("rang").sort_values("rang")
    positions = list(range(len(ordre)))
    libelles = list(ordre["ihu"].astype(str)) if "ihu" in ordre.columns else [""] * len(ordre)
    if horizontal:
        ax.set_yticks(positions, libelles)
        ax.set_ylabel(ETIQUETTE_IHU)
        ax.tick_params(axis="y", length=0)
    else:
        ax.set_xticks(positions, libelles)
        ax.set_xlabel(ETIQUETTE_IHU)
        ax.tick_params(axis="x", length=0)


def barres_annuelles(cadre: pd.DataFrame, valeur: str, etiquette_y: str, *,
                     decimales: int = 0, couleur: str = style.COULEUR_UNIQUE,
                     etiquettes: bool = True) -> FigureMpl:
    """Une barre par année (``annee``, ``valeur``), valeur écrite au-dessus de chaque barre."""
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    annees = _annees(cadre)
    hauteurs = cadre.set_index("annee").loc[annees, valeur].astype(float).to_numpy()
    positions = np.arange(len(annees))
    ax.bar(positions, hauteurs, width=0.7, color=couleur)
    style.axe_annees(ax, annees)
    style.axe_valeurs(ax, etiquette_y, decimales=decimales, entier=decimales == 0)
    if etiquettes:
        etiqueter_barres(ax, positions, hauteurs, decimales)
        ax.margins(y=0.1)
    if "ihu_suivis" in cadre.columns:
        marquer_ihu_suivis(ax, cadre.set_index("annee").loc[annees, "ihu_suivis"].tolist())
    return fig


def marquer_ihu_suivis(ax: Axes, suivis: Sequence[int]) -> None:
    """Sépare d'un pointillé les années où le nombre d'IHU suivis change, et l'écrit en haut."""
    ruptures = [0] + [i for i in range(1, len(suivis)) if suivis[i] != suivis[i - 1]]
    if len(ruptures) < 2:
        return
    for i in ruptures:
        if i > 0:
            ax.axvline(i - 0.5, color=style.GRIS, linestyle=(0, (2, 2)), linewidth=0.8,
                       clip_on=False, ymax=1.06)
        ax.annotate(f"{suivis[i]} IHU suivis", (i - 0.45, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(2, 4), textcoords="offset points", ha="left", va="bottom",
                    fontsize=7, color=style.GRIS_TEXTE)


def barres_empilees_annuelles(cadre: pd.DataFrame, groupe: str, valeur: str,
                              couleurs: Mapping[str, str], libelles: Mapping[str, str],
                              etiquette_y: str, *, decimales: int = 0,
                              total: bool = False) -> FigureMpl:
    """Barres empilées par année : une pile par ``annee``, un segment par ``groupe``.

    Parameters
    ----------
    cadre : pandas.DataFrame
        Colonnes ``annee``, ``groupe``, ``valeur``.
    groupe, valeur : str
        Colonnes du groupe empilé et de la hauteur.
    couleurs, libelles : mapping
        Couleur et libellé de légende par valeur de groupe, dans l'ordre d'empilement.
    etiquette_y : str
        Libellé de l'axe des valeurs.
    decimales : int
        Décimales des graduations (et du total).
    total : bool
        Écrit le total au-dessus de chaque pile.
    """
    fig = nouvelle_figure()
    ax = fig.add_subplot()
    annees = _annees(cadre)
    large = cadre.pivot_table(index="annee", columns=groupe, values=valeur, aggfunc="sum")
    large = large.reindex(index=annees, columns=list(couleurs)).fillna(0.0)
    positions = np.arange(len(annees))
    bas = np.zeros(len(annees))
    for cle, couleur in couleurs.items():
        hauteurs = large[cle].to_numpy(dtype=float)
        ax.bar(positions, hauteurs, bottom=bas, width=0.7, color=couleur, label=libelles[cle],
               edgecolor="white", linewidth=0.3)
        bas += hauteurs
    if total:
        etiqueter_barres(ax, positions, bas, decimales)
        ax.margins(y=0.1)
    style.axe_annees(ax, annees)
    style.axe_valeurs(ax, etiquette_y, decimales=decimales)
    style.legende(ax)
    return fig


def barres_100(ax: Axes, cadre: pd.DataFrame, categorie: str, groupe: str, part: str,
               couleurs: Mapping[str, str], libelles: Mapping[str, str], *,
               ordre: Sequence[str], etiquettes: bool = True, largeur: float = 0.7) -> None:
    """Barres empilées à 100 % (verticales) : une barre par ``categorie`` dans ``ordre``."""
    large = cadre.pivot_table(index=categorie, columns=groupe, values=part, aggfunc="sum")
    large = large.reindex(index=list(ordre), columns=list(couleurs)).fillna(0.0)
    positions = np.arange(len(ordre))
    bas = np.zeros(len(ordre))
    for cle, couleur in couleurs.items():
        hauteurs = large[cle].to_numpy(dtype=float)
        ax.bar(positions, hauteurs, bottom=bas, width=largeur, color=couleur,
               label=libelles[cle], edgecolor="white", linewidth=0.4)
        if etiquettes:
            for x, b, h in zip(positions, bas, hauteurs, strict=True):
                if h >= 6:
                    ax.text(x, b + h / 2, style.nombre(h) + "\u00a0%", ha="center",
                            va="center", fontsize=7, color=style.encre_sur(couleur))
        bas += hauteurs
    ax.set_ylim(0, 100)
    style.axe_valeurs(ax, "Part des dépenses", pourcentage=True)
    ax.grid(False)


def barres_groupees(ax: Axes, cadre: pd.DataFrame, x: str, teinte: str, valeur: str,
                    couleurs: Mapping[str, str], ordre_x: Sequence[str],
                    libelles: Mapping[str, str] | None = None) -> None:
    """Barres groupées (seaborn) : ``x`` en abscisse, une barre par ``teinte``."""
    donnees = cadre.copy()
    donnees[x] = pd.Categorical(donnees[x].astype(str), categories=[str(v) for v in ordre_x])
    donnees[teinte] = pd.Categorical(donnees[teinte].astype(str), categories=list(couleurs))
    sns.barplot(
        data=donnees, x=x, y=valeur, hue=teinte, hue_order=list(couleurs), order=list(ordre_x),
        palette=dict(couleurs), errorbar=None, ax=ax, width=0.75, saturation=1,
        legend=False, gap=0.05,
    )
    libelles = libelles or {c: c for c in couleurs}
    ax.legend(
        handles=[Patch(facecolor=c, label=libelles[k]) for k, c in couleurs.items()],
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=len(couleurs), frameon=False,
        borderaxespad=0.3, handlelength=1.2, columnspacing=1.2,
    )


def barres_et_cumul(cadre: pd.DataFrame, annuel: str, cumul: str, libelle_annuel: str,
                    libelle_cumul: str) -> FigureMpl:
    """Deux panneaux superposés, mêmes années : le cumul en courbe en haut, les valeurs
    annuelles en barres étiquetées en bas (la courbe ne passe jamais sur une étiquette)."""
    fig = nouvelle_figure(style.TAILLE_HAUTE)
    haut, ax = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.5])
    fig.get_layout_engine().set(hspace=0.1)  # « 0 » du haut loin de la graduation d'en bas
    annees = _annees(cadre)
    indexe = cadre.set_index("annee").loc[annees]
    positions = np.arange(len(annees))
    haut.plot(positions, indexe[cumul].astype(float).to_numpy(), color=style.COULEUR_CUMUL,
              marker="o", markersize=3.5, linewidth=1.6)
    haut.set_ylim(bottom=0)
    haut.margins(y=0.1)
    haut.set_title(libelle_cumul, loc="left", fontsize=8.5, color=style.ENCRE)
    style.axe_valeurs(haut, "Cumul", entier=True)
    hauteurs = indexe[annuel].astype(float).to_numpy()
    ax.bar(positions, hauteurs, width=0.7, color=style.COULEUR_UNIQUE)
    etiqueter_barres(ax, positions, hauteurs)
    ax.margins(y=0.14)
    ax.set_ylim(bottom=0)
    ax.set_title(libelle_annuel, loc="left", fontsize=8.5, color=style.ENCRE)
    style.axe_annees(ax, annees)
    style.axe_valeurs(ax, "Par année", entier=True)
    return fig


def barres_ihu_et_ensemble(cadre: pd.DataFrame, valeur: str, decimales: int, texte_ensemble: str,
                           etiquette_y: str) -> FigureMpl:
    """Une barre par IHU (ligne ``groupe == "IHU"``, triée par ``rang``) et un trait pointillé
    pour l'ensemble des IHU (l'autre ligne) ; valeurs en %.

    ``texte_ensemble`` reçoit la valeur de l'ensemble déjà écrite (``{ensemble}``).
    """
    from synthese_ihu.figures.textes import nombre

    fig = nouvelle_figure()
    ax = fig.add_subplot()
    ihu = cadre.loc[cadre["groupe"] == "IHU"].sort_values("rang")
    positions = np.arange(len(ihu))
    hauteurs = ihu[valeur].astype(float).to_numpy()
    ax.bar(positions, hauteurs, width=0.6, color=style.COULEUR_UNIQUE)
    etiqueter_barres(ax, positions, hauteurs, decimales, "\u00a0%", dedans=True)
    ensemble = float(cadre.loc[cadre["groupe"] != "IHU", valeur].iloc[0])
    ligne_reference(ax, ensemble, texte_ensemble.format(ensemble=nombre(ensemble, decimales)))
    ax.set_ylim(0, max(hauteurs.max(), ensemble) * 1.05)
    axe_ihu(ax, ihu)
    style.axe_valeurs(ax, etiquette_y, pourcentage=True)
    return fig


def ligne_reference(ax: Axes, valeur: float, texte: str, couleur: str = style.ENCRE) -> None:
    """Trait pointillé horizontal de référence (ensemble des IHU…), légendé au-dessus de l'axe."""
    ax.axhline(valeur, color=couleur, linestyle=(0, (4, 2)), linewidth=1.0, zorder=3,
               label=texte)
    style.legende(ax)


def sans_axe_bas(ax: Axes) -> None:
    """Retire l'axe du bas quand un trait marque le zéro (valeurs négatives possibles)."""
    ax.spines["bottom"].set_visible(False)
    ax.axhline(0, color=style.ENCRE, linewidth=0.8)
