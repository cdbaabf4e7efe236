"""Valeurs de l'attractivité et de la formation (carnets 04 et 05) : chercheurs étrangers
accueillis, étudiants en double cursus."""

from __future__ import annotations

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.valeurs.registre import PERIODES, compte, enregistrer_fourchettes, valeur

CHERCHEURS = "Chercheurs étrangers accueillis"
CHERCHEURS_CUMUL = "Chercheurs étrangers accueillis (cumul)"
ETUDIANTS = "Étudiants en double cursus"


@valeur
def chercheurs_etrangers_annee(d: Donnees, annee: int) -> Valeur:
    return compte(ind.indicateur_annee(d, "chercheurs_etrangers", annee), CHERCHEURS, str(annee))


@valeur
def chercheurs_etrangers_cumul(d: Donnees, annee: int) -> Valeur:
    return compte(
        ind.indicateur_cumul(d, "chercheurs_etrangers", annee),
        CHERCHEURS_CUMUL,
        PERIODES.indicateurs(annee),
    )


@valeur
def crise_sanitaire(d: Donnees, annee: int) -> bool:
    serie = ind.indicateur_serie(d, "chercheurs_etrangers", annee)
    return annee >= 2020 and 2019 in serie.index and serie[2020] < serie[2019]


@valeur
def etudiants_double_cursus_annee(d: Donnees, annee: int) -> Valeur:
    return compte(ind.indicateur_annee(d, "etudiants_double_cursus", annee), ETUDIANTS, str(annee))


enregistrer_fourchettes("chercheurs_etrangers", "chercheurs_etrangers", CHERCHEURS)
enregistrer_fourchettes(
    "chercheurs_etrangers_cumul", "chercheurs_etrangers", CHERCHEURS_CUMUL, cumul=True
)
enregistrer_fourchettes("etudiants_double_cursus", "etudiants_double_cursus", ETUDIANTS)
