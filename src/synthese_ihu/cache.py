"""Cache des carnets exécutés (``build/cache/carnets/``).

Clé d'un carnet : sha256 de
- ses cellules de CODE (source et étiquette ``parameters``, dans l'ordre) et de son noyau — les
  cellules Markdown n'y entrent pas : elles sont recopiées du source courant à la lecture ;
- des paramètres injectés (l'année : changer d'année change la clé) ;
- des octets de chaque fichier de ``data/raw`` (avec son chemin relatif) ;
- du source du paquet ``synthese_ihu`` (tous ses fichiers hors ``__pycache__``) ;
- de ``requirements.lock`` ;
- de la version de Python et du format du cache.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from synthese_ihu import execution

VERSION = "1"
_IGNORES = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache"}


def _fichiers(dossier: Path) -> list[Path]:
    if not dossier.exists():
        return []
    fichiers = []
    for racine, dossiers, noms in os.walk(dossier):
        dossiers[:] = sorted(
            d for d in dossiers if d not in _IGNORES and not d.endswith(".egg-info")
        )
        for nom in sorted(noms):
            if not nom.endswith((".pyc", ".pyo")):
                fichiers.append(Path(racine) / nom)
    return sorted(fichiers, key=lambda p: p.relative_to(dossier).as_posix())


def empreinte_dossier(dossier: Path, h: Any | None = None) -> str:
    """sha256 des chemins relatifs et des octets de tous les fichiers d'un dossier."""
    h = h or hashlib.sha256()
    dossier = Path(dossier)
    h.update(f"dossier:{'present' if dossier.exists() else 'absent'}\n".encode())
    for fichier in _fichiers(dossier):
        h.update(fichier.relative_to(dossier).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(fichier.read_bytes()).digest())
    return h.hexdigest()


def empreinte_fichier(fichier: Path) -> str:
    """sha256 d'un fichier (``absent`` s'il n'existe pas)."""
    fichier = Path(fichier)
    return hashlib.sha256(fichier.read_bytes()).hexdigest() if fichier.exists() else "absent"


def empreinte_commune(donnees: Path, paquet: Path, verrou: Path) -> str:
    """Partie de la clé commune à toutes les sections : données, code du paquet, verrou."""
    h = hashlib.sha256()
    h.update(f"synthese-ihu-cache:{VERSION}:{sys.version_info[:2]}\n".encode())
    h.update(b"donnees:" + empreinte_dossier(donnees).encode() + b"\n")
    h.update(b"paquet:" + empreinte_dossier(paquet).encode() + b"\n")
    h.update(b"verrou:" + empreinte_fichier(verrou).encode() + b"\n")
    return h.hexdigest()


def empreinte_code(nb: NotebookNode) -> str:
    """sha256 des cellules de code d'un carnet (Markdown exclu) et de son noyau."""
    code = [
        {
            "source": c.source,
            "parametres": execution.ETIQUETTE_PARAMETRES in c.metadata.get("tags", []),
        }
        for c in nb.cells
        if c.cell_type == "code"
    ]
    noyau = nb.metadata.get("kernelspec", {}).get("name", execution.NOM_NOYAU)
    return hashlib.sha256(execution.canonique({"noyau": noyau, "code": code})).hexdigest()


def cle_carnet(nb: NotebookNode, parametres: dict[str, Any], commune: str) -> str:
    """Clé de cache d'un carnet source pour des paramètres donnés."""
    h = hashlib.sha256()
    h.update(b"code:" + empreinte_code(nb).encode() + b"\n")
    h.update(b"parametres:" + execution.canonique(parametres) + b"\n")
    h.update(b"commune:" + commune.encode() + b"\n")
    return h.hexdigest()


class Cache:
    """Carnets exécutés (nettoyés) rangés par clé : ``<dossier>/carnets/<clé>.ipynb``.

    Parameters
    ----------
    dossier : Path
        Racine du cache (``build/cache``).
    """

    def __init__(self, dossier: Path) -> None:
        self.dossier = Path(dossier)

    def chemin(self, cle: str) -> Path:
        """Fichier d'une entrée."""
        return self.dossier / "carnets" / f"{cle}.ipynb"

    def lire(self, cle: str) -> NotebookNode | None:
        """Carnet exécuté en cache, ou ``None`` (absent ou illisible)."""
        chemin = self.chemin(cle)
        if not chemin.is_file():
            return None
        try:
            return execution.lire(chemin)
        except Exception:  # noqa: BLE001 -- une entrée abîmée vaut une absence
            return None

    def ecrire(self, cle: str, nb: NotebookNode) -> Path:
        """Range un carnet exécuté (écriture atomique)."""
        return execution.ecrire(nb, self.chemin(cle))
