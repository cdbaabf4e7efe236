"""PDF : figures passées à WeasyPrint en images ``data:``, même PDF octet pour octet."""

from __future__ import annotations

import io

import matplotlib
import pytest

from synthese_ihu.rendu import exporteurs
from synthese_ihu.rendu.figures_pdf import CLASSE, svg_en_images

matplotlib.use("Agg")

pytestmark = pytest.mark.rapide


def _svg() -> str:
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "essai"
    plt.rcParams["svg.fonttype"] = "none"
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["2021", "2022"], [3, 5], label="dépenses")
    ax.set_title("Essai : dépenses (M€)")
    ax.legend()
    tampon = io.StringIO()
    fig.savefig(tampon, format="svg", metadata={"Date": None})
    plt.close(fig)
    texte = tampon.getvalue()
    return texte[texte.index("<svg") :]


def _html(svg: str) -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>\n'
        "figure.figure svg { display: block; width: 100%; height: auto; }\n"
        "@media print { figure.figure svg { max-height: 60mm; width: auto; } }\n"
        "</style></head><body><h1>Essai</h1><p>Un paragraphe.</p>\n"
        f'<figure class="figure" id="figure-essai">{svg}<figcaption>Figure 1</figcaption>'
        "</figure>\n<p>Logo : <svg width='10' height='10'><rect width='5' height='5'/></svg></p>"
        "</body></html>"
    )


def test_svg_des_figures_en_images_seulement():
    html = _html(_svg())
    converti = svg_en_images(html)
    assert converti.count(f'<img class="{CLASSE}" src="data:image/svg+xml;base64,') == 1
    assert "<svg width='10'" in converti  # hors figure : laissé en ligne
    assert f"figure.figure svg, figure.figure img.{CLASSE} {{" in converti
    assert converti.count(f"img.{CLASSE}") == 2  # règle générale et règle d'impression


def test_svg_illisible_reste_en_ligne():
    html = '<figure class="figure"><svg><g></svg></figure>'
    assert svg_en_images(html) == html


def test_meme_dessin_octet_pour_octet(monkeypatch):
    # Sans balisage, images et SVG en ligne donnent le même PDF : le dessin ne change pas.
    html = _html(_svg())
    avec_images = exporteurs.html_vers_pdf(html, variante=None)
    monkeypatch.setattr(exporteurs, "svg_en_images", lambda h: h)
    en_ligne = exporteurs.html_vers_pdf(html, variante=None)
    assert avec_images == en_ligne


def test_l_image_porte_le_texte_alternatif_de_la_figure():
    svg = _svg().replace("<svg ", '<svg role="img" aria-label="Deux barres : 3 &amp; 5" ', 1)
    converti = svg_en_images(_html(svg))
    assert 'alt="Deux barres : 3 &amp; 5">' in converti


def test_pdf_balise_figure_avec_alt():
    import pikepdf

    svg = _svg().replace("<svg ", '<svg role="img" aria-label="Deux barres : 3 et 5" ', 1)
    pdf = pikepdf.open(io.BytesIO(exporteurs.html_vers_pdf(_html(svg))))
    assert str(pdf.Root.Lang) == "fr"
    figures = []

    def parcourir(noeud):
        if isinstance(noeud, pikepdf.Dictionary):
            if noeud.get("/S") == "/Figure":
                figures.append(str(noeud.get("/Alt")))
            if "/K" in noeud:
                parcourir(noeud.K)
        elif isinstance(noeud, pikepdf.Array):
            for enfant in noeud:
                parcourir(enfant)

    parcourir(pdf.Root.StructTreeRoot.K)
    assert "Deux barres : 3 et 5" in figures
