"""Valeurs du soin (carnet 07) : recommandations, essais cliniques des IHU et de la France,
base d'essais citée en note."""

from __future__ import annotations

from synthese_ihu import indicateurs as ind
from synthese_ihu import statuts
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.recit import TexteDonnees
from synthese_ihu.valeurs.registre import (
    PERIODES,
    compte,
    date_longue,
    enregistrer_fourchettes,
    part,
    periode_de,
    reference,
    source,
    valeur,
)

RECOMMANDATIONS_CUMUL = "Recommandations (cumul)"
ESSAIS = "Essais cliniques en cours"


@valeur
def recommandations_cumul(d: Donnees, annee: int) -> Valeur:
    return compte(
        ind.indicateur_cumul(d, "recommandations", annee),
        RECOMMANDATIONS_CUMUL,
        PERIODES.indicateurs(annee),
    )


@valeur
def essais_cliniques_annee(d: Donnees, annee: int) -> Valeur:
    return compte(ind.indicateur_annee(d, "essais_cliniques", annee), ESSAIS, str(annee))


enregistrer_fourchettes(
    "recommandations_cumul", "recommandations", RECOMMANDATIONS_CUMUL, cumul=True
)
enregistrer_fourchettes("essais_cliniques", "essais_cliniques", ESSAIS)


@valeur
def essais_cliniques_part_france(d: Donnees, annee: int) -> Valeur | None:
    return part(
        ind.essais_cliniques_part_france(d, annee), "Part des essais en France", str(annee), 1
    )


@valeur
def essais_france(d: Donnees, annee: int) -> Valeur | None:
    return compte(ind.essais_france(d, annee), "Essais en cours en France", str(annee))


@valeur
def essais_france_academiques(d: Donnees, annee: int) -> Valeur | None:
    e = d.essais_france.loc[d.essais_france["annee"] == annee, "dont_promotion_academique"]
    return (
        None
        if e.empty
        else Valeur(
            float(e.iloc[0]),
            "",
            0,
            "Essais en cours en France à promotion académique",
            periode_de(essais_france(d, annee)),
        )
    )


@valeur
def source_essais(d: Donnees, annee: int) -> TexteDonnees:
    return source(statuts.lignes_essais(d, annee), annee)


@valeur
def essais_france_estimees(d: Donnees, annee: int) -> bool:
    """Les essais en cours en France imprimés pour l'année sont des estimations (une ligne :
    jamais « certaines »)."""
    return statuts.etendue(statuts.statuts_essais(d, annee)) == statuts.TOUTES


def _base(d: Donnees, annee: int) -> dict | None:
    return reference(d, "essais_cliniques", annee)


@valeur
def essais_base_etudes(d: Donnees, annee: int) -> Valeur | None:
    ref = _base(d, annee)
    return (
        None
        if ref is None
        else compte(ref["etudes_repertoriees"], "Études répertoriées par ClinicalTrials.gov", "")
    )


@valeur
def essais_base_pays(d: Donnees, annee: int) -> Valeur | None:
    ref = _base(d, annee)
    return None if ref is None else compte(ref["pays"], "Pays des études répertoriées", "")


@valeur
def essais_base_source(d: Donnees, annee: int) -> str | None:
    ref = _base(d, annee)
    return None if ref is None else TexteDonnees(f"{ref['source']} ({ref['url']})")


@valeur
def essais_date_extraction(d: Donnees, annee: int) -> str | None:
    ref = _base(d, annee)
    return None if ref is None else date_longue(ref["date_extraction"])


@valeur
def essais_requete_pays(d: Donnees, annee: int) -> str | None:
    ref = _base(d, annee)
    return None if ref is None else TexteDonnees(ref["requete_pays"])


@valeur
def essais_requete_statuts(d: Donnees, annee: int) -> str | None:
    ref = _base(d, annee)
    return None if ref is None else TexteDonnees(" ou ".join(ref["requete_statuts"]))


@valeur
def essais_requete_debut_avant(d: Donnees, annee: int) -> str | None:
    ref = _base(d, annee)
    return None if ref is None else date_longue(ref["requete_debut_avant"])
