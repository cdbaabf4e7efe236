"""Repères qui identifient un IHU (noms, codes, villes propres à un IHU) et fuites trouvées.

Les repères viennent de ``referentiel/ihu.csv`` : le nom (« ICAN », « Méditerranée Infection »)
et le code (« ican », « mi ») de chaque IHU, cherchés sans casse et en mots entiers (un code
court ne se trouve ni dans « mini » ni dans « mi-parcours »), et la ville d'un IHU quand elle
n'en désigne qu'un (cherchée dans les figures par IHU et les fichiers de données).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from synthese_ihu import chemins


def _sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Reperes:
    """Ce qui identifie un IHU : noms et codes (partout), villes propres à un IHU (figures)."""

    noms: tuple[str, ...]
    villes: tuple[str, ...] = ()

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def _motif(termes: tuple[str, ...], identifiant: bool, pdf: bool) -> re.Pattern | None:
        """Motif compilé une fois par jeu de termes (l'analyse l'applique à chaque attribut)."""
        if not termes:
            return None
        # prose : lettres, chiffres, « _ » et « - » font partie du mot ; identifiant : seuls les
        # lettres et chiffres (``barre-mi``, ``ihu_mi``, ``mi.svg`` contiennent le code « mi ») ;
        # PDF : lettres et « - » seulement, car l'extraction colle parfois deux textes voisins
        # (« figure)ican325 % »).
        bord = r"[^\W_]" if identifiant else r"[^\W\d_]|-" if pdf else r"[\w-]"
        separateur = r"[\W_]+" if identifiant else r"[\s\u00a0\u202f]+"
        alternatives = sorted(
            {separateur.join(map(re.escape, re.split(r"[\s_]+", t.strip()))) for t in termes},
            key=len,
            reverse=True,
        )
        return re.compile(
            rf"(?<!{bord.split('|')[0]})(?<!-)(?:{'|'.join(alternatives)})(?!{bord})"
            if pdf
            else rf"(?<!{bord})(?:{'|'.join(alternatives)})(?!{bord})",
            re.IGNORECASE,
        )

    def chercher(
        self, texte: str, *, identifiant: bool = False, villes: bool = False, pdf: bool = False
    ) -> list[str]:
        """Repères trouvés dans ``texte`` (mots entiers, sans casse)."""
        trouves = []
        for termes in (self.noms, self.villes if villes else ()):
            motif = self._motif(tuple(termes), identifiant, pdf)
            if motif is not None:
                trouves += [m.group(0) for m in motif.finditer(texte)]
        return trouves

    def compter(self, texte: str) -> Counter:
        """Occurrences de chaque repère, bornes du PDF (clé : minuscules sans accents)."""
        return Counter(
            _sans_accents(re.sub(r"\s+", " ", t)).lower() for t in self.chercher(texte, pdf=True)
        )


def reperes_du_referentiel(fichier: Path | None = None) -> Reperes:
    """Noms et codes de tous les IHU du référentiel ; villes qui ne désignent qu'un IHU suivi."""
    chemin = fichier or chemins.DONNEES_BRUTES / "referentiel" / "ihu.csv"
    with Path(chemin).open(encoding="utf-8", newline="") as f:
        ref = list(csv.DictReader(f))
    noms = tuple(sorted({ligne["nom"] for ligne in ref} | {ligne["ihu"] for ligne in ref}))
    par_ville: dict[str, set[str]] = {}
    for ligne in ref:
        if (ligne.get("premiere_annee_indicateurs") or "").strip():  # IHU suivi
            par_ville.setdefault(ligne["ville"], set()).add(ligne["ihu"])
    villes = tuple(sorted(v for v, ihu in par_ville.items() if len(ihu) == 1))
    return Reperes(noms=noms, villes=villes)


@dataclass(frozen=True)
class Fuite:
    """Un repère d'IHU trouvé là où il ne doit pas être."""

    fichier: str
    lieu: str
    reperes: tuple[str, ...]
    extrait: str

    def __str__(self) -> str:
        return f"{self.fichier} [{self.lieu}] {', '.join(self.reperes)} : « {self.extrait[:160]} »"
