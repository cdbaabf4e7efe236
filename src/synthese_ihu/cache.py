"""Cache des carnets exécutés (``build/cache/carnets/``), empreintes vérifiées, taille bornée.

Clé d'un carnet : sha256 de
- ses cellules de CODE (source et étiquette ``parameters``, dans l'ordre) et de son noyau — les
  cellules Markdown n'y entrent pas : elles sont recopiées du source courant à la lecture ;
- des paramètres injectés (l'année : changer d'année change la clé) ;
- des octets de chaque fichier de ``data/raw`` (avec son chemin relatif) ;
- du source du paquet ``synthese_ihu`` (tous ses fichiers hors ``__pycache__``) ;
- de ``requirements.lock`` ;
- de la version de Python et du format du cache.

Une entrée prouve son contenu : ``<clé>.ipynb`` est suivi de ``<clé>.ipynb.sha256`` (sha256 de
ses octets, écrit APRÈS lui). Avant d'être repris, le carnet est relu et haché ; une empreinte
absente ou différente supprime l'entrée (le carnet est réexécuté, une ligne le dit). Le cache
est borné : :func:`elaguer` retire les entrées les moins récemment utilisées au-delà de
:data:`LIMITE_OCTETS` (``make clean-cache`` le vide).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from synthese_ihu import execution, verrous

VERSION = "2"  # 2 : empreinte des octets de chaque entrée
_IGNORES = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache"}
#: Taille au-delà de laquelle :func:`elaguer` retire les entrées les plus anciennement utilisées
#: (une année ≈ 1 Mo : carnets et données ouvertes).
LIMITE_OCTETS = 256 * 1024**2
EMPREINTE = ".sha256"
MANIFESTE = "empreintes.json"


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


def empreintes(dossier: Path) -> dict[str, str]:
    """Chemin relatif -> sha256 de chaque fichier d'un dossier (manifeste d'un dossier publié)."""
    dossier = Path(dossier)
    return {
        p.relative_to(dossier).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


def ecart(manifeste: dict[str, str], trouve: dict[str, str]) -> str | None:
    """Premier fichier qui diffère d'un manifeste (« x altéré », « absent », « en trop »)."""
    for nom in sorted(manifeste.keys() | trouve.keys()):
        if nom not in trouve:
            return f"{nom} absent"
        if nom not in manifeste:
            return f"{nom} en trop"
        if manifeste[nom] != trouve[nom]:
            return f"{nom} altéré"
    return None


def ecrire_atomique(chemin: Path, octets: bytes) -> Path:
    """Écrit ``chemin`` d'un coup : fichier voisin au nom unique, puis renommage."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    provisoire = chemin.with_name(f".{chemin.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        provisoire.write_bytes(octets)
        os.replace(provisoire, chemin)
    finally:
        provisoire.unlink(missing_ok=True)
    return chemin


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


def toucher(chemin: Path) -> None:
    """Note l'usage d'une entrée (date de modification de son empreinte) pour :func:`elaguer`."""
    try:
        os.utime(chemin)
    except OSError:
        pass  # lecture seule : l'élagage la croira seulement plus ancienne


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
        """Fichier d'une entrée (son empreinte : même nom suivi de ``.sha256``)."""
        return self.dossier / "carnets" / f"{cle}.ipynb"

    def lire(
        self, cle: str, *, alteree: Callable[[str], None] = lambda raison: None
    ) -> NotebookNode | None:
        """Carnet exécuté en cache, ou ``None``.

        Absent : ``None``. Empreinte absente ou différente des octets, ou carnet illisible :
        l'entrée est supprimée, ``alteree(raison)`` est appelé, puis ``None``.
        """
        chemin = self.chemin(cle)
        empreinte = chemin.with_name(chemin.name + EMPREINTE)
        try:
            octets = chemin.read_bytes()
        except FileNotFoundError:
            empreinte.unlink(missing_ok=True)
            return None
        try:
            attendue = empreinte.read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            attendue = ""
        raison = None
        if not attendue:
            raison = "sans empreinte"
        elif hashlib.sha256(octets).hexdigest() != attendue:
            raison = "altéré"
        else:
            try:
                nb = nbformat.reads(octets.decode("utf-8"), as_version=4)
            except Exception:  # noqa: BLE001 -- illisible malgré l'empreinte : écarté
                raison = "illisible"
        if raison is not None:
            for fichier in (chemin, empreinte):
                fichier.unlink(missing_ok=True)
            alteree(raison)
            return None
        toucher(empreinte)
        return nb

    def ecrire(self, cle: str, nb: NotebookNode) -> Path:
        """Range un carnet exécuté puis son empreinte (écritures atomiques, dans cet ordre)."""
        octets = execution.en_octets(nb)
        chemin = ecrire_atomique(self.chemin(cle), octets)
        ecrire_atomique(
            chemin.with_name(chemin.name + EMPREINTE),
            hashlib.sha256(octets).hexdigest().encode("ascii"),
        )
        return chemin


