"""Constructions réelles partagées par la session de tests (confidentialité, vérité du récit).

Chaque rapport n'est construit qu'une fois par session : les années 2012 à 2022 du jeu de
référence (:func:`rapports_publics`) et un rapport 2023 construit sur une campagne entrée par
``modele`` / ``ingerer`` dans une copie des données (:func:`rapport_2023_ingere`). Les dossiers
de construction sont gardés : les carnets exécutés (``<construction>/<année>/carnets/``) portent
les faits que chaque paragraphe du récit a énoncés.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from processus import executer

#: Années cibles du rapport public construites sur le jeu de référence.
ANNEES = list(range(2012, 2023))
#: Année de la campagne entrée par ingestion dans une copie des données.
ANNEE_INGEREE = 2023

_CONSTRUIRE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from synthese_ihu.cli import construire as main
    from synthese_ihu.construction import Emplacements
    annee, sortie, construction, *options = sys.argv[1:]
    sys.exit(main(["--annee", annee, "--sortie", sortie, *options],
                  emplacements=Emplacements(construction=Path(construction))))
    """
)


def construire(annee: int | str, sortie: Path, construction: Path, *options: str,
               donnees: Path | None = None) -> subprocess.CompletedProcess:
    """Construit un rapport dans un processus à part, avec son propre dossier de construction.

    Parameters
    ----------
    annee : int or str
        Année cible, ou plage ``2012-2022``.
    sortie : Path
        Racine des rapports (``--sortie``).
    construction : Path
        Dossier de construction (jamais le ``build/`` partagé du projet).
    *options : str
        Options supplémentaires (``--interne``, ``--sections``…).
    donnees : Path, optional
        Racine des données (``SYNTHESE_IHU_DONNEES``, qui contient ``raw/``).
    """
    env = dict(os.environ)
    if donnees is not None:
        env["SYNTHESE_IHU_DONNEES"] = str(donnees)
    return executer(
        [sys.executable, "-c", _CONSTRUIRE, str(annee), str(sortie), str(construction),
         *options],
        timeout=900, env=env,
    )


@dataclass(frozen=True)
class Rapport:
    """Un rapport construit : dossier publié, carnets exécutés, racine des données lues."""

    annee: int
    dossier: Path
    carnets: Path
    donnees: Path | None = None


def construire_annees(racine: Path, construction: Path) -> dict[int, Rapport]:
    """Les rapports publics 2012-2022 en une construction de plusieurs années (``--annee
    2012-2022`` : un groupe de noyaux, rendus en parallèle), comme ``make reports-all``.

    ``tests/construction/test_plusieurs_annees.py`` vérifie que ces rapports sont identiques à
    l'octet à ceux d'une construction année par année.
    """
    resultat = construire(f"{ANNEES[0]}-{ANNEES[-1]}", racine, construction)
    assert resultat.returncode == 0, resultat.stdout[-3000:] + resultat.stderr[-3000:]
    return rapports_annees(racine, construction)


def rapports_annees(racine: Path, construction: Path) -> dict[int, Rapport]:
    """Les rapports que :func:`construire_annees` a construits dans ces dossiers."""
    return {a: Rapport(a, racine / str(a), construction / str(a) / "carnets") for a in ANNEES}


def construire_2023(dossier: Path) -> Rapport:
    """Campagne 2023 (19 IHU : 7 suivis, 12 retenus en 2023) entrée par les modèles et
    l'ingestion dans une copie de ``data/`` ; pas de nouvel export bibliométrique ni de
    versement 2023. Puis le rapport 2023 construit sur cette copie."""
    from ingestion.fabrique import remplir

    from synthese_ihu.chemins import DONNEES
    from synthese_ihu.ingestion import ecrire_modeles, ingerer

    racine = dossier / "donnees"
    shutil.copytree(DONNEES / "raw", racine / "raw")
    shutil.copytree(DONNEES / "reference", racine / "reference")
    entree = racine / "incoming" / str(ANNEE_INGEREE)
    for modele in ecrire_modeles(ANNEE_INGEREE, racine):
        ihu = modele.stem.rsplit("_", 1)[0]
        startups = ([(f"Start-up {ihu} 1", ANNEE_INGEREE, "active")]
                    if ihu in {"thema", "vbhi"} else None)
        remplir(modele, entree / modele.name, ANNEE_INGEREE, startups)
    bilan = ingerer(ANNEE_INGEREE, racine)
    assert len(bilan.classeurs) == 19 and len(bilan.nouveaux_ihu) == 12
    sortie, construction = dossier / "rapports", dossier / "construction"
    resultat = construire(ANNEE_INGEREE, sortie, construction, donnees=racine)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    return rapport_2023(dossier)


def rapport_2023(dossier: Path) -> Rapport:
    """Le rapport que :func:`construire_2023` a construit dans ``dossier``."""
    return Rapport(ANNEE_INGEREE, dossier / "rapports" / str(ANNEE_INGEREE),
                   dossier / "construction" / str(ANNEE_INGEREE) / "carnets", dossier / "donnees")
