"""Chargement de ``data/raw`` en tableaux typés, validés par schémas pandera.

API (contrat entre modules, ``docs/architecture.md``) :

- :func:`charger` lit tout ``data/raw`` (ou ``racine``) et rend un :class:`Donnees` ;
- :meth:`Donnees.pour_annee` donne la vue d'une année cible ;
- :func:`annees_couvertes` liste les années cibles possibles (2012 … dernière campagne).
"""

from synthese_ihu.donnees.chargement import annees_couvertes, charger
from synthese_ihu.donnees.erreurs import ErreurDonnees, Probleme
from synthese_ihu.donnees.modele import Donnees

__all__ = ["Donnees", "ErreurDonnees", "Probleme", "annees_couvertes", "charger"]
