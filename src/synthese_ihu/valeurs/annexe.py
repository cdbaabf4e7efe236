"""Valeurs des faits marquants et de l'annexe de méthode (carnets 09 et 10) : réactualisations,
nature du jeu de données (publié ou reconstruit) et provenance des valeurs citées.

Sources : ``data/raw/referentiel/metadonnees.toml``, ``faits_marquants/faits_marquants.csv``
(:mod:`synthese_ihu.donnees.metadonnees`).
"""

from __future__ import annotations

import weakref
from typing import Any

from synthese_ihu import statuts
from synthese_ihu.donnees import Donnees
from synthese_ihu.recit import Enumeration, TexteDonnees
from synthese_ihu.valeurs.programme import nb_ihu_selection_suivante
from synthese_ihu.valeurs.registre import _CALCULS, SUR_DONNEES_COMPLETES, Valeurs, valeur


@valeur
def faits_marquants(d: Donnees, annee: int) -> bool:
    """Vrai si l'édition ``annee`` a des faits marquants (``faits_marquants.csv``)."""
    return bool((d.faits_marquants["edition"] == annee).any())


@valeur(complet=True)
def faits_ihu3(d: Donnees, annee: int) -> bool:
    return bool(nb_ihu_selection_suivante(d, annee)) and not d.tableaux["ihu_selectionnes"].empty


@valeur(complet=True)
def donnees_reconstruites(d: Donnees, annee: int) -> bool:
    """Vrai si ``data/raw`` est le jeu de référence reconstruit (``metadonnees.toml``)."""
    return d.metadonnees.donnees_reconstruites


@valeur
def contexte_estime_en_partie(d: Donnees, annee: int) -> bool:
    """Certaines des valeurs de contexte imprimées pour l'année, pas toutes, sont estimées."""
    return statuts.etendue(statuts.statuts_contexte(d, annee)) == statuts.CERTAINES


@valeur
def contexte_estime(d: Donnees, annee: int) -> bool:
    """Toutes les valeurs de contexte imprimées pour l'année sont des estimations."""
    return statuts.etendue(statuts.statuts_contexte(d, annee)) == statuts.TOUTES


@valeur
def edition_publiee(d: Donnees, annee: int) -> int | None:
    return d.metadonnees.edition_publiee


@valeur
def source_publiee(d: Donnees, annee: int) -> str | None:
    return TexteDonnees(d.metadonnees.source_publiee) if d.metadonnees.source_publiee else None


_PROVENANCES: dict[tuple[int, int], tuple[Any, dict]] = {}


#: Valeurs de l'annexe qui comptent les valeurs imprimées (leurs récits ne sont pas évalués).
_PROVENANCE = ("nb_valeurs_publiees", "nb_valeurs_reconstruites", "valeurs_reconstruites")


def _provenances(d: Donnees, annee: int) -> dict[str, tuple[str, str, str]]:
    """Valeur imprimée -> (provenance, libellé, texte imprimé), hors valeurs de provenance.

    Seules comptent les valeurs que les récits affichés de l'édition citent
    (:func:`synthese_ihu.imprimees.valeurs_imprimees`). Calculé une fois par jeu de données et
    année (trois valeurs le citent).
    """
    from synthese_ihu import imprimees, publication

    cle = (id(d), annee)
    if cle in _PROVENANCES and _PROVENANCES[cle][0]() is d:
        return _PROVENANCES[cle][1]
    v = Valeurs(d.pour_annee(annee), annee, d)
    lues = imprimees.valeurs_imprimees(v, annee, imprimees.carnets_du_rapport(),
                                       sauf=_PROVENANCE)
    propres = {n: getattr(v, n) for n in _CALCULS
               if n not in SUR_DONNEES_COMPLETES and n in lues}
    # Les faits des constats (faits.py) n'ont pas de libellé : l'annexe les nomme par leur
    # identifiant (« seuil revision »), comme l'édition publiée.
    resultat = {
        ligne["id"]: (
            ligne["provenance"],
            ligne["libelle"] or ligne["id"].replace("_", " "),
            ligne["texte"],
        )
        for ligne in publication.chiffres_cles(propres, d.metadonnees, annee)
    }
    _PROVENANCES.clear()
    _PROVENANCES[cle] = (weakref.ref(d), resultat)
    return resultat


@valeur(complet=True)
def nb_valeurs_publiees(d: Donnees, annee: int) -> int:
    return sum(p == "publiee" for p, _, _ in _provenances(d, annee).values())


@valeur(complet=True)
def nb_valeurs_reconstruites(d: Donnees, annee: int) -> int:
    return sum(p == "reconstruite" for p, _, _ in _provenances(d, annee).values())


@valeur(complet=True)
def valeurs_reconstruites(d: Donnees, annee: int) -> Enumeration | None:
    """Libellés et formes imprimées des valeurs citées qui viennent du jeu reconstruit."""
    lignes = [
        (f"{libelle[:1].lower()}{libelle[1:]}", f"({texte})")
        for p, libelle, texte in _provenances(d, annee).values()
        if p == "reconstruite"
    ]
    return Enumeration(lignes) if lignes else None
