"""Constructions coûteuses faites une seule fois par session, même répartie sur plusieurs
processus (``pytest -n 2``, pytest-xdist).

Chaque processus de xdist a ses propres fixtures de session : sans partage, les rapports
2012-2022 seraient construits deux fois. :func:`une_fois` les construit dans un dossier commun à
la session (le parent des dossiers temporaires des processus), sous un verrou de fichier : le
premier processus qui en a besoin construit, l'autre attend puis lit le même dossier. Une
construction qui a échoué n'est pas refaite : chaque processus qui la demande échoue avec le
même message. Sans xdist, le dossier est celui de la session, comme avant.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

T = TypeVar("T")


def dossier_de_session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Dossier temporaire commun à tous les processus de la session."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def une_fois(tmp_path_factory: pytest.TempPathFactory, nom: str,
             construire: Callable[[Path], T], lire: Callable[[Path], T]) -> T:
    """``construire(dossier)`` la première fois dans la session, ``lire(dossier)`` ensuite.

    ``lire`` ne refait rien : il rend ce que ``construire`` a rendu, d'après les chemins du
    dossier (les rapports construits y sont, à des chemins fixes).
    """
    commun = dossier_de_session(tmp_path_factory)
    dossier, fait, echec = (commun / f"partage-{nom}", commun / f"partage-{nom}.fait",
                            commun / f"partage-{nom}.echec")
    with FileLock(commun / f"partage-{nom}.verrou"):
        if echec.exists():
            pytest.fail(f"construction partagée « {nom} » déjà en échec dans cette session :\n"
                        + echec.read_text(encoding="utf-8"), pytrace=False)
        if fait.exists():
            return lire(dossier)
        shutil.rmtree(dossier, ignore_errors=True)  # reste d'un processus tué en route
        dossier.mkdir()
        try:
            resultat = construire(dossier)
        except BaseException as exc:
            echec.write_text(f"{type(exc).__name__}: {exc}"[-6000:], encoding="utf-8")
            raise
        fait.touch()
        return resultat
