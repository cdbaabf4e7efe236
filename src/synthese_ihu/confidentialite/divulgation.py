"""Divulgation par recoupement : aucune valeur anonyme ne doit pouvoir être rattachée à un nom.

Le lecteur connaît tout ce que le rapport et ses données ouvertes impriment, et les attributs
que le rapport donne pour chaque IHU nommé (catégories du Web of Science, ville, appel, année
de sélection, données de contexte). Avec eux, il recalcule pour chaque IHU nommé des grandeurs
*nominatives* (croissance de la France dans ses catégories…). Une série publiée par IHU anonyme
combine des grandeurs *propres* à l'IHU, qu'il ne connaît pas, et des nominatives : chaque
figure les déclare (:class:`synthese_ihu.figures.base.Mesure`).

Le contrôle : aucune série publiée seule, et aucune combinaison de séries publiées (différence
ou somme de deux séries, d'une même figure ou de deux figures ; au-delà, toute combinaison
linéaire), ne doit annuler les grandeurs propres en laissant des nominatives : elle
étiquetterait les barres. Un quotient se déclare en échelle ``log`` (un rapport de deux parts
devient une différence). Une série numérique par IHU sans déclaration est refusée aussi : le
contrôle ne peut pas la juger. Les fourchettes et les agrégats (lignes sans ``rang``) restent
permis.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from synthese_ihu.figures.base import Figure, Mesure

#: Tolérance numérique des combinaisons (coefficients déclarés : petits entiers).
_EPS = 1e-9


@dataclass(frozen=True)
class SeriePubliee:
    """Une série par IHU anonyme qu'une figure publie dans l'édition."""

    figure: str
    mesure: Mesure

    def __str__(self) -> str:
        return f"figure {self.figure}, série {self.mesure.nom()}"


@dataclass(frozen=True)
class Liaison:
    """Des séries publiées dont une combinaison ne dépend que de grandeurs nominatives."""

    series: tuple[SeriePubliee, ...]
    combinaison: str
    nominatives: tuple[str, ...]

    @property
    def figures(self) -> tuple[str, ...]:
        """Figures en cause, sans doublon, dans l'ordre des séries."""
        return tuple(dict.fromkeys(s.figure for s in self.series))

    def __str__(self) -> str:
        quoi = " ; ".join(str(s) for s in self.series)
        return (f"{' et '.join(self.figures)} : {self.combinaison} ({quoi}) ne dépend que de "
                f"{', '.join(self.nominatives)}, recalculable pour chaque IHU nommé : les barres "
                "anonymes peuvent être rattachées à un nom")


@dataclass(frozen=True)
class SerieNonDeclaree:
    """Une colonne numérique par IHU d'un CSV publié qu'aucune mesure de la figure ne couvre."""

    figure: str
    colonne: str
    ligne: int

    def __str__(self) -> str:
        return (f"{self.figure} : colonne {self.colonne} (ligne {self.ligne} du CSV) publiée par "
                "IHU sans mesure déclarée (Figure(mesures=…)) : recoupements impossibles à juger")


def _vecteur(mesure: Mesure, grandeurs: Sequence[str], propres: bool) -> np.ndarray:
    table = mesure.propres if propres else mesure.nominatives
    return np.array([float(table.get(g, 0.0)) for g in grandeurs])


def _reste(combinaison: dict[str, float]) -> tuple[str, ...]:
    return tuple(sorted(g for g, c in combinaison.items() if abs(c) > _EPS))


def _combiner(a: Mesure, b: Mesure, signe: int, champ: str) -> dict[str, float]:
    ta, tb = getattr(a, champ), getattr(b, champ)
    return {g: float(ta.get(g, 0.0)) + signe * float(tb.get(g, 0.0)) for g in {*ta, *tb}}


