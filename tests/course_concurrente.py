"""Une construction du projet jetable dans son propre processus, sur sa racine de données.

Tests des verrous (``tests/construction/test_verrous.py``) : deux processus lancés ensemble
partagent carnets, ``build/`` et paquet, chacun lit sa racine (``SYNTHESE_IHU_DONNEES`` pour le
noyau, ``Emplacements.donnees`` pour la construction) et publie dans ses ``reports/``. Le moteur
de rendu d'essai écrit un HTML et un CSV tirés de la marque de sa racine : un mélange se voit.

Pour ne rien laisser au minutage, chaque moteur écrit son HTML, puis attend que l'autre course
soit elle aussi en train de rendre, ou qu'elle ait dit attendre le verrou de ``build/``, et
seulement ensuite écrit son CSV. Sans verrou, les deux rendus se chevauchent donc à coup sûr.

    python -m course_concurrente PROJET DONNEES RAPPORTS RENDEZ_VOUS NOM AUTRE
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from synthese_ihu import construction
from synthese_ihu.config import charger_configuration, valider_parametres

ANNEES = list(range(2012, 2023))
#: Borne de l'attente du moteur (jamais atteinte quand tout va bien).
ATTENTE_MAX = 60.0


def carnet() -> nbformat.NotebookNode:
    """Le carnet imprime la marque de la racine de données que son noyau voit."""
    return new_notebook(
        cells=[
            new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "import os, pathlib\n"
                "racine = pathlib.Path(os.environ['SYNTHESE_IHU_DONNEES'])\n"
                "print('carnet', (racine / 'raw' / 'marque.txt').read_text(encoding='utf-8'))"
            ),
        ]
    )


def emplacements(projet: Path, donnees: Path, rapports: Path) -> construction.Emplacements:
    """Le projet de :func:`projet_jetable.projet_jetable`, sur une autre racine et d'autres
    ``reports/``."""
    return construction.Emplacements(
        configuration=projet / "synthese.toml",
        carnets=projet / "notebooks",
        construction=projet / "build",
        rapports=rapports,
        donnees=donnees / "raw",
        paquet=projet / "paquet",
        verrou=projet / "requirements.lock",
        rendu=projet / "rendu",
    )


def construire_2022(
    lieux: construction.Emplacements, rendre: Callable[..., Any], *, afficher: Callable[[str], None]
) -> construction.Bilan:
    """Le rapport 2022 du projet jetable, rendu ici par le moteur d'essai ``rendre``."""
    configuration = charger_configuration(lieux.configuration, lieux.carnets)
    parametres = valider_parametres({"annee": 2022}, configuration, ANNEES)
    return construction.construire(
        [parametres],
        configuration,
        lieux,
        processus=0,
        publication=False,
        rendre=rendre,
        afficher=afficher,
    )


def _rendre(racine, rdv, nom, autre, carnets, annee, dossier, interne=False, **options):
    dossier = Path(dossier)
    marque = (racine / "raw" / "marque.txt").read_text(encoding="utf-8")
    sorties = "".join(str(o) for nb in carnets for c in nb.cells for o in c.get("outputs", []))
    html = dossier / f"synthese-ihu-{annee}.html"
    html.write_text(f"rendu {marque}\n{sorties}", encoding="utf-8")
    (rdv / f"{nom}.rendu").touch()
    fin = time.monotonic() + ATTENTE_MAX
    while time.monotonic() < fin:
        journal = rdv / f"{autre}.log"
        attend = journal.is_file() and "attente" in journal.read_text(encoding="utf-8")
        if (rdv / f"{autre}.rendu").exists() or attend:
            break
        time.sleep(0.02)
    csv = dossier / "donnees" / "provenance.csv"
    csv.parent.mkdir(exist_ok=True)
    csv.write_text(f"racine\n{marque}\n", encoding="utf-8")
    return {"html": html, "donnees": csv}


def main(argv: list[str]) -> int:
    projet, donnees, rapports, rdv = (Path(a) for a in argv[:4])
    nom, autre = argv[4:6]
    lieux = emplacements(projet, donnees, rapports)
    journal = rdv / f"{nom}.log"

    def afficher(ligne: str) -> None:
        with open(journal, "a", encoding="utf-8") as f:
            f.write(ligne + "\n")

    bilan = construire_2022(
        lieux, functools.partial(_rendre, donnees, rdv, nom, autre), afficher=afficher
    )
    afficher(f"échecs : {bilan.echecs}")
    return 1 if bilan.echecs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
