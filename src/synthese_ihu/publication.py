"""Données ouvertes et provenance d'une édition : CSV décrits par Table Schema, colophon.

Le dossier ``donnees/`` publié à côté du HTML et du PDF (variante publique seulement) contient :

- ``chiffres_cles.csv`` : une ligne par valeur chiffrée citée par le rapport (les
  :class:`~synthese_ihu.formatage.Valeur` de ``Valeurs.toutes()``) : ``id``, ``libelle``,
  ``valeur`` **dans l'unité affichée** et arrondie à la précision imprimée (``473.3`` pour
  473,3 M€, ``9.4`` pour 9,4 %, ``-15`` pour une évolution de -15 %), ``unite`` (``M€``, ``%``
  ou ``nombre``), ``periode``, ``texte`` (forme imprimée, à la française) ;
- ``<id>.csv`` par figure : exactement le tableau tracé
  (:func:`synthese_ihu.figures.donnees_figure`), anonymisé comme la figure (colonne ``rang``,
  jamais de nom) ; pas de fichier pour une figure sans données l'année cible ;
- ``provenance.csv`` : chaque fichier de ``data/raw`` utilisé, avec son sha256 et sa taille ;
- ``<nom>.schema.json`` (Table Schema) pour chaque CSV, et ``datapackage.json`` qui les liste.

Conventions des données ouvertes françaises : UTF-8 sans BOM, virgule séparatrice, point décimal,
une ligne d'en-tête, fins de ligne ``\\n``, colonnes dans un ordre fixe, nombres écrits sans bruit
de représentation (au plus :data:`DECIMALES_MAX` décimales, zéros finaux retirés).

Le colophon (:func:`colophon_html`, composé par :mod:`synthese_ihu.rendu.colophon`) dit au
lecteur ce dont l'édition est faite ; il est calculé à chaque construction, hors du cache des
carnets. Le détail fichier par fichier (sha256) reste dans ``provenance.csv``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from synthese_ihu import chemins

__all__ = [
    "DESCRIPTIONS_COLONNES",
    "Fichier",
    "Provenance",
    "chiffres_cles",
    "colophon_html",
    "ecrire_csv",
    "ecrire_donnees_ouvertes",
    "faits_publication",
    "formater_cellule",
    "preparer",
    "provenance_valeur",
    "relever_provenance",
    "schema_table",
    "texte_csv",
    "version_code",
]

#: Dossier des données ouvertes, à côté du HTML (le rendu y relie chaque figure).
DOSSIER = "donnees"

#: Décimales au plus d'un nombre décimal écrit dans un CSV (zéros finaux retirés).
DECIMALES_MAX = 6

#: Sous-dossier de ``data/raw`` des classeurs de campagne (``campagnes/<année>/…``).
CAMPAGNES = "campagnes"

#: Sous-dossier de ``data/raw`` des chiffres de contexte (colonne ``statut`` : publie / estime).
CONTEXTE = "contexte"

#: Édition dont les agrégats sont des faits publiés (``data/reference/published_figures.yaml``).
EDITION_PUBLIEE = 2022

#: Titre (français) et description des colonnes des CSV de figures.
DESCRIPTIONS_COLONNES: dict[str, tuple[str, str]] = {
    "annee": ("Année", "Année civile à laquelle la valeur se rapporte."),
    "nature": (
        "Nature de dépense",
        "Code de la nature de dépense : equipement_immobilier, equipement_mobilier, personnel, "
        "fonctionnement.",
    ),
    "libelle": ("Libellé", "Libellé de la catégorie, tel qu'affiché dans la figure."),
    "montant_meur": ("Montant (M€)", "Montant en millions d'euros courants."),
    "repartition": (
        "Répartition",
        "observee : dépenses déclarées par les IHU ; prevue : annexes financières des "
        "conventions.",
    ),
    "libelle_repartition": ("Libellé de la répartition", "Libellé affiché dans la figure."),
    "part_pct": ("Part (%)", "Part en pourcentage (de 0 à 100)."),
    "rang": (
        "Rang anonyme de l'IHU",
        "Rang de l'IHU dans cette figure (1 = première barre), propre à la figure : il ne permet "
        "ni d'identifier un IHU ni de le suivre d'une figure à l'autre. Vide pour l'ensemble.",
    ),
    "projets": ("Projets en cours", "Projets de recherche translationnelle ou multidisciplinaire."),
    "ihu_suivis": ("IHU suivis", "Nombre d'IHU suivis dans l'année."),
    "categorie": (
        "Catégorie de revue",
        "Catégorie de la revue (A à E, NC : non classée ; Ensemble : toutes catégories).",
    ),
    "articles": ("Articles", "Nombre d'articles."),
    "evolution_pct": (
        "Évolution (%)",
        "Évolution en pourcentage entre les deux périodes comparées.",
    ),
    "periode": ("Période", "Code de la période comparée (P1 : la plus ancienne, P2 : la récente)."),
    "libelle_periode": ("Années de la période", "Années couvertes par la période."),
    "position": (
        "Position d'auteur",
        "Meilleure position d'un membre de l'IHU parmi les auteurs : 1, 2, 3, k (intermédiaire), "
        "PA (avant-dernier), DA (dernier).",
    ),
    "serie": ("Série", "Série tracée (IHU, France, Monde)."),
    "indicateur": ("Indicateur", "Code de l'indicateur (top1, top10 : articles les plus cités)."),
    "groupe": (
        "Groupe",
        "IHU (un IHU anonyme) ou Ensemble des IHU ; carte : suivi (IHU suivis l'année cible) ou "
        "annonce (IHU retenus depuis, annoncés par l'édition).",
    ),
    "chercheurs": ("Chercheurs étrangers", "Chercheurs étrangers accueillis au moins 3 mois."),
    "etudiants": ("Étudiants", "Étudiants inscrits en double cursus."),
    "brevets": ("Brevets déposés", "Brevets déposés dans l'année."),
    "brevets_actifs": ("Brevets actifs", "Brevets actifs à la fin de l'année."),
    "creees": ("Créées dans l'année", "Nombre créé dans l'année."),
    "cumul": ("Cumul", "Cumul depuis la première année de la série."),
    "recommandations": ("Recommandations", "Recommandations émises dans l'année."),
    "essais": ("Essais en cours", "Essais cliniques en cours."),
    "effet_levier_pct": (
        "Effet levier (%)",
        "Cofinancements déclarés rapportés à l'aide versée, en pourcentage.",
    ),
    "reference": (
        "Référence",
        "Référence comparée : France ou Monde, dans les catégories du Web of Science de l'IHU.",
    ),
    "ecart_points": (
        "Écart (points)",
        "Valeur de l'IHU moins celle de la référence, en points de pourcentage, arrondie comme "
        "dans la figure ; la référence propre à un IHU n'est pas publiée.",
    ),
    "nom": ("IHU", "Nom de l'IHU (carte : lieux et noms, aucune valeur par IHU)."),
    "ville": ("Ville", "Ville d'implantation de l'IHU."),
    "region": ("Région", "Région d'implantation de l'IHU."),
    "appel": ("Appel à projets", "Appel à projets qui a retenu l'IHU (IHU1, IHU2, IHU3)."),
    "latitude": ("Latitude", "Latitude WGS 84 de la ville (degrés, au centième)."),
    "longitude": ("Longitude", "Longitude WGS 84 de la ville (degrés, au centième)."),
    "origine": (
        "Origine",
        "Origine des cofinancements : publique_nationale, privee, europe_international.",
    ),
}

#: Champs de ``chiffres_cles.csv`` : (nom, type Table Schema, titre, description).
CHAMPS_CHIFFRES_CLES = (
    ("id", "string", "Identifiant", "Identifiant stable de la valeur (nom dans le récit)."),
    ("libelle", "string", "Libellé", "Ce que la valeur mesure."),
    (
        "valeur",
        "number",
        "Valeur",
        "Valeur dans l'unité affichée (M€, %, nombre), arrondie à la précision imprimée dans le "
        "rapport ; une évolution est signée.",
    ),
    ("unite", "string", "Unité", "M€ (millions d'euros), % (pourcentage) ou nombre."),
    ("periode", "string", "Période", "Année ou période (AAAA ou AAAA-AAAA) de la valeur."),
    ("texte", "string", "Forme imprimée", "La valeur telle qu'imprimée dans le rapport."),
    (
        "provenance",
        "string",
        "Provenance",
        "publiee : chiffre publié par l'agence (édition indiquée dans datapackage.json) ; "
        "reconstruite : valeur calculée sur le jeu de référence reconstruit, jamais publiée ; "
        "donnees : valeur calculée sur les données de campagne.",
    ),
)

#: Valeurs de la colonne ``provenance`` de ``chiffres_cles.csv``.
PUBLIEE, RECONSTRUITE, DONNEES = "publiee", "reconstruite", "donnees"

#: Champs de ``provenance.csv``.
CHAMPS_PROVENANCE = (
    ("chemin", "string", "Fichier", "Chemin du fichier de données, relatif à data/raw."),
    ("sha256", "string", "Empreinte SHA-256", "Empreinte SHA-256 du fichier (hexadécimal)."),
)
# Pas de taille de fichier : à côté du classeur d'un IHU, ce serait un nombre propre à cet IHU.

#: Libellé et valeur de référence de la période des valeurs sans libellé propre.
COMPLEMENTS: dict[str, tuple[str, str]] = {
    "essais_france_academiques": (
        "Essais en cours en France à promotion académique", "essais_france"),
    "origine_publique_nationale": (
        "Part des cofinancements d'origine publique nationale", "cofinancements_cumul"),
    "origine_privee": ("Part des cofinancements d'origine privée", "cofinancements_cumul"),
    "origine_europe_international": (
        "Part des cofinancements d'origine européenne ou internationale", "cofinancements_cumul"),
    "part_equipement": ("Part de l'équipement dans les dépenses cumulées", "depenses_cumul"),
    "part_top10_ihu": (
        "Part des articles des IHU parmi les 10 % les plus cités au monde", "articles_evolution"),
    "part_top10_france": (
        "Part des articles français (domaines des IHU) parmi les 10 % les plus cités",
        "articles_evolution"),
    "part_top1_ihu": (
        "Part des articles des IHU parmi les 1 % les plus cités au monde", "articles_evolution"),
    "part_top1_france": (
        "Part des articles français (domaines des IHU) parmi les 1 % les plus cités",
        "articles_evolution"),
    "articles_evolution_cat_e": (
        "Évolution des articles de catégorie E", "articles_evolution"),
    "croissance_france": (
        "Évolution des articles français dans les catégories WoS d'un IHU",
        "articles_evolution"),
    "croissance_monde": (
        "Évolution des articles du monde dans les catégories WoS d'un IHU",
        "articles_evolution"),
}

_EXTREMES = {"_min": "minimum par IHU", "_max": "maximum par IHU"}


# --------------------------------------------------------------------------------------------
# Écriture des CSV


def formater_cellule(valeur: Any, decimales: int = DECIMALES_MAX) -> str:
    """Texte d'une cellule CSV : point décimal, dates ISO, booléens ``true``/``false``, vide si NA.

    Parameters
    ----------
    valeur : object
        Valeur de la cellule.
    decimales : int
        Décimales au plus d'un nombre décimal (arrondi, puis zéros finaux retirés).

    Returns
    -------
    str
        ``0.30000000000000004`` → ``'0.3'`` ; ``2.0`` → ``'2'`` ; ``-0.0`` → ``'0'`` ;
        ``date(2022, 1, 5)`` → ``'2022-01-05'`` ; ``None``/``NaN``/``pd.NA`` → ``''``.
    """
    if valeur is None:
        return ""
    if isinstance(valeur, bool) or type(valeur).__name__ in {"bool", "bool_"}:
        return "true" if valeur else "false"
    if isinstance(valeur, datetime):
        if valeur.time() == datetime.min.time() and valeur.tzinfo is None:
            return valeur.date().isoformat()
        return valeur.isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if hasattr(valeur, "isoformat") and hasattr(valeur, "to_pydatetime"):  # pandas.Timestamp
        return formater_cellule(valeur.to_pydatetime(), decimales)
    try:
        import pandas as pd

        if valeur is pd.NA or valeur is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas est une dépendance du paquet
        pass
    if isinstance(valeur, int) or type(valeur).__name__.startswith(("int", "uint")):
        return str(int(valeur))
    if isinstance(valeur, float) or type(valeur).__name__.startswith("float"):
        nombre = float(valeur)
        if math.isnan(nombre):
            return ""
        if math.isinf(nombre):
            raise ValueError(f"nombre infini dans un CSV : {valeur!r}")
        texte = f"{nombre:.{decimales}f}"
        if "." in texte:
            texte = texte.rstrip("0").rstrip(".")
        return "0" if texte in {"-0", ""} else texte
    return neutraliser(str(valeur))


#: texte qui n'est qu'un nombre écrit (« -15 % », « +3 ») : un tableur n'y voit pas de formule
_NOMBRE_ECRIT = re.compile(r"[+-]?[\d\s\u00a0\u202f.,]+\s?(?:%|€|k€|M€|Md€)?")


def neutraliser(texte: str) -> str:
    """Texte d'une cellule CSV qu'un tableur ne peut pas prendre pour une formule.

    Un texte qui commence par ``=``, ``+``, ``-``, ``@``, une tabulation ou un retour chariot
    (injection de formule dans un CSV ouvert par un tableur) est précédé d'une apostrophe, sauf
    s'il n'est qu'un nombre écrit (``-15 %``).
    """
    if texte[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NOMBRE_ECRIT.fullmatch(texte):
        return "'" + texte
    return texte


def texte_csv(colonnes: Iterable[str], lignes: Iterable[Iterable[Any]],
              decimales: Mapping[str, int] | None = None) -> str:
    """Texte d'un CSV aux conventions des données ouvertes (voir le module).

    Parameters
    ----------
    colonnes : iterable of str
        En-tête, dans l'ordre d'écriture.
    lignes : iterable of iterable
        Valeurs, une ligne par élément, dans l'ordre des colonnes.
    decimales : mapping, optional
        Décimales au plus par colonne (défaut :data:`DECIMALES_MAX`).

    Returns
    -------
    str
    """
    colonnes = list(colonnes)
    decimales = dict(decimales or {})
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=",", quotechar='"', lineterminator="\n",
                          quoting=csv.QUOTE_MINIMAL)
    ecrivain.writerow(colonnes)
    for ligne in lignes:
        ligne = list(ligne)
        if len(ligne) != len(colonnes):
            raise ValueError(f"ligne de {len(ligne)} valeurs pour {len(colonnes)} colonnes")
        ecrivain.writerow(
            formater_cellule(v, decimales.get(c, DECIMALES_MAX))
            for c, v in zip(colonnes, ligne, strict=True)
        )
    return tampon.getvalue()


def _ecrire(chemin: Path, texte: str) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        fichier.write(texte)


def ecrire_csv(cadre: Any, chemin: str | Path,
               decimales: Mapping[str, int] | None = None) -> Path:
    """Écrit un ``DataFrame`` en CSV (colonnes dans l'ordre du tableau, index ignoré).

    Parameters
    ----------
    cadre : pandas.DataFrame
        Tableau à écrire.
    chemin : str or Path
        Fichier écrit (UTF-8 sans BOM, ``\\n``).
    decimales : mapping, optional
        Décimales au plus par colonne.

    Returns
    -------
    Path
    """
    chemin = Path(chemin)
    lignes = cadre.astype(object).itertuples(index=False, name=None)
    _ecrire(chemin, texte_csv([str(c) for c in cadre.columns], lignes, decimales))
    return chemin


def type_champ(serie: Any) -> str:
    """Type Table Schema d'une colonne pandas (``integer``, ``number``, ``boolean``…)."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(serie):
        return "boolean"
    if pd.api.types.is_integer_dtype(serie):
        return "integer"
    if pd.api.types.is_float_dtype(serie):
        non_vides = serie.dropna()
        entiers = len(non_vides) and bool((non_vides == non_vides.round()).all())
        return "integer" if entiers and serie.name == "rang" else "number"
    if pd.api.types.is_datetime64_any_dtype(serie):
        return "date"
    return "string"


def schema_table(cadre: Any, *, description_table: str = "") -> dict[str, Any]:
    """Table Schema (JSON) d'un tableau de figure : nom, type, titre et description par colonne.

    Une colonne absente de :data:`DESCRIPTIONS_COLONNES` reçoit son nom pour titre (le test des
    données ouvertes signale alors qu'il faut la décrire).
    """
    champs = []
    for nom in cadre.columns:
        titre, description = DESCRIPTIONS_COLONNES.get(str(nom), (str(nom), ""))
        champ = {"name": str(nom), "type": type_champ(cadre[nom]), "title": titre,
                 "description": description}
        if str(nom) == "rang":
            champ["constraints"] = {"minimum": 1}
        champs.append(champ)
    schema: dict[str, Any] = {"fields": champs, "missingValues": [""]}
    if description_table:
        schema["description"] = description_table
    return schema


def _schema_champs(champs: Iterable[tuple[str, str, str, str]], **autres: Any) -> dict[str, Any]:
    return {
        "fields": [
            {"name": n, "type": t, "title": titre, "description": d} for n, t, titre, d in champs
        ],
        "missingValues": [""],
        **autres,
    }


def _json(objet: Any) -> str:
    return json.dumps(objet, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


# --------------------------------------------------------------------------------------------
# Chiffres clés


def _unite(unite: str) -> str:
    return {"": "nombre", "%+": "%"}.get(unite, unite)


def _echelle(valeur: float, unite: str) -> float:
    if unite == "M€":
        return valeur / 1e6
    if unite in {"%", "%+"}:
        return valeur * 100
    return valeur


def _completer(nom: str, valeurs: Mapping[str, Any]) -> tuple[str, str]:
    """Libellé et période d'une valeur, complétés quand le catalogue n'en donne pas."""
    from synthese_ihu.formatage import Valeur

    propre = valeurs[nom]
    libelle, periode = propre.libelle, propre.periode
    if nom in COMPLEMENTS:
        libelle_c, reference = COMPLEMENTS[nom]
        libelle = libelle_c if not libelle or nom == "articles_evolution_cat_e" else libelle
        ref = valeurs.get(reference)
        if not periode and isinstance(ref, Valeur):
            periode = ref.periode
        return libelle, periode
    for suffixe, texte in _EXTREMES.items():
        if nom.endswith(suffixe):
            base = nom[: -len(suffixe)]
            for parent in (base, f"{base}_annee"):
                p = valeurs.get(parent)
                if isinstance(p, Valeur) and p.libelle:
                    return libelle or f"{p.libelle} : {texte}", periode or p.periode
            if base in COMPLEMENTS:
                libelle_c, reference = COMPLEMENTS[base]
                ref = valeurs.get(reference)
                periode_ref = ref.periode if isinstance(ref, Valeur) else ""
                return libelle or f"{libelle_c} : {texte}", periode or periode_ref
    return libelle or nom.replace("_", " "), periode


def provenance_valeur(nom: str, metadonnees: Any, annee: int) -> str:
    """Provenance d'une valeur citée dans l'édition ``annee`` : :data:`PUBLIEE` (chiffre publié
    par l'agence : édition ``edition_publiee`` et valeur listée dans
    ``referentiel/metadonnees.toml``), :data:`RECONSTRUITE` (jeu reconstruit, jamais publiée)
    ou :data:`DONNEES` (données de campagne réelles : ``donnees_reconstruites = false``)."""
    if not metadonnees.donnees_reconstruites:
        return DONNEES
    publiee = annee == metadonnees.edition_publiee and nom in metadonnees.valeurs_publiees
    return PUBLIEE if publiee else RECONSTRUITE


def chiffres_cles(valeurs: Mapping[str, Any], metadonnees: Any | None = None,
                  annee: int | None = None) -> list[dict[str, Any]]:
    """Lignes de ``chiffres_cles.csv`` à partir de ``Valeurs.toutes()``.

    Seules les :class:`~synthese_ihu.formatage.Valeur` sont retenues (ni formulations, ni textes,
    ni valeurs absentes pour l'année), dans l'ordre des identifiants.

    Parameters
    ----------
    valeurs : mapping
        Identifiant → valeur (``Valeurs.toutes()``).

    Returns
    -------
    list of dict
        ``id``, ``libelle``, ``valeur`` (dans l'unité affichée, arrondie à la précision
        imprimée), ``unite``, ``periode``, ``texte``, ``provenance`` (vide sans
        ``metadonnees``, voir :func:`provenance_valeur`).
    """
    from synthese_ihu.formatage import Valeur

    lignes = []
    for nom in sorted(valeurs):
        v = valeurs[nom]
        if not isinstance(v, Valeur):
            continue
        libelle, periode = _completer(nom, valeurs)
        texte = f"{_echelle(float(v.valeur), v.unite):.{max(v.decimales, 0)}f}"
        if float(texte) == 0:
            texte = texte.lstrip("-")
        lignes.append({
            "id": nom,
            "libelle": libelle,
            "valeur": texte,
            "unite": _unite(v.unite),
            "periode": periode,
            "texte": str(v),
            "provenance": ("" if metadonnees is None
                           else provenance_valeur(nom, metadonnees, annee)),
        })
    return lignes


# --------------------------------------------------------------------------------------------
# Provenance


@dataclass(frozen=True)
class Fichier:
    """Un fichier de données utilisé : chemin relatif à ``data/raw``, sha256, taille."""

    chemin: str
    sha256: str
    octets: int


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
            repr((self.annee, self.interne, self.version, self.empreinte_donnees,
                  self.contexte)).encode("utf-8")
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
            capture_output=True, text=True, timeout=20, check=True,
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


def relever_provenance(racine_donnees: str | Path, annee: int, *, interne: bool = False,
                       racine_code: str | Path = chemins.RACINE) -> Provenance:
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
            fichiers.append(Fichier(relatif, _sha256(chemin), chemin.stat().st_size))
    return Provenance(
        annee=int(annee),
        interne=bool(interne),
        version=version_code(racine_code),
        fichiers=tuple(fichiers),
        contexte=_contexte(racine, int(annee)),
    )


# --------------------------------------------------------------------------------------------
# Colophon


def colophon_html(provenance: Provenance, **options: Any) -> str:
    """Colophon du rapport : voir :func:`synthese_ihu.rendu.colophon.colophon_html`."""
    from synthese_ihu.rendu.colophon import colophon_html as composer

    return composer(provenance, **options)


# --------------------------------------------------------------------------------------------
# Données ouvertes


def _ressource(nom: str, titre: str, description: str) -> dict[str, Any]:
    return {
        "name": nom,
        "path": f"{nom}.csv",
        "title": titre,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": f"{nom}.schema.json",
    }


def ecrire_donnees_ouvertes(complet: Any, annee: int, dossier: str | Path,
                            provenance: Provenance) -> list[Path]:
    """Écrit ``chiffres_cles``, un CSV par figure, ``provenance``, leurs schémas et le paquet.

    Parameters
    ----------
    complet : Donnees
        Toutes les données chargées (la vue de l'année est prise ici).
    annee : int
        Année cible.
    dossier : str or Path
        Dossier ``donnees/`` (créé ; son contenu précédent est remplacé).
    provenance : Provenance
        Fichiers de données utilisés.

    Returns
    -------
    list of Path
        Fichiers écrits, dans l'ordre d'écriture.
    """
    from synthese_ihu import figures, valeurs
    from synthese_ihu.figures.commun import contexte

    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    for ancien in dossier.iterdir():
        if ancien.is_file():
            ancien.unlink()
    vue = complet.pour_annee(annee)
    ecrits: list[Path] = []
    ressources: list[dict[str, Any]] = []

    lignes = chiffres_cles(valeurs.Valeurs(vue, annee, complet).toutes(), complet.metadonnees,
                           annee)
    noms = [c[0] for c in CHAMPS_CHIFFRES_CLES]
    _ecrire(dossier / "chiffres_cles.csv",
            texte_csv(noms, ([ligne[n] for n in noms] for ligne in lignes)))
    _ecrire(dossier / "chiffres_cles.schema.json",
            _json(_schema_champs(CHAMPS_CHIFFRES_CLES, primaryKey=["id"])))
    ecrits += [dossier / "chiffres_cles.csv", dossier / "chiffres_cles.schema.json"]
    ressources.append(_ressource(
        "chiffres_cles", f"Chiffres clés de la synthèse {annee}",
        "Chaque valeur chiffrée citée par le rapport, dans l'unité et à la précision imprimées."))

    ctx = contexte(annee)
    for ident, spec in figures.FIGURES.items():
        cadre = figures.donnees_figure(ident, vue, annee)
        if cadre.empty:
            continue
        if spec.par_ihu and ({"ihu", "nom"} & set(map(str, cadre.columns))):
            raise RuntimeError(f"figure {ident} : colonne d'identité dans les données publiques")
        titre = spec.titre_pour(ctx)
        description = spec.legende(cadre, ctx).strip() or titre
        if spec.par_ihu:
            description += (" Les IHU sont anonymes : le rang est propre à cette figure.")
        ecrire_csv(cadre, dossier / f"{ident}.csv")
        _ecrire(dossier / f"{ident}.schema.json", _json(schema_table(cadre)))
        ecrits += [dossier / f"{ident}.csv", dossier / f"{ident}.schema.json"]
        ressources.append(_ressource(ident, titre, description))

    _ecrire(dossier / "provenance.csv", texte_csv(
        [c[0] for c in CHAMPS_PROVENANCE],
        ((f.chemin, f.sha256) for f in provenance.fichiers),
    ))
    _ecrire(dossier / "provenance.schema.json",
            _json(_schema_champs(CHAMPS_PROVENANCE, primaryKey=["chemin"])))
    ecrits += [dossier / "provenance.csv", dossier / "provenance.schema.json"]
    ressources.append(_ressource(
        "provenance", "Provenance des données",
        "Fichiers de data/raw utilisés pour cette édition, avec leur empreinte SHA-256 "
        f"(empreinte globale : {provenance.empreinte_donnees})."))

    faits = faits_publication(complet.metadonnees)
    if faits["donnees_reconstruites"]:
        nature = (
            "Jeu de référence reconstruit : valeurs par IHU fictives ; seules les valeurs de "
            f"chiffres_cles.csv marquées « publiee » sont des chiffres publiés par l'agence "
            f"({faits['source_publiee']}) ; voir le colophon du rapport."
        )
    else:
        nature = "Valeurs calculées sur les données de campagne ; voir le colophon du rapport."
    paquet = {
        "name": f"synthese-ihu-{annee}",
        "title": f"Synthèse du suivi de l'action IHU {annee} : données",
        "description": (
            "Chiffres clés et données des figures de la synthèse ; valeurs par IHU publiées "
            "anonymes (rang propre à chaque figure) et à la précision affichée. " + nature
        ),
        "licenses": [{"title": faits["licence"], "path": faits["licence_url"]}],
        "resources": ressources,
    }
    _ecrire(dossier / "datapackage.json", _json(paquet))
    ecrits.append(dossier / "datapackage.json")
    return ecrits


def faits_publication(metadonnees: Any | None = None,
                      configuration: Any | None = None) -> dict[str, Any]:
    """Faits de la publication pour le colophon et ``datapackage.json`` : licence (table
    ``[publication]`` de ``synthese.toml``) et nature des données (métadonnées de ``data/raw``).

    Parameters
    ----------
    metadonnees : Metadonnees, optional
        ``Donnees.metadonnees`` ; par défaut, lues dans ``data/raw``.
    configuration : Configuration, optional
        Configuration validée ; par défaut, celle du paquet.

    Returns
    -------
    dict
        ``licence``, ``licence_url``, ``donnees_reconstruites`` (l'avertissement « valeurs
        publiées / reconstruites » s'affiche seulement si vrai), ``edition_publiee``,
        ``source_publiee``, ``valeurs_publiees`` (identifiants triés).
    """
    from synthese_ihu.config import charger_configuration
    from synthese_ihu.donnees.metadonnees import lire_metadonnees

    if metadonnees is None:
        metadonnees = lire_metadonnees(chemins.DONNEES_BRUTES)
    publication = (configuration or charger_configuration()).publication
    return {
        "licence": publication.licence,
        "licence_url": publication.licence_url,
        "donnees_reconstruites": metadonnees.donnees_reconstruites,
        "edition_publiee": metadonnees.edition_publiee,
        "source_publiee": metadonnees.source_publiee,
        "valeurs_publiees": sorted(metadonnees.valeurs_publiees),
    }


def preparer(racine_donnees: str | Path, annee: int, dossier_donnees: str | Path | None,
             provenance: Provenance) -> dict[str, Any]:
    """Charge les données, écrit les données ouvertes (si demandé) et rend les faits du colophon.

    Ne dépend que des données, du code du paquet et de l'année : la construction en garde le
    résultat en cache (la version du code et les paramètres sont ajoutés par
    :func:`colophon_html` à chaque construction).

    Parameters
    ----------
    racine_donnees : str or Path
        ``data/raw``.
    annee : int
        Année cible.
    dossier_donnees : str or Path or None
        Dossier ``donnees/`` à écrire ; ``None`` : pas de données ouvertes (variante interne,
        aperçu partiel).
    provenance : Provenance
        Relevée par :func:`relever_provenance` (``provenance.csv``).

    Returns
    -------
    dict
        ``colophon`` : arguments nommés de :func:`colophon_html` tirés des données et de la
        configuration (licence, jeu reconstruit, dates d'extraction).
    """
    from synthese_ihu.section import donnees_chargees

    # Chargées une fois par processus tant que les fichiers ne changent pas (comme dans les
    # noyaux) : un processus de rendu qui prépare plusieurs années ne relit pas data/raw.
    complet = donnees_chargees(Path(racine_donnees))
    if dossier_donnees is not None:
        ecrire_donnees_ouvertes(complet, annee, dossier_donnees, provenance)
    return {"colophon": _faits_colophon(complet.metadonnees, annee)}


#: Référence de contexte (``contexte/references.toml``) -> fichier de contexte qu'elle décrit.
FICHIER_REFERENCE = {"essais_cliniques": "essais_cliniques_france"}


def _faits_colophon(metadonnees: Any, annee: int) -> dict[str, Any]:
    """Arguments de :func:`colophon_html` tirés des données et de la configuration : licence,
    jeu reconstruit, dates d'extraction des sources de contexte de l'année."""
    from synthese_ihu.rendu.colophon import date_lisible

    faits = faits_publication(metadonnees)
    extractions = {
        FICHIER_REFERENCE[nom]: date_lisible(ref["date_extraction"])
        for nom, ref in metadonnees.references.items()
        if nom in FICHIER_REFERENCE and ref.get("annee") == annee and "date_extraction" in ref
    }
    return {"licence": faits["licence"], "licence_url": faits["licence_url"],
            "reconstruit": faits["donnees_reconstruites"], "extractions": extractions}
