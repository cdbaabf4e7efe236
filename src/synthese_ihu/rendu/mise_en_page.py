"""Mise en page du PDF : une figure se réduit plutôt que de laisser une demi-page vide.

WeasyPrint ne déplace jamais un bloc : une figure qui ne tient pas en bas de page part entière à
la page suivante et laisse un blanc. Ce module lit la mise en page calculée (boîtes de chaque
page), repère les pages dont le bas reste vide parce que la figure qui suit n'y tient pas, et
réduit cette figure juste assez pour qu'elle y tienne, dans une limite (:data:`REDUCTION_MAX`) :
au-delà, la figure garde sa taille et part à la page suivante. Les ajustements sont des règles
CSS par identifiant, ajoutées au document avant une nouvelle mise en page ; rien ne dépend de la
date ni de la machine (mêmes octets). Une fois les figures ajustées, un titre resté en bas de
page avec moins de :data:`SUITE_MIN_PX` de texte sous lui, alors que sa section continue page
suivante, ouvre cette page (:func:`titres_isoles`, dernière mise en page).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["ajustements", "css_ajustements", "titres_isoles"]

#: Blanc en bas de page (part de la hauteur utile) à partir duquel on cherche à le combler.
BLANC_A_COMBLER = 0.2
#: Une figure ne descend pas sous cette part de sa hauteur d'origine.
REDUCTION_MAX = 0.6
#: Hauteur (px CSS) de texte qu'un titre doit garder sous lui en bas de page (≈ 3 lignes).
SUITE_MIN_PX = 60.0
#: Marge (px CSS) ajoutée au besoin : la marge haute d'une figure, tronquée en haut de page,
#: compte au milieu d'une page.
MARGE_PX = 32.0


def _descendants(boite: Any) -> Iterator[Any]:
    for enfant in getattr(boite, "children", None) or []:
        yield enfant
        yield from _descendants(enfant)


def _principal(page: Any) -> Any | None:
    for boite in _descendants(page._page_box):
        if getattr(boite, "element_tag", None) == "main":
            return boite
    return None


def _bas(boite: Any) -> float:
    return boite.position_y + boite.margin_height()


def _ouvre_une_section(bloc: Any) -> bool:
    """Vrai si le bloc est (ou commence par) un titre de premier niveau (section, colophon)."""
    for boite in [bloc, *_descendants(bloc)]:
        balise = getattr(boite, "element_tag", None)
        if balise == "h1":
            return True
        if balise in ("p", "figure", "table", "ul", "ol", "h2", "h3", "h4"):
            return False
    return False


def _est_une_note(bloc: Any) -> bool:
    """Vrai si le bloc est (ou porte) un paragraphe ``note``, gardé avec ce qui le précède."""
    for boite in [bloc, *_descendants(bloc)]:
        element = getattr(boite, "element", None)
        if getattr(boite, "element_tag", None) == "p":
            return element is not None and "note" in (element.get("class") or "").split()
    return False


def _figure(bloc: Any) -> tuple[str, Any] | None:
    """(identifiant, boîte de l'image) de la figure que porte un bloc, s'il en porte une."""
    for boite in [bloc, *_descendants(bloc)]:
        element = getattr(boite, "element", None)
        if getattr(boite, "element_tag", None) == "figure" and element is not None:
            identifiant = element.get("id")
            for image in _descendants(boite):
                if getattr(image, "element_tag", None) in ("img", "svg"):
                    return (identifiant, image) if identifiant else None
    return None


def ajustements(document: Any, deja: dict[str, str]) -> dict[str, str]:
    """Nouvelles règles (identifiant -> déclarations CSS) pour une mise en page calculée.

    Parameters
    ----------
    document : weasyprint.document.Document
        Document mis en page (``HTML(...).render()``).
    deja : dict
        Règles déjà appliquées (une figure déjà réduite peut l'être encore, dans la limite).

    Returns
    -------
    dict
        Règles à ajouter ou à remplacer ; vide si la mise en page n'a plus rien à gagner.
    """
    regles: dict[str, str] = {}
    pages = [(page, _principal(page)) for page in document.pages]
    for rang in range(len(pages) - 1):
        page, principal = pages[rang]
        suivante, principal_suivant = pages[rang + 1]
        if principal is None or principal_suivant is None or not principal.children:
            continue
        boite = page._page_box
        haut, hauteur = boite.content_box_y(), boite.height
        blocs = principal.children
        blanc = haut + hauteur - max(_bas(b) for b in blocs)
        suite = principal_suivant.children
        continue_section = bool(suite) and not _ouvre_une_section(suite[0])
        if blanc < BLANC_A_COMBLER * hauteur:
            continue
        if not continue_section:
            continue
        haut_suivant = suivante._page_box.content_box_y()
        for bloc in suite[:4]:
            figure = _figure(bloc)
            if figure is None:
                continue
            identifiant, image = figure
            besoin = _bas(bloc) - haut_suivant
            indice = suite.index(bloc)
            if indice + 1 < len(suite) and _est_une_note(suite[indice + 1]):
                besoin = _bas(suite[indice + 1]) - haut_suivant  # la note suit sa figure
            manque = besoin - blanc + MARGE_PX
            actuelle = image.height
            origine = _hauteur_origine(deja.get(f"#{identifiant} img"), actuelle)
            nouvelle = actuelle - manque
            if manque > 0 and nouvelle >= REDUCTION_MAX * origine:
                regles[f"#{identifiant} img"] = f"max-height: {nouvelle:.1f}px; /* {origine:.1f} */"
            break
    return {cle: regle for cle, regle in regles.items() if deja.get(cle) != regle}


def titres_isoles(document: Any) -> dict[str, str]:
    """Règles ``break-before: page`` des titres (h2 à h4) restés en bas de page avec moins de
    :data:`SUITE_MIN_PX` de texte sous eux, quand leur section continue page suivante."""
    regles: dict[str, str] = {}
    pages = [(page, _principal(page)) for page in document.pages]
    for (page, principal), (_, suivant) in zip(pages, pages[1:], strict=False):
        if principal is None or suivant is None or not principal.children or not suivant.children:
            continue
        if _ouvre_une_section(suivant.children[0]):
            continue
        boite = page._page_box
        fin_page = boite.content_box_y() + boite.height
        fin_contenu = max(_bas(b) for b in principal.children)
        for position, bloc in enumerate(principal.children):
            if position == 0 or getattr(bloc, "element_tag", None) not in ("h2", "h3", "h4"):
                continue
            identifiant = bloc.element.get("id")
            sous_lui = fin_contenu - _bas(bloc)
            if identifiant and sous_lui < SUITE_MIN_PX and fin_page - _bas(bloc) < 3 * SUITE_MIN_PX:
                regles[f"#{identifiant}"] = "break-before: page;"
    return regles


def _hauteur_origine(regle: str | None, actuelle: float) -> float:
    """Hauteur d'avant toute réduction (notée en commentaire dans la règle)."""
    if regle and "/*" in regle:
        return float(regle.split("/*")[1].split("*/")[0])
    return actuelle


def css_ajustements(regles: dict[str, str]) -> str:
    """Feuille de style des ajustements, dans l'ordre des sélecteurs (mêmes octets)."""
    lignes = [f"{selecteur} {{ {regle} }}" for selecteur, regle in sorted(regles.items())]
    return "@media print {\n" + "\n".join(lignes) + "\n}\n" if lignes else ""
