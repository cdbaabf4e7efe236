"""Valeurs de l'ouverture et des chiffres clés (carnets 00 et 01) : l'action, ses appels, son
périmètre suivi, les premières années des séries."""

from __future__ import annotations

import pandas as pd

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.recit import TexteDonnees
from synthese_ihu.valeurs.registre import _MOIS, PERIODES, valeur


@valeur
def nb_ihu_suivis(d: Donnees, annee: int) -> int:
    return ind.nombre_ihu_suivis(d, annee)


@valeur
def nb_ihu_finances(d: Donnees, annee: int) -> int:
    return int(d.dotations.loc[d.dotations["annee_engagement"] <= annee, "ihu"].nunique())


@valeur
def premiere_campagne(d: Donnees, annee: int) -> int:
    return int(d.campagnes["campagne"].min())


def _selection_suivante(d: Donnees, annee: int) -> pd.DataFrame:
    """IHU retenus l'année qui suit l'année cible (connus à la rédaction du rapport)."""
    ref = d.ihu
    # premiere_annee_indicateurs est remplie par la première campagne reçue (chargement) :
    # un IHU retenu en annee + 1 n'est pas suivi en annee, qu'il ait déjà une campagne ou non.
    pas_suivi = ~(ref["premiere_annee_indicateurs"] <= annee).fillna(False).astype(bool)
    return ref.loc[(ref["annee_selection"] == annee + 1) & pas_suivi]


@valeur(complet=True)
def nb_ihu_selection_suivante(d: Donnees, annee: int) -> int | None:
    n = len(_selection_suivante(d, annee))
    return n or None


@valeur(complet=True)
def annee_selection_suivante(d: Donnees, annee: int) -> int:
    return annee + 1


@valeur(complet=True)
def appel_selection_suivante(d: Donnees, annee: int) -> str | None:
    appels = sorted(set(_selection_suivante(d, annee)["appel"].astype(str)))
    return ", ".join(appels) or None


def _annee_appel(d: Donnees, appel: str, annee: int) -> int | None:
    ref = d.ihu
    selections = ref.loc[
        (ref["appel"] == appel) & (ref["annee_selection"] <= annee), "annee_selection"
    ]
    return None if selections.empty else int(selections.min())


@valeur
def annee_pia1(d: Donnees, annee: int) -> int | None:
    """Année de sélection des IHU du premier appel (IHU1, PIA1), lue dans le référentiel."""
    return _annee_appel(d, "IHU1", annee)


@valeur
def annee_pia3(d: Donnees, annee: int) -> int | None:
    """Année de sélection de l'IHU du deuxième appel (IHU2, PIA3)."""
    return _annee_appel(d, "IHU2", annee)


@valeur
def debut_finances(d: Donnees, annee: int) -> int:
    """Première année des versements et des dépenses suivis."""
    annees = d.versements["annee"]
    return int(annees.min()) if len(annees) else PERIODES.premiere_annee_finances


@valeur
def debut_indicateurs(d: Donnees, annee: int) -> int:
    """Première année des indicateurs de suivi (et de la bibliométrie comptée)."""
    return PERIODES.premiere_annee_indicateurs


@valeur
def debut_cofinancements(d: Donnees, annee: int) -> int:
    """Première campagne qui recueille les cofinancements."""
    return PERIODES.premiere_campagne_cofinancements


@valeur
def nb_ihu_pia1(d: Donnees, annee: int) -> int:
    return ind.nombre_ihu_selectionnes(d, annee_pia1(d, annee) or PERIODES.premiere_annee_finances)


@valeur
def nb_ihu_pia3(d: Donnees, annee: int) -> int | None:
    ref = d.ihu
    return int(((ref["appel"] == "IHU2") & (ref["annee_selection"] <= annee)).sum()) or None


@valeur
def fin_pia3(d: Donnees, annee: int) -> str | None:
    ref = d.ihu
    fins = ref.loc[ref["appel"] == "IHU2", "fin_financement"].dropna()
    if fins.empty:
        return None
    fin = pd.Timestamp(fins.max())
    return f"{fin.day} {_MOIS[fin.month]} {fin.year}"


def _appel_pia1(d: Donnees) -> dict:
    return d.metadonnees.appels.get("IHU1", {})


@valeur
def annee_evaluation_pia1(d: Donnees, annee: int) -> int | None:
    """Année de l'évaluation des IHU du PIA1 (``referentiel/appels.csv``), si elle est passée."""
    a = _appel_pia1(d).get("annee_evaluation")
    return a if a is not None and a <= annee else None


@valeur
def instance_evaluation_pia1(d: Donnees, annee: int) -> TexteDonnees | None:
    instance = _appel_pia1(d).get("instance_evaluation")
    return None if instance is None else TexteDonnees(instance)


@valeur
def programme_ihu3(d: Donnees, annee: int) -> TexteDonnees | None:
    """Programme du troisième appel (``referentiel/appels.csv``), nommé quand ses IHU entrent."""
    programme = d.metadonnees.appels.get("IHU3", {}).get("programme")
    return TexteDonnees(programme) if programme else None
