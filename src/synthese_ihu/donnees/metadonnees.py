"""Métadonnées de ``data/raw`` : appels à projets, nature du jeu, références de contexte.

Trois petits fichiers, lus sans pandas et validés (une clé inconnue, un type inattendu est un
problème situé : fichier, ligne ou clé) :

- ``referentiel/appels.csv`` : un appel à projets par ligne (programme, année de sélection,
  année et instance d'évaluation) — l'évaluation des IHU du PIA1 par un jury international ;
- ``referentiel/metadonnees.toml`` : ``donnees_reconstruites`` (jeu reconstruit ou données
  réelles), édition et source des chiffres publiés, identifiants des valeurs citées qui sont des
  chiffres publiés par l'agence ; l'avertissement de l'annexe et du colophon en dépend ;
- ``contexte/references.toml`` : références citées en note (base ClinicalTrials.gov et
  requête, observatoire des start-up) et date de la source de chaque fichier de contexte
  (``date_extraction`` ou ``date_publication`` : une source sans date est refusée).

Chaque source datée (:data:`SOURCES_DATEES`) déclare sa couverture dans l'un des deux TOML
(``[couverture.<source>]`` : libellé, première et dernière année de données) : l'agence et la
bibliométrie dans ``metadonnees.toml``, chaque extraction de contexte dans ``references.toml``.
Le chargement refuse une source sans déclaration et une déclaration que les données démentent
(``donnees.chargement``) ; périodes, ratios et phrases partent de cette couverture
(:mod:`synthese_ihu.cadre`).

Un fichier absent donne des métadonnées vides (données réelles sans avertissement).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from synthese_ihu.donnees.erreurs import ErreurDonnees, Probleme

APPELS = "referentiel/appels.csv"
METADONNEES = "referentiel/metadonnees.toml"
REFERENCES = "contexte/references.toml"

#: source datée (attribut de ``Donnees``) -> fichier de métadonnées où déclarer sa couverture
SOURCES_DATEES = {
    "dotations": METADONNEES,
    "versements": METADONNEES,
    "articles": METADONNEES,
    "references_wos": METADONNEES,
    "brevets_inpi": REFERENCES,
    "essais_france": REFERENCES,
    "creations_entreprises": REFERENCES,
}
#: clés d'une déclaration ``[couverture.<source>]`` (``evenements``, ``fiabilisation``
#: facultatives)
_CLES_COUVERTURE = {"libelle": (str,), "premiere_annee": (int,), "derniere_annee": (int,),
                    "evenements": (bool,), "fiabilisation": (int,)}
_FACULTATIVES = {"evenements", "fiabilisation"}

_COLONNES_APPELS = ("appel", "programme", "annee_selection", "annee_evaluation",
                    "instance_evaluation")
#: clé -> types acceptés (``donnees_reconstruites`` est obligatoire)
_CLES_METADONNEES = {
    "donnees_reconstruites": (bool,),
    "edition_publiee": (int,),
    "source_publiee": (str,),
    "valeurs_publiees": (list,),
    "couverture": (dict,),
}
_CLES_REFERENCES = {
    "essais_cliniques": {
        "annee": (int,), "source": (str,), "url": (str,), "date_extraction": (dt.date,),
        "etudes_repertoriees": (int,), "pays": (int,), "requete_pays": (str,),
        "requete_statuts": (list,), "requete_debut_avant": (dt.date,),
    },
    "startups": {
        "annee": (int,), "observatoire": (str,), "annonce": (str,), "date_annonce": (str,),
        "labels": (list,),
    },
    "brevets_inpi": {"annee": (int,), "date_publication": (str,)},
    "creations_entreprises_sante": {"annee": (int,), "date_publication": (str,)},
}
#: Fichier de contexte -> section de ``references.toml`` qui date sa source (nom du fichier sans
#: extension, sauf exception) : ``date_extraction`` (AAAA-MM-JJ) ou ``date_publication``
#: (AAAA-MM).
SECTION_DE_FICHIER = {"essais_cliniques_france": "essais_cliniques"}
_AAAA_MM = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Couverture:
    """Couverture déclarée d'une source datée : années de ses données.

    Attributes
    ----------
    source : str
        Attribut de ``Donnees`` (``versements``, ``articles``…).
    libelle : str
        Nom de la source pour le lecteur (« versements de l'agence »).
    premiere, derniere : int
        Première et dernière années de données (la dernière est celle de l'extraction la plus
        récente : un export non renouvelé garde la sienne).
    evenements : bool
        Fichier d'événements datés (engagements) : aucune donnée n'est attendue chaque année,
        la dernière année est celle où le fichier est à jour.
    fiabilisation : int or None
        Année depuis laquelle un travail de fiabilisation de la source est conduit (citée par
        le récit à partir de cette année seulement).
    """

    source: str
    libelle: str
    premiere: int
    derniere: int
    evenements: bool = False
    fiabilisation: int | None = None

    def fin(self, annee: int) -> int:
        """Dernière année de données vue par l'édition ``annee``."""
        return min(int(annee), self.derniere)


@dataclass(frozen=True)
class Metadonnees:
    """Ce que disent les métadonnées (vides si les fichiers sont absents).

    Attributes
    ----------
    appels : mapping
        Appel (``IHU1``…) -> ``{programme, annee_selection, annee_evaluation,
        instance_evaluation}`` (``None`` si non renseigné).
    donnees_reconstruites : bool
        Jeu de référence reconstruit (avertissement dans l'annexe et le colophon).
    edition_publiee : int or None
        Édition dont l'agence a publié les chiffres listés dans ``valeurs_publiees``.
    source_publiee : str
        Publication de l'agence d'où viennent ces chiffres.
    valeurs_publiees : frozenset of str
        Identifiants des valeurs citées (catalogue ``synthese_ihu.valeurs``) publiées par
        l'agence.
    references : mapping
        Section de ``contexte/references.toml`` -> ses clés.
    couvertures : mapping
        Source datée -> :class:`Couverture` déclarée.
    """

    appels: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    donnees_reconstruites: bool = False
    edition_publiee: int | None = None
    source_publiee: str = ""
    valeurs_publiees: frozenset[str] = frozenset()
    references: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    couvertures: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


def _entier(texte: str) -> int | None:
    texte = texte.strip()
    return int(texte) if texte else None


def _lire_appels(racine: Path, problemes: list[Probleme]) -> dict[str, dict[str, Any]]:
    chemin = racine / APPELS
    if not chemin.is_file():
        return {}
    appels: dict[str, dict[str, Any]] = {}
    with chemin.open(encoding="utf-8", newline="") as f:
        lecteur = csv.DictReader(f)
        if tuple(lecteur.fieldnames or ()) != _COLONNES_APPELS:
            problemes.append(Probleme(APPELS, f"colonnes attendues : {', '.join(_COLONNES_APPELS)}"
                                      f" ; trouvées : {', '.join(lecteur.fieldnames or ())}"))
            return {}
        for numero, ligne in enumerate(lecteur, start=2):
            appel = (ligne["appel"] or "").strip()
            if not appel or appel in appels:
                problemes.append(Probleme(APPELS, "appel vide ou en double", ligne=numero,
                                          champ="appel"))
                continue
            entree: dict[str, Any] = {"programme": ligne["programme"].strip(),
                                      "instance_evaluation": ligne["instance_evaluation"].strip()
                                      or None}
            for champ in ("annee_selection", "annee_evaluation"):
                try:
                    entree[champ] = _entier(ligne[champ] or "")
                except ValueError:
                    problemes.append(Probleme(APPELS, f"année entière attendue, trouvé "
                                              f"« {ligne[champ]} »", ligne=numero, champ=champ))
            appels[appel] = entree
    return appels


def _toml(racine: Path, relatif: str, problemes: list[Probleme]) -> dict[str, Any] | None:
    chemin = racine / relatif
    if not chemin.is_file():
        return None
    try:
        return tomllib.loads(chemin.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        problemes.append(Probleme(relatif, f"TOML invalide ({exc})"))
        return None


def _verifier(relatif: str, table: dict, attendues: dict, ou: str,
              problemes: list[Probleme]) -> None:
    for cle, valeur in table.items():
        if cle not in attendues:
            problemes.append(Probleme(relatif, f"clé inconnue dans {ou} (clés connues : "
                                      f"{', '.join(sorted(attendues))})", champ=cle))
            continue
        types = attendues[cle]
        if not isinstance(valeur, types) or (isinstance(valeur, bool) and bool not in types):
            problemes.append(Probleme(relatif, f"type inattendu dans {ou} : {valeur!r}",
                                      champ=cle))


def _couvertures(relatif: str, tables: Any, problemes: list[Probleme]
                 ) -> dict[str, Couverture]:
    """Déclarations ``[couverture.<source>]`` d'un des deux TOML, validées."""
    if not isinstance(tables, dict):
        problemes.append(Probleme(relatif, "tables [couverture.<source>] attendues",
                                  champ="couverture"))
        return {}
    resultat = {}
    for source, table in tables.items():
        ou = f"[couverture.{source}]"
        if SOURCES_DATEES.get(source) != relatif or not isinstance(table, dict):
            attendues = sorted(s for s, f in SOURCES_DATEES.items() if f == relatif)
            problemes.append(Probleme(relatif, f"source inconnue {ou} (sources déclarées ici : "
                                      f"{', '.join(attendues)})"))
            continue
        avant = len(problemes)
        _verifier(relatif, table, _CLES_COUVERTURE, ou, problemes)
        manquantes = sorted(set(_CLES_COUVERTURE) - _FACULTATIVES - set(table))
        for cle in manquantes:
            problemes.append(Probleme(relatif, f"clé obligatoire absente de {ou}", champ=cle))
        if len(problemes) > avant:
            continue
        if table["premiere_annee"] > table["derniere_annee"]:
            problemes.append(Probleme(relatif, f"{ou} : première année après la dernière",
                                      champ="premiere_annee"))
            continue
        resultat[source] = Couverture(source, table["libelle"], table["premiere_annee"],
                                      table["derniere_annee"], table.get("evenements", False),
                                      table.get("fiabilisation"))
    return resultat


def _dates_des_sources(racine: Path, refs: dict, problemes: list[Probleme]) -> None:
    """Chaque fichier de contexte a sa section datée dans ``references.toml`` (une source
    nouvelle sans date est refusée, avec ce qu'il faut déclarer)."""
    dossier = racine / "contexte"
    for fichier in sorted(dossier.glob("*.csv")) if dossier.is_dir() else []:
        section = SECTION_DE_FICHIER.get(fichier.stem, fichier.stem)
        table = refs.get(section)
        if not isinstance(table, dict) or not ({"date_extraction", "date_publication"} & set(
                table)):
            problemes.append(Probleme(
                f"contexte/{fichier.name}", f"source sans date : déclarer dans {REFERENCES} une "
                f"section [{section}] avec annee et date_publication = \"AAAA-MM\" (publication "
                "de la source) ou date_extraction = AAAA-MM-JJ (extraction d'une base) ; chaque "
                "ligne du fichier porte son statut (publie ou estime)"))


def date_source(metadonnees: Metadonnees, fichier: str) -> tuple[str, Any] | None:
    """``("extraction", date)`` ou ``("publication", "AAAA-MM")`` de la source d'un fichier de
    contexte (``brevets_inpi``…), ``None`` si elle n'est pas déclarée."""
    table = metadonnees.references.get(SECTION_DE_FICHIER.get(fichier, fichier))
    if table is None:
        return None
    if "date_extraction" in table:
        return "extraction", table["date_extraction"]
    if "date_publication" in table:
        return "publication", table["date_publication"]
    return None


def lire_metadonnees(racine: str | Path) -> Metadonnees:
    """Lit et valide les métadonnées de ``racine`` (``data/raw``).

    Raises
    ------
    ErreurDonnees
        Clé inconnue, type inattendu, colonne manquante (fichier, ligne, champ nommés).
    """
    racine = Path(racine)
    problemes: list[Probleme] = []
    appels = _lire_appels(racine, problemes)
    meta = _toml(racine, METADONNEES, problemes) or {}
    _verifier(METADONNEES, meta, _CLES_METADONNEES, "la racine", problemes)
    if meta and "donnees_reconstruites" not in meta:
        problemes.append(Probleme(METADONNEES, "clé obligatoire absente",
                                  champ="donnees_reconstruites"))
    if meta.get("donnees_reconstruites") is True and "edition_publiee" not in meta:
        # un jeu reconstruit est calibré sur une édition publiée : elle seule a des chiffres
        # publiés (colophon, provenance de chiffres_cles.csv)
        problemes.append(Probleme(METADONNEES, "clé obligatoire quand donnees_reconstruites "
                                  "= true", champ="edition_publiee"))
    publiees = meta.get("valeurs_publiees", [])
    if not all(isinstance(v, str) for v in publiees):
        problemes.append(Probleme(METADONNEES, "liste d'identifiants attendue",
                                  champ="valeurs_publiees"))
    couvertures = _couvertures(METADONNEES, meta.pop("couverture", {}), problemes)
    refs_brutes = _toml(racine, REFERENCES, problemes)
    refs = refs_brutes or {}
    couvertures |= _couvertures(REFERENCES, refs.pop("couverture", {}), problemes)
    for section, table in refs.items():
        if section not in _CLES_REFERENCES or not isinstance(table, dict):
            problemes.append(Probleme(REFERENCES, f"section inconnue [{section}] (connues : "
                                      f"{', '.join(sorted([*_CLES_REFERENCES, 'couverture']))})"))
            continue
        _verifier(REFERENCES, table, _CLES_REFERENCES[section], f"[{section}]", problemes)
        date = table.get("date_publication")
        if isinstance(date, str) and not _AAAA_MM.match(date):
            problemes.append(Probleme(REFERENCES, f"date AAAA-MM attendue dans [{section}], "
                                      f"trouvé « {date} »", champ="date_publication"))
    if refs_brutes is not None:
        _dates_des_sources(racine, refs, problemes)
    if problemes:
        raise ErreurDonnees(problemes, racine)
    return Metadonnees(
        appels=MappingProxyType(appels),
        donnees_reconstruites=bool(meta.get("donnees_reconstruites", False)),
        edition_publiee=meta.get("edition_publiee"),
        source_publiee=meta.get("source_publiee", ""),
        valeurs_publiees=frozenset(publiees if isinstance(publiees, list) else ()),
        references=MappingProxyType({k: MappingProxyType(v) for k, v in refs.items()}),
        couvertures=MappingProxyType(couvertures),
    )


def verifier_couvertures(meta: Metadonnees, annees: dict[str, tuple[str, list[int]]]
                         ) -> list[Probleme]:
    """Chaque source datée qui a des données déclare sa couverture, et ses données la confirment.

    Parameters
    ----------
    meta : Metadonnees
    annees : dict
        Source datée -> (fichier relatif, années de ses lignes).

    Returns
    -------
    list of Probleme
        Source sans déclaration (dit quoi déclarer et où) ; données avant la première année ou
        après la dernière ; dernière année déclarée sans donnée (sauf fichier d'événements).
    """
    problemes = []
    for source, (fichier, valeurs) in annees.items():
        if not valeurs or source not in SOURCES_DATEES:
            continue
        ou = SOURCES_DATEES[source]
        c = meta.couvertures.get(source)
        if c is None:
            problemes.append(Probleme(fichier, f"couverture non déclarée : ajouter dans {ou} "
                                      f"une table [couverture.{source}] (libelle, "
                                      f"premiere_annee, derniere_annee) ; voir docs/cadre.md"))
            continue
        debut, fin = min(valeurs), max(valeurs)
        if debut < c.premiere or fin > c.derniere or (fin < c.derniere and not c.evenements):
            problemes.append(Probleme(ou, f"[couverture.{source}] déclare {c.premiere}-"
                                      f"{c.derniere}, mais {fichier} couvre {debut}-{fin} : "
                                      f"déclarer la couverture des données",
                                      champ="derniere_annee" if fin != c.derniere
                                      else "premiere_annee"))
    return problemes
