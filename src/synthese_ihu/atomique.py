"""Échange atomique de deux dossiers (``renameat2(RENAME_EXCHANGE)``) et synchronisation disque.

Partagé par l'ingestion (:mod:`synthese_ihu.ingestion.remplacement`) et la mise en place des
rapports (:mod:`synthese_ihu.mise_en_place`) : un dossier publié est remplacé d'un seul appel
système, donc à tout instant l'ancien ou le nouveau est en place, jamais aucun. Sans
``renameat2`` (autre système, système de fichiers qui le refuse), :func:`echanger` le dit et
l'appelant se replie sur deux renommages, l'ancien mis de côté et remis par la reprise.
"""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Callable
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def echanger(a: Path, b: Path) -> bool:
    """Échange atomiquement deux chemins existants ; faux si le système ne le permet pas.

    Raises
    ------
    OSError
        Toute autre erreur du système (droits, disque, chemin absent).
    """
    fonction = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fonction is None:
        return False
    if fonction(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def synchroniser(chemin: Path) -> None:
    """Écrit sur disque un fichier ou un dossier (ses entrées : renommages, créations)."""
    fd = os.open(chemin, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def supprimer(dossier: Path, crochet: Callable[[str], None] = lambda _etape: None) -> None:
    """Supprime un dossier fichier par fichier, ``crochet("suppression")`` après chacun (les
    tests d'arrêt s'arrêtent entre deux)."""
    if not dossier.exists():
        return
    for p in sorted(dossier.rglob("*"), reverse=True):
        if p.is_dir() and not p.is_symlink():
            p.rmdir()
        else:
            p.unlink()
        crochet("suppression")
    dossier.rmdir()
