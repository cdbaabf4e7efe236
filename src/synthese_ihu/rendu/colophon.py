"""Colophon du rapport : une page pour le lecteur, pas un journal de construction.

Il dit qui publie, quand (date d'édition de la configuration), qui contacter, sous quelle
licence, comment citer le rapport, de quoi l'édition est faite (campagnes, sources de contexte
et leur date d'extraction), ce qui est reconstruit plutôt que publié, et où trouver les données
et la méthode. Le texte est dans le gabarit Jinja ``gabarits/colophon.html.j2`` ; ce module
n'en calcule que les faits. La provenance technique (fichiers et empreintes SHA-256, version du
code) est dans ``donnees/provenance.csv`` et ``datapackage.json`` ; les réactualisations ne
sont racontées qu'en annexe méthodologique. Les libellés montrés viennent de
:mod:`synthese_ihu.libelles`, jamais des noms de fichiers.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from synthese_ihu.libelles import libelle_dossier, libelle_source
from synthese_ihu.provenance import CAMPAGNES, Provenance

__all__ = ["colophon_html", "date_lisible"]

#: Gabarit du colophon.
GABARIT = Path(__file__).parent / "gabarits" / "colophon.html.j2"


def date_lisible(jour: Any) -> str:
    """« 25 septembre 2023 » (babel, français)."""
    from babel.dates import format_date

    return format_date(jour, format="long", locale="fr_FR")


def _pluriel(n: int, mot: str, pluriel: str | None = None) -> str:
    return f"{n} {mot if n <= 1 else (pluriel or mot + 's')}"


def _echapper(valeur: Any) -> str:
    """Toute valeur ``{{ … }}`` du gabarit, échappée (HTML, guillemets compris)."""
    return html.escape(str(valeur), quote=True)


@functools.cache
def _gabarit() -> Any:
    import jinja2

    environnement = jinja2.Environment(
        loader=jinja2.FileSystemLoader(GABARIT.parent),
        autoescape=False,  # l'échappement est fait par ``finalize``, sur chaque valeur
        finalize=_echapper,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    environnement.globals["pluriel"] = _pluriel
    return environnement.get_template(GABARIT.name)


def _sources_contexte(p: Provenance, extractions: Mapping[str, str]) -> list[dict[str, str]]:
    sources = []
    for nom, publies, estimes, _anterieurs in p.contexte:
        etat = []
        if publies:
            etat.append(_pluriel(publies, "valeur publiée", "valeurs publiées"))
        if estimes:
            etat.append(_pluriel(estimes, "valeur estimée", "valeurs estimées"))
        sources.append(
            {
                "libelle": libelle_source(nom),
                "extraction": extractions.get(nom, ""),
                "etat": ", ".join(etat),
            }
        )
    return sources


def colophon_html(
    provenance: Provenance,
    *,
    donnees_ouvertes: bool = False,
    reconstruit: bool = True,
    licence: str | None = None,
    licence_url: str | None = None,
    extractions: Mapping[str, str] | None = None,
    edition_publiee: int | None = None,
    arrets: Sequence[str] = (),
    organisme: str = "",
    titre: str = "Synthèse du suivi de l'action Instituts Hospitalo-Universitaires",
    periode: str = "",
    edition: str = "",
    contact: str = "",
) -> str:
    """Section HTML « Colophon » (dernière page du PDF, fin du HTML), une page au plus.

    Parameters
    ----------
    provenance : Provenance
        Fichiers utilisés, version du code, année, variante
        (:func:`synthese_ihu.provenance.relever_provenance`).
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
    arrets : sequence of str, optional
        Dernière année de chaque source (« versements de l'agence 2022 ») : les données sont
        arrêtées source par source, pas toutes à l'année du rapport.
    organisme, titre, periode, edition, contact : str
        Éditeur, titre du rapport, période couverte (« 2011–2022 »), date d'édition telle que
        la couverture l'imprime (« de janvier 2024 »), contact (configuration).

    Returns
    -------
    str
        ``<section class="colophon" id="colophon">…</section>``, sur une ligne.
    """
    p = provenance
    campagnes = p.campagnes
    annees = sorted({f.chemin.split("/")[1] for f in campagnes})
    dossiers = sorted({f.chemin.split("/")[0] for f in p.fichiers if "/" in f.chemin} - {CAMPAGNES})
    rendu = _gabarit().render(
        p=p,
        etendue=f"{annees[0]} à {annees[-1]}" if annees else "aucune",
        nb_classeurs=len(campagnes),
        autres=", ".join(libelle_dossier(d) for d in dossiers),
        contexte=_sources_contexte(p, extractions or {}),
        reconstruit=reconstruit,
        edition_publiee=edition_publiee,
        licence=licence,
        licence_url=licence_url,
        donnees_ouvertes=donnees_ouvertes,
        arrets=" ; ".join(arrets),
        organisme=organisme,
        titre=titre,
        periode=periode or f"{annees[0] if annees else p.annee}–{p.annee}",
        edition=edition or str(p.annee + 1),
        contact=contact,
    )
    return "".join(ligne.strip() for ligne in rendu.splitlines())
