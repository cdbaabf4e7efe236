"""Rapport 2022 construit une fois par session, partagé par les tests de l'édition."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def rapport_2022_construit(tmp_path_factory) -> Path:
    """Dossier du rapport public 2022 (HTML, PDF, ``donnees/``), construit une seule fois."""
    from synthese_ihu.construction import main

    sortie = tmp_path_factory.mktemp("edition")
    assert main(["--annee", "2022", "--sortie", str(sortie)]) == 0
    return sortie / "2022"
