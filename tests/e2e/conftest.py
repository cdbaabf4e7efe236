"""Rapport 2022 construit une fois par session, partagé par les tests de l'édition."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def rapport_2022_construit(rapports_publics) -> Path:
    """Dossier du rapport public 2022 (HTML, PDF, ``donnees/``) des constructions de la session."""
    return rapports_publics[2022]
