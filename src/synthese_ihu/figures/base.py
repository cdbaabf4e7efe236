"""Description d'une figure (la « spec » du registre) et contexte d'année.

Une figure se décrit elle-même : une fonction de données (le tableau exact de ce qui est
tracé), une fonction de tracé de ce tableau, un titre, une légende et un texte alternatif
calculés sur ce tableau, les colonnes du tableau (titre, description, unité : le CSV publié en
tire son schéma) et la précision affichée de ses valeurs par IHU.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu.config import periodes
from synthese_ihu.figures.colonnes import STATUT, Colonne

#: Premières années des indicateurs (``D``), des finances et des cofinancements (``[periodes]``
#: de ``synthese.toml``).
PREMIERE_ANNEE = periodes().premiere_annee_indicateurs
PREMIERE_ANNEE_FINANCES = periodes().premiere_annee_finances
PREMIERE_ANNEE_COFINANCEMENTS = periodes().premiere_campagne_cofinancements


class FigureIndisponible(LookupError):
    """Les données d'une figure n'existent pas (encore) pour l'année demandée."""


class StatutManquant(ValueError):
    """Une figure trace des données de contexte sans le statut de chacun de leurs points."""


def tiret(debut: int, fin: int) -> str:
    """Période écrite ``2018–2022`` (tiret demi-cadratin), ou ``2022`` si d'une seule année."""
    return str(debut) if debut == fin else f"{debut}\u2013{fin}"


@dataclass(frozen=True)
class Contexte:
    """Année cible et périodes comparées, telles que les figures les écrivent.

    Parameters
    ----------
    annee : int
        Année cible ``N``.
    p1, p2 : tuple of int or None
        Périodes ancienne et récente (bornes incluses), ``None`` si pas de comparaison.
    fin_bibliometrie : int, optional
        Dernière année de l'export bibliométrique (champ ``{b}`` des titres) ; ``annee`` sinon.
    fin_versements : int, optional
        Dernière année des versements de l'agence (effet levier, champ ``{l}``) ; ``annee``
        sinon.
    """

    annee: int
    p1: tuple[int, int] | None
    p2: tuple[int, int] | None
    fin_bibliometrie: int | None = None
    fin_versements: int | None = None

    @property
    def lp1(self) -> str:
        """Libellé de la période ancienne (``2012–2016``)."""
        if self.p1 is None:
            raise FigureIndisponible(f"pas de périodes comparées en {self.annee}")
        return tiret(*self.p1)

    @property
    def lp2(self) -> str:
        """Libellé de la période récente (``2018–2022``)."""
        if self.p2 is None:
            raise FigureIndisponible(f"pas de périodes comparées en {self.annee}")
        return tiret(*self.p2)

    def champs(self) -> dict[str, Any]:
        """Champs disponibles dans les titres : ``{annee}``, ``{d}``, ``{p1}``, ``{p2}``…"""
        champs: dict[str, Any] = {
            "annee": self.annee,
            "d": tiret(PREMIERE_ANNEE, self.annee),
            "f": tiret(PREMIERE_ANNEE_FINANCES, self.annee),
            "c": tiret(PREMIERE_ANNEE_COFINANCEMENTS, self.annee),
            "b": tiret(PREMIERE_ANNEE, self.fin_bibliometrie or self.annee),
            "l": tiret(PREMIERE_ANNEE_COFINANCEMENTS, self.fin_versements or self.annee),
        }
        if self.p1 is not None:
            champs.update(p1=self.lp1, p2=self.lp2)
        return champs


@dataclass(frozen=True, kw_only=True, eq=False)
class Mesure:
    """Une série publiée par IHU anonyme et ce qu'elle combine (contrôle de divulgation).

    Une valeur par IHU est une forme linéaire de *grandeurs* : les grandeurs ``propres`` à
    l'IHU, que le lecteur ne connaît pas (ses articles, sa croissance…), et les grandeurs
    ``nominatives``, qu'il recalcule pour chaque IHU nommé à partir de ce que le rapport liste
    (catégories du Web of Science, ville, appel, année de sélection, données de contexte). Une
    part (quotient) se déclare en échelle ``log`` (``log a − log b``). Deux séries dont une
    combinaison annule les grandeurs propres et laisse des nominatives étiquettent les barres :
    :mod:`synthese_ihu.confidentialite.divulgation` les refuse.

    Parameters
    ----------
    colonne : str
        Colonne de valeur du tableau de la figure.
    lignes : mapping
        Filtre des lignes (colonne -> valeur) de cette série ; seules les lignes à ``rang``
        renseigné sont des valeurs par IHU.
    propres, nominatives : mapping
        Grandeur -> coefficient.
    echelle : str
        ``lineaire`` ou ``log``.
    """

    colonne: str
    lignes: Mapping[str, str] = field(default_factory=dict)
    propres: Mapping[str, float] = field(default_factory=dict)
    nominatives: Mapping[str, float] = field(default_factory=dict)
    echelle: str = "lineaire"

    def nom(self) -> str:
        """Nom lisible de la série : colonne et filtre (``ecart_points[reference=France]``)."""
        filtre = ", ".join(f"{k}={v}" for k, v in self.lignes.items())
        return f"{self.colonne}[{filtre}]" if filtre else self.colonne


