"""Constructions réelles des tests de confidentialité.

Les rapports publics 2012-2022 (``rapports_publics``, ``racine_publique``) sont construits une
fois par session pour toute la suite : fixtures de ``tests/conftest.py``
(``tests/constructions.py``), partagées avec le test de vérité du récit.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from constructions import ANNEES, construire

__all__ = ["ANNEES", "construire"]


@pytest.fixture(scope="session")
def construire_rapport() -> Callable[..., subprocess.CompletedProcess]:
    """:func:`constructions.construire`, pour les tests."""
    return construire