# --------------------------------------------------------------------------------------------
# Taille bornée


def _taille(chemin: Path) -> int:
    if chemin.is_dir():
        return sum(p.stat().st_size for p in chemin.rglob("*") if p.is_file())
    return chemin.stat().st_size


def _entrees(racine: Path) -> tuple[list[tuple[float, int, list[Path]]], list]:
    """Entrées du cache (dernier usage, taille, chemins) et empreintes orphelines.

    Les fichiers provisoires ne sont pas des entrées : ceux des courses mortes sont supprimés,
    d'après leur verrou, au début de la construction suivante (:mod:`synthese_ihu.verrous`)."""
    entrees, restes = [], []
    carnets, publication = racine / "carnets", racine / "publication"
    for chemin in sorted(carnets.iterdir()) if carnets.is_dir() else []:
        if chemin.name.endswith(".tmp"):
            continue
        if chemin.suffix == ".ipynb":
            empreinte = chemin.with_name(chemin.name + EMPREINTE)
            usage = (empreinte if empreinte.exists() else chemin).stat().st_mtime
            taille = _taille(chemin) + (empreinte.stat().st_size if empreinte.exists() else 0)
            entrees.append((usage, taille, [chemin, empreinte]))
        elif chemin.name.endswith(".ipynb" + EMPREINTE):
            if not chemin.with_name(chemin.name[: -len(EMPREINTE)]).exists():
                restes.append(chemin)  # empreinte orpheline
    for chemin in sorted(publication.iterdir()) if publication.is_dir() else []:
        if ".tmp-" in chemin.name:
            continue
        manifeste = chemin / MANIFESTE
        usage = (manifeste if manifeste.exists() else chemin).stat().st_mtime
        entrees.append((usage, _taille(chemin), [chemin]))
    return entrees, restes


def elaguer(
    racine: Path,
    *,
    limite: int = LIMITE_OCTETS,
    afficher: Callable[[str], None] = print,
) -> int:
    """Borne le cache ``racine`` (``build/cache``) à ``limite`` octets.

    Les entrées (carnets et données ouvertes) les moins récemment utilisées sont retirées
    d'abord ; les empreintes orphelines aussi. Appelée après une construction, quand rien
    d'autre n'écrit dans le cache. Rend le nombre d'entrées retirées (une ligne le dit).
    """
    racine = Path(racine)
    try:
        entrees, restes = _entrees(racine)
    except OSError:
        return 0  # cache illisible ou changé pendant le relevé : l'élagage attendra
    for reste in restes:
        verrous.supprimer(reste)
    total = sum(taille for _, taille, _ in entrees)
    retirees = 0
    for _, taille, chemins in sorted(entrees, key=lambda e: e[0]):
        if total <= limite:
            break
        for chemin in chemins:
            verrous.supprimer(chemin)
        total -= taille
        retirees += 1
    if retirees:
        afficher(
            f"  cache : {retirees} entrée(s) les moins récemment utilisée(s) retirée(s) "
            f"({total // 1024**2} Mo gardés, limite {limite // 1024**2} Mo)"
        )
    return retirees
