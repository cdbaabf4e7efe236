"""Temps de chargement de tout ``data/raw`` : médiane sur quelques passages.

Usage : ``.venv/bin/python benchmarks/chargement.py [--repetitions 5] [--racine DOSSIER]``.
Objectif : moins de 2 s (pas de test chronométré : les machines de CI sont trop variables).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from synthese_ihu.donnees import charger

OBJECTIF_S = 2.0


def main(argv: list[str] | None = None) -> int:
    """Charge ``repetitions`` fois les données et affiche la médiane, le minimum et le maximum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--racine", type=Path, default=None)
    args = parser.parse_args(argv)
    durees = []
    for _ in range(args.repetitions):
        debut = time.perf_counter()
        donnees = charger(args.racine)
        durees.append(time.perf_counter() - debut)
    mediane = statistics.median(durees)
    lignes = sum(len(getattr(donnees, nom)) for nom in ("depenses", "indicateurs", "articles"))
    print(
        f"chargement de data/raw : médiane {mediane:.3f} s sur {args.repetitions} passages "
        f"(min {min(durees):.3f} s, max {max(durees):.3f} s ; {len(donnees.campagnes)} classeurs, "
        f"{lignes} lignes dépenses+indicateurs+articles) — objectif < {OBJECTIF_S:.0f} s : "
        f"{'atteint' if mediane < OBJECTIF_S else 'NON atteint'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
