"""Un ``synthese.toml`` minimal et valide (deux sections), pour les tests de configuration."""

from __future__ import annotations

from pathlib import Path

#: Configuration valide : deux sections dans l'ordre, carnets voisins.
TOML_VALIDE = """
[rapport]
titre = "Synthèse"
annee_defaut = 2022
nom_fichier = "synthese-ihu-{annee}"

[[sections]]
id = "ouverture"
carnet = "00_ouverture.ipynb"
titre = "Présentation"

[[sections]]
id = "recherche"
carnet = "03_recherche.ipynb"
titre = "2.1 Recherche"
"""


def ecrire_config(dossier: Path, texte: str = TOML_VALIDE) -> Path:
    for nom in ("00_ouverture.ipynb", "03_recherche.ipynb"):
        (dossier / nom).write_text("{}", encoding="utf-8")
    fichier = dossier / "synthese.toml"
    fichier.write_text(texte, encoding="utf-8")
    return fichier
