"""Chemins du projet, trouvés depuis l'emplacement du paquet (jamais depuis le dossier courant)."""

from __future__ import annotations

from pathlib import Path

PAQUET = Path(__file__).resolve().parent
RACINE = PAQUET.parents[1]
DONNEES = RACINE / "data"
DONNEES_BRUTES = DONNEES / "raw"
DONNEES_ENTRANTES = DONNEES / "incoming"
CARNETS = RACINE / "notebooks"
RAPPORTS = RACINE / "reports"
CONSTRUCTION = RACINE / "build"
REFERENCE_PARTAGEE = RACINE.parent / "shared" / "reference"
