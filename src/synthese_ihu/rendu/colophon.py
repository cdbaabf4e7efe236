"""Colophon du rapport : une page pour le lecteur, pas un journal de construction.

Il dit de quoi l'édition est faite (campagnes, sources de contexte et leur date d'extraction
quand elle est connue), sous quelle licence elle est publiée (si la configuration la donne), ce
qui est reconstruit plutôt que publié, la version du code, et où trouver les données et la
méthode. La liste des fichiers et de leurs empreintes SHA-256 reste dans
``donnees/provenance.csv`` ; les réactualisations ne sont racontées qu'en annexe méthodologique.
Les libellés montrés viennent de :mod:`synthese_ihu.libelles`, jamais des noms de fichiers.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from synthese_ihu.libelles import libelle_dossier, libelle_source

if TYPE_CHECKING:  # pragma: no cover
    from synthese_ihu.publication import Provenance

__all__ = ["colophon_html"]


def date_lisible(jour: Any) -> str:
    """« 25 septembre 2023 » (babel, français)."""
    from babel.dates import format_date

    return format_date(jour, format="long", locale="fr_FR")


def _e(texte: Any) -> str:
    return html.escape(str(texte), quote=True)


def _pluriel(n: int, mot: str, pluriel: str | None = None) -> str:
    return f"{n} {mot if n <= 1 else (pluriel or mot + 's')}"


def _sources_contexte(p: Provenance, extractions: Mapping[str, str]) -> str:
    lignes = []
    for nom, publies, estimes, _anterieurs in p.contexte:
        etat = []
        if publies:
            etat.append(f"{_pluriel(publies, 'valeur publiée', 'valeurs publiées')}")
        if estimes:
            etat.append(f"{_pluriel(estimes, 'valeur estimée', 'valeurs estimées')}")
        detail = f"{p.annee} : {', '.join(etat) or 'aucune valeur'}"
        if nom in extractions:
            detail = f"extraction du {_e(extractions[nom])} ; {detail}"
        lignes.append(f"<li>{_e(libelle_source(nom))} ({detail})</li>")
    return f"<ul class=\"colophon-contexte\">{''.join(lignes)}</ul>" if lignes else ""


def colophon_html(
    provenance: Provenance,
    *,
    donnees_ouvertes: bool = False,
    reconstruit: bool = True,
    licence: str | None = None,
    licence_url: str | None = None,
    extractions: Mapping[str, str] | None = None,
    edition_publiee: int | None = None,
) -> str:
    """Section HTML « Colophon » (dernière page du PDF, fin du HTML), une page au plus.

    Parameters
    ----------
    provenance : Provenance
        Fichiers utilisés, version du code, année, variante
        (:func:`synthese_ihu.publication.relever_provenance`).
    donnees_ouvertes : bool
        Vrai si ``donnees/`` accompagne le rapport.
    reconstruit : bool
        Jeu de données reconstruit (séries par IHU fictives) : le colophon le dit. Crochet pour
        l'indicateur « données reconstruites » des métadonnées de ``data/raw``.
    licence, licence_url : str, optional
        Licence de publication (table ``[publication]`` de la configuration) ; absente : pas
        de ligne « Licence ».
    extractions : mapping, optional
        Date d'extraction de chaque source de contexte (nom du fichier -> date lisible).
    edition_publiee : int, optional
        Édition dont l'agence a publié les chiffres (``edition_publiee`` des métadonnées de
        ``data/raw``), citée quand le jeu est reconstruit.

    Returns
    -------
    str
        ``<section class="colophon" id="colophon">…</section>``.
    """
    from synthese_ihu.publication import CAMPAGNES

    p = provenance
    campagnes = p.campagnes
    annees = sorted({f.chemin.split("/")[1] for f in campagnes})
    etendue = f"{annees[0]} à {annees[-1]}" if annees else "aucune"
    dossiers = sorted(
        {f.chemin.split("/")[0] for f in p.fichiers if "/" in f.chemin} - {CAMPAGNES}
    )
    autres = ", ".join(libelle_dossier(d) for d in dossiers)
    elements = [
        f"<dt>Édition</dt><dd>Rapport {p.annee}"
        + (", variante interne (diffusion restreinte)" if p.interne else "")
        + f" : données arrêtées à l'année {p.annee}.</dd>",
        f"<dt>Données</dt><dd>Campagnes de suivi {etendue} "
        f"({_pluriel(len(campagnes), 'classeur déposé', 'classeurs déposés')} par les IHU)"
        + (f" ; {_e(autres)}" if autres else "")
        + ".</dd>",
    ]
    contexte = _sources_contexte(p, extractions or {})
    if contexte:
        elements.append(f"<dt>Chiffres de contexte</dt><dd>{contexte}</dd>")
    if reconstruit:
        if p.annee == edition_publiee:
            publie = (f"seuls les chiffres de l'édition {edition_publiee} marqués « publiée » "
                      "(colonne provenance de chiffres_cles.csv) sont des valeurs publiées par "
                      "l'agence ; l'annexe « Méthode et sources » liste les autres")
        else:
            publie = (f"seuls des chiffres de l'édition {edition_publiee} sont des valeurs "
                      f"publiées ; les valeurs de cette édition {p.annee} sont calculées sur le "
                      "jeu reconstruit")
        elements.append(
            "<dt>Valeurs publiées et reconstruites</dt><dd>Jeu de référence "
            "<strong>reconstruit</strong> : les séries par IHU (dépenses, indicateurs, "
            f"articles, cofinancements) sont fictives, calibrées sur les chiffres publiés ; "
            f"{publie}. Les chiffres de contexte estimés ne sont pas des valeurs publiées.</dd>"
        )
    if licence:
        lien = (f'<a href="{_e(licence_url)}">{_e(licence)}</a>' if licence_url
                else _e(licence))
        elements.append(f"<dt>Licence</dt><dd>{lien}.</dd>")
    elements.append(f"<dt>Version du code</dt><dd>synthese-ihu <code>{_e(p.version)}</code>.</dd>")
    if donnees_ouvertes:
        elements.append(
            "<dt>Données ouvertes</dt><dd>Dossier <code>donnees/</code> publié avec ce "
            "rapport : chiffres clés, données de chaque figure (CSV décrits par "
            "<code>datapackage.json</code>) et <code>provenance.csv</code>, qui liste chaque "
            "fichier de données utilisé avec son empreinte SHA-256.</dd>"
        )
    elements.append(
        "<dt>Empreinte des données</dt><dd>SHA-256 de l'ensemble des fichiers : "
        f"<code class=\"colophon-empreinte\">{p.empreinte_donnees}</code>.</dd>"
    )
    elements.append(
        "<dt>Méthode</dt><dd>Annexe « Méthode et sources » : sources, définitions des "
        "indicateurs, provenance et réactualisations des données.</dd>"
    )
    return (
        '<section class="colophon" id="colophon" aria-labelledby="colophon-titre">'
        '<h1 id="colophon-titre">Colophon</h1>'
        f"<dl class=\"colophon-faits\">{''.join(elements)}</dl>"
        "</section>"
    )
