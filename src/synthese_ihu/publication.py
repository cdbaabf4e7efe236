"""Publication d'une édition : chiffres clés, faits de publication, préparation du rendu.

:func:`preparer` écrit les données ouvertes (:mod:`synthese_ihu.donnees_ouvertes`) et rend les
faits du colophon (:mod:`synthese_ihu.rendu.colophon`) ; la provenance (fichiers utilisés,
sha256, version du code) est relevée par :mod:`synthese_ihu.provenance`. Le colophon est
calculé à chaque construction, hors du cache des carnets ; le détail fichier par fichier
(sha256) reste dans ``provenance.csv``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from synthese_ihu import chemins
from synthese_ihu.donnees_ouvertes import DOSSIER, ecrire_donnees_ouvertes
from synthese_ihu.provenance import Provenance, relever_provenance

__all__ = [
    "DOSSIER",
    "chiffres_cles",
    "colophon_html",
    "faits_publication",
    "preparer",
    "provenance_valeur",
    "relever_provenance",
]

#: Valeurs de la colonne ``provenance`` de ``chiffres_cles.csv``.
PUBLIEE, RECONSTRUITE, DONNEES = "publiee", "reconstruite", "donnees"


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
        libelle, periode = v.libelle, v.periode
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
# Colophon


def colophon_html(provenance: Provenance, **options: Any) -> str:
    """Colophon du rapport : voir :func:`synthese_ihu.rendu.colophon.colophon_html`."""
    from synthese_ihu.rendu.colophon import colophon_html as composer

    return composer(provenance, **options)



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
        from synthese_ihu import valeurs

        vue = complet.pour_annee(annee)
        lignes = chiffres_cles(valeurs.Valeurs(vue, annee, complet).toutes(),
                               complet.metadonnees, annee)
        ecrire_donnees_ouvertes(vue, annee, dossier_donnees, provenance, chiffres_cles=lignes,
                                faits=faits_publication(complet.metadonnees))
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
    # « données arrêtées à » : la dernière année de chaque source (couverture déclarée), pas N
    arrets = [f"campagnes de suivi {annee}"] + [
        f"{c.libelle} {c.fin(annee)}" for c in metadonnees.couvertures.values()
        if not c.evenements]
    from synthese_ihu.config import charger_configuration, periodes
    from synthese_ihu.rendu.exporteurs import date_edition

    configuration = charger_configuration()
    rapport = configuration.rapport
    return {"licence": faits["licence"], "licence_url": faits["licence_url"],
            "reconstruit": faits["donnees_reconstruites"], "extractions": extractions,
            "edition_publiee": faits["edition_publiee"], "arrets": arrets,
            "organisme": rapport.organisme, "titre": rapport.titre,
            "periode": f"{periodes().premiere_annee_finances}\u2013{annee}",
            "edition": date_edition(annee, {str(a): j for a, j in rapport.dates_edition}),
            "contact": configuration.publication.contact}
