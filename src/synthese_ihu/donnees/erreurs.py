"""Problèmes de données : un problème localisé par fichier, feuille, ligne et champ.

Le chargement collecte *tous* les problèmes d'un passage puis lève une seule
:class:`ErreurDonnees` dont le message les liste, un par ligne.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def lettre_colonne(position: int) -> str:
    """Lettre de colonne d'un tableur (0 -> ``A``, 25 -> ``Z``, 26 -> ``AA``).

    Parameters
    ----------
    position : int
        Position de la colonne, à partir de 0.

    Returns
    -------
    str
        Lettre(s) de la colonne.
    """
    lettres = ""
    n = position + 1
    while n:
        n, reste = divmod(n - 1, 26)
        lettres = chr(ord("A") + reste) + lettres
    return lettres


@dataclass(frozen=True)
class Probleme:
    """Un problème dans un fichier de données.

    Attributes
    ----------
    fichier : str
        Chemin du fichier, relatif à la racine des données.
    message : str
        Ce qui était attendu (et ce qui a été trouvé).
    feuille : str or None
        Feuille du classeur (``None`` pour un CSV).
    ligne : int or None
        Numéro de ligne du tableur ou du CSV (en-tête = ligne 1).
    champ : str or None
        Colonne (ou champ de la feuille ``Identification``) concernée.
    cellule : str or None
        Référence A1 de la cellule (classeurs seulement).
    """

    fichier: str
    message: str
    feuille: str | None = None
    ligne: int | None = None
    champ: str | None = None
    cellule: str | None = None

    def __str__(self) -> str:
        morceaux = [self.fichier]
        if self.feuille is not None:
            morceaux.append(f"feuille « {self.feuille} »")
        if self.ligne is not None:
            ligne = f"ligne {self.ligne}"
            if self.cellule:
                ligne += f" (cellule {self.cellule})"
            morceaux.append(ligne)
        if self.champ is not None:
            morceaux.append(f"champ « {self.champ} »")
        return ", ".join(morceaux) + " : " + self.message


class ErreurDonnees(Exception):
    """Les données lues ne respectent pas le contrat (``data/README.md``).

    Parameters
    ----------
    problemes : iterable of Probleme
        Tous les problèmes trouvés pendant le chargement.
    racine : Path, optional
        Racine des données lues, rappelée en tête du message.
    """

    def __init__(self, problemes: Iterable[Probleme], racine: Path | None = None) -> None:
        self.problemes: list[Probleme] = sorted(
            problemes,
            key=lambda p: (p.fichier, p.feuille or "", p.ligne or 0, p.champ or "", p.message),
        )
        self.racine = racine
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problemes)
        ou = f" ({self.racine})" if self.racine is not None else ""
        tete = f"{n} problème{'s' if n > 1 else ''} dans les données{ou} :"
        return "\n".join([tete, *(f"  - {p}" for p in self.problemes)])