def liaisons(series: Sequence[SeriePubliee]) -> list[Liaison]:
    """Séries ou combinaisons de séries qui ne dépendent que de grandeurs nominatives.

    Une série seule, puis chaque paire (différence, somme ; un rapport de deux parts en échelle
    ``log``), puis, par échelle, toute combinaison linéaire plus longue (rang des grandeurs
    propres inférieur au rang de l'ensemble) que les paires n'expliquent pas.
    """
    trouvees: list[Liaison] = []
    for s in series:
        if not _reste(dict(s.mesure.propres)) and _reste(dict(s.mesure.nominatives)):
            trouvees.append(Liaison((s,), "la valeur publiée", _reste(dict(s.mesure.nominatives))))
    for a, b in combinations(series, 2):
        if a.mesure.echelle != b.mesure.echelle:
            continue
        for signe, nom in ((-1, "la différence"), (1, "la somme")):
            if a.mesure.echelle == "log":
                nom = "le rapport" if signe < 0 else "le produit"
            propres = _combiner(a.mesure, b.mesure, signe, "propres")
            nominatives = _combiner(a.mesure, b.mesure, signe, "nominatives")
            if not _reste(propres) and _reste(nominatives):
                trouvees.append(Liaison((a, b), nom, _reste(nominatives)))
    for echelle in sorted({s.mesure.echelle for s in series}):
        groupe = [s for s in series if s.mesure.echelle == echelle]
        deja = {x for li in trouvees for x in li.series}
        if len(groupe) < 3 or all(s in deja for s in groupe):
            continue
        propres = sorted({g for s in groupe for g in s.mesure.propres})
        nominatives = sorted({g for s in groupe for g in s.mesure.nominatives})
        p = np.zeros((len(groupe), len(propres)))
        n = np.zeros((len(groupe), len(nominatives)))
        for i, s in enumerate(groupe):
            p[i], n[i] = _vecteur(s.mesure, propres, True), _vecteur(s.mesure, nominatives, False)
        rang_propres = np.linalg.matrix_rank(p) if p.size else 0
        if np.linalg.matrix_rank(np.hstack([p, n])) > rang_propres and not any(
                set(li.series) <= set(groupe) for li in trouvees):
            trouvees.append(Liaison(tuple(groupe), "une combinaison linéaire",
                                    tuple(nominatives)))
    return trouvees


def _lignes_csv(chemin: Path) -> list[dict[str, str]]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _est_nombre(texte: str) -> bool:
    try:
        float(texte)
    except ValueError:
        return False
    return True


def _colonnes_texte(chemin_csv: Path) -> set[str]:
    """Colonnes de libellé d'un CSV publié (type ``string`` de son Table Schema : « 2014 » y
    est un libellé de période, pas une valeur)."""
    schema = chemin_csv.with_name(f"{chemin_csv.stem}.schema.json")
    if not schema.is_file():
        return set()
    champs = json.loads(schema.read_text(encoding="utf-8")).get("fields", [])
    return {c["name"] for c in champs if c.get("type") == "string"}


def series_publiees(dossier_donnees: Path, figures: Mapping[str, Figure]
                    ) -> tuple[list[SeriePubliee], list[SerieNonDeclaree]]:
    """Séries par IHU que les CSV des figures par IHU publient, et colonnes non déclarées.

    Une mesure est publiée si au moins une ligne à ``rang`` renseigné passe son filtre avec une
    valeur (une colonne de filtre absente du CSV ne filtre rien) ; une cellule numérique d'une
    ligne à ``rang`` qu'aucune mesure ne couvre est une série non déclarée.
    """
    publiees: list[SeriePubliee] = []
    non_declarees: list[SerieNonDeclaree] = []
    for ident, spec in figures.items():
        chemin = dossier_donnees / f"{ident}.csv"
        if not spec.par_ihu or not chemin.is_file():
            continue
        lignes = [(n, ligne) for n, ligne in enumerate(_lignes_csv(chemin), start=2)
                  if (ligne.get("rang") or "").strip()]
        couvertes: set[tuple[int, str]] = set()
        for mesure in spec.mesures:
            trouvee = False
            for n, ligne in lignes:
                if all(k not in ligne or ligne[k] == v for k, v in mesure.lignes.items()) and (
                        ligne.get(mesure.colonne) or "").strip():
                    couvertes.add((n, mesure.colonne))
                    trouvee = True
            if trouvee:
                publiees.append(SeriePubliee(ident, mesure))
        signalees = _colonnes_texte(chemin)  # libellés ; puis une fois par colonne
        for n, ligne in lignes:
            for colonne, valeur in ligne.items():
                if (colonne != "rang" and colonne not in signalees
                        and (n, colonne) not in couvertes
                        and _est_nombre((valeur or "").strip())):
                    non_declarees.append(SerieNonDeclaree(ident, colonne, n))
                    signalees.add(colonne)
    return publiees, non_declarees


def problemes_divulgation(dossier: Path, figures: Mapping[str, Figure] | None = None
                          ) -> list[Liaison | SerieNonDeclaree]:
    """Liaisons et séries non déclarées d'un dossier de rapport public (``donnees/``)."""
    if figures is None:
        from synthese_ihu.figures import FIGURES as figures
    publiees, non_declarees = series_publiees(Path(dossier) / "donnees", figures)
    return [*non_declarees, *liaisons(publiees)]


def decrire(problemes: Iterable[Liaison | SerieNonDeclaree]) -> list[str]:
    """Une ligne par problème, qui nomme les figures et les séries."""
    return [str(p) for p in problemes]
