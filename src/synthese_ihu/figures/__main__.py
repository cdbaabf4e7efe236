"""Écrit le SVG de chaque figure d'une année, pour relecture.

Usage : ``python -m synthese_ihu.figures --annee 2022 --sortie /tmp/figs [--png]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from synthese_ihu.figures import FIGURES, FigureIndisponible, donnees_figure, svg_tableau


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée : un fichier ``<id>.svg`` (et ``<id>.csv``) par figure disponible."""
    parseur = argparse.ArgumentParser(prog="python -m synthese_ihu.figures", description=__doc__)
    parseur.add_argument("--annee", type=int, required=True, help="année cible du rapport")
    parseur.add_argument("--sortie", type=Path, required=True, help="dossier de sortie")
    parseur.add_argument("--donnees", type=Path, default=None, help="racine des données brutes")
    parseur.add_argument("--png", action="store_true", help="écrit aussi un PNG (relecture)")
    args = parseur.parse_args(argv)

    from synthese_ihu.donnees import charger

    donnees = charger(args.donnees)
    try:
        vue = donnees.pour_annee(args.annee)
    except ValueError as erreur:
        print(f"erreur : {erreur}", file=sys.stderr)
        return 2
    args.sortie.mkdir(parents=True, exist_ok=True)
    for id_figure in FIGURES:
        cadre = donnees_figure(id_figure, vue, args.annee)
        try:
            svg = svg_tableau(id_figure, cadre, args.annee)
        except FigureIndisponible as absente:
            print(f"{id_figure} : {absente}")
            continue
        (args.sortie / f"{id_figure}.svg").write_text(svg, encoding="utf-8")
        cadre.to_csv(args.sortie / f"{id_figure}.csv", index=False, encoding="utf-8")
        if args.png:
            _png(id_figure, cadre, args.annee, args.sortie / f"{id_figure}.png")
        print(f"{id_figure} : {len(cadre)} lignes")
    return 0


def _png(id_figure: str, cadre, annee: int, chemin: Path) -> None:
    """Même figure, en PNG (relecture seulement : le rapport n'utilise que le SVG)."""
    from synthese_ihu.figures import FIGURES, style
    from synthese_ihu.figures.commun import contexte

    with style.contexte(id_figure):
        fig = FIGURES[id_figure].tracer(cadre, contexte(annee))
        fig.savefig(chemin, format="png", dpi=style.DPI)


if __name__ == "__main__":
    sys.exit(main())
