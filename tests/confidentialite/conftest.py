"""Constructions réelles partagées par les tests de confidentialité (une par année et session)."""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

#: Années cibles du rapport public analysées.
ANNEES = list(range(2012, 2023))

_CONSTRUIRE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from synthese_ihu.construction import Emplacements, main
    annee, sortie, construction, *options = sys.argv[1:]
    sys.exit(main(["--annee", annee, "--sortie", sortie, *options],
                  emplacements=Emplacements(construction=Path(construction))))
    """
)


def construire(annee: int, sortie: Path, construction: Path, *options: str,
               donnees: Path | None = None) -> subprocess.CompletedProcess:
    """Construit un rapport dans un processus à part, avec son propre dossier de construction.

    Parameters
    ----------
    annee : int
        Année cible.
    sortie : Path
        Racine des rapports (``--sortie``).
    construction : Path
        Dossier de construction (jamais le ``build/`` partagé du projet).
    *options : str
        Options supplémentaires (``--interne``, ``--sections``…).
    donnees : Path, optional
        Racine des données (``SYNTHESE_IHU_DONNEES``, qui contient ``raw/``).

    Returns
    -------
    subprocess.CompletedProcess
        Code de retour et sorties de ``synthese-ihu construire``.
    """
    env = dict(os.environ)
    if donnees is not None:
        env["SYNTHESE_IHU_DONNEES"] = str(donnees)
    return subprocess.run(
        [sys.executable, "-c", _CONSTRUIRE, str(annee), str(sortie), str(construction),
         *options],
        capture_output=True, text=True, timeout=900, env=env,
    )


@pytest.fixture(scope="session")
def construire_rapport() -> Callable[..., subprocess.CompletedProcess]:
    """:func:`construire`, pour les tests."""
    return construire


@pytest.fixture(scope="session")
def racine_publique(tmp_path_factory) -> Path:
    """Racine (``--sortie``) où les rapports publics de la session sont construits."""
    return tmp_path_factory.mktemp("rapports")


@pytest.fixture(scope="session")
def rapports_publics(racine_publique, tmp_path_factory) -> dict[int, Path]:
    """Le rapport public de chaque année 2012-2022 : ``{annee: <racine>/<annee>/}``.

    Deux constructions à la fois (chacune exécute ses carnets sur deux noyaux, puis rend son PDF
    sur un cœur) : environ trois minutes pour les onze années sur deux cœurs.
    """
    construction = tmp_path_factory.mktemp("construction")

    def une(annee: int) -> subprocess.CompletedProcess:
        return construire(annee, racine_publique, construction / str(annee))

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        resultats = dict(zip(ANNEES, pool.map(une, ANNEES), strict=True))
    echecs = {a: r.stderr[-2000:] for a, r in resultats.items() if r.returncode != 0}
    assert not echecs, f"constructions en échec : {echecs}"
    return {annee: racine_publique / str(annee) for annee in ANNEES}
