"""``synthese-ihu revue --annee N`` (``make revue YEAR=N``) : la note de revue des révisions.

Exécute ``notebooks/revue/revue_revisions.ipynb`` pour l'année N (variante interne : la note
nomme les IHU, leurs classeurs et leurs lignes), la rend en HTML et PDF « Diffusion restreinte »
par le même rendu que le rapport, et la met en place d'un coup dans
``reports/interne/revue/<N>/`` — jamais sous ``reports/<N>/``. À lancer après ``make ingest``
et avant de publier : elle dit ce que l'édition N change à l'édition N−1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

CARNET = Path("revue") / "revue_revisions.ipynb"
TITRE = "Note de revue des révisions"


def nom_fichier(annee: int) -> str:
    """Nom de base des fichiers de la note (sans extension)."""
    return f"revue-revisions-{int(annee)}-diffusion-restreinte"


def destination(annee: int, rapports: Path | None = None) -> Path:
    """Dossier de la note : ``reports/interne/revue/<annee>/``."""
    from synthese_ihu.chemins import RAPPORTS

    return Path(rapports or RAPPORTS) / "interne" / "revue" / str(int(annee))


def construire_note(annee: int, sortie: Path | None = None) -> dict[str, Path]:
    """Exécute le carnet de la note, rend HTML et PDF, puis remplace le dossier de sortie.

    Sous les verrous d'une construction (:func:`synthese_ihu.verrous.sous_verrous`) : ``build/``
    à elle seule, données lues sans ingestion en cours.
    """
    from synthese_ihu import chemins, verrous

    with verrous.sous_verrous(chemins.CONSTRUCTION, chemins.DONNEES):
        return _construire_note(annee, sortie)


def _construire_note(annee: int, sortie: Path | None) -> dict[str, Path]:
    import nbformat
    import papermill

    from synthese_ihu import rendu
    from synthese_ihu.chemins import CARNETS, CONSTRUCTION
    from synthese_ihu.mise_en_place import publier

    dossier = Path(sortie) if sortie is not None else destination(annee)
    travail = CONSTRUCTION / str(annee) / "revue"
    travail.mkdir(parents=True, exist_ok=True)
    execute = travail / "revue_revisions.ipynb"
    papermill.execute_notebook(
        str(CARNETS / CARNET),
        str(execute),
        parameters={"annee": int(annee), "interne": True},
        engine_name="synthese-ihu",  # le moteur de la construction : noyau local, carnet stable
        cwd=str(CARNETS),
        progress_bar=False,
        log_output=False,
    )
    carnet = nbformat.read(execute, as_version=4)
    provisoire = Path(tempfile.mkdtemp(prefix=".revue-", dir=travail))
    try:
        rendus = rendu.rendre(
            [carnet],
            annee,
            provisoire,
            interne=True,
            titre=TITRE,
            sous_titre=f"Édition {annee} face à l'édition {annee - 1}",
        )
        ancien = rendu.nom_fichier(annee, interne=True)
        base = nom_fichier(annee)
        html = rendus["html"].read_text(encoding="utf-8").replace(f"{ancien}.pdf", f"{base}.pdf")
        (provisoire / f"{base}.html").write_text(html, encoding="utf-8")
        os.replace(rendus["pdf"], provisoire / f"{base}.pdf")
        rendus["html"].unlink()
        publier(provisoire, dossier)  # échange atomique : l'ancienne note ou la nouvelle
    finally:
        shutil.rmtree(provisoire, ignore_errors=True)
    return {
        "html": dossier / f"{nom_fichier(annee)}.html",
        "pdf": dossier / f"{nom_fichier(annee)}.pdf",
    }


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``synthese-ihu revue``."""
    from synthese_ihu.donnees import annees_couvertes

    p = argparse.ArgumentParser(prog="synthese-ihu revue", description=__doc__.split("\n")[0])
    p.add_argument("--annee", type=int, required=True, help="édition à comparer à la précédente")
    p.add_argument(
        "--sortie", type=Path, help="dossier de la note (défaut : reports/interne/revue/ANNEE)"
    )
    p.add_argument(
        "--figer",
        action="store_true",
        help="garde les extractions courantes "
        "(agence, bibliométrie, contexte) comme celles de l'édition ANNEE "
        "(data/raw/millesimes/ANNEE), sans construire la note",
    )
    args = p.parse_args(argv)
    couvertes = annees_couvertes()
    if args.annee not in couvertes:
        print(
            f"année {args.annee} non couverte par les données : années possibles "
            f"{couvertes[0]} à {couvertes[-1]}",
            file=sys.stderr,
        )
        return 2
    if args.figer:
        from synthese_ihu.donnees.chargement import racine_par_defaut
        from synthese_ihu.revisions import figer

        print(
            f"Extractions de l'édition {args.annee} gardées : "
            f"{figer(args.annee, racine_par_defaut())}"
        )
        return 0
    if args.sortie is not None:
        from synthese_ihu.chemins import RAPPORTS

        public = RAPPORTS.resolve() / str(args.annee)
        if args.sortie.resolve() == public or public in args.sortie.resolve().parents:
            print(f"la note nomme les IHU : jamais sous {public}", file=sys.stderr)
            return 2
    chemins = construire_note(args.annee, args.sortie)
    print(f"Note de revue {args.annee} (diffusion restreinte) :")
    for quoi, chemin in chemins.items():
        print(f"  → {quoi} : {chemin}")
    return 0
