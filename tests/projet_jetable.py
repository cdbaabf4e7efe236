"""Petit projet jetable pour les tests de l'exécution : un carnet d'une section, dossiers vides.

Partagé par les tests du moteur papermill et de l'aperçu : configuration, carnets, construction,
données, paquet, verrou et rendu dans ``tmp_path`` (rien du projet n'est lu ni écrit).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from synthese_ihu.construction import Emplacements

#: Années couvertes données aux validations (au lieu de les lire dans les données).
ANNEES = list(range(2012, 2023))


def projet_jetable(tmp_path: Path, nb: nbformat.NotebookNode, titre: str = "Essai") -> Emplacements:
    """Écrit ``nb`` comme carnet de la section « essai » d'un projet dans ``tmp_path``."""
    return projet_sections(tmp_path, [("essai", "00_essai.ipynb", titre, nb)])


def projet_sections(
    tmp_path: Path, sections: list[tuple[str, str, str, nbformat.NotebookNode]]
) -> Emplacements:
    """Projet jetable dans ``tmp_path`` : une section par ``(id, carnet, titre, nb)``."""
    carnets = tmp_path / "notebooks"
    carnets.mkdir()
    toml = '[rapport]\ntitre = "Essai"\n'
    for ident, nom, titre, nb in sections:
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Py", "language": "python"}
        nbformat.write(nb, str(carnets / nom))
        toml += f'[[sections]]\nid = "{ident}"\ncarnet = "{nom}"\ntitre = "{titre}"\n'
    (tmp_path / "synthese.toml").write_text(toml, encoding="utf-8")
    for dossier in ("raw", "paquet", "rendu"):
        (tmp_path / dossier).mkdir()
    (tmp_path / "paquet" / "module.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "requirements.lock").write_text("pandas==3\n", encoding="utf-8")
    return Emplacements(
        configuration=tmp_path / "synthese.toml",
        carnets=carnets,
        construction=tmp_path / "build",
        rapports=tmp_path / "reports",
        donnees=tmp_path / "raw",
        paquet=tmp_path / "paquet",
        verrou=tmp_path / "requirements.lock",
        rendu=tmp_path / "rendu",
    )
