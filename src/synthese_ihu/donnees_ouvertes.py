"""Données ouvertes d'une édition : CSV décrits par Table Schema, ``datapackage.json``.

Le dossier ``donnees/`` publié à côté du HTML et du PDF (variante publique seulement) contient :

- ``chiffres_cles.csv`` : une ligne par valeur chiffrée citée par le rapport
  (:func:`synthese_ihu.publication.chiffres_cles`) : ``id``, ``libelle``, ``valeur`` **dans
  l'unité affichée** et arrondie à la précision imprimée (``473.3`` pour 473,3 M€, ``9.4`` pour
  9,4 %, ``-15`` pour une évolution de -15 %), ``unite`` (``M€``, ``%`` ou ``nombre``),
  ``periode``, ``texte`` (forme imprimée, à la française), ``provenance`` ;
- ``<id>.csv`` par figure : exactement le tableau tracé
  (:func:`synthese_ihu.figures.donnees_figure`), anonymisé comme la figure (colonne ``rang``,
  jamais de nom), décrit par les colonnes que déclare la figure ; pas de fichier pour une figure
  sans données l'année cible ;
- ``provenance.csv`` : chaque fichier de ``data/raw`` utilisé, avec son sha256 ;
- ``<nom>.schema.json`` (Table Schema) pour chaque CSV, et ``datapackage.json`` qui les liste.

Conventions des données ouvertes françaises : UTF-8 sans BOM, virgule séparatrice, point décimal,
une ligne d'en-tête, fins de ligne ``\\n``, colonnes dans un ordre fixe, nombres écrits sans bruit
de représentation (au plus :data:`DECIMALES_MAX` décimales, zéros finaux retirés).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from synthese_ihu.provenance import Provenance

__all__ = [
    "CHAMPS_CHIFFRES_CLES",
    "DOSSIER",
    "ecrire_csv",
    "ecrire_donnees_ouvertes",
    "formater_cellule",
    "inscrire_version",
    "neutraliser",
    "schema_figure",
    "texte_csv",
    "type_champ",
]

#: Dossier des données ouvertes, à côté du HTML (le rendu y relie chaque figure).
DOSSIER = "donnees"

#: Décimales au plus d'un nombre décimal écrit dans un CSV (zéros finaux retirés).
DECIMALES_MAX = 6

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

#: Champs de ``provenance.csv``.
CHAMPS_PROVENANCE = (
    ("chemin", "string", "Fichier", "Chemin du fichier de données, relatif à data/raw."),
    ("sha256", "string", "Empreinte SHA-256", "Empreinte SHA-256 du fichier (hexadécimal)."),
)
# Pas de taille de fichier : à côté du classeur d'un IHU, ce serait un nombre propre à cet IHU.


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


def texte_csv(
    colonnes: Iterable[str],
    lignes: Iterable[Iterable[Any]],
    decimales: Mapping[str, int] | None = None,
) -> str:
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
    ecrivain = csv.writer(
        tampon, delimiter=",", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )
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


def ecrire_csv(cadre: Any, chemin: str | Path, decimales: Mapping[str, int] | None = None) -> Path:
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


def schema_figure(spec: Any, cadre: Any) -> dict[str, Any]:
    """Table Schema (JSON) du tableau d'une figure : nom, type, titre et description par
    colonne, lus dans les colonnes que déclare la figure (``Figure.colonnes``).

    Raises
    ------
    KeyError
        Si le tableau a une colonne que la figure ne déclare pas.
    """
    champs = []
    for nom in cadre.columns:
        colonne = spec.colonne(str(nom))
        champ = {
            "name": str(nom),
            "type": type_champ(cadre[nom]),
            "title": colonne.titre,
            "description": colonne.description,
        }
        if str(nom) == "rang":
            champ["constraints"] = {"minimum": 1}
        champs.append(champ)
    return {"fields": champs, "missingValues": [""]}


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


def ecrire_donnees_ouvertes(
    vue: Any,
    annee: int,
    dossier: str | Path,
    provenance: Provenance,
    *,
    chiffres_cles: list[dict[str, Any]],
    faits: Mapping[str, Any],
) -> list[Path]:
    """Écrit ``chiffres_cles``, un CSV par figure, ``provenance``, leurs schémas et le paquet.

    Parameters
    ----------
    vue : Donnees
        Vue des données pour l'année (``Donnees.pour_annee(annee)``).
    annee : int
        Année cible.
    dossier : str or Path
        Dossier ``donnees/`` (créé ; son contenu précédent est remplacé).
    provenance : Provenance
        Fichiers de données utilisés.
    chiffres_cles : list of dict
        Lignes de ``chiffres_cles.csv`` (:func:`synthese_ihu.publication.chiffres_cles`).
    faits : mapping
        Faits de la publication (:func:`synthese_ihu.publication.faits_publication`) : licence,
        nature du jeu de données.

    Returns
    -------
    list of Path
        Fichiers écrits, dans l'ordre d'écriture.
    """
    from synthese_ihu import figures
    from synthese_ihu.figures.commun import contexte

    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    for ancien in dossier.iterdir():
        if ancien.is_file():
            ancien.unlink()
    ecrits: list[Path] = []
    ressources: list[dict[str, Any]] = []

    noms = [c[0] for c in CHAMPS_CHIFFRES_CLES]
    _ecrire(
        dossier / "chiffres_cles.csv",
        texte_csv(noms, ([ligne[n] for n in noms] for ligne in chiffres_cles)),
    )
    _ecrire(
        dossier / "chiffres_cles.schema.json",
        _json(_schema_champs(CHAMPS_CHIFFRES_CLES, primaryKey=["id"])),
    )
    ecrits += [dossier / "chiffres_cles.csv", dossier / "chiffres_cles.schema.json"]
    ressources.append(
        _ressource(
            "chiffres_cles",
            f"Chiffres clés de la synthèse {annee}",
            "Chaque valeur chiffrée citée par le rapport, dans l'unité et à la précision "
            "imprimées.",
        )
    )

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
            description += " Les IHU sont anonymes : le rang est propre à cette figure."
        ecrire_csv(cadre, dossier / f"{ident}.csv")
        _ecrire(dossier / f"{ident}.schema.json", _json(schema_figure(spec, cadre)))
        ecrits += [dossier / f"{ident}.csv", dossier / f"{ident}.schema.json"]
        ressources.append(_ressource(ident, titre, description))

    _ecrire(
        dossier / "provenance.csv",
        texte_csv(
            [c[0] for c in CHAMPS_PROVENANCE],
            ((f.chemin, f.sha256) for f in provenance.fichiers),
        ),
    )
    _ecrire(
        dossier / "provenance.schema.json",
        _json(_schema_champs(CHAMPS_PROVENANCE, primaryKey=["chemin"])),
    )
    ecrits += [dossier / "provenance.csv", dossier / "provenance.schema.json"]
    ressources.append(
        _ressource(
            "provenance",
            "Provenance des données",
            "Fichiers de data/raw utilisés pour cette édition, avec leur empreinte SHA-256 "
            f"(empreinte globale : {provenance.empreinte_donnees}).",
        )
    )

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


def inscrire_version(dossier: str | Path, version: str) -> None:
    """Ajoute à ``datapackage.json`` la version du programme qui a produit l'édition.

    La provenance technique (version du code, empreintes des fichiers) est dans les données
    ouvertes, pas dans le colophon du lecteur. Appelée à chaque construction, après la copie des
    données ouvertes en cache (la version change sans que les données changent).
    """
    chemin = Path(dossier) / "datapackage.json"
    paquet = json.loads(chemin.read_text(encoding="utf-8"))
    paquet["programme"] = {"nom": "synthese-ihu", "version": version}
    _ecrire(chemin, _json(paquet))
