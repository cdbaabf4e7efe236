"""Chemins du projet, trouvés depuis l'emplacement du paquet (jamais depuis le dossier courant).

La variable d'environnement ``SYNTHESE_IHU_DONNEES`` remplace le dossier ``data/`` (qui contient
``raw/``, ``incoming/`` et ``reference/``) : les noyaux des carnets héritent de l'environnement,
donc une construction lancée avec cette variable lit partout la même racine (tests : copie des
données dans un dossier temporaire).
"""

from __future__ import annotations

import os
from pathlib import Path

PAQUET = Path(__file__).resolve().parent
RACINE = PAQUET.parents[1]
VARIABLE_DONNEES = "SYNTHESE_IHU_DONNEES"
DONNEES = Path(os.environ.get(VARIABLE_DONNEES) or RACINE / "data").resolve()
DONNEES_BRUTES = DONNEES / "raw"
DONNEES_ENTRANTES = DONNEES / "incoming"
CARNETS = RACINE / "notebooks"
RAPPORTS = RACINE / "reports"
CONSTRUCTION = RACINE / "build"
