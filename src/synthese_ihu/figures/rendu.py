"""Rendu SVG déterministe et balisage HTML d'une figure.

Mêmes entrées, même SVG à l'octet près : police fixe écrite en texte (``svg.fonttype='none'``),
sel de hachage = identifiant de la figure, pas de date ni de logiciel dans les métadonnées, taille
et résolution fixes, pas de recadrage ``tight``. Le prologue XML et le DOCTYPE sont retirés, et
chaque identifiant interne (``id="…"``, ``url(#…)``, ``href="#…"``) est préfixé par
l'identifiant de la figure, pour que plusieurs SVG cohabitent dans une même page HTML ; les
espaces de fin de ligne sont retirés.
"""

from __future__ import annotations

import html
import io
import re

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu.figures import style

_PROLOGUE = re.compile(r"\A\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'\b((?:xlink:)?href)="#([^"]+)"')
_RACINE = re.compile(r"<svg\b[^>]*>")
_STYLE_GLOBAL = re.compile(r"<style type=\"text/css\">\*\{")
_BLANCS_FIN = re.compile(r"[ \t]+$", re.M)


def nouvelle_figure(taille: tuple[float, float] = style.TAILLE, **kwargs: object) -> FigureMpl:
    """Crée une figure matplotlib hors de pyplot (rien à fermer, aucun état global).

    Parameters
    ----------
    taille : tuple of float
        Largeur et hauteur en pouces (fixes : voir :mod:`synthese_ihu.figures.style`).
    **kwargs
        Transmis à :class:`matplotlib.figure.Figure`.
    """
    fig = FigureMpl(figsize=taille, dpi=style.DPI, layout="constrained", **kwargs)
    FigureCanvasSVG(fig)
    return fig


def _prefixer(svg: str, prefixe: str) -> str:
    svg = _ID.sub(lambda m: f'id="{prefixe}-{m.group(1)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefixe}-{m.group(1)})", svg)
    return _HREF.sub(lambda m: f'{m.group(1)}="#{prefixe}-{m.group(2)}"', svg)


def svg_de(fig: FigureMpl, id_figure: str, alt: str) -> str:
    """Écrit la figure en SVG stable, prêt à insérer dans une page HTML.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        La figure dessinée (elle est vidée après l'écriture).
    id_figure : str
        Identifiant de la figure : sel de hachage et préfixe des identifiants internes.
    alt : str
        Texte alternatif, porté par ``aria-label`` (avec ``role="img"``) sur la racine.

    Returns
    -------
    str
        Le document SVG, sans prologue XML ni DOCTYPE.
    """
    tampon = io.StringIO()
    with style.contexte(id_figure):
        fig.savefig(tampon, format="svg", metadata={"Date": None, "Creator": None})
    fig.clear()
    svg = _PROLOGUE.sub("", tampon.getvalue()).strip()
    # Pas d'espace en fin de ligne : diff lisible, rien à « corriger » pour pre-commit.
    svg = _BLANCS_FIN.sub("", svg)
    svg = _prefixer(svg, id_figure)
    # La feuille de style de matplotlib vise « * » : la restreindre aux SVG de la page.
    svg = _STYLE_GLOBAL.sub('<style type="text/css">svg *{', svg, count=1)
    racine = _RACINE.search(svg)
    if racine is None:  # pragma: no cover - matplotlib écrit toujours une racine <svg>
        raise RuntimeError("SVG sans élément racine <svg>")
    balise = racine.group(0)
    nouvelle = f'{balise[:-1].rstrip()} role="img" aria-label="{html.escape(alt)}">'
    return svg[: racine.start()] + nouvelle + svg[racine.end():] + "\n"


def html_de(id_figure: str, svg: str, legende: str) -> str:
    """Enveloppe un SVG dans l'élément ``<figure>`` attendu par le rendu du rapport.

    Le rendu numérote ensuite les figures en remplissant ``span.figure-numero``.
    """
    svg = svg.strip()
    return (
        f'<figure class="figure" id="figure-{id_figure}" data-figure="{id_figure}">{svg}'
        f'<figcaption><span class="figure-numero"></span>{html.escape(legende)}</figcaption>'
        "</figure>"
    )


def html_absente(message: str) -> str:
    """Avis court remplaçant une figure dont les données n'existent pas encore."""
    return f'<p class="figure-absente">{html.escape(message)}</p>'
