"""Mise en place d'un rapport rendu : ``reports/<annee>/`` remplacé d'un coup, jamais à moitié.

:func:`publier` copie le rendu à côté de la destination (même système de fichiers) dans
``.<annee>.nouveau-<jeton>``, l'écrit sur disque, puis l'ÉCHANGE avec l'ancien rapport d'un seul
appel système (:func:`synthese_ihu.atomique.echanger`) : à tout instant, l'ancien rapport ou le
nouveau est en place, jamais aucun. L'ancien, passé sous le nom de travail, est ensuite supprimé.

Une course tient le fichier-verrou ``.<annee>.verrou-<jeton>`` tant que ses dossiers de travail
existent (:func:`synthese_ihu.verrous.course`). Au début de chaque mise en place (et de chaque
construction : :func:`nettoyer`), les restes des courses MORTES (verrou libre) sont supprimés ;
ceux d'une course vivante ne sont jamais touchés. ``crochet(etape)`` est appelé à chaque étape :
les tests y arrêtent le processus (``os._exit``) pour vérifier l'état à chaque instant.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from synthese_ihu import atomique, verrous

#: Noms de travail : ``.<nom>.<genre>-<jeton>`` (jeton seul chiffre : restes d'avant les jetons).
_RESTE = re.compile(r"^\.(?P<nom>.+)\.(?P<genre>nouveau|ancien|verrou)-(?P<jeton>[0-9][0-9a-f-]*)$")


def _rien(_etape: str) -> None:
    return None


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


def _travail(parent: Path, nom: str, genre: str, jeton: str) -> Path:
    return parent / f".{nom}.{genre}-{jeton}"


def nettoyer(parent: Path, crochet: Callable[[str], None] = _rien) -> list[Path]:
    """Supprime de ``parent`` les dossiers de travail des courses mortes ; rend ce qui l'a été.

    Une course morte entre les deux renommages du repli (sans échange atomique) a laissé son
    ancien rapport de côté et aucun en place : il est remis en place, pas supprimé.
    """
    if not parent.is_dir():
        return []
    courses: dict[tuple[str, str], dict[str, Path]] = {}
    for chemin in parent.iterdir():
        m = _RESTE.match(chemin.name)
        if m:
            courses.setdefault((m["nom"], m["jeton"]), {})[m["genre"]] = chemin
    supprimes = []
    for (nom, jeton), restes in sorted(courses.items()):
        with verrous.si_morte(_travail(parent, nom, "verrou", jeton)) as morte:
            if not morte:
                continue  # course vivante : ses dossiers restent
            ancien, destination = restes.get("ancien"), parent / nom
            if ancien is not None and ancien.is_dir() and not destination.exists():
                try:
                    os.rename(ancien, destination)
                    crochet("restauration")
                except OSError:
                    pass  # remis par un autre nettoyage, ou un rapport neuf publié entre-temps
            for genre in ("nouveau", "ancien"):
                if genre in restes and restes[genre].exists():
                    verrous.supprimer(restes[genre])
                    supprimes.append(restes[genre])
                    crochet("nettoyage")
    return supprimes


def _copier(source: Path, nouveau: Path, crochet: Callable[[str], None]) -> None:
    """Copie ``source`` dans ``nouveau``, chaque fichier écrit sur disque (arrêt possible entre)."""

    def copier(a: str, b: str) -> str:
        shutil.copy2(a, b)
        atomique.synchroniser(Path(b))
        crochet("copie")
        return b

    shutil.copytree(source, nouveau, copy_function=copier)
    for dossier, _, _ in os.walk(nouveau):
        atomique.synchroniser(Path(dossier))


def publier(
    source: Path,
    destination: Path,
    *,
    crochet: Callable[[str], None] = _rien,
    echanger: Callable[[Path, Path], bool] = atomique.echanger,
) -> bool:
    """Remplace ``destination`` par une copie de ``source``, d'un coup.

    Étapes (``crochet``) : ``nettoyage`` des restes de courses mortes, ``verrou`` de la course,
    ``copie`` (chaque fichier), ``copie_faite``, ``en_place`` (échange atomique ; repli :
    ``mise_de_cote`` puis ``en_place``), ``suppression`` (chaque fichier de l'ancien), ``fin``.
    Une erreur avant ``en_place`` laisse le rapport précédent en place et ne laisse rien à côté.
    ``echanger`` : :func:`synthese_ihu.atomique.echanger` (tests du repli : une fonction qui
    rend faux).

    Returns
    -------
    bool
        Faux si la destination était déjà identique (rien n'est touché).
    """
    parent, nom = destination.parent, destination.name
    parent.mkdir(parents=True, exist_ok=True)
    nettoyer(parent, crochet)
    if identiques(source, destination):
        return False
    jeton = verrous.jeton_de_course()
    nouveau = _travail(parent, nom, "nouveau", jeton)
    ancien = _travail(parent, nom, "ancien", jeton)
    with verrous.course(_travail(parent, nom, "verrou", jeton)):
        crochet("verrou")
        try:
            _copier(source, nouveau, crochet)
            crochet("copie_faite")
            if not destination.exists():
                os.rename(nouveau, destination)
            elif echanger(nouveau, destination):
                ancien = nouveau  # l'ancien rapport porte maintenant le nom de travail
            else:  # repli : deux renommages (la reprise remet l'ancien si l'arrêt tombe entre)
                os.rename(destination, ancien)
                crochet("mise_de_cote")
                os.rename(nouveau, destination)
            atomique.synchroniser(parent)
        except BaseException:
            if ancien.exists() and not destination.exists():
                os.rename(ancien, destination)
            verrous.supprimer(nouveau)
            raise
        crochet("en_place")
        atomique.supprimer(ancien, crochet)
    crochet("fin")
    return True
