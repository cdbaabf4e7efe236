"""Mise en place d'un rapport rendu : ``reports/<annee>/`` remplacé d'un coup, jamais à moitié.

La copie est faite à côté de la destination (même système de fichiers), puis l'ancien dossier
est renommé de côté, le nouveau renommé à sa place et l'ancien supprimé. Un échec avant le
renommage laisse le rapport précédent intact.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path


def identiques(a: Path, b: Path) -> bool:
    """Vrai si le dossier ``b`` existe et a exactement les fichiers (octets) du dossier ``a``."""
    if not b.is_dir():
        return False

    def egal(c: filecmp.dircmp) -> bool:
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, differents, erreurs = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        return not differents and not erreurs and all(egal(s) for s in c.subdirs.values())

    return egal(filecmp.dircmp(a, b))


def publier(source: Path, destination: Path) -> bool:
    """Remplace ``destination`` par une copie de ``source``, d'un coup.

    Si le renommage du nouveau dossier échoue, l'ancien est remis en place.

    Returns
    -------
    bool
        Faux si la destination était déjà identique (rien n'est touché).
    """
    if identiques(source, destination):
        return False
    parent = destination.parent
    parent.mkdir(parents=True, exist_ok=True)
    nouveau = parent / f".{destination.name}.nouveau-{os.getpid()}"
    ancien = parent / f".{destination.name}.ancien-{os.getpid()}"
    for reste in (nouveau, ancien):
        if reste.exists():
            shutil.rmtree(reste)
    shutil.copytree(source, nouveau)
    deplace = False
    try:
        if destination.exists():
            os.rename(destination, ancien)
            deplace = True
        os.rename(nouveau, destination)
    except BaseException:
        if deplace and not destination.exists():
            os.rename(ancien, destination)
        shutil.rmtree(nouveau, ignore_errors=True)
        raise
    shutil.rmtree(ancien, ignore_errors=True)
    return True
