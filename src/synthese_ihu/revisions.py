"""Révisions d'une édition à la suivante : ce que l'édition N change aux chiffres de N−1.

L'édition N−1 est recalculée avec les données telles qu'elles étaient alors (campagnes
``<= N−1``, extractions de l'agence, de la bibliométrie et du contexte figées pour N−1 dans
``data/raw/millesimes/N−1/`` quand elles existent) ; la même quantité est recalculée avec les
données de l'édition N (campagnes ``<= N``, extractions courantes), pour l'année cible N−1.
Les deux calculs passent par le même code (celui de l'édition N) : un changement de code entre
deux constructions n'est pas une révision. Chaque changement des données (valeur réactualisée
ou ajoutée par une campagne N pour une année passée, extraction révisée) est une cause ; un
chiffre révisé est attribué aux causes qui, seules, le modifient.

Des faits et des tableaux, jamais des phrases : les phrases sont dans les carnets
(``10_annexe_methode.ipynb`` pour l'annexe publique, ``notebooks/revue/`` pour la note des
analystes, qui seule nomme les IHU, les classeurs et les lignes).

Un peu plus de 400 lignes, à dessein : relever les changements, les appliquer aux données
publiées et attribuer chaque chiffre révisé à ses causes forment un seul calcul, dont les étapes
partagent les mêmes structures (:class:`Changement`, :class:`Comparaison`) ; les extractions
figées sont dans :mod:`synthese_ihu.millesimes`, les faits cités dans :mod:`.revisions_faits`.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from synthese_ihu.donnees import Donnees
from synthese_ihu.libelles import libelle_donnee
from synthese_ihu.millesimes import (  # noqa: F401 -- API des révisions
    DOSSIER_MILLESIMES,
    LIBELLES_SOURCES,
    SOURCES_MILLESIMEES,
    _extraction,
    figer,
    millesimes,
)

#: attribut de Donnees -> (feuille du classeur, colonne clé, colonne valeur, libellé du bloc)
BLOCS: dict[str, tuple[str, str, str, str]] = {
    "depenses": ("Depenses", "nature", "montant_eur", "dépenses"),
    "indicateurs": ("Indicateurs", "indicateur", "valeur", "indicateurs"),
    "soins_specifiques": ("Soins_specifiques", "indicateur", "valeur", "indicateurs de soin"),
    "cofinancements": ("Cofinancements", "origine", "montant_eur", "cofinancements"),
}


@dataclass(frozen=True)
class Changement:
    """Un changement des données entre l'édition N−1 et l'édition N.

    ``nature`` : ``reactualisation`` (valeur d'une année passée modifiée par la campagne N),
    ``ajout`` (valeur d'une année passée déclarée pour la première fois), ``entree`` (premier
    envoi d'un IHU pour ce bloc : il entre dans le décompte) ou ``source`` (extraction révisée).
    """

    nature: str
    bloc: str
    cle: str = ""
    annee: int | None = None
    ihu: str = ""
    ancienne: float | None = None
    nouvelle: float | None = None
    campagne_origine: int | None = None
    campagne: int | None = None
    fichier: str = ""
    feuille: str = ""
    ligne: int | None = None

    @property
    def donnee(self) -> str:
        """Libellé du lecteur, sans IHU ni classeur (« dépenses — fonctionnement 2021 »)."""
        if self.nature == "source":
            return LIBELLES_SOURCES.get(self.bloc.split("/")[0], self.bloc)
        return f"{BLOCS[self.bloc][3]} — {libelle_donnee(self.cle)} {self.annee}"


# --- données telles que chaque édition les voyait ------------------------------------------------
def telles_que_publiees(complet: Donnees, edition: int, racine: Path) -> Donnees:
    """Toutes les données telles que l'édition ``edition`` les voyait (campagnes, extractions)."""
    figees = millesimes(racine).get(edition, set())
    remplacements = {
        attribut: _extraction(racine, edition, attribut, complet)
        for attribut, relatif in SOURCES_MILLESIMEES.items()
        if relatif in figees
    }
    for attribut in BLOCS:
        t = getattr(complet, attribut)
        remplacements[attribut] = t.loc[t["campagne"] <= edition].reset_index(drop=True)
    c = complet.campagnes
    remplacements["campagnes"] = c.loc[c["campagne"] <= edition].reset_index(drop=True)
    return dataclasses.replace(complet, **remplacements)


def appliquer(
    publie: Donnees, changements: list[Changement], complet: Donnees, edition: int
) -> Donnees:
    """Les données de l'édition ``edition - 1`` auxquelles on applique ``changements``.

    Une valeur réactualisée ou ajoutée par la campagne ``edition`` est reportée comme une ligne
    de la campagne ``edition - 1`` (placée après les autres : elle l'emporte dans
    :meth:`Donnees.pour_annee`) ; une extraction révisée remplace celle de ``edition - 1``.
    """
    precedente = edition - 1
    remplacements: dict[str, pd.DataFrame] = {}
    for attribut, (_, cle, _, _) in BLOCS.items():
        cles = {
            (c.ihu, c.annee, c.cle)
            for c in changements
            if c.bloc == attribut and c.nature != "source"
        }
        if not cles:
            continue
        t = getattr(complet, attribut)
        tardives = t.loc[(t["campagne"] == edition) & (t["annee"] <= precedente)]
        garder = [
            (i, a, str(k)) in cles
            for i, a, k in zip(tardives["ihu"], tardives["annee"], tardives[cle], strict=True)
        ]
        tardives = tardives.loc[garder].assign(campagne=precedente)
        tardives["campagne"] = tardives["campagne"].astype(t["campagne"].dtype)
        remplacements[attribut] = pd.concat(
            [getattr(publie, attribut), tardives], ignore_index=True
        )
    for c in changements:
        if c.nature == "source":
            remplacements[c.cle] = getattr(complet, c.cle)
    return dataclasses.replace(publie, **remplacements)


# --- changements ----------------------------------------------------------------------------------
def changements(complet: Donnees, edition: int, racine: Path) -> list[Changement]:
    """Ce que l'édition ``edition`` change aux données de ``edition - 1`` (années passées).

    Une ligne de la campagne ``edition`` pour une année ``< edition`` qui reprend la valeur à
    l'identique ne change rien. Les extractions sans millésime pour ``edition - 1`` ne sont pas
    comparées (source non révisée : un seul millésime).
    """
    precedente = edition - 1
    sortie: list[Changement] = []
    for attribut, (feuille, cle, champ, _) in BLOCS.items():
        t = getattr(complet, attribut)
        nouvelles = t.loc[(t["campagne"] == edition) & (t["annee"] <= precedente)]
        anciennes = t.loc[t["campagne"] <= precedente].sort_values("campagne", kind="stable")
        anciennes = anciennes.drop_duplicates(["ihu", "annee", cle], keep="last")
        avant = {
            (i, int(a), str(k)): (float(v), int(c))
            for i, a, k, v, c in zip(
                anciennes["ihu"],
                anciennes["annee"],
                anciennes[cle],
                anciennes[champ],
                anciennes["campagne"],
                strict=True,
            )
            if pd.notna(v)
        }
        declarants = set(anciennes["ihu"])
        for i, a, k, v in zip(
            nouvelles["ihu"], nouvelles["annee"], nouvelles[cle], nouvelles[champ], strict=True
        ):
            if pd.isna(v):
                continue
            ancien = avant.get((i, int(a), str(k)))
            if ancien is not None and ancien[0] == float(v):
                continue
            nature = (
                "reactualisation"
                if ancien is not None
                else "ajout"
                if i in declarants
                else "entree"
            )
            sortie.append(
                Changement(
                    nature,
                    attribut,
                    str(k),
                    int(a),
                    str(i),
                    None if ancien is None else ancien[0],
                    float(v),
                    None if ancien is None else ancien[1],
                    edition,
                    feuille=feuille,
                )
            )
    figees = millesimes(racine).get(precedente, set())
    for attribut, relatif in SOURCES_MILLESIMEES.items():
        if relatif not in figees:
            continue
        avant = _extraction(racine, precedente, attribut, complet)
        apres = getattr(complet, attribut)
        if not _memes(avant, apres):
            sortie.append(Changement("source", relatif, cle=attribut, fichier=relatif))
    return _situer(sortie, complet, racine)


def _memes(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    colonnes = list(a.columns)
    a = a.sort_values(colonnes).reset_index(drop=True).astype("string")
    b = b[colonnes].sort_values(colonnes).reset_index(drop=True).astype("string")
    return a.equals(b)


def _situer(liste: list[Changement], complet: Donnees, racine: Path) -> list[Changement]:
    """Classeur et ligne du tableur de chaque valeur de campagne changée (relecture)."""
    from synthese_ihu.donnees.chargement import lire_classeurs

    cibles = {(c.ihu, c.campagne) for c in liste if c.nature != "source"}
    if not cibles:
        return liste
    recus = complet.campagnes
    fichiers = [
        (Path(racine) / f, int(a))
        for i, a, f in zip(recus["ihu"], recus["campagne"], recus["fichier"], strict=True)
        if (i, int(a)) in cibles
    ]
    lecture = lire_classeurs(Path(racine), fichiers, frozenset(complet.ihu["ihu"]))
    lignes: dict[tuple, tuple[str, int]] = {}
    for attribut, (_, cle, _, _) in BLOCS.items():
        t = lecture.tableaux[attribut]
        for i, a, k, f, n in zip(
            t["ihu"], t["annee"], t[cle], t["_fichier"], t["_ligne"], strict=True
        ):
            lignes[(attribut, i, int(a), str(k))] = (str(f), int(n))
    return [
        dataclasses.replace(
            c,
            fichier=lignes[(c.bloc, c.ihu, c.annee, c.cle)][0],
            ligne=lignes[(c.bloc, c.ihu, c.annee, c.cle)][1],
        )
        if (c.bloc, c.ihu, c.annee, c.cle) in lignes
        else c
        for c in liste
    ]


# --- comparaison des chiffres clés ---------------------------------------------------------------
@dataclass(frozen=True)
class Comparaison:
    """L'édition ``edition`` face à l'édition précédente (faits ; voir le module)."""

    edition: int
    precedente: int | None
    changements: list[Changement]
    #: une ligne par chiffre clé de N−1 : id, libelle, periode, publie, revise, ecart, revise (bool)
    chiffres: pd.DataFrame
    #: id du chiffre révisé -> indices des changements qui, seuls, le modifient
    causes: dict[str, list[int]]
    #: faits des constats : id -> (N−1 publié, N−1 révisé, N)
    faits: dict[str, tuple[object, object, object]]
    #: sources millésimées -> True si elles ont un millésime pour N−1 (comparées)
    sources: dict[str, bool]
    #: chiffres clés de l'édition N, tels qu'imprimés (avec ``faits=True`` seulement)
    chiffres_courants: dict[str, str] = dataclasses.field(default_factory=dict)
    #: figure -> (titre, cellules changées, lignes avant, lignes après) des séries de N−1 dont
    #: les données publiées (arrondies comme la figure) changent (avec ``faits=True``)
    series: dict[str, tuple[str, int, int, int]] = dataclasses.field(default_factory=dict)

    @property
    def revises(self) -> pd.DataFrame:
        return self.chiffres.loc[self.chiffres["revise"]].reset_index(drop=True)


#: faits de provenance (métadonnées du jeu, pas des constats) : ni comparés ni recalculés
_HORS_COMPARAISON = {
    "donnees_reconstruites",
    "nb_valeurs_publiees",
    "nb_valeurs_reconstruites",
    "valeurs_reconstruites",
}
_CHAMPS = frozenset(f.name for f in dataclasses.fields(Donnees))
_LUS: list[set[str]] = []


class _Espion(Donnees):
    """Des données qui notent les tableaux lus : une valeur qui n'a lu aucun tableau changé
    n'a pas à être recalculée sur les données révisées (même code, mêmes entrées)."""

    def __getattribute__(self, nom: str):
        if _LUS and nom in _CHAMPS:
            _LUS[-1].add(nom)
        return object.__getattribute__(self, nom)


def _espion(donnees: Donnees) -> _Espion:
    return _Espion(**{f.name: getattr(donnees, f.name) for f in dataclasses.fields(Donnees)})


def noms_compares(faits: bool = False) -> list[str]:
    """Chiffres clés (``faits=False``, ceux de ``chiffres_cles.csv``) ou faits des constats."""
    from synthese_ihu.revisions_faits import NOMS
    from synthese_ihu.valeurs import _CALCULS, FAITS

    return [
        n
        for n in sorted(_CALCULS)
        if (n in FAITS) == faits and n not in NOMS and n not in _HORS_COMPARAISON
    ]


def _valeurs(
    donnees: Donnees, annee: int, ids: list[str], lus: dict[str, set[str]] | None = None
) -> dict[str, object]:
    """Les valeurs ``ids`` pour l'année cible ``annee`` ; ``lus`` reçoit les tableaux lus."""
    from synthese_ihu.valeurs import Valeurs

    if lus is None:
        v = Valeurs(donnees.pour_annee(annee), annee, donnees)
        return {i: getattr(v, i) for i in ids}
    espion = _espion(donnees)
    v = Valeurs(espion.pour_annee(annee), annee, espion)
    sortie = {}
    for i in ids:
        _LUS.append(set())
        try:
            sortie[i] = getattr(v, i)
        finally:
            lus[i] = _LUS.pop()
    return sortie


def _recalculer(
    avant: dict[str, object],
    lus: dict[str, set[str]],
    donnees: Donnees,
    annee: int,
    touches: set[str],
) -> dict[str, object]:
    """``avant`` où seules les valeurs qui lisent un tableau de ``touches`` sont recalculées."""
    ids = [n for n in avant if lus[n] & touches]
    return {**avant, **_valeurs(donnees, annee, ids)} if ids else dict(avant)


def _series(
    publie: Donnees, revise: Donnees, annee: int, touches: set[str]
) -> dict[str, tuple[str, int, int, int]]:
    """Figures dont les données de l'année ``annee`` (arrondies comme publiées) changent."""
    from synthese_ihu.figures import FIGURES, donnees_figure
    from synthese_ihu.figures.commun import contexte

    espion = _espion(publie)
    ctx = contexte(annee, publie)
    sortie = {}
    for ident, spec in FIGURES.items():
        _LUS.append(set())
        try:
            avant = donnees_figure(ident, espion, annee)
        finally:
            lus = _LUS.pop()
        if not lus & touches:
            continue
        apres = donnees_figure(ident, revise, annee)
        if avant.equals(apres):
            continue
        if avant.shape == apres.shape and list(avant.columns) == list(apres.columns):
            differentes = int((avant.astype(str) != apres.astype(str)).to_numpy().sum())
        else:
            differentes = max(avant.size, apres.size)
        sortie[ident] = (spec.titre_pour(ctx), differentes, len(avant), len(apres))
    return sortie


def _touches(liste: list[Changement]) -> set[str]:
    return {c.cle if c.nature == "source" else c.bloc for c in liste}


def _textes(valeurs: dict[str, object]) -> dict[str, dict]:
    from synthese_ihu.publication import chiffres_cles

    return {ligne["id"]: ligne for ligne in chiffres_cles(valeurs)}


def comparer(
    complet: Donnees, edition: int, racine: Path | None = None, faits: bool = False
) -> Comparaison:
    """Compare l'édition ``edition`` à la précédente, recalculée avec les données d'alors.

    ``faits=True`` compare aussi les faits des constats (N−1 publié, N−1 révisé, N) pour la
    note de revue ; l'annexe publique n'en a pas besoin.
    """
    from synthese_ihu.donnees.chargement import racine_par_defaut

    racine = Path(racine or racine_par_defaut())
    precedente = edition - 1
    sources = {
        relatif: relatif in millesimes(racine).get(precedente, set())
        for relatif in SOURCES_MILLESIMEES.values()
    }
    colonnes = ["id", "libelle", "periode", "publie", "revise_texte", "revise"]
    if precedente not in complet.annees_couvertes():
        return Comparaison(edition, None, [], pd.DataFrame(columns=colonnes), {}, {}, sources)
    liste = changements(complet, edition, racine)
    if not liste and not faits:
        # rien n'a changé : aucun chiffre n'est révisé, inutile de recalculer l'édition N−1
        return Comparaison(edition, precedente, [], pd.DataFrame(columns=colonnes), {}, {}, sources)
    publie = telles_que_publiees(complet, precedente, racine)
    revise = appliquer(publie, liste, complet, edition)
    lus: dict[str, set[str]] = {}
    avant = _valeurs(publie, precedente, noms_compares() + noms_compares(True) * faits, lus)
    apres = _recalculer(avant, lus, revise, precedente, _touches(liste))
    cles = noms_compares()
    textes_avant = _textes({n: avant[n] for n in cles})
    textes_apres = _textes({n: apres[n] for n in cles})
    lignes = []
    for nom, ligne in textes_avant.items():
        nouveau = textes_apres.get(nom)
        lignes.append(
            {
                "id": nom,
                "libelle": ligne["libelle"],
                "periode": ligne["periode"],
                "publie": ligne["texte"],
                "revise_texte": "" if nouveau is None else nouveau["texte"],
                "revise": nouveau is None or nouveau["texte"] != ligne["texte"],
            }
        )
    chiffres = pd.DataFrame(lignes, columns=colonnes)
    causes: dict[str, list[int]] = {}
    ids = list(chiffres.loc[chiffres["revise"], "id"])
    for rang, changement in enumerate(liste if ids else []):
        seul = appliquer(publie, [changement], complet, edition)
        recalcul = _textes(
            _recalculer({i: avant[i] for i in ids}, lus, seul, precedente, _touches([changement]))
        )
        for nom in ids:
            if nom not in recalcul or recalcul[nom]["texte"] != textes_avant[nom]["texte"]:
                causes.setdefault(nom, []).append(rang)
    constats: dict[str, tuple[object, object, object]] = {}
    courants: dict[str, str] = {}
    series: dict[str, tuple[str, int, int, int]] = {}
    if faits:
        noms = noms_compares(True)
        courant = _valeurs(complet, edition, noms + cles)
        constats = {n: (avant[n], apres[n], courant[n]) for n in noms}
        series = _series(publie, revise, precedente, _touches(liste))
        courants = {
            n: ligne["texte"] for n, ligne in _textes({n: courant[n] for n in cles}).items()
        }
    return Comparaison(
        edition, precedente, liste, chiffres, causes, constats, sources, courants, series
    )


@functools.lru_cache(maxsize=4)
def _comparer_en_cache(racine: str, empreinte: tuple, edition: int) -> Comparaison:
    from synthese_ihu.section import donnees_chargees

    return comparer(donnees_chargees(Path(racine)), edition, Path(racine), faits=True)


def comparaison(edition: int, racine: Path | None = None) -> Comparaison:
    """:func:`comparer` avec les faits, sur les données chargées (une fois par noyau)."""
    from synthese_ihu.donnees.chargement import racine_par_defaut
    from synthese_ihu.section import _empreinte

    racine = Path(racine or racine_par_defaut()).resolve()
    return _comparer_en_cache(str(racine), _empreinte(racine), edition)
