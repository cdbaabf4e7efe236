"""Interrupteurs des mécanismes de performance, pour que le banc (``make bench``) les mesure.

Chaque mécanisme (noyaux réutilisés, caches, processus PDF préparé…) doit faire gagner au moins
10 % sur une mesure du banc pour rester. Le banc le désactive par la variable d'environnement
``SYNTHESE_IHU_SANS`` (noms séparés par des virgules) ; un nom inconnu est une erreur, pour
qu'une faute de frappe ne mesure pas deux fois la même chose.
"""

from __future__ import annotations

import os

VARIABLE = "SYNTHESE_IHU_SANS"

#: Nom → ce que le mécanisme fait gagner (affiché par le banc).
MECANISMES: dict[str, str] = {
    "noyaux_reutilises": "un noyau exécute plusieurs carnets (démarrage et imports payés une fois)",
    "cache_execution": "carnets exécutés repris quand code, paramètres et données sont inchangés",
    "cache_publication": "données ouvertes reprises quand données et paquet sont inchangés",
    "donnees_en_memoire": "données chargées une fois par processus (noyau réutilisé)",
}


class MecanismeInconnu(ValueError):
    """Un nom de ``SYNTHESE_IHU_SANS`` ne désigne aucun mécanisme."""


def desactives(environ: dict[str, str] | None = None) -> frozenset[str]:
    """Mécanismes désactivés par ``SYNTHESE_IHU_SANS`` ; lève :class:`MecanismeInconnu`."""
    texte = (os.environ if environ is None else environ).get(VARIABLE, "")
    noms = frozenset(n.strip() for n in texte.split(",") if n.strip())
    inconnus = sorted(noms - MECANISMES.keys())
    if inconnus:
        raise MecanismeInconnu(
            f"{VARIABLE} : mécanisme inconnu {', '.join(inconnus)} "
            f"(connus : {', '.join(sorted(MECANISMES))})"
        )
    return noms


def actif(nom: str, environ: dict[str, str] | None = None) -> bool:
    """Vrai si le mécanisme ``nom`` est actif (il l'est sauf dans ``SYNTHESE_IHU_SANS``)."""
    if nom not in MECANISMES:
        raise MecanismeInconnu(f"mécanisme inconnu : {nom}")
    return nom not in desactives(environ)
