"""Verrous des constructions : un seul écrivain dans ``build/``, données lues sans ingestion.

Tous sont des ``flock`` du noyau sur des descripteurs ouverts ``O_CLOEXEC`` (défaut de Python) :
le noyau les relâche quand le processus meurt, et aucun enfant (noyau IPython, processus de
rendu) n'en hérite. Politique (README « Construire ») :

- :func:`verrou_construction` : une construction à la fois par dossier ``build/`` (rapport,
  aperçu pendant qu'il se refait, carnets de référence, note de revue) ; la seconde ATTEND, une
  ligne dit qui tient le dossier. Une fois le verrou pris, les dossiers de travail laissés dans
  ``build/`` par une course morte sont supprimés (aucune course vivante ne peut s'en servir) ;
- :func:`verrou_donnees` : verrou PARTAGÉ sur la racine des données (``data/``), celle que
  l'ingestion verrouille en exclusif (:func:`synthese_ihu.ingestion.remplacement.verrou`) :
  une ingestion est refusée pendant une construction, une construction attend une ingestion ;
- :func:`course` et :func:`si_morte` : le fichier-verrou d'une course (``jeton_de_course``) tenu
  tant que ses dossiers de travail existent ; une course morte se reconnaît à son verrou libre,
  jamais à l'âge de ses fichiers.

Un même fil d'exécution peut reprendre un verrou qu'il tient (l'aperçu qui se reconstruit).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from synthese_ihu.erreurs import montrer

#: Fichier-verrou d'un dossier de construction.
FICHIER = ".verrou"
#: Dossiers et fichiers de travail d'une construction (motifs relatifs à ``build/``), écrits
#: seulement sous :func:`verrou_construction` : des restes d'une course morte s'il en reste.
RESTES_CONSTRUCTION = (
    "*/rendu-*.tmp*",
    "*/carnets/.*.tmp",
    "*/apercu/.*.partiel",
    "*/revue/.revue-*",
    "cache/.*.tmp",
    "cache/*/*.tmp-*",
    "cache/*/.*.tmp",
)

_tenus = threading.local()


def jeton_de_course() -> str:
    """Identifiant unique d'une course (pid + hasard), dans les noms de ses dossiers de travail."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


@contextlib.contextmanager
def _reentrant(cle: tuple[str, str], prendre: Callable[[], int]) -> Iterator[bool]:
    """Prend un verrou une fois par fil ; vrai à la première prise (faux si déjà tenu ici)."""
    tenus: dict = _tenus.__dict__.setdefault("tenus", {})
    if cle in tenus:
        tenus[cle] += 1
        try:
            yield False
        finally:
            tenus[cle] -= 1
        return
    fd = prendre()
    tenus[cle] = 1
    try:
        yield True
    finally:
        del tenus[cle]
        os.close(fd)


def _prendre(fd: int, mode: int, attente: Callable[[], None]) -> None:
    """``flock`` : d'abord sans attendre ; sinon ``attente()`` (une ligne), puis attend."""
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        attente()
        fcntl.flock(fd, mode)


def _qui(chemin: Path) -> str:
    try:
        infos = json.loads(chemin.read_text(encoding="utf-8"))
        depuis = time.strftime("%H:%M", time.localtime(float(infos["debut"])))
        return f"pid {int(infos['pid'])}, depuis {depuis}"
    except (OSError, ValueError, KeyError, TypeError):
        return "processus inconnu"


@contextlib.contextmanager
def verrou_construction(
    construction: Path, *, afficher: Callable[[str], None] = print
) -> Iterator[None]:
    """Verrou exclusif de ``<construction>/.verrou`` ; attend (une ligne) s'il est tenu.

    Le fichier garde le pid et l'heure de départ du détenteur (message de la course qui attend).
    À la première prise, les restes de courses mortes (:data:`RESTES_CONSTRUCTION`) sont
    supprimés.
    """
    construction = Path(construction)
    chemin = construction / FICHIER

    def prendre() -> int:
        construction.mkdir(parents=True, exist_ok=True)
        fd = os.open(chemin, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _prendre(
                fd,
                fcntl.LOCK_EX,
                lambda: afficher(
                    f"Une autre construction utilise {montrer(construction)}/ "
                    f"({_qui(chemin)}) : attente…"
                ),
            )
            infos = {"pid": os.getpid(), "debut": time.time(), "commande": sys.argv}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(infos, ensure_ascii=False).encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        return fd

    with _reentrant(("construction", str(chemin.resolve())), prendre) as premier:
        if premier:
            nettoyer_construction(construction)
        yield


@contextlib.contextmanager
def verrou_donnees(racine: Path, *, afficher: Callable[[str], None] = print) -> Iterator[None]:
    """Verrou partagé de la racine des données (``data/``) ; attend (une ligne) une ingestion.

    Plusieurs constructions lisent ensemble ; l'ingestion, qui le prend en exclusif sans
    attendre, est refusée tant qu'une construction le tient. Racine absente : rien à protéger.
    """
    racine = Path(racine)
    if not racine.is_dir():
        yield
        return

    def prendre() -> int:
        fd = os.open(racine, os.O_RDONLY)
        try:
            _prendre(
                fd,
                fcntl.LOCK_SH,
                lambda: afficher(
                    f"Une ingestion modifie {montrer(racine)}/ : attente de sa fin avant de lire "
                    "les données…"
                ),
            )
        except BaseException:
            os.close(fd)
            raise
        return fd

    with _reentrant(("donnees", str(racine.resolve())), prendre):
        yield


@contextlib.contextmanager
def sous_verrous(
    construction: Path, donnees_racine: Path, *, afficher: Callable[[str], None] = print
) -> Iterator[None]:
    """Les deux verrous d'une construction, dans cet ordre : ``build/``, puis les données."""
    with (
        verrou_construction(construction, afficher=afficher),
        verrou_donnees(donnees_racine, afficher=afficher),
    ):
        yield


@contextlib.contextmanager
def course(fichier: Path) -> Iterator[None]:
    """Tient le fichier-verrou d'une course tant qu'elle vit ; supprimé à la sortie.

    À créer AVANT les dossiers de travail qu'il protège et à quitter APRÈS leur suppression.
    """
    while True:
        fd = os.open(fichier, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.fstat(fd).st_nlink > 0 and os.stat(fichier).st_ino == os.fstat(fd).st_ino:
                break  # sinon un nettoyage l'a supprimé entre la création et le verrou
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(fichier)
        os.close(fd)


@contextlib.contextmanager
def si_morte(fichier: Path) -> Iterator[bool]:
    """Vrai si la course du fichier-verrou est morte (verrou libre ou fichier absent).

    Morte : le verrou est tenu ici pendant le bloc (ses restes y sont supprimés sans qu'elle
    puisse renaître), puis le fichier est supprimé. Vivante : rien n'est touché.
    """
    try:
        fd = os.open(fichier, os.O_RDONLY)
    except FileNotFoundError:
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
        with contextlib.suppress(FileNotFoundError):
            os.unlink(fichier)
    finally:
        os.close(fd)


def supprimer(chemin: Path) -> None:
    """Supprime un fichier ou un dossier s'il existe."""
    if chemin.is_dir() and not chemin.is_symlink():
        shutil.rmtree(chemin, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            chemin.unlink()


def nettoyer_construction(construction: Path) -> list[Path]:
    """Supprime les dossiers de travail restés dans ``build/`` (à appeler sous son verrou)."""
    restes = sorted({p for motif in RESTES_CONSTRUCTION for p in Path(construction).glob(motif)})
    for reste in restes:
        supprimer(reste)
    return restes
