"""Rendu de la synthèse : carnets exécutés → un HTML autonome et un PDF A4.

API
---
:func:`rendre`
    Assemble les carnets exécutés (un par section, dans l'ordre), écrit
    ``synthese-ihu-<annee>.html`` et ``.pdf`` (variante interne :
    ``synthese-ihu-<annee>-diffusion-restreinte.html`` / ``.pdf``).
:func:`assembler`
    Concatène les carnets en un seul carnet.
:class:`SyntheseHTMLExporter`, :class:`SyntheseWebPDFExporter`
    Exportateurs nbconvert (points d'entrée ``nbconvert.exporters``).
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from .exporteurs import (
    SyntheseHTMLExporter,
    SyntheseWebPDFExporter,
    configuration_rapport,
    html_vers_pdf,
)
from .preparation import PreparationSynthese

__all__ = [
    "PreparationSynthese",
    "SyntheseHTMLExporter",
    "SyntheseWebPDFExporter",
    "assembler",
    "html_vers_pdf",
    "nom_fichier",
    "rendre",
]

#: Suffixe des fichiers de la variante interne.
SUFFIXE_INTERNE = "-diffusion-restreinte"


def nom_fichier(annee: int, *, interne: bool = False) -> str:
    """Nom de base (sans extension) des fichiers du rapport.

    Parameters
    ----------
    annee : int
        Année du rapport.
    interne : bool, default False
        Variante « Diffusion restreinte ».

    Returns
    -------
    str
        Par exemple ``synthese-ihu-2022`` ou ``synthese-ihu-2022-diffusion-restreinte``.
    """
    modele = configuration_rapport().get("nom_fichier", "synthese-ihu-{annee}")
    return modele.format(annee=int(annee)) + (SUFFIXE_INTERNE if interne else "")


def assembler(carnets: Sequence[NotebookNode]) -> NotebookNode:
    """Concatène des carnets exécutés en un seul carnet, dans l'ordre donné.

    Les cellules sont copiées (les carnets reçus ne sont pas modifiés) ; leurs identifiants
    sont renumérotés de façon déterministe (``cellule-0001``…) et chacune garde dans
    ``metadata.synthese_section`` le rang de son carnet. Les métadonnées du premier carnet
    (noyau, langage, paramètres Papermill) sont reprises.

    Parameters
    ----------
    carnets : sequence of NotebookNode
        Carnets exécutés, une section par carnet.

    Returns
    -------
    NotebookNode
        Carnet nbformat 4 assemblé.

    Raises
    ------
    ValueError
        Si aucun carnet n'est fourni.
    """
    if not carnets:
        raise ValueError("Aucun carnet à assembler : la liste des sections est vide.")
    premier = carnets[0]
    metadonnees = {
        cle: copy.deepcopy(premier.metadata[cle])
        for cle in ("kernelspec", "language_info", "papermill")
        if cle in premier.get("metadata", {})
    }
    assemble = nbformat.v4.new_notebook(metadata=metadonnees)
    numero = 0
    for rang, carnet in enumerate(carnets):
        for cellule in carnet.cells:
            numero += 1
            copie = copy.deepcopy(cellule)
            copie["id"] = f"cellule-{numero:04d}"
            copie.setdefault("metadata", {})["synthese_section"] = rang
            assemble.cells.append(copie)
    return assemble


def _ecrire(chemin: Path, contenu: bytes) -> None:
    """Écrit à côté puis renomme : le fichier final est complet ou absent."""
    provisoire = chemin.with_name(f".{chemin.name}.partiel")
    provisoire.write_bytes(contenu)
    os.replace(provisoire, chemin)


def rendre(
    carnets: Sequence[NotebookNode],
    annee: int,
    dossier: str | Path,
    *,
    interne: bool = False,
    titre: str | None = None,
    sous_titre: str | None = None,
    donnees: str | Path | None = None,
    colophon: str | None = None,
) -> dict[str, Any]:
    """Assemble les carnets exécutés et écrit le rapport HTML autonome et le PDF A4.

    Parameters
    ----------
    carnets : sequence of NotebookNode
        Carnets exécutés, un par section, dans l'ordre du rapport.
    annee : int
        Année du rapport (couverture « Action … (IHU) 2011-<annee> », noms de fichiers).
    dossier : str or Path
        Dossier de sortie (créé au besoin).
    interne : bool, default False
        Variante interne : fichiers ``…-diffusion-restreinte`` et mention « Diffusion
        restreinte » sur chaque page.
    titre, sous_titre : str, optional
        Titres de couverture ; par défaut ceux de la section ``[rapport]`` de ``synthese.toml``.
    donnees : str or Path, optional
        Dossier des données des figures (par défaut ``dossier/donnees``). Si
        ``<donnees>/<id>.csv`` existe au moment du rendu, la figure ``<id>`` renvoie dans le
        HTML au lien relatif ``donnees/<id>.csv`` (le dossier publié doit donc se trouver à
        côté du HTML, sous le nom ``donnees``).
    colophon : str, optional
        HTML (de confiance, déjà échappé) placé à la fin du document, après les sections : en
        PDF il commence une nouvelle page, la dernière. Calculé à chaque construction
        (:func:`synthese_ihu.publication.colophon_html`), il ne passe pas par les carnets.

    Returns
    -------
    dict
        ``"html"`` et ``"pdf"`` : chemins écrits ; ``"durees"`` : secondes par étape
        (``assemblage``, ``html``, ``pdf``, ``ecriture``) ; ``"figures"`` : identifiants des
        figures dans l'ordre de numérotation ; ``"sommaire"`` : entrées du sommaire.
    """
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    durees: dict[str, float] = {}

    debut = time.perf_counter()
    carnet = assembler(carnets)
    durees["assemblage"] = time.perf_counter() - debut

    debut = time.perf_counter()
    base = nom_fichier(annee, interne=interne)
    dossier_donnees = Path(donnees) if donnees is not None else dossier / "donnees"
    exportateur = SyntheseHTMLExporter(
        annee=int(annee),
        interne=interne,
        titre=titre,
        sous_titre=sous_titre,
        donnees_dossier=str(dossier_donnees),
        donnees_href="donnees",
        colophon=colophon or "",
        pdf_href=f"{base}.pdf",
        paquet_href=(
            "donnees/datapackage.json" if (dossier_donnees / "datapackage.json").is_file() else ""
        ),
    )
    html, ressources = exportateur.from_notebook_node(carnet, {"metadata": {"path": str(dossier)}})
    durees["html"] = time.perf_counter() - debut

    debut = time.perf_counter()
    pdf = html_vers_pdf(html, base_url=dossier)
    durees["pdf"] = time.perf_counter() - debut

    debut = time.perf_counter()
    chemin_html = dossier / f"{base}.html"
    chemin_pdf = dossier / f"{base}.pdf"
    _ecrire(chemin_html, html.encode("utf-8"))
    _ecrire(chemin_pdf, pdf)
    durees["ecriture"] = time.perf_counter() - debut

    return {
        "html": chemin_html,
        "pdf": chemin_pdf,
        "durees": durees,
        "figures": list(ressources["synthese"]["figures"]),
        "sommaire": list(ressources["synthese"]["sommaire"]),
    }
