"""Aperçu pour la boucle d'édition : le HTML seul, refait à chaque enregistrement d'un carnet.

``make preview YEAR=2022`` (``python -m synthese_ihu.apercu --annee 2022``) construit l'aperçu
HTML dans ``build/<annee>/apercu/``, affiche son chemin, puis regarde toutes les secondes les
dates de modification de ``notebooks/*.ipynb`` (et de ``synthese.toml``) : dès qu'un carnet est
enregistré, l'aperçu est refait. Les sections dont le code n'a pas changé viennent du cache
(:mod:`synthese_ihu.cache`) : une retouche de Markdown ne lance aucun noyau, une retouche de code
ne réexécute que sa section. Pas de PDF (plusieurs secondes), pas de mise en place dans
``reports/`` : ``make report`` reste la construction publiée.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from synthese_ihu.config import (
    ErreurConfiguration,
    ErreurParametres,
    charger_configuration,
    valider_parametres,
)
from synthese_ihu.construction import Emplacements, executer_sections
from synthese_ihu.execution import ErreurSection

#: Intervalle de surveillance des carnets (secondes).
INTERVALLE = 1.0


def _s(secondes: float) -> str:
    return f"{secondes:.2f}".replace(".", ",") + " s"


def reconstruire(
    annee: int | str | None = None,
    emplacements: Emplacements | None = None,
    *,
    afficher: Callable[[str], None] = print,
) -> Path:
    """Refait l'aperçu HTML d'une année : sections (cache ou noyau), puis HTML seul.

    Parameters
    ----------
    annee : int or str, optional
        Année cible ; par défaut ``[rapport] annee_defaut``. Validée comme pour ``construire``.
    emplacements : Emplacements, optional
        Dossiers du projet (tests : dossiers jetables).
    afficher : callable
        Sortie des messages de progression.

    Returns
    -------
    Path
        ``build/<annee>/apercu/<nom>.html``.

    Raises
    ------
    ErreurParametres, ErreurConfiguration
        Année ou configuration refusée (rien n'est exécuté).
    ErreurSection
        Une section a échoué (l'aperçu précédent reste en place).
    """
    from synthese_ihu.rendu import SyntheseHTMLExporter, assembler, nom_fichier

    emplacements = emplacements or Emplacements()
    debut = time.perf_counter()
    configuration = charger_configuration(emplacements.configuration, emplacements.carnets)
    options = {} if annee is None else {"annee": annee}
    parametres = valider_parametres(options, configuration)
    carnets, _, _ = executer_sections(parametres, configuration, emplacements, afficher=afficher)
    dossier = emplacements.construction / str(parametres.annee) / "apercu"
    dossier.mkdir(parents=True, exist_ok=True)
    exportateur = SyntheseHTMLExporter(
        annee=parametres.annee,
        donnees_dossier=str(dossier / "donnees"),
        donnees_href="donnees",
    )
    html, _ = exportateur.from_notebook_node(
        assembler(carnets), {"metadata": {"path": str(dossier)}}
    )
    chemin = dossier / f"{nom_fichier(parametres.annee)}.html"
    provisoire = chemin.with_name(f".{chemin.name}.partiel")
    provisoire.write_text(html, encoding="utf-8")
    os.replace(provisoire, chemin)
    afficher(f"Aperçu HTML refait en {_s(time.perf_counter() - debut)} : {chemin}")
    return chemin


def etat_carnets(emplacements: Emplacements) -> dict[str, tuple[int, int]]:
    """Date de modification (ns) et taille de chaque carnet et de ``synthese.toml``."""
    fichiers = [*sorted(Path(emplacements.carnets).glob("*.ipynb")), emplacements.configuration]
    etat = {}
    for fichier in fichiers:
        try:
            infos = fichier.stat()
        except FileNotFoundError:
            continue
        etat[str(fichier)] = (infos.st_mtime_ns, infos.st_size)
    return etat


def _tenter(annee: int | str | None, emplacements: Emplacements, afficher) -> None:
    try:
        reconstruire(annee, emplacements, afficher=afficher)
    except ErreurSection as exc:
        afficher(f"Échec : {exc}\nL'aperçu précédent est inchangé ; corrigez puis enregistrez.")
    except (ErreurParametres, ErreurConfiguration, ValueError) as exc:
        afficher(f"Erreur : {exc}")


def surveiller(
    annee: int | str | None = None,
    emplacements: Emplacements | None = None,
    *,
    intervalle: float = INTERVALLE,
    afficher: Callable[[str], None] = print,
    tours: int | None = None,
) -> None:
    """Construit l'aperçu, puis le refait à chaque carnet enregistré (Ctrl-C pour arrêter).

    Parameters
    ----------
    annee : int or str, optional
        Année cible.
    emplacements : Emplacements, optional
        Dossiers du projet.
    intervalle : float
        Secondes entre deux relevés des dates de modification.
    afficher : callable
        Sortie des messages.
    tours : int, optional
        Nombre de relevés avant de rendre la main (``None`` : sans fin).
    """
    emplacements = emplacements or Emplacements()
    etat = etat_carnets(emplacements)
    _tenter(annee, emplacements, afficher)
    afficher(f"Surveillance de {emplacements.carnets} (Ctrl-C pour arrêter)…")
    tour = 0
    while tours is None or tour < tours:
        tour += 1
        time.sleep(intervalle)
        nouvel_etat = etat_carnets(emplacements)
        if nouvel_etat != etat:
            etat = nouvel_etat
            _tenter(annee, emplacements, afficher)


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``make preview`` (``python -m synthese_ihu.apercu``)."""
    p = argparse.ArgumentParser(
        prog="python -m synthese_ihu.apercu",
        description="Aperçu HTML refait à chaque enregistrement d'un carnet.",
    )
    p.add_argument("--annee", help="année cible (défaut : [rapport] annee_defaut)")
    p.add_argument("--intervalle", type=float, default=INTERVALLE, help="secondes entre relevés")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    affiche = lambda m: print(m, flush=True)  # noqa: E731
    try:
        surveiller(args.annee, intervalle=args.intervalle, afficher=affiche)
    except KeyboardInterrupt:
        print("\nAperçu arrêté.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
