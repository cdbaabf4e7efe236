"""Faits et tableau de l'annexe publique « Révisions depuis l'édition précédente ».

Faits du catalogue ``{v.nom}`` (comptes, années, libellés de sources) et tableau des valeurs
chiffrées de l'édition N−1 publiées puis révisées, à la même précision, avec une cause d'une ligne
qui ne nomme ni IHU ni classeur (:func:`cause_publique`). Les phrases sont dans
``10_annexe_methode.ipynb`` ; la comparaison elle-même est dans :mod:`synthese_ihu.revisions`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from synthese_ihu import revisions as rv
from synthese_ihu.donnees import Donnees
from synthese_ihu.recit import TexteDonnees
from synthese_ihu.valeurs import _CALCULS, FAITS, SUR_DONNEES_COMPLETES, valeur

_AVANT = set(_CALCULS)
_CACHE: dict[tuple[int, int], tuple[Donnees, rv.Comparaison]] = {}

#: nature d'un changement -> ce que le lecteur lit dans la colonne « Cause »
NATURES = {
    "reactualisation": "valeur réactualisée",
    "ajout": "valeur déclarée après coup",
    "entree": "IHU entré dans le décompte",
    "source": "extraction révisée",
}


def comparaison_de(complet: Donnees, annee: int) -> rv.Comparaison:
    """La comparaison de l'édition ``annee`` (gardée par données chargées et année)."""
    from synthese_ihu.donnees.chargement import racine_par_defaut

    cle = (id(complet), annee)
    if cle not in _CACHE:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[cle] = (complet, rv.comparer(complet, annee, Path(racine_par_defaut())))
    return _CACHE[cle][1]


def cause_publique(comparaison: rv.Comparaison, nom: str) -> str:
    """Cause d'un chiffre révisé en une ligne : nature et donnée, jamais l'IHU ni le classeur."""
    rangs = comparaison.causes.get(nom, [])
    if not rangs:
        return "données révisées"
    groupes: dict[str, list[str]] = {}
    for rang in rangs:
        c = comparaison.changements[rang]
        groupes.setdefault(NATURES[c.nature], [])
        if c.donnee not in groupes[NATURES[c.nature]]:
            groupes[NATURES[c.nature]].append(c.donnee)
    morceaux = []
    for nature, donnees in groupes.items():
        nature = (
            nature
            if len(donnees) == 1
            else nature.replace("valeur ", "valeurs ")
            .replace("réactualisée", "réactualisées")
            .replace("déclarée", "déclarées")
        )
        detail = ", ".join(donnees[:3]) + (
            f" et {len(donnees) - 3} autres" if len(donnees) > 3 else ""
        )
        morceaux.append(f"{nature} ({detail})")
    return " ; ".join(morceaux)


#: Nombre au début d'un texte imprimé (« 33 M€ », « 32,9 M€ », « −1,5 % »).
_NOMBRE = re.compile(r"^([+−-]?\d[\d\u202f\u00a0 ]*)(?:,(\d+))?")


def _decimales(texte: str) -> int | None:
    m = _NOMBRE.match(texte)
    return None if m is None else len(m.group(2) or "")


def meme_precision(avant: str, apres: str) -> tuple[str, str]:
    """Les deux textes d'un chiffre révisé à la même précision : « 33 M€ » et « 32,9 M€ »
    deviennent « 33,0 M€ » et « 32,9 M€ » (une révision, pas un arrondi)."""
    decimales = [_decimales(avant), _decimales(apres)]
    if None in decimales:
        return avant, apres
    cible = max(decimales)

    def completer(texte: str, n: int) -> str:
        if n >= cible:
            return texte
        m = _NOMBRE.match(texte)
        entier, partie = m.group(1).rstrip(" \u202f\u00a0"), m.group(2) or ""
        reste = texte[len(entier) + (len(partie) + 1 if partie else 0):]
        return f"{entier},{partie.ljust(cible, '0')}{reste}"

    return completer(avant, decimales[0]), completer(apres, decimales[1])


def tableau_public(comparaison: rv.Comparaison) -> pd.DataFrame:
    """Valeurs de l'édition N−1 révisées : telles que publiées avec les données d'alors, puis
    recalculées avec les données de N, à la même précision ; cause (sans IHU ni classeur)."""
    revises = comparaison.revises
    precedente, edition = comparaison.precedente, comparaison.edition
    paires = [meme_precision(a, b) if b else (a, "—")
              for a, b in zip(revises["publie"], revises["revise_texte"], strict=True)]
    return pd.DataFrame(
        {
            "Valeur": revises["libelle"],
            "Période": revises["periode"],
            f"Édition {precedente}, données d'alors": [a for a, _ in paires],
            f"Édition {precedente}, données de {edition}": [b for _, b in paires],
            "Cause": [cause_publique(comparaison, n) for n in revises["id"]],
        }
    )


# --- faits de l'annexe ----------------------------------------------------------------------------
@valeur
def edition_precedente(d: Donnees, annee: int) -> int | None:
    """Année de l'édition précédente, si les données la couvrent."""
    return comparaison_de(d, annee).precedente


@valeur
def nb_chiffres_precedente(d: Donnees, annee: int) -> int | None:
    """Chiffres clés de N−1 comparés (``None`` si rien n'a changé : rien n'est recalculé)."""
    c = comparaison_de(d, annee)
    return None if c.precedente is None or c.chiffres.empty else len(c.chiffres)


@valeur
def nb_chiffres_revises(d: Donnees, annee: int) -> int | None:
    c = comparaison_de(d, annee)
    return None if c.precedente is None else len(c.revises)


@valeur
def nb_chiffres_inchanges(d: Donnees, annee: int) -> int | None:
    c = comparaison_de(d, annee)
    if c.precedente is None or c.chiffres.empty:
        return None
    return len(c.chiffres) - len(c.revises)


@valeur
def nb_valeurs_revisees(d: Donnees, annee: int) -> int | None:
    """Valeurs de campagne d'années passées changées par la campagne ``annee``."""
    c = comparaison_de(d, annee)
    return None if c.precedente is None else sum(1 for x in c.changements if x.nature != "source")


@valeur
def nb_extractions_revisees(d: Donnees, annee: int) -> int | None:
    c = comparaison_de(d, annee)
    return None if c.precedente is None else sum(1 for x in c.changements if x.nature == "source")


@valeur
def sources_sans_millesime(d: Donnees, annee: int) -> TexteDonnees | None:
    """Libellés des sources sans extraction figée pour N−1 (non révisables cette année)."""
    return sources_non_comparees(comparaison_de(d, annee))


def sources_non_comparees(c: rv.Comparaison) -> TexteDonnees | None:
    """Libellés des sources sans extraction figée pour N−1 (annexe et note)."""
    if c.precedente is None:
        return None
    libelles: list[str] = []
    for relatif, compare in c.sources.items():
        libelle = rv.LIBELLES_SOURCES[relatif.split("/")[0]]
        if not compare and libelle not in libelles:
            libelles.append(libelle)
    if not libelles:
        return None
    return TexteDonnees(
        ", ".join(libelles[:-1]) + " et " + libelles[-1] if len(libelles) > 1 else libelles[0]
    )


NOMS = set(_CALCULS) - _AVANT
FAITS.update(NOMS)
SUR_DONNEES_COMPLETES |= NOMS
