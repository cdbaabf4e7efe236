"""Valeurs du suivi financier (carnet 02) : dotation, versements, dépenses déclarées."""

from __future__ import annotations

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.valeurs.registre import (
    EXTREMES,
    PERIODES,
    enregistrer,
    meur,
    part,
    valeur,
)


@valeur
def dotation_engagee(d: Donnees, annee: int) -> Valeur:
    return meur(ind.dotation_engagee(d, annee), "Dotation engagée", PERIODES.finances(annee))


@valeur
def verse_cumul(d: Donnees, annee: int) -> Valeur:
    return meur(ind.verse_cumul(d, annee), "Aide versée cumulée", PERIODES.finances(annee))


@valeur
def verse_annee(d: Donnees, annee: int) -> Valeur | None:
    """Aide versée dans l'année ; ``None`` si le fichier des versements n'a pas encore l'année."""
    if not (d.versements["annee"] == annee).any():
        return None
    return meur(ind.verse_annee(d, annee), "Aide versée dans l'année", str(annee))


@valeur
def verse_cumul_part_dotation(d: Donnees, annee: int) -> Valeur | None:
    return part(
        ind.verse_cumul_part_dotation(d, annee),
        "Aide versée / dotation engagée",
        PERIODES.finances(annee),
    )


@valeur
def depenses_cumul(d: Donnees, annee: int) -> Valeur:
    return meur(
        ind.depenses_cumul(d, annee), "Dépenses déclarées cumulées", PERIODES.finances(annee)
    )


@valeur
def depenses_annee(d: Donnees, annee: int) -> Valeur:
    return meur(ind.depenses_annee(d, annee), "Dépenses déclarées dans l'année", str(annee))


@valeur
def depenses_cumul_part_dotation(d: Donnees, annee: int) -> Valeur | None:
    return part(
        ind.depenses_cumul_part_dotation(d, annee),
        "Dépenses déclarées des IHU dotés / leur dotation engagée",
        PERIODES.finances(annee),
    )


def _part_equipement(cote: str):
    def calcul(d: Donnees, annee: int) -> Valeur:
        parts = ind.part_equipement_par_ihu(d, annee)
        return part(
            float(getattr(parts, cote)()),
            f"Part de l'équipement dans les dépenses cumulées : {EXTREMES[cote]}",
            PERIODES.finances(annee),
        )

    return calcul


for _cote in EXTREMES:
    enregistrer(f"part_equipement_{_cote}", _part_equipement(_cote))
