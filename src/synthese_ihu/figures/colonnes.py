"""Colonnes des tableaux de figures : titre, description et unité, publiés avec chaque CSV.

Chaque figure déclare ses colonnes (:attr:`synthese_ihu.figures.base.Figure.colonnes`) ; les
données ouvertes en tirent le Table Schema de son CSV. Ce module ne garde que les colonnes que
plusieurs modules de figures partagent ; une colonne propre à une figure est déclarée à côté
d'elle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Colonne:
    """Une colonne du tableau d'une figure (et de son CSV publié).

    Parameters
    ----------
    nom : str
        Nom de la colonne dans le tableau et le CSV.
    titre : str
        Titre français (Table Schema ``title``).
    description : str
        Ce que la colonne contient (Table Schema ``description``).
    unite : str
        Unité d'une colonne numérique (``M€``, ``%``, ``nombre``…) ; vide pour un texte.
    """

    nom: str
    titre: str
    description: str
    unite: str = ""


ANNEE = Colonne(
    nom="annee",
    titre="Année",
    description="Année civile à laquelle la valeur se rapporte.",
    unite="année",
)
RANG = Colonne(
    nom="rang",
    titre="Rang anonyme de l'IHU",
    description="Rang de l'IHU dans cette figure (1 = première barre), propre à la figure : il "
    "ne permet ni d'identifier un IHU ni de le suivre d'une figure à l'autre. Vide pour "
    "l'ensemble.",
    unite="rang",
)
IHU_SUIVIS = Colonne(
    nom="ihu_suivis",
    titre="IHU suivis",
    description="Nombre d'IHU suivis dans l'année.",
    unite="nombre",
)
LIBELLE = Colonne(
    nom="libelle",
    titre="Libellé",
    description="Libellé de la catégorie, tel qu'affiché dans la figure.",
)
NATURE = Colonne(
    nom="nature",
    titre="Nature de dépense",
    description="Code de la nature de dépense : equipement_immobilier, equipement_mobilier, "
    "personnel, fonctionnement.",
)
MONTANT_MEUR = Colonne(
    nom="montant_meur",
    titre="Montant (M€)",
    description="Montant en millions d'euros courants.",
    unite="M€",
)
PART_PCT = Colonne(
    nom="part_pct", titre="Part (%)", description="Part en pourcentage (de 0 à 100).", unite="%"
)
ARTICLES = Colonne(
    nom="articles", titre="Articles", description="Nombre d'articles.", unite="nombre"
)
PERIODE = Colonne(
    nom="periode",
    titre="Période",
    description="Code de la période comparée (P1 : la plus ancienne, P2 : la récente).",
)
LIBELLE_PERIODE = Colonne(
    nom="libelle_periode",
    titre="Années de la période",
    description="Années couvertes par la période.",
)
SERIE = Colonne(nom="serie", titre="Série", description="Série tracée (IHU, France, Monde).")
INDICATEUR = Colonne(
    nom="indicateur",
    titre="Indicateur",
    description="Code de l'indicateur (top1, top10 : articles les plus cités).",
)
GROUPE = Colonne(
    nom="groupe",
    titre="Groupe",
    description="IHU (un IHU anonyme) ou Ensemble des IHU ; carte : suivi (IHU suivis l'année "
    "cible) ou annonce (IHU retenus depuis, annoncés par l'édition).",
)
ECART_POINTS = Colonne(
    nom="ecart_points",
    titre="Écart (points)",
    description="Valeur de l'IHU moins celle de la référence, en points de pourcentage, arrondie "
    "comme dans la figure ; la référence propre à un IHU n'est pas publiée.",
    unite="points de %",
)
CUMUL = Colonne(
    nom="cumul",
    titre="Cumul",
    description="Cumul depuis la première année de la série.",
    unite="nombre",
)

STATUT = Colonne(
    nom="statut",
    titre="Statut",
    description="publie : valeur publiée (par la source citée, ou données de campagne réelles) ; "
    "reconstruit : valeur du jeu de référence reconstruit (voir le colophon) ; estime : "
    "estimation, marquée (hachures) dans la figure.",
)