FonctionDonnees = Callable[..., pd.DataFrame]
FonctionTrace = Callable[[pd.DataFrame, Contexte], FigureMpl]
FonctionTexte = Callable[[pd.DataFrame, Contexte], str]


@dataclass(frozen=True, kw_only=True)
class Figure:
    """Une figure du rapport.

    Parameters
    ----------
    id : str
        Identifiant (snake_case français), stable : ancre HTML, préfixe SVG, nom du CSV.
    section : str
        Section du rapport où la figure se place (identifiant de ``synthese.toml``).
    titre : str
        Titre (dans la légende, jamais sur les axes) ; champs ``{annee}``, ``{d}``, ``{f}``,
        ``{c}``, ``{b}`` (bibliométrie), ``{p1}``, ``{p2}`` remplis par :meth:`Contexte.champs`.
    legende : callable
        ``legende(tableau, contexte) -> str`` : ce qu'on lit sur la figure (peut être vide).
    alt : callable
        ``alt(tableau, contexte) -> str`` : texte alternatif court, valeurs calculées comprises.
    donnees : callable
        ``donnees(donnees, contexte, interne=False) -> DataFrame`` : exactement ce qui est tracé ;
        vide si les données n'existent pas encore pour l'année.
    tracer : callable
        ``tracer(tableau, contexte) -> matplotlib.figure.Figure``.
    colonnes : tuple of Colonne
        Colonnes du tableau, dans son ordre (titre, description, unité du CSV publié).
    par_ihu : bool
        Figure par IHU : tableau anonymisé (``rang``), ordre propre à la figure.
    decimales : int, optional
        Décimales affichées et publiées des valeurs d'une figure par IHU : son tableau est
        arrondi dès sa construction (:mod:`synthese_ihu.figures.precision`).
    absente : str
        Ce qui manque quand la figure n'a pas de données (fin de l'avis « pas de figure »).
    mesures : tuple of Mesure
        Figure par IHU : chaque série publiée par IHU et les grandeurs qu'elle combine
        (contrôle de divulgation, :mod:`synthese_ihu.confidentialite.divulgation`).
    statut : str, optional
        Statut de tous les points quand il ne vient pas du jeu de données (carte : lieux
        publiés) ; sinon celui du jeu, ou la colonne ``statut`` que rend ``donnees``.
    contexte : tuple of str
        Tableaux de contexte tracés (``essais_france``…), dont les points ont chacun leur
        statut (publié, estimé) : ``donnees`` doit rendre la colonne ``statut``.
    """

    id: str
    section: str
    titre: str
    legende: FonctionTexte
    alt: FonctionTexte
    donnees: FonctionDonnees
    tracer: FonctionTrace
    colonnes: tuple[Colonne, ...]
    par_ihu: bool = False
    decimales: int | None = None
    absente: str = "les données ne sont pas encore disponibles pour cette année"
    mesures: tuple[Mesure, ...] = ()
    statut: str | None = None
    contexte: tuple[str, ...] = ()

    def titre_pour(self, contexte: Contexte) -> str:
        """Titre rempli pour l'année du contexte."""
        return self.titre.format(**contexte.champs())

    def colonne(self, nom: str) -> Colonne:
        """Description de la colonne ``nom`` du tableau de la figure.

        Raises
        ------
        KeyError
            Si la figure ne déclare pas cette colonne (à ajouter à ``colonnes``).
        """
        for colonne in self.colonnes:
            if colonne.nom == nom:
                return colonne
        if nom == STATUT.nom:  # toute figure publie le statut de ses points
            return STATUT
        raise KeyError(f"figure {self.id} : colonne {nom!r} non déclarée dans ses colonnes")
