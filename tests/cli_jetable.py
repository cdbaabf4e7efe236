"""``synthese-ihu construire`` sur un projet jetable, dans un processus à part.

Pour les tests d'interruption (``tests/construction/test_interruptions.py``) ::

    python tests/cli_jetable.py DOSSIER cellule|rendu [options de construire…]

``cellule`` : la section écrit ``DOSSIER/en_cours`` puis attend (un noyau occupé) ;
``rendu`` : la section est immédiate, le rendu (moteur d'essai, dans un processus de rendu)
écrit ``DOSSIER/en_cours`` puis attend. Le code de sortie est celui de la commande.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from projet_jetable import ANNEES, projet_jetable  # noqa: E402

from synthese_ihu import cli  # noqa: E402

ATTENTE = 120  # secondes : bien plus que le test, qui interrompt dès « en_cours »


def rendre_lent(carnets, annee, dossier, interne=False, **options):
    """Moteur de rendu d'essai qui ne finit pas à temps (processus de rendu)."""
    Path(os.environ["JETABLE_EN_COURS"]).touch()
    time.sleep(ATTENTE)
    raise AssertionError("le rendu aurait dû être interrompu")


def main(dossier: Path, attente: str, argv: list[str]) -> int:
    en_cours = dossier / "en_cours"
    os.environ["JETABLE_EN_COURS"] = str(en_cours)
    code = "annee * 2"
    if attente == "cellule":
        code = (
            f"import pathlib, time\npathlib.Path({str(en_cours)!r}).touch()\ntime.sleep({ATTENTE})"
        )
    nb = new_notebook(
        cells=[
            new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}),
            new_code_cell(code),
        ]
    )
    projet = projet_jetable(dossier, nb)
    return cli.construire(
        argv,
        emplacements=projet,
        rendre=rendre_lent,
        publication=False,
        annees=ANNEES,
        processus=1 if attente == "rendu" else 0,
    )


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:]))
