"""Le catalogue des valeurs citables (``{v.nom}``) et :class:`Valeurs`, qui les calcule.

Chaque valeur est une petite fonction de la vue des données et de l'année cible, enregistrée par
:func:`valeur` (ou :func:`enregistrer` pour une famille de valeurs) ; :class:`Valeurs` les
calcule à la première lecture et les garde (une section ne calcule que ce qu'elle cite). Une
:class:`~synthese_ihu.formatage.Valeur` porte son libellé et sa période : les chiffres clés
publiés (``chiffres_cles.csv``) les lisent tels quels. Outils partagés des modules de valeurs.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import pandas as pd

from synthese_ihu import config
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.recit import TexteDonnees

Calcul = Callable[[Donnees, int], Any]
_CALCULS: dict[str, Calcul] = {}
#: Noms des faits des constats (enregistrés par :mod:`synthese_ihu.faits`), hors chiffres clés.
FAITS: set[str] = set()
#: Valeurs calculées sur toutes les campagnes (réactualisations), pas sur la vue de l'année.
SUR_DONNEES_COMPLETES: set[str] = set()


def enregistrer(nom: str, calcul: Calcul, *, complet: bool = False) -> Calcul:
    """Enregistre ``calcul`` sous ``nom`` ; ``complet`` : calculé sur toutes les campagnes."""
    _CALCULS[nom] = calcul
    if complet:
        SUR_DONNEES_COMPLETES.add(nom)
    return calcul


def valeur(fonction: Calcul | None = None, *, complet: bool = False) -> Any:
    """Décorateur : enregistre une valeur citable sous le nom de la fonction (``@valeur`` ou
    ``@valeur(complet=True)`` pour une valeur calculée sur toutes les campagnes)."""
    if fonction is None:
        return lambda f: enregistrer(f.__name__, f, complet=complet)
    return enregistrer(fonction.__name__, fonction)


class Valeurs:
    """Les valeurs d'une année, calculées à la première lecture de ``v.nom``.

    ``donnees`` est la vue de l'année ; ``complet`` toutes les campagnes (réactualisations).
    Une valeur inconnue lève ``AttributeError`` avec les noms proches ; ``dir(v)`` liste
    toutes les valeurs (complétion dans JupyterLab).
    """

    def __init__(self, donnees: Donnees, annee: int, complet: Donnees | None = None) -> None:
        self._donnees = donnees
        self._annee = annee
        self._complet = complet if complet is not None else donnees
        self._cache: dict[str, Any] = {}

    def __getattr__(self, nom: str) -> Any:
        if nom.startswith("_"):
            raise AttributeError(nom)
        if nom not in _CALCULS:
            proches = difflib.get_close_matches(nom, _CALCULS, n=3)
            suggestion = f" ; noms proches : {', '.join(proches)}" if proches else ""
            raise AttributeError(f"valeur inconnue « {nom} »{suggestion}")
        if nom not in self._cache:
            source = self._complet if nom in SUR_DONNEES_COMPLETES else self._donnees
            self._cache[nom] = _CALCULS[nom](source, self._annee)
        return self._cache[nom]

    def __dir__(self) -> list[str]:
        return sorted(_CALCULS)

    def toutes(self, faits: bool = False) -> dict[str, Any]:
        """Les valeurs de l'année (chiffres clés exportés) ; ``faits=True`` ajoute les faits des
        constats (:mod:`synthese_ihu.faits` : années, booléens, formes de séries)."""
        return {nom: getattr(self, nom) for nom in sorted(_CALCULS) if faits or nom not in FAITS}


# --- outils des modules de valeurs --------------------------------------------------------------
PERIODES = config.periodes()

_MOIS = [
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
#: Libellé des extrêmes par IHU (``<valeur>_min``, ``<valeur>_max``).
EXTREMES = {"min": "minimum par IHU", "max": "maximum par IHU"}


def meur(montant: float | None, libelle: str, periode: str) -> Valeur | None:
    return None if montant is None else Valeur(montant, "M€", 1, libelle, periode)


def part(part: float | None, libelle: str, periode: str, decimales: int = 0) -> Valeur | None:
    return None if part is None else Valeur(part, "%", decimales, libelle, periode)


def compte(n: float | None, libelle: str, periode: str) -> Valeur | None:
    return None if n is None else Valeur(n, "", 0, libelle, periode)


def periode_de(v: Any) -> str:
    """Période d'une valeur de référence (``""`` si elle n'existe pas pour l'année)."""
    return v.periode if isinstance(v, Valeur) else ""


def liste(mots: list[str]) -> str:
    """« a, b et c »."""
    if len(mots) <= 1:
        return "".join(mots)
    return ", ".join(mots[:-1]) + " et " + mots[-1]


def date_longue(jour) -> str:
    """« 1er mars 2023 »."""
    return f"{jour.day}{'er' if jour.day == 1 else ''} {_MOIS[jour.month]} {jour.year}"


def reference(d: Donnees, section: str, annee: int) -> dict | None:
    """Référence de contexte de ``section`` citée en note (``contexte/references.toml``), si
    elle porte sur l'année ``annee``."""
    ref = d.metadonnees.references.get(section)
    return ref if ref is not None and ref.get("annee") == annee else None


def enregistrer_fourchettes(
    nom: str, indicateur: str, libelle: str, *, cumul: bool = False
) -> None:
    """Enregistre ``<nom>_min`` et ``<nom>_max`` : extrêmes par IHU d'un indicateur de campagne
    dans l'année (ou cumulé depuis la première année d'indicateurs, ``cumul=True``)."""
    from synthese_ihu import indicateurs as ind

    par_ihu = ind.indicateur_cumul_par_ihu if cumul else ind.indicateur_par_ihu

    def extreme(cote: str) -> Calcul:
        def calcul(d: Donnees, annee: int) -> Valeur | None:
            f = ind.fourchette(par_ihu(d, indicateur, annee))
            periode = PERIODES.indicateurs(annee) if cumul else str(annee)
            return (
                None
                if f is None
                else Valeur(
                    getattr(f, cote), libelle=(f"{libelle} : {EXTREMES[cote]}"), periode=periode
                )
            )

        return calcul

    for cote in EXTREMES:
        enregistrer(f"{nom}_{cote}", extreme(cote))


def source(tableau: pd.DataFrame, annee: int) -> TexteDonnees:
    """Sources d'un tableau de contexte pour sa dernière année jusqu'à ``annee`` (texte des
    données, échappé par le récit) : une extraction arrêtée avant N garde sa source."""
    annees = tableau.loc[tableau["annee"] <= annee, "annee"]
    if len(annees):
        annee = int(annees.max())
    lignes = tableau.loc[tableau["annee"] == annee, ["source"]].drop_duplicates()
    return TexteDonnees(" ; ".join(sorted(set(lignes["source"].astype(str)))))
