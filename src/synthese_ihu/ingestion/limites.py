"""Limites de l'ingestion (``limites.toml``), lues et validées avant tout contrôle.

Deux tables : ``[classeur]`` borne ce qu'un classeur reçu peut faire lire (taille, parties
décompressées, lignes, colonnes, textes) et ``[plausibilite.<feuille>]`` donne la plage plausible
de chaque champ numérique. Une clé inconnue, un type faux ou une plage vide est une
:class:`ErreurLimites` qui nomme le fichier et la clé. Les messages de refus citent la limite et
le fichier de configuration.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

FICHIER_LIMITES = Path(__file__).with_name("limites.toml")

#: feuille -> champs numériques dont une plage plausible peut être donnée
CHAMPS_NUMERIQUES = {
    "Depenses": ("montant_eur",),
    "Cofinancements": ("montant_eur",),
    "Indicateurs": ("valeur",),
    "Soins_specifiques": ("valeur",),
    "Startups": ("annee_creation",),
}


class ErreurLimites(ValueError):
    """``limites.toml`` est invalide (le message nomme le fichier et la clé)."""


@dataclass(frozen=True)
class LimitesClasseur:
    """Bornes de lecture d'un classeur (voir ``limites.toml``, table ``[classeur]``)."""

    taille_max_octets: int
    partie_max_octets: int
    total_max_octets: int
    parties_max: int
    lignes_max: int
    colonnes_max: int
    chaines_max: int
    texte_max_caracteres: int
    elements_max: int


@dataclass(frozen=True)
class Limites:
    """Limites de l'ingestion.

    Attributes
    ----------
    classeur : LimitesClasseur
        Bornes de lecture.
    plausibilite : dict
        (feuille, champ) -> (minimum, maximum), bornes incluses.
    source : str
        Nom du fichier lu, cité dans les messages.
    """

    classeur: LimitesClasseur
    plausibilite: dict[tuple[str, str], tuple[float, float]]
    source: str = "limites.toml"


def _entier(valeur: object, cle: str, fichier: str) -> int:
    if isinstance(valeur, bool) or not isinstance(valeur, int) or valeur <= 0:
        raise ErreurLimites(f"{fichier} : clé « {cle} » : attendu un entier > 0, trouvé "
                            f"« {valeur!r} »")
    return valeur


def lire_limites(chemin: Path | None = None) -> Limites:
    """Lit et valide ``limites.toml``.

    Parameters
    ----------
    chemin : Path, optional
        Fichier à lire (défaut : :data:`FICHIER_LIMITES`).

    Returns
    -------
    Limites

    Raises
    ------
    ErreurLimites
        Clé inconnue ou absente, type faux, plage vide.
    """
    chemin = Path(chemin or FICHIER_LIMITES)
    nom = chemin.name
    try:
        brut = tomllib.loads(chemin.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ErreurLimites(f"{nom} illisible : {exc}") from exc
    inconnues = sorted(set(brut) - {"classeur", "plausibilite"})
    if inconnues:
        raise ErreurLimites(f"{nom} : table inconnue « {inconnues[0]} » : attendu classeur, "
                            "plausibilite")
    table = brut.get("classeur", {})
    attendues = [f.name for f in fields(LimitesClasseur)]
    for cle in table:
        if cle not in attendues:
            raise ErreurLimites(f"{nom} : clé inconnue « classeur.{cle} » : attendu "
                                + ", ".join(attendues))
    manquantes = [c for c in attendues if c not in table]
    if manquantes:
        raise ErreurLimites(f"{nom} : clé « classeur.{manquantes[0]} » absente")
    classeur = LimitesClasseur(**{c: _entier(table[c], f"classeur.{c}", nom) for c in attendues})

    plages: dict[tuple[str, str], tuple[float, float]] = {}
    for feuille, champs in brut.get("plausibilite", {}).items():
        if feuille not in CHAMPS_NUMERIQUES or not isinstance(champs, dict):
            raise ErreurLimites(f"{nom} : table inconnue « plausibilite.{feuille} » : attendu "
                                + ", ".join(CHAMPS_NUMERIQUES))
        for champ, plage in champs.items():
            cle = f"plausibilite.{feuille}.{champ}"
            if champ not in CHAMPS_NUMERIQUES[feuille]:
                raise ErreurLimites(f"{nom} : clé inconnue « {cle} » : attendu "
                                    + ", ".join(CHAMPS_NUMERIQUES[feuille]))
            if (not isinstance(plage, list) or len(plage) != 2
                    or any(isinstance(v, bool) or not isinstance(v, int | float) for v in plage)
                    or plage[0] > plage[1]):
                raise ErreurLimites(f"{nom} : clé « {cle} » : attendu [minimum, maximum] "
                                    f"(nombres, minimum ≤ maximum), trouvé « {plage!r} »")
            plages[(feuille, champ)] = (plage[0], plage[1])
    return Limites(classeur, plages, nom)


@cache
def limites() -> Limites:
    """Limites du projet (``limites.toml`` du paquet), lues une fois par processus."""
    return lire_limites()
