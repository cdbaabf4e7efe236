"""Lecture en flux, bornée, des parties XML d'un classeur ``.xlsx`` (sans pandas ni calamine).

Chaque partie est lue par morceaux de 64 Kio à travers ``zipfile`` (qui s'arrête à la taille
déclarée et vérifie la somme de contrôle) et analysée par ``pyexpat`` sans jamais construire
d'arbre : la mémoire ne dépend que des limites de ``limites.toml``. Une déclaration ``DOCTYPE``
(entités, « billion laughs ») est refusée. Rend ce que :mod:`~synthese_ihu.ingestion.examen`
contrôle : feuilles du classeur, relations, formats de date, textes partagés.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from xml.parsers import expat

MORCEAU = 1 << 16
#: erreurs d'une archive abîmée (taille, somme de contrôle, flux deflate, méthode inconnue)
_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)

#: formats de nombre prédéfinis d'Excel qui affichent une date ou une heure
FORMATS_DATE = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})


class PartieInvalide(Exception):
    """Une partie ne se lit pas : XML mal formé, DOCTYPE, somme de contrôle ou limite."""


def local(nom: str) -> str:
    """Nom local d'un élément ou attribut (``uri}c`` -> ``c``)."""
    return nom.rpartition("}")[2]


class Compteur:
    """Éléments XML lus dans tout un classeur, bornés (le temps de processeur l'est donc aussi)."""

    def __init__(self, maximum: int, cle: str = "classeur.elements_max") -> None:
        self.maximum, self.cle, self.n = maximum, cle, 0

    def compter(self) -> None:
        self.n += 1
        if self.n > self.maximum:
            raise PartieInvalide(f"plus de {self.maximum} éléments XML ({self.cle})")


def analyser(archive: zipfile.ZipFile, nom: str, debut: Callable, fin: Callable | None = None,
             texte: Callable | None = None, compteur: Compteur | None = None) -> None:
    """Analyse la partie ``nom`` en flux : ``debut(nom_local, attributs)``, ``fin(nom_local)``,
    ``texte(morceau)`` ; lève :class:`PartieInvalide` avec une raison en français."""
    p = expat.ParserCreate(namespace_separator="}")
    compteur = compteur or Compteur(10_000_000)

    def doctype(*_: object) -> None:
        raise PartieInvalide("déclaration DOCTYPE (entités XML) refusée")

    def element(n: str, a: dict[str, str]) -> None:
        compteur.compter()
        debut(local(n), {local(k): v for k, v in a.items()})

    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = doctype
    p.StartElementHandler = element
    if fin is not None:
        p.EndElementHandler = lambda n: fin(local(n))
    if texte is not None:
        p.CharacterDataHandler = texte
    p.buffer_text = True
    try:
        with archive.open(nom) as flux:
            while morceau := flux.read(MORCEAU):
                p.Parse(morceau, False)
        p.Parse(b"", True)
    except expat.ExpatError as exc:
        raise PartieInvalide(f"XML mal formé ({expat.errors.messages[exc.code]}, ligne "
                             f"{exc.lineno})") from None
    except _ZIP as exc:
        raise PartieInvalide(f"contenu endommagé ({exc})") from None


def parcourir(archive: zipfile.ZipFile, nom: str) -> None:
    """Lit une partie jusqu'au bout sans l'analyser (taille et somme de contrôle vérifiées)."""
    try:
        with archive.open(nom) as flux:
            while flux.read(MORCEAU):
                pass
    except _ZIP as exc:
        raise PartieInvalide(f"contenu endommagé ({exc})") from None


def cible(base: str, cible_: str) -> str:
    """Chemin d'une partie désignée par une relation, depuis le dossier ``base``."""
    if cible_.startswith("/"):
        return cible_.lstrip("/")
    return posixpath.normpath(posixpath.join(base, cible_))


def relations(archive: zipfile.ZipFile, nom: str, compteur: Compteur | None = None
              ) -> list[dict[str, str]]:
    """Relations d'un fichier ``.rels`` (Id, Type, Target, TargetMode) ; vide s'il manque."""
    if nom not in archive.NameToInfo:
        return []
    trouvees: list[dict[str, str]] = []

    def debut(n: str, a: dict[str, str]) -> None:
        if n == "Relationship":
            trouvees.append(a)
    analyser(archive, nom, debut, compteur=compteur)
    return trouvees


def feuilles(archive: zipfile.ZipFile, compteur: Compteur | None = None
             ) -> tuple[list[dict[str, str]], bool]:
    """Feuilles déclarées par ``xl/workbook.xml`` (name, state, id de relation) et présence
    d'un élément ``externalReferences`` (liaison à un autre classeur)."""
    trouvees: list[dict[str, str]] = []
    externe = [False]

    def debut(n: str, a: dict[str, str]) -> None:
        if n == "sheet":
            trouvees.append(a)
        elif n == "externalReference":
            externe[0] = True
    analyser(archive, "xl/workbook.xml", debut, compteur=compteur)
    return trouvees, externe[0]


def _est_date(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return bool(re.search(r"[dyhs]", code)) or ("m" in code and not re.search(r"[0#?]", code))


def styles_date(archive: zipfile.ZipFile, nom: str | None, compteur: Compteur | None = None
                ) -> frozenset[int]:
    """Indices des styles de cellule (``s``) dont le format affiche une date."""
    if nom is None or nom not in archive.NameToInfo:
        return frozenset()
    propres: dict[int, bool] = {}
    formats: list[int] = []
    pile: list[str] = []

    def debut(n: str, a: dict[str, str]) -> None:
        if n == "numFmt":
            try:
                propres[int(a.get("numFmtId", "-1"))] = _est_date(a.get("formatCode", ""))
            except ValueError:
                pass
        elif n == "xf" and pile and pile[-1] == "cellXfs":
            try:
                formats.append(int(a.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)
        pile.append(n)

    analyser(archive, nom, debut, lambda n: pile.pop(), compteur=compteur)
    return frozenset(i for i, f in enumerate(formats)
                     if propres.get(f, f in FORMATS_DATE))


def chaines(archive: zipfile.ZipFile, nom: str | None, maximum: int, longueur: int,
            compteur: Compteur | None = None) -> list[str]:
    """Textes partagés (``sharedStrings.xml``), chacun tronqué à ``longueur + 1`` caractères.

    Raises
    ------
    PartieInvalide
        Plus de ``maximum`` textes.
    """
    if nom is None or nom not in archive.NameToInfo:
        return []
    textes: list[str] = []
    courant: list[str] = []
    taille = [0]
    dans = {"si": False, "t": False, "rPh": False}

    def debut(n: str, a: dict[str, str]) -> None:
        if n == "si":
            if len(textes) >= maximum:
                raise PartieInvalide(f"plus de {maximum} textes partagés")
            dans["si"], courant[:], taille[0] = True, [], 0
        elif n in ("t", "rPh"):
            dans[n] = True

    def fin(n: str) -> None:
        if n == "si":
            dans["si"] = False
            textes.append("".join(courant))
        elif n in ("t", "rPh"):
            dans[n] = False

    def texte(morceau: str) -> None:
        if dans["si"] and dans["t"] and not dans["rPh"] and taille[0] <= longueur:
            courant.append(morceau[: longueur + 1 - taille[0]])
            taille[0] += len(morceau)

    analyser(archive, nom, debut, fin, texte, compteur)
    return textes
