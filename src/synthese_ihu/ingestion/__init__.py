"""Campagne annuelle : modèles de classeurs à remplir, contrôle et ingestion des classeurs reçus.

- :func:`ecrire_modeles` écrit le classeur vierge de chaque IHU pour une campagne
  (``synthese-ihu modele``, ``make template``) ;
- :func:`verifier` contrôle tous les classeurs reçus dans ``data/incoming/<année>/`` et rend
  tous les problèmes à la fois ;
- :func:`ingerer` fait entrer une campagne valide dans ``data/raw/campagnes/<année>/`` d'un seul
  renommage et dit ce qui a changé (``synthese-ihu ingerer``, ``make ingest``).

Toutes les fonctions prennent la racine des données (le dossier ``data/``) en paramètre ; par
défaut :data:`synthese_ihu.chemins.DONNEES` (variable ``SYNTHESE_IHU_DONNEES``).
"""

from synthese_ihu.ingestion.controles import Verification, verifier
from synthese_ihu.ingestion.ingerer import BilanIngestion, ingerer
from synthese_ihu.ingestion.modeles import ecrire_modeles

__all__ = ["BilanIngestion", "Verification", "ecrire_modeles", "ingerer", "verifier"]
