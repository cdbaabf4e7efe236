"""Une erreur du système (disque plein, lecture seule, permission, verrou) dite en une phrase.

Les commandes (:mod:`synthese_ihu.cli`) et la construction nomment ainsi ce qui a échoué et où,
sans trace Python. Ce module n'importe que la bibliothèque standard.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

#: errno -> début de phrase ; ``{chemin}`` est le fichier ou dossier en cause
MOTIFS: dict[int, str] = {
    errno.ENOSPC: "disque plein : impossible d'écrire {chemin}",
    errno.EDQUOT: "quota disque dépassé : impossible d'écrire {chemin}",
    errno.EROFS: "système de fichiers en lecture seule : impossible d'écrire {chemin}",
    errno.EACCES: "permission refusée sur {chemin}",
    errno.EPERM: "opération non permise sur {chemin}",
    errno.EAGAIN: "{chemin} est verrouillé par une autre commande",
    errno.ENOENT: "fichier ou dossier introuvable : {chemin}",
    errno.ENOTDIR: "{chemin} : un élément du chemin n'est pas un dossier",
    errno.EISDIR: "{chemin} est un dossier, un fichier était attendu",
    errno.EIO: "erreur d'entrée-sortie du disque sur {chemin}",
    errno.EEXIST: "{chemin} existe déjà (une autre commande l'écrit-elle en même temps ?)",
    errno.ENOTEMPTY: "{chemin} n'est pas vide (une autre commande l'écrit-elle en même temps ?)",
}


def montrer(chemin: str | os.PathLike | None) -> str:
    """Chemin lisible : relatif au dossier courant s'il est dessous, absolu sinon."""
    if chemin is None:
        return "un fichier"
    chemin = Path(os.fsdecode(chemin))
    if not chemin.is_absolute():
        return str(chemin)
    try:
        return str(chemin.relative_to(Path.cwd()))
    except ValueError:
        return str(chemin)


def phrase(exc: BaseException) -> str:
    """L'erreur en une proposition française (sans point final), qui nomme le fichier en cause.

    Une erreur système (``OSError`` avec ``errno``) est traduite ; toute autre garde la forme
    ``Type: message``.
    """
    if isinstance(exc, OSError) and exc.errno is not None:
        chemin = montrer(exc.filename)
        if exc.filename2 is not None:
            chemin += f" (vers {montrer(exc.filename2)})"
        motif = MOTIFS.get(exc.errno)
        if motif is None:
            return f"erreur du système de fichiers sur {chemin} ({exc.strerror})"
        return motif.format(chemin=chemin)
    return f"{type(exc).__name__}: {exc}"
