"""Une figure qui laisserait un bas de page vide est réduite, dans la limite permise.

Petits documents mis en page par WeasyPrint (:func:`synthese_ihu.rendu.exporteurs.html_vers_pdf`,
le chemin du rapport) : un texte occupe le haut de la page, une figure le suit. Si la figure y
tient en perdant moins de 30 % de sa hauteur, elle y est réduite (une page) ; sinon elle garde sa
taille et ouvre la page suivante (deux pages). Un titre isolé en bas de page ouvre la suivante.
"""

from __future__ import annotations

import base64
import io

import pytest
from pypdf import PdfReader

from synthese_ihu.rendu.exporteurs import html_vers_pdf

pytestmark = pytest.mark.lent

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="453pt" height="255pt" '
       'viewBox="0 0 453 255"><rect width="453" height="255" fill="#000091"/></svg>')


def _document(texte_mm: float, corps: str = "") -> str:
    image = base64.b64encode(SVG.encode()).decode()
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>t</title><style>"
        "@page { size: A4; margin: 24mm 20mm 22mm 20mm; } body { margin: 0; }"
        "figure.figure { margin: 5mm 0 6mm; break-inside: avoid; }"
        "figure.figure img { display: block; width: auto; max-width: 100%; max-height: 90mm; }"
        "h2 { break-after: avoid; margin: 0; font-size: 14pt; } p { margin: 0; }"
        f"</style></head><body><main><div class='bloc'><p style='height: {texte_mm}mm'>Texte</p>"
        f"</div>{corps}<div class='bloc'><figure class='figure' id='figure-essai'>"
        f"<img class='svg-pdf' src='data:image/svg+xml;base64,{image}' alt='essai'>"
        "<figcaption>Figure 1 – Essai</figcaption></figure></div></main></body></html>"
    )


def _pages(html: str) -> int:
    return len(PdfReader(io.BytesIO(html_vers_pdf(html))).pages)


def test_la_figure_est_reduite_pour_tenir_sous_le_texte():
    # 251 mm utiles : 165 mm de texte laissent ~86 mm ; la figure en demande ~105 (90 + légende
    # et marges) : réduite d'un quart environ, elle tient.
    assert _pages(_document(165)) == 1


def test_au_dela_de_la_limite_la_figure_part_entiere():
    # 200 mm de texte ne laissent que ~51 mm : il faudrait la réduire de plus de 30 %.
    assert _pages(_document(200)) == 2


def test_un_titre_isole_en_bas_de_page_ouvre_la_suivante():
    html = _document(225, "<h2 id='sec-isole'>Titre isolé</h2><div class='bloc'><p>Une ligne."
                          "</p></div>")
    lecteur = PdfReader(io.BytesIO(html_vers_pdf(html)))
    assert "Titre isolé" not in lecteur.pages[0].extract_text()
    assert "Titre isolé" in lecteur.pages[1].extract_text()


def test_un_titre_avant_le_colophon_reste_a_sa_place():
    """Le colophon (section à titre de premier niveau) n'est pas la suite du titre."""
    html = _document(225, "<h2 id='sec-fin'>Titre de fin</h2><div class='bloc'><p>Une ligne."
                          "</p></div>").replace(
        "<div class='bloc'><figure", "<section style='break-before: page'><h1>Colophon</h1>"
        "</section><div class='bloc'><figure")
    lecteur = PdfReader(io.BytesIO(html_vers_pdf(html)))
    assert "Titre de fin" in lecteur.pages[0].extract_text()


def test_une_note_qui_suit_la_figure_compte_dans_la_place_a_trouver():
    html = _document(150).replace(
        "</figure></div></main>",
        "</figure></div><div class='bloc'><p class='note' style='height: 12mm; "
        "break-before: avoid'>Note.</p></div></main>")
    assert _pages(html) == 1
