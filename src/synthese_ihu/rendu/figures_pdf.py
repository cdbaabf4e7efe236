"""Figures SVG du HTML passées à WeasyPrint en images ``data:`` : même PDF, rendu plus court.

Le HTML du rapport porte ses figures en SVG en ligne (une vingtaine, près de 5 000 éléments).
WeasyPrint traite un ``<svg>`` en ligne comme une image, mais l'analyseur HTML et la cascade CSS
parcourent d'abord chacun de ses éléments (styles calculés, attributs ``style`` relus) pour rien :
c'était près de la moitié du temps du PDF. Une ``<img src="data:image/svg+xml;base64,…">`` donne
le même dessin (même analyseur SVG, même taille) sans ce parcours : le PDF est identique octet
pour octet (vérifié par ``tests/test_figures_pdf.py``). Seul le HTML donné à WeasyPrint change ;
le HTML publié garde ses SVG en ligne.

L'image porte le texte alternatif de la figure (``aria-label`` du SVG) : dans le PDF balisé
(PDF/UA), chaque ``Figure`` reçoit ce texte en ``/Alt`` (un ``<svg>`` en ligne n'en reçoit pas).
"""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET

#: Classe des images qui remplacent les SVG en ligne (dans le HTML du PDF seulement).
CLASSE = "svg-pdf"

_FIGURE_SVG = re.compile(r'(<figure class="figure"[^>]*>\s*)(<svg\b.*?</svg>)', re.S)
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.S)
_ARIA_LABEL = re.compile(r'<svg\b[^>]*?\saria-label="([^"]*)"', re.S)
_SELECTEUR = re.compile(r"figure\.figure svg(?=\s*[{,])")


def _image(correspondance: re.Match[str]) -> str:
    debut, svg = correspondance.groups()
    try:
        ET.fromstring(svg)  # un SVG que l'analyseur XML refuserait reste en ligne
    except ET.ParseError:
        return correspondance.group(0)
    donnees = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    libelle = _ARIA_LABEL.match(svg)
    alt = html.escape(html.unescape(libelle.group(1)), quote=True) if libelle else ""
    return f'{debut}<img class="{CLASSE}" src="data:image/svg+xml;base64,{donnees}" alt="{alt}">'


def _regles(correspondance: re.Match[str]) -> str:
    debut, css, fin = correspondance.groups()
    css = _SELECTEUR.sub(f"figure.figure svg, figure.figure img.{CLASSE}", css)
    return debut + css + fin


def svg_en_images(html: str) -> str:
    """Remplace le SVG en ligne de chaque figure par une image ``data:`` équivalente.

    Les règles CSS qui visent ``figure.figure svg`` (taille, marges, hauteur maximale à
    l'impression) visent aussi ces images : la mise en page ne change pas.

    Parameters
    ----------
    html : str
        Document HTML de la synthèse (:class:`~synthese_ihu.rendu.SyntheseHTMLExporter`).

    Returns
    -------
    str
        Le HTML à donner à WeasyPrint (jamais publié).
    """
    html = _FIGURE_SVG.sub(_image, html)
    return _STYLE.sub(_regles, html)
