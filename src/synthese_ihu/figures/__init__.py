"""Les figures du rapport : données tracées, tracé, légende, texte alternatif, SVG stable.

Points d'entrée ::

    donnees_figure(id, donnees, annee) -> pandas.DataFrame   # exactement ce qui est tracé
    svg_figure(id, donnees, annee) -> str                     # SVG stable, sans prologue
    html_figure(id, donnees, annee) -> str                    # <figure> prête pour le rapport

``FIGURES`` (id → :class:`~synthese_ihu.figures.base.Figure`) est le registre, dans l'ordre du
rapport. ``donnees`` est un ``Donnees`` (``synthese_ihu.donnees.charger()``) ou sa vue
``pour_annee(annee)``. Une figure sans données pour l'année rend un tableau vide, et
``html_figure`` un avis court (``<p class="figure-absente">``) au lieu d'échouer.

Les figures par IHU (``par_ihu``) sont anonymes : ni nom ni code d'IHU nulle part, un ``rang``
propre à chaque figure (voir :mod:`synthese_ihu.figures.anonymisation`).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from synthese_ihu import statuts
from synthese_ihu.figures import (
    activite,
    bibliometrie,
    bibliometrie_citations,
    bibliometrie_impact,
    carte,
    cofinancements,
    finances,
    precision,
    rendu,
    style,
)
from synthese_ihu.figures.base import Contexte, Figure, FigureIndisponible, StatutManquant
from synthese_ihu.figures.commun import contexte, vue

__all__ = [
    "FIGURES",
    "Contexte",
    "Figure",
    "FigureIndisponible",
    "StatutManquant",
    "donnees_figure",
    "figure_tracee",
    "html_figure",
    "legende_figure",
    "ordres_ihu",
    "svg_figure",
    "svg_tableau",
]

FIGURES: dict[str, Figure] = {
    f.id: f
    for f in (
        *carte.FIGURES,
        *finances.FIGURES,
        *bibliometrie.FIGURES,
        *bibliometrie_impact.FIGURES,
        *bibliometrie_citations.FIGURES,
        *activite.FIGURES,
        *cofinancements.FIGURES,
    )
}


def _spec(id_figure: str) -> Figure:
    try:
        return FIGURES[id_figure]
    except KeyError:
        connus = ", ".join(FIGURES)
        raise KeyError(f"figure inconnue : {id_figure!r} (connues : {connus})") from None


def donnees_figure(id_figure: str, donnees: Any, annee: int, *,
                   interne: bool = False) -> pd.DataFrame:
    """Tableau exact de ce que trace la figure pour l'année cible.

    Parameters
    ----------
    id_figure : str
        Identifiant de la figure (clé de :data:`FIGURES`).
    donnees : Donnees
        Données chargées, ou leur vue pour ``annee``.
    annee : int
        Année cible ``N`` du rapport.
    interne : bool
        Version interne (pilotage de l'agence, jamais publiée) : les figures par IHU gardent la
        colonne ``ihu``.

    Returns
    -------
    pandas.DataFrame
        Tableau « tidy » ; vide si les données n'existent pas encore pour ``annee``. Les figures
        par IHU ont une colonne ``rang`` (1..n) et aucune colonne d'identité. Chaque tableau
        finit par ``statut`` (:mod:`synthese_ihu.statuts` : ``publie``, ``reconstruit``,
        ``estime``), publié dans son CSV.
    """
    spec = _spec(id_figure)
    ctx = contexte(annee, donnees)
    try:
        cadre = spec.donnees(vue(donnees, ctx.annee), ctx, interne=interne)
    except FigureIndisponible:
        return pd.DataFrame()
    if spec.contexte and "statut" not in cadre.columns:
        raise StatutManquant(
            f"figure {id_figure} : elle trace des données de contexte "
            f"({', '.join(spec.contexte)}) sans colonne statut ; un point estimé serait dessiné "
            "et publié comme une valeur publiée (reprendre la colonne statut du fichier)")
    if not cadre.empty and "statut" not in cadre.columns:
        # statut de chaque point (publié, reconstruit, estimé) : celui du jeu de données, sauf
        # si la figure le donne point par point (contexte)
        cadre = cadre.assign(statut=spec.statut or statuts.statut_jeu(
            getattr(donnees, "metadonnees", None)))
    return precision.arrondir(id_figure, cadre).reset_index(drop=True)


def _textes(spec: Figure, cadre: pd.DataFrame, ctx: Contexte) -> tuple[str, str]:
    titre = spec.titre_pour(ctx)
    legende = spec.legende(cadre, ctx).strip()
    texte_legende = f"{titre}. {legende}" if legende else f"{titre}."
    return texte_legende, spec.alt(cadre, ctx)


def svg_tableau(id_figure: str, cadre: pd.DataFrame, annee: int) -> str:
    """SVG de la figure tracée à partir d'un tableau déjà calculé (mêmes colonnes).

    Raises
    ------
    FigureIndisponible
        Si le tableau est vide.
    """
    fig = figure_tracee(id_figure, cadre, annee)
    _, alt = _textes(_spec(id_figure), cadre, contexte(annee))
    return rendu.svg_de(fig, id_figure, alt)


def figure_tracee(id_figure: str, cadre: pd.DataFrame, annee: int) -> Any:
    """Figure matplotlib tracée à partir de son tableau (celle que le SVG écrit ; les tests de
    lisibilité la mesurent).

    Raises
    ------
    FigureIndisponible
        Si le tableau est vide.
    """
    spec = _spec(id_figure)
    ctx = contexte(annee)
    if cadre.empty:
        raise FigureIndisponible(_message_absente(spec, ctx))
    with style.contexte(id_figure):
        return spec.tracer(cadre, ctx)


def svg_figure(id_figure: str, donnees: Any, annee: int, *, interne: bool = False) -> str:
    """SVG stable de la figure (même entrée, même texte à l'octet près).

    Raises
    ------
    FigureIndisponible
        Si les données de la figure n'existent pas pour ``annee``.
    """
    return svg_tableau(id_figure, donnees_figure(id_figure, donnees, annee, interne=interne),
                       annee)


def legende_figure(id_figure: str, donnees: Any, annee: int) -> tuple[str, str]:
    """Légende (titre compris) et texte alternatif de la figure, en texte brut."""
    spec = _spec(id_figure)
    ctx = contexte(annee, donnees)
    cadre = donnees_figure(id_figure, donnees, annee)
    if cadre.empty:
        raise FigureIndisponible(_message_absente(spec, ctx))
    return _textes(spec, cadre, ctx)


def _message_absente(spec: Figure, ctx: Contexte) -> str:
    titre = spec.titre.split(",")[0]
    titre = re.sub(r"\s*\(?\{\w+\}\)?", "", titre).strip()
    return f"Figure « {titre} » non disponible pour {ctx.annee} : {spec.absente}."


def html_figure(id_figure: str, donnees: Any, annee: int, *, interne: bool = False) -> str:
    """Élément HTML ``<figure>`` de la figure (SVG, légende numérotée plus tard par le rendu).

    Returns
    -------
    str
        ``<figure class="figure" id="figure-<id>" data-figure="<id>"><svg … role="img"
        aria-label="…">…</svg><figcaption><span class="figure-numero"></span>…</figcaption>
        </figure>``, ou ``<p class="figure-absente">…</p>`` si les données n'existent pas
        encore pour ``annee``.
    """
    spec = _spec(id_figure)
    ctx = contexte(annee, donnees)
    cadre = donnees_figure(id_figure, donnees, annee, interne=interne)
    if cadre.empty:
        return rendu.html_absente(_message_absente(spec, ctx))
    legende, alt = _textes(spec, cadre, ctx)
    with style.contexte(id_figure):
        fig = spec.tracer(cadre, ctx)
    return rendu.html_de(id_figure, rendu.svg_de(fig, id_figure, alt), legende)


def ordres_ihu(donnees: Any, annee: int) -> dict[str, tuple[str, ...]]:
    """Ordre des IHU (codes, rang 1 en premier) de chaque figure par IHU — usage interne.

    Sert aux contrôles de confidentialité : deux figures ne doivent partager un ordre que si
    leurs valeurs l'imposent. Ne jamais publier ce résultat.
    """
    ordres = {}
    for id_figure, spec in FIGURES.items():
        if not spec.par_ihu:
            continue
        cadre = donnees_figure(id_figure, donnees, annee, interne=True)
        if cadre.empty:
            continue
        cadre = cadre.dropna(subset=["rang"]).drop_duplicates("rang").sort_values("rang")
        ordres[id_figure] = tuple(str(i) for i in cadre["ihu"])
    return ordres
