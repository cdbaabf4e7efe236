"""Chargement de ``data/raw`` en tableaux typés, validés par schémas pandera.

API (contrat entre modules, ``docs/architecture.md``) :

- :func:`charger` lit tout ``data/raw`` (ou ``racine``) et rend un :class:`Donnees` ;
- :meth:`Donnees.pour_annee` donne la vue d'une année cible ;
- :func:`annees_couvertes` liste les années cibles possibles (2012 … dernière campagne).

Les noms qui demandent pandas et pandera sont importés au premier usage : lister les années
couvertes (validation des paramètres) reste instantané.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from synthese_ihu.donnees.annees import annees_couvertes

if TYPE_CHECKING:
    from synthese_ihu.donnees.chargement import charger
    from synthese_ihu.donnees.erreurs import ErreurDonnees, Probleme
    from synthese_ihu.donnees.modele import Donnees

__all__ = ["Donnees", "ErreurDonnees", "Probleme", "annees_couvertes", "charger"]

_PARESSEUX = {
    "charger": "synthese_ihu.donnees.chargement",
    "ErreurDonnees": "synthese_ihu.donnees.erreurs",
    "Probleme": "synthese_ihu.donnees.erreurs",
    "Donnees": "synthese_ihu.donnees.modele",
}


def __getattr__(nom: str) -> Any:
    """Importe à la demande ``charger``, ``Donnees``, ``ErreurDonnees``, ``Probleme``."""
    if nom in _PARESSEUX:
        valeur = getattr(importlib.import_module(_PARESSEUX[nom]), nom)
        globals()[nom] = valeur
        return valeur
    raise AttributeError(f"module {__name__!r} has no attribute {nom!r}")
