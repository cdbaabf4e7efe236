"""Valeurs de la valorisation (carnet 06) : brevets déposés et actifs, dépôts en France et dans
les régions, start-up, créations d'entreprises de santé, observatoire des start-up."""

from __future__ import annotations

from synthese_ihu import indicateurs as ind
from synthese_ihu import statuts
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.recit import TexteDonnees
from synthese_ihu.valeurs.registre import (
    _MOIS,
    PERIODES,
    compte,
    enregistrer_fourchettes,
    liste,
    part,
    reference,
    source,
    valeur,
)

BREVETS_CUMUL = "Brevets déposés (cumul)"
BREVETS_ACTIFS = "Brevets actifs"


@valeur
def brevets_annee(d: Donnees, annee: int) -> Valeur:
    return compte(ind.indicateur_annee(d, "brevets_deposes", annee), "Brevets déposés", str(annee))


@valeur
def brevets_part_france(d: Donnees, annee: int) -> Valeur | None:
    return part(ind.brevets_part_france(d, annee), "Part des dépôts France", str(annee), 1)


@valeur
def brevets_part_regions(d: Donnees, annee: int) -> Valeur | None:
    return part(ind.brevets_part_regions(d, annee), "Part des dépôts des régions", str(annee), 1)


@valeur
def brevets_part_regions_domaines(d: Donnees, annee: int) -> Valeur | None:
    return part(
        ind.brevets_part_regions_domaines(d, annee),
        "Part des dépôts des régions dans les domaines des IHU",
        str(annee),
        1,
    )


@valeur
def nb_regions(d: Donnees, annee: int) -> int:
    return len(ind.regions_ihu_suivis(d, annee))


@valeur
def brevets_cumul(d: Donnees, annee: int) -> Valeur:
    return compte(
        ind.indicateur_cumul(d, "brevets_deposes", annee),
        BREVETS_CUMUL,
        PERIODES.indicateurs(annee),
    )


@valeur
def brevets_actifs(d: Donnees, annee: int) -> Valeur:
    return compte(ind.indicateur_annee(d, "brevets_actifs", annee), BREVETS_ACTIFS, str(annee))


enregistrer_fourchettes("brevets_cumul", "brevets_deposes", BREVETS_CUMUL, cumul=True)
enregistrer_fourchettes("brevets_actifs", "brevets_actifs", BREVETS_ACTIFS)


@valeur
def depots_france(d: Donnees, annee: int) -> Valeur | None:
    return compte(ind.depots_brevets(d, annee), "Dépôts de brevets en France", str(annee))


@valeur
def source_inpi(d: Donnees, annee: int) -> TexteDonnees:
    """Sources des dépôts imprimés (pas celle d'une ligne que le texte ne cite pas)."""
    return source(statuts.lignes_depots(d, annee), annee)


@valeur
def source_creations(d: Donnees, annee: int) -> TexteDonnees:
    return source(statuts.lignes_creations(d, annee), annee)


@valeur
def inpi_estimees_en_partie(d: Donnees, annee: int) -> bool:
    """Certains des dépôts de brevets imprimés pour l'année, pas tous, sont des estimations."""
    return statuts.etendue(statuts.statuts_depots(d, annee)) == statuts.CERTAINES


@valeur
def inpi_estimees(d: Donnees, annee: int) -> bool:
    """Tous les dépôts de brevets imprimés pour l'année sont des estimations."""
    return statuts.etendue(statuts.statuts_depots(d, annee)) == statuts.TOUTES


@valeur
def creations_estimees_en_partie(d: Donnees, annee: int) -> bool:
    return statuts.etendue(statuts.statuts_creations(d, annee)) == statuts.CERTAINES


@valeur
def creations_estimees(d: Donnees, annee: int) -> bool:
    return statuts.etendue(statuts.statuts_creations(d, annee)) == statuts.TOUTES


@valeur
def startups_annee(d: Donnees, annee: int) -> Valeur:
    return compte(ind.startups_annee(d, annee), "Start-up créées", str(annee))


@valeur
def startups_cumul(d: Donnees, annee: int) -> Valeur:
    return compte(
        ind.startups_cumul(d, annee), "Start-up créées (cumul)", PERIODES.indicateurs(annee)
    )


@valeur
def startups_actives_plus_3_ans(d: Donnees, annee: int) -> Valeur:
    return compte(
        ind.startups_actives_plus_3_ans(d, annee),
        "Start-up de plus de trois ans actives",
        str(annee),
    )


@valeur
def creations_france(d: Donnees, annee: int) -> Valeur | None:
    return compte(
        ind.creations_entreprises(d, annee, "France"),
        "Créations d'entreprises santé (France)",
        str(annee),
    )


@valeur
def creations_regions(d: Donnees, annee: int) -> Valeur | None:
    return compte(
        ind.creations_entreprises(d, annee, "regions_ihu"),
        "Créations d'entreprises santé (régions des IHU)",
        str(annee),
    )


@valeur
def observatoire_startups(d: Donnees, annee: int) -> str | None:
    ref = reference(d, "startups", annee)
    return None if ref is None else TexteDonnees(ref["observatoire"])


@valeur
def annonce_observatoire(d: Donnees, annee: int) -> str | None:
    """« communiqué de presse de mars 2023 »."""
    ref = reference(d, "startups", annee)
    if ref is None:
        return None
    an, mois = (int(x) for x in ref["date_annonce"].split("-"))
    return TexteDonnees(f"{ref['annonce']} de {_MOIS[mois]} {an}")


@valeur
def labels_startups(d: Donnees, annee: int) -> str | None:
    ref = reference(d, "startups", annee)
    return None if ref is None else TexteDonnees(liste([f"« {x} »" for x in ref["labels"]]))
