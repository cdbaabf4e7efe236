"""Un lecteur qui tente de rattacher les barres anonymes à des IHU nommés.

Il ne lit que ce que le rapport public rend public : les CSV de ses données ouvertes
(``donnees/*.csv`` : les tableaux à colonne ``rang`` sont les figures par IHU, les périodes
comparées sont dans leurs libellés), la liste des IHU et leurs attributs (ville, appel, année de
sélection : ``referentiel/ihu.csv``, tableau 1) et les catégories du Web of Science de chaque IHU
nommé (tableau 2), dont il recalcule avec les outils bibliométriques publics les références
France et monde (ici : ``references_wos``, ce que ces outils rendent). Il n'appelle aucune
fonction du paquet.

Attaques, chacune sur toutes les figures par IHU :

- **valeur seule** : une série publiée s'apparie aux valeurs d'une série nominative ;
- **paire d'une même figure** (même rang, donc même IHU) : différence, somme ou rapport de deux
  séries s'apparie à une série nominative ou à une combinaison de deux séries nominatives
  (croissance France − croissance monde…) ;
- **paire de deux figures** : les barres des deux figures sont appariées en même temps qu'un nom
  (différence, somme ou rapport égal à une série nominative) ;
- **attributs** : une figure dont une barre se distingue des autres par les cellules qu'elle
  remplit (un IHU entré plus tard), ou qui n'a qu'une barre.

Un rattachement est **unique** quand un appariement complet (chaque barre à un nom distinct, à
la précision publiée près) existe et qu'une barre reçoit le même nom dans tous les appariements
complets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

#: Au-delà, l'énumération des appariements de deux figures s'arrête (rattachement non prouvé).
PLAFOND_SOLUTIONS = 20000


@dataclass(frozen=True)
class Serie:
    """Une série publiée par IHU anonyme : rang -> valeur, demi-unité de la précision publiée."""

    nom: str
    figure: str
    valeurs: dict[int, float]
    tolerance: float


@dataclass(frozen=True)
class Rattachement:
    """Des barres anonymes rattachées à un nom, et comment."""

    attaque: str
    figures: tuple[str, ...]
    detail: str

    def __str__(self) -> str:
        return f"{self.attaque} [{', '.join(self.figures)}] : {self.detail}"


# --- ce que le lecteur sait -------------------------------------------------------------------
def _decimales(textes: Iterable[str]) -> int:
    return max((len(t.partition(".")[2]) for t in textes), default=0)


def series_publiees(dossier: Path) -> list[Serie]:
    """Séries par IHU des CSV publiés : pour chaque tableau à colonne ``rang``, chaque colonne
    numérique (le Table Schema publié dit qu'une colonne « 2014 » est un libellé) et chaque
    combinaison des colonnes de libellé, les lignes à rang renseigné."""
    series = []
    for chemin in sorted((dossier / "donnees").glob("*.csv")):
        brut = pd.read_csv(chemin, dtype=str, keep_default_na=False)
        if "rang" not in brut.columns:
            continue
        brut = brut.loc[brut["rang"].str.strip() != ""]
        schema = chemin.with_name(f"{chemin.stem}.schema.json")
        textes = ({c["name"] for c in json.loads(schema.read_text(encoding="utf-8"))["fields"]
                   if c.get("type") == "string"} if schema.is_file() else set())
        numeriques = [c for c in brut.columns if c != "rang" and c not in textes and len(brut)
                      and pd.to_numeric(brut[c], errors="coerce").notna().any()
                      and pd.to_numeric(brut[c].replace("", np.nan), errors="coerce")
                      .notna().eq(brut[c] != "").all()]
        libelles = [c for c in brut.columns if c not in numeriques and c != "rang"]
        groupes = brut.groupby(libelles, dropna=False) if libelles else [((), brut)]
        for cle, groupe in groupes:
            for colonne in numeriques:
                g = groupe.loc[groupe[colonne] != ""]
                if g.empty:
                    continue
                tol = 0.5 * 10 ** -_decimales(g[colonne])
                valeurs = dict(zip(g["rang"].astype(int), g[colonne].astype(float), strict=True))
                etiquette = ",".join(map(str, np.atleast_1d(cle)))
                series.append(Serie(f"{chemin.stem}.{colonne}[{etiquette}]", chemin.stem,
                                    valeurs, tol))
    return series


def periodes_publiees(dossier: Path) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Périodes comparées P1, P2 lues dans les libellés publiés (« 2012–2016 »)."""
    chemin = dossier / "donnees" / "part_production_francaise.csv"
    if not chemin.is_file():
        return None
    t = pd.read_csv(chemin, dtype=str).drop_duplicates("periode").set_index("periode")

    def bornes(texte: str) -> tuple[int, int]:
        debut, _, fin = texte.partition("\u2013")
        return int(debut), int(fin or debut)

    return bornes(t.loc["P1", "libelle_periode"]), bornes(t.loc["P2", "libelle_periode"])


def series_nominatives(references_wos: pd.DataFrame, periodes) -> dict[str, pd.Series]:
    """Par IHU nommé, ce que les outils publics rendent sur ses catégories du WoS : croissance
    (%), parts du top 10 % et du top 1 % (%), articles sur P1 et P2, France et monde."""
    if periodes is None:
        return {}
    ref = references_wos.astype({"ihu": str, "perimetre": str})
    series: dict[str, pd.Series] = {}
    for perimetre in ("France", "Monde"):
        r = ref.loc[ref["perimetre"] == perimetre]
        p1, p2 = (r.loc[r["annee"].between(*p)].groupby("ihu")[
            ["articles", "articles_top10", "articles_top1"]].sum().astype(float)
            for p in periodes)
        series[f"croissance_{perimetre}"] = 100 * (p2["articles"] / p1["articles"] - 1)
        series[f"top10_{perimetre}"] = 100 * p2["articles_top10"] / p2["articles"]
        series[f"top1_{perimetre}"] = 100 * p2["articles_top1"] / p2["articles"]
        series[f"articles_{perimetre}_p1"] = p1["articles"]
        series[f"articles_{perimetre}_p2"] = p2["articles"]
    return {n: s.replace([np.inf, -np.inf], np.nan).dropna() for n, s in series.items()}


def _combinaisons_nominatives(nominatives: dict[str, pd.Series]) -> dict[str, pd.Series]:
    sortie = dict(nominatives)
    for (na, a), (nb, b) in combinations(nominatives.items(), 2):
        a, b = a.align(b, join="inner")
        sortie[f"{na} − {nb}"] = a - b
        sortie[f"{nb} − {na}"] = b - a
        sortie[f"{na} + {nb}"] = a + b
        with np.errstate(divide="ignore", invalid="ignore"):
            sortie[f"{na} / {nb}"] = (a / b).replace([np.inf, -np.inf], np.nan).dropna()
            sortie[f"{nb} / {na}"] = (b / a).replace([np.inf, -np.inf], np.nan).dropna()
    return sortie


# --- appariements ------------------------------------------------------------------------------
def _appariement(candidats: dict[int, set[str]], interdit: tuple[int, str] | None = None
                 ) -> dict[int, str] | None:
    """Appariement complet barres -> noms distincts (chemins augmentants), sans ``interdit``."""
    nom_de: dict[str, int] = {}

    def augmenter(r: int, vus: set[str]) -> bool:
        for k in sorted(candidats[r]):
            if (r, k) == interdit or k in vus:
                continue
            vus.add(k)
            if k not in nom_de or augmenter(nom_de[k], vus):
                nom_de[k] = r
                return True
        return False

    for r in candidats:
        if not augmenter(r, set()):
            return None
    return {r: k for k, r in nom_de.items()}


def rattachements_forces(candidats: dict[int, set[str]]) -> dict[int, str]:
    """Barres qui reçoivent le même nom dans tout appariement complet (vide s'il n'y en a pas)."""
    if not candidats:
        return {}
    un = _appariement(candidats)
    if un is None:
        return {}
    return {r: k for r, k in un.items() if _appariement(candidats, interdit=(r, k)) is None}


def _candidats(valeurs: dict[int, float], tolerances: dict[int, float],
               nominative: pd.Series) -> dict[int, set[str]]:
    noms = np.array(nominative.index.astype(str))
    x = nominative.to_numpy(dtype=float)
    return {r: set(noms[np.abs(x - v) <= tolerances[r] + 1e-9]) for r, v in valeurs.items()}


def _essayer(attaque: str, figures_: tuple[str, ...], quoi: str, valeurs, tolerances,
             nominatives: dict[str, pd.Series]) -> Iterator[Rattachement]:
    for nom, serie in nominatives.items():
        if len(serie) < len(valeurs):
            continue
        forces = rattachements_forces(_candidats(valeurs, tolerances, serie))
        if forces:
            liste = ", ".join(f"rang {r} = {k}" for r, k in sorted(forces.items()))
            yield Rattachement(attaque, figures_, f"{quoi} ≈ {nom} : {liste}")


def _operations(a: Serie, b: Serie, rangs_a, rangs_b):
    """Différences (dans les deux sens), somme, rapports de deux séries (rang par rang), avec
    leur tolérance : ``(formule, valeurs, tolérances)``."""
    va = np.array([a.valeurs[r] for r in rangs_a])
    vb = np.array([b.valeurs[r] for r in rangs_b])
    somme_tol = np.full(len(va), a.tolerance + b.tolerance)
    yield f"{a.nom} − {b.nom}", va - vb, somme_tol
    yield f"{b.nom} − {a.nom}", vb - va, somme_tol
    yield f"{a.nom} + {b.nom}", va + vb, somme_tol
    for (x, vx), (y, vy) in (((a, va), (b, vb)), ((b, vb), (a, va))):
        with np.errstate(divide="ignore", invalid="ignore"):
            rapport = vx / vy
            tol = np.abs(rapport) * (x.tolerance / np.abs(vx) + y.tolerance / np.abs(vy))
        if np.isfinite(rapport).all() and np.isfinite(tol).all():
            yield f"{x.nom} / {y.nom}", rapport, tol


# --- attaques ------------------------------------------------------------------------------
def valeur_seule(series: list[Serie], nominatives) -> list[Rattachement]:
    trouves = []
    for s in series:
        tol = dict.fromkeys(s.valeurs, s.tolerance)
        trouves += _essayer("valeur seule", (s.figure,), s.nom, s.valeurs, tol, nominatives)
    return trouves


def paires_d_une_figure(series: list[Serie], nominatives) -> list[Rattachement]:
    combinees = _combinaisons_nominatives(nominatives)
    trouves = []
    for a, b in combinations(series, 2):
        if a.figure != b.figure:
            continue
        rangs = sorted(set(a.valeurs) & set(b.valeurs))
        if len(rangs) < 2:
            continue
        for formule, valeurs, tol in _operations(a, b, rangs, rangs):
            trouves += _essayer("paire d'une figure", (a.figure,), formule,
                                dict(zip(rangs, valeurs, strict=True)),
                                dict(zip(rangs, tol, strict=True)), combinees)
    return trouves


def _solutions_3d(triples: dict[int, list[tuple[int, str]]]) -> list[dict[int, str]] | None:
    """Appariements barre de A -> (barre de B, nom) distincts ; ``None`` au-delà du plafond."""
    solutions: list[dict[int, str]] = []
    ordre = sorted(triples, key=lambda i: len(triples[i]))

    def suivant(pos: int, pris_b: set[int], pris_k: set[str], courant: dict[int, str]) -> bool:
        if pos == len(ordre):
            solutions.append(dict(courant))
            return len(solutions) < PLAFOND_SOLUTIONS
        i = ordre[pos]
        for j, k in triples[i]:
            if j in pris_b or k in pris_k:
                continue
            courant[i] = k
            if not suivant(pos + 1, pris_b | {j}, pris_k | {k}, courant):
                return False
            del courant[i]
        return True

    return solutions if suivant(0, set(), set(), {}) else None


def paires_de_deux_figures(series: list[Serie], nominatives) -> list[Rattachement]:
    trouves = []
    for a, b in combinations(series, 2):
        if a.figure == b.figure or len(a.valeurs) != len(b.valeurs) or len(a.valeurs) < 2:
            continue
        ra, rb = sorted(a.valeurs), sorted(b.valeurs)
        ia = np.repeat(ra, len(rb))
        ib = np.tile(rb, len(ra))
        for formule, valeurs, tol in _operations(a, b, ia, ib):
            for nom, serie in nominatives.items():
                if len(serie) < len(ra):
                    continue
                x = serie.to_numpy(dtype=float)
                noms = serie.index.astype(str)
                proches = np.abs(valeurs[:, None] - x[None, :]) <= tol[:, None] + 1e-9
                triples: dict[int, list[tuple[int, str]]] = {r: [] for r in ra}
                for n, k in zip(*np.nonzero(proches), strict=True):
                    triples[int(ia[n])].append((int(ib[n]), noms[k]))
                if any(not t for t in triples.values()):
                    continue
                solutions = _solutions_3d(triples)
                if not solutions:
                    continue
                forces = {r: k for r, k in solutions[0].items()
                          if all(s[r] == k for s in solutions)}
                if forces:
                    liste = ", ".join(f"rang {r} de {a.figure} = {k}"
                                      for r, k in sorted(forces.items()))
                    trouves.append(Rattachement("paire de deux figures", (a.figure, b.figure),
                                                f"{formule} ≈ {nom} : {liste}"))
    return trouves


def par_attributs(dossier: Path, nb_ihu_nommes: int) -> list[Rattachement]:
    """Une figure par IHU à une seule barre (quand plusieurs IHU sont nommés), ou dont une barre
    remplit des cellules que les autres laissent vides (ou l'inverse) : elle désigne l'IHU dont
    les attributs (année de sélection, appel) expliquent la différence."""
    trouves = []
    for chemin in sorted((dossier / "donnees").glob("*.csv")):
        brut = pd.read_csv(chemin, dtype=str, keep_default_na=False)
        if "rang" not in brut.columns:
            continue
        brut = brut.loc[brut["rang"].str.strip() != ""]
        rangs = sorted(set(brut["rang"]))
        if len(rangs) == 1 and nb_ihu_nommes > 1:
            trouves.append(Rattachement("attributs", (chemin.stem,), "une seule barre"))
            continue
        profils = {r: tuple(sorted(
            tuple(sorted((c, v != "") for c, v in ligne.items() if c != "rang"))
            for ligne in brut.loc[brut["rang"] == r].to_dict("records")))
            for r in rangs}
        comptes = pd.Series(list(profils.values())).value_counts()
        uniques = [r for r, p in profils.items() if comptes[p] == 1]
        if len(comptes) > 1 and uniques:
            trouves.append(Rattachement("attributs", (chemin.stem,),
                                        f"rang(s) {', '.join(uniques)} seul(s) de leur profil "
                                        "(cellules remplies) : un IHU entré à part"))
    return trouves


def attaquer(dossier: Path, references_wos: pd.DataFrame, nb_ihu_nommes: int
             ) -> list[Rattachement]:
    """Toutes les attaques sur un rapport public ; vide si aucun IHU n'est rattaché."""
    series = series_publiees(dossier)
    nominatives = series_nominatives(references_wos, periodes_publiees(dossier))
    return [*valeur_seule(series, nominatives), *paires_d_une_figure(series, nominatives),
            *paires_de_deux_figures(series, nominatives),
            *par_attributs(dossier, nb_ihu_nommes)]
