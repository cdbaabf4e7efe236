"""Provenance d'une construction : fichiers de ``data/raw`` utilisés (sha256), version du code.

Calculée à chaque construction, sans pandas : le colophon l'imprime, ``provenance.csv`` la
publie fichier par fichier, et son empreinte entre dans la clé du rendu.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from synthese_ihu import chemins

__all__ = ["Fichier", "Provenance", "relever_provenance", "version_code"]

#: Sous-dossier de ``data/raw`` des classeurs de campagne (``campagnes/<année>/…``).
CAMPAGNES = "campagnes"

#: Sous-dossier de ``data/raw`` des chiffres de contexte (colonne ``statut`` : publie / estime).
CONTEXTE = "contexte"

@dataclass(frozen=True)
class Fichier:
    """Un fichier de données utilisé : chemin relatif à ``data/raw`` et sha256.

    Pas de taille : à côté du classeur d'un IHU, ce serait un nombre propre à cet IHU.
    """

    chemin: str
    sha256: str


@dataclass(frozen=True)
class Provenance:
    """Ce dont une construction est faite (calculé à chaque construction, sans pandas).

    Attributes
    ----------
    annee : int
        Année cible.
    interne : bool
        Variante interne.
    version : str
        Version du code (``git describe --always --dirty``, ou version du paquet).
    fichiers : tuple of Fichier
        Fichiers de ``data/raw`` utilisés pour l'année (campagnes ``<= annee`` et autres
        fichiers), triés par chemin.
    contexte : tuple of tuple
        Par fichier de contexte : (nom, lignes publiées de l'année, lignes estimées de l'année,
        lignes estimées des années antérieures).
    """

    annee: int
    interne: bool
    version: str
    fichiers: tuple[Fichier, ...]
    contexte: tuple[tuple[str, int, int, int], ...] = field(default=())

    @property
    def empreinte_donnees(self) -> str:
        """sha256 du manifeste ``sha256sum`` des fichiers (``<sha256>  <chemin>\\n``, triés)."""
        manifeste = "".join(f"{f.sha256}  {f.chemin}\n" for f in self.fichiers)
        return hashlib.sha256(manifeste.encode("utf-8")).hexdigest()

    @property
    def campagnes(self) -> list[Fichier]:
        """Classeurs de campagne utilisés."""
        return [f for f in self.fichiers if f.chemin.startswith(f"{CAMPAGNES}/")]

    def empreinte(self) -> str:
        """Empreinte de tout ce que le colophon affiche (entre dans la clé du rendu)."""
        return hashlib.sha256(
            repr(
                (self.annee, self.interne, self.version, self.empreinte_donnees, self.contexte)
            ).encode("utf-8")
        ).hexdigest()


def version_code(racine: str | Path = chemins.RACINE) -> str:
    """``git describe --always --dirty`` du dépôt, ou la version du paquet hors dépôt git.

    Returns
    -------
    str
        Par exemple ``847186b-dirty`` ou ``paquet 0.1.0``.
    """
    try:
        sortie = subprocess.run(
            ["git", "-C", str(racine), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
        version = sortie.stdout.strip()
        if version:
            return version
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        from importlib.metadata import version

        return f"paquet {version('synthese-ihu')}"
    except Exception:  # noqa: BLE001 - paquet non installé : on le dit
        return "inconnue"


def _utilise(chemin: str, annee: int) -> bool:
    parties = chemin.split("/")
    if parties[0] == CAMPAGNES and len(parties) > 2 and parties[1].isdigit():
        return int(parties[1]) <= annee
    if parties[0] == "millesimes" and len(parties) > 2 and parties[1].isdigit():
        return int(parties[1]) == annee - 1  # extraction figée de N−1 (annexe des révisions)
    return True


def _sha256(chemin: Path) -> str:
    h = hashlib.sha256()
    with chemin.open("rb") as f:
        for bloc in iter(lambda: f.read(1 << 20), b""):
            h.update(bloc)
    return h.hexdigest()


def _contexte(racine: Path, annee: int) -> tuple[tuple[str, int, int, int], ...]:
    resultat = []
    dossier = racine / CONTEXTE
    for chemin in sorted(dossier.glob("*.csv")) if dossier.is_dir() else []:
        publies = estimes = anterieurs = 0
        with chemin.open(encoding="utf-8", newline="") as f:
            for ligne in csv.DictReader(f):
                try:
                    an = int(ligne.get("annee") or 0)
                except ValueError:
                    continue
                estime = (ligne.get("statut") or "").strip() == "estime"
                if an == annee:
                    estimes += estime
                    publies += not estime
                elif an < annee:
                    anterieurs += estime
        resultat.append((chemin.name, publies, estimes, anterieurs))
    return tuple(resultat)


def relever_provenance(
    racine_donnees: str | Path,
    annee: int,
    *,
    interne: bool = False,
    racine_code: str | Path = chemins.RACINE,
) -> Provenance:
    """Relève les fichiers utilisés (sha256), la version du code et les chiffres estimés.

    Parameters
    ----------
    racine_donnees : str or Path
        ``data/raw``.
    annee : int
        Année cible : les campagnes postérieures ne sont pas utilisées.
    interne : bool
        Variante interne.
    racine_code : str or Path
        Dépôt dont on lit ``git describe``.

    Returns
    -------
    Provenance
    """
    racine = Path(racine_donnees)
    fichiers = []
    for chemin in sorted(p for p in racine.rglob("*") if p.is_file()):
        relatif = chemin.relative_to(racine).as_posix()
        if any(partie.startswith(".") for partie in relatif.split("/")):
            continue
        if _utilise(relatif, annee):
            fichiers.append(Fichier(relatif, _sha256(chemin)))
    return Provenance(
        annee=int(annee),
        interne=bool(interne),
        version=version_code(racine_code),
        fichiers=tuple(fichiers),
        contexte=_contexte(racine, int(annee)),
    )
