"""Rendu de la synthèse : HTML autonome et PDF A4 à partir de carnets exécutés construits ici."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

ANNEE = 2022
NARRATIF = (
    "Le montant de la dotation engagée atteint **473,3\u00a0M€** et les IHU ont publié "
    "**31\u202f639** articles entre 2012 et 2022, soit une progression régulière."
)
#: Texte libre venu des données, échappé en amont (HTML) : il ne doit jamais être dé-échappé.
FAIT_MARQUANT_ECHAPPE = "Start-up &lt;script&gt;alert(1)&lt;/script&gt; \\_x\\_ &amp; 100\u00a0%"
PARAGRAPHE = (
    "Les instituts hospitalo-universitaires rassemblent sur un même site des équipes de soin, "
    "de recherche et de formation ; les indicateurs de suivi décrivent leur activité année "
    "après année, à périmètre constant, à partir des comptes rendus transmis lors des "
    "campagnes annuelles."
)


# -- constructeur de carnets de démonstration ------------------------------------------------


def figure_svg(ident: str, legende: str, alt: str, valeurs: list[float]) -> str:
    """Figure au format des carnets : SVG matplotlib en ligne, légende, texte alternatif."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "synthese-ihu", "font.family": "DejaVu Sans"}
    ):
        fig = Figure(figsize=(6.4, 3.2))
        ax = fig.subplots()
        annees = [str(2012 + i) for i in range(len(valeurs))]
        ax.bar(annees, valeurs, color="#000091")
        ax.plot(annees, valeurs, marker="o", color="#e1000f")
        ax.set_ylabel("Nombre d'articles")
        ax.spines[["top", "right"]].set_visible(False)
        tampon = io.StringIO()
        fig.savefig(tampon, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = tampon.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)
    return (
        f'<figure class="figure" id="figure-{ident}" data-figure="{ident}">{svg}'
        f'<figcaption><span class="figure-numero"></span>{legende}</figcaption></figure>'
    )


def sortie(mime_donnees: dict[str, str], type_sortie: str = "display_data") -> NotebookNode:
    if type_sortie == "execute_result":
        return new_output("execute_result", data=mime_donnees, execution_count=1)
    return new_output("display_data", data=mime_donnees)


def cellule_code(source: str, sorties: list[NotebookNode], tags: list[str] | None = None):
    cellule = new_code_cell(source, execution_count=1, outputs=sorties)
    cellule.metadata["tags"] = tags or []
    return cellule


def carnets_demo(paragraphes: int = 1) -> list[NotebookNode]:
    """Trois petits carnets exécutés (titres, récit, figures, tableau, flux, code)."""
    texte = "\n\n".join([PARAGRAPHE] * paragraphes)
    tableau = (
        '<table class="tableau"><caption>Dépenses par nature (M€)</caption><thead><tr>'
        "<th>Nature</th><th>2021</th><th>2022</th></tr></thead><tbody>"
        "<tr><th>Équipement</th><td>12,4</td><td>13,1</td></tr>"
        "<tr><th>Personnel</th><td>1\u202f204,5</td><td>9,8\u00a0%</td></tr>"
        "<tr><th>Fonctionnement</th><td>non renseigné</td><td>4,2</td></tr>"
        "</tbody></table>"
    )
    c1 = new_notebook(
        cells=[
            cellule_code("annee = 2022", [], tags=["parameters"]),
            cellule_code(
                "annee = 2022\n",
                [sortie({"text/plain": "2022"}, "execute_result")],
                tags=["injected-parameters"],
            ),
            new_markdown_cell("# Chiffres clés\n\n" + texte),
            cellule_code(
                "%%recit\nLe montant ...",
                [
                    new_output("stream", name="stdout", text="print_debug_secret\n"),
                    sortie({"text/markdown": NARRATIF, "text/plain": "<IPython.Markdown>"}),
                    new_output("stream", name="stderr", text="AVERTISSEMENT_PANDAS\n"),
                ],
            ),
            new_markdown_cell("## Dotation et versements\n\n" + texte),
        ]
    )
    c2 = new_notebook(
        cells=[
            new_markdown_cell("# 1. Suivi financier des projets\n\n" + texte),
            new_markdown_cell("## Dépenses par nature\n\n" + texte),
            cellule_code(
                "figure_depenses(donnees)",
                [
                    sortie(
                        {
                            "text/html": figure_svg(
                                "depenses-nature",
                                "Dépenses déclarées par nature et par année",
                                "Diagramme en barres des dépenses par année",
                                [3, 5, 8, 13, 21, 34, 40, 38],
                            ),
                            "text/plain": "<Figure size 640x320>",
                        }
                    )
                ],
            ),
            cellule_code(
                "tableau_depenses(donnees)",
                [sortie({"text/html": tableau, "text/plain": "DataFrame"}, "execute_result")],
            ),
            new_markdown_cell("### Répartition observée\n\n" + texte),
            new_markdown_cell("## Dépenses par nature\n\n" + texte),
            cellule_code(
                "figure_articles(donnees)",
                [
                    sortie(
                        {
                            "text/html": figure_svg(
                                "articles-annee",
                                "Articles publiés par année",
                                "Courbe des articles publiés par année",
                                [1200, 1900, 2300, 2600, 2900, 3100, 3300],
                            ),
                            "text/plain": "<Figure size 640x320>",
                        }
                    )
                ],
            ),
        ]
    )
    c3 = new_notebook(
        cells=[
            new_markdown_cell("# Annexe : méthode et sources\n\n" + texte),
            cellule_code(
                "afficher_texte_libre()",
                [sortie({"text/plain": "<script>alert('x')</script> & Cie"})],
            ),
            cellule_code(
                "%%recit\n{fait_marquant}",
                [sortie({"text/markdown": FAIT_MARQUANT_ECHAPPE, "text/plain": "<Markdown>"})],
            ),
            cellule_code("import pandas as pd_code_secret", []),
        ]
    )
    for carnet in (c1, c2, c3):
        nbformat.validate(carnet)
    return [c1, c2, c3]


# -- outils --------------------------------------------------------------------------------


def texte_pdf(chemin: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(chemin).pages]


@pytest.fixture(scope="module")
def rendu_public(tmp_path_factory):
    from synthese_ihu.rendu import rendre

    dossier = tmp_path_factory.mktemp("public")
    (dossier / "donnees").mkdir()
    (dossier / "donnees" / "depenses-nature.csv").write_text("annee,valeur\n", encoding="utf-8")
    carnets = carnets_demo()
    resultat = rendre(carnets, ANNEE, dossier)
    return resultat, carnets


@pytest.fixture(scope="module")
def rendu_interne(tmp_path_factory):
    from synthese_ihu.rendu import rendre

    dossier = tmp_path_factory.mktemp("interne")
    return rendre(carnets_demo(), ANNEE, dossier, interne=True)


# -- HTML ----------------------------------------------------------------------------------


@pytest.mark.lent
def test_fichiers_nommes_par_annee(rendu_public):
    resultat, _ = rendu_public
    assert resultat["html"].name == "synthese-ihu-2022.html"
    assert resultat["pdf"].name == "synthese-ihu-2022.pdf"
    assert set(resultat["durees"]) >= {"assemblage", "html", "pdf"}
    assert not list(resultat["html"].parent.glob(".*partiel"))


@pytest.mark.lent
def test_html_sans_code_ni_flux(rendu_public):
    html = rendu_public[0]["html"].read_text(encoding="utf-8")
    for fragment in (
        "figure_depenses",
        "pd_code_secret",
        "annee = 2022",
        "%%recit",
        "print_debug_secret",
        "AVERTISSEMENT_PANDAS",
        "<IPython.Markdown>",
        "&lt;Figure size",
        "In&nbsp;[",
        "jp-InputPrompt",
    ):
        assert fragment not in html, fragment


@pytest.mark.lent
def test_html_autonome_sans_lien_externe(rendu_public):
    html = rendu_public[0]["html"].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert "mathjax" not in html.lower() and "require.js" not in html.lower()
    assert "<style>" in html
    assert re.search(r'<html lang="fr"', html)


@pytest.mark.lent
def test_html_sommaire_et_ancres(rendu_public):
    resultat, _ = rendu_public
    html = resultat["html"].read_text(encoding="utf-8")
    nav = re.search(r'<nav class="sommaire".*?</nav>', html, re.DOTALL).group(0)
    nav = nav.replace("\u00a0", " ").replace("\u202f", " ")  # typographie : espaces insécables
    for titre in ("Chiffres clés", "1. Suivi financier des projets", "Annexe : méthode"):
        assert titre in nav
    assert "Dotation et versements" in nav  # niveau 2
    assert "Répartition observée" not in nav  # niveau 3 : hors sommaire
    ancres = re.findall(r'href="#([^"]+)"', nav)
    assert len(ancres) == len(set(ancres)) == 6  # 3 h1 + 3 h2 (dont un titre répété)
    for ancre in ancres:
        assert html.count(f'id="{ancre}"') == 1, ancre


@pytest.mark.lent
def test_html_figures_numerotees_accessibles(rendu_public):
    resultat, _ = rendu_public
    html = resultat["html"].read_text(encoding="utf-8")
    assert resultat["figures"] == ["depenses-nature", "articles-annee"]
    assert "Figure 1 – </span>Dépenses déclarées" in html
    assert "Figure 2 – </span>Articles publiés" in html
    assert html.count("<svg") == 2
    assert 'aria-label="Diagramme en barres des dépenses par année"' in html
    # identifiants SVG uniques dans le document
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    # lien vers les données de la figure seulement quand le CSV existe
    assert 'href="donnees/depenses-nature.csv"' in html
    assert "articles-annee.csv" not in html


@pytest.mark.lent
def test_html_echappe_le_texte_brut_et_garde_les_espaces_fines(rendu_public):
    html = rendu_public[0]["html"].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Cie" in html
    assert "31\u202f639" in html and "473,3\u00a0M€" in html
    assert "Start-up &lt;script&gt;alert(1)&lt;/script&gt; _x_ &amp; 100\u00a0%" in html
    assert '<td class="nombre">1\u202f204,5</td>' in html
    assert "<td>non renseigné</td>" in html


@pytest.mark.lent
def test_carnets_recus_non_modifies(rendu_public):
    _, carnets = rendu_public
    assert carnets[1].cells[2].source == "figure_depenses(donnees)"
    assert 'figure-numero"></span>' in carnets[1].cells[2].outputs[0].data["text/html"]


# -- PDF -----------------------------------------------------------------------------------


@pytest.mark.lent
def test_pdf_a4_pagine_avec_les_nombres(rendu_public):
    from pypdf import PdfReader

    chemin = rendu_public[0]["pdf"]
    lecteur = PdfReader(chemin)
    assert 5 <= len(lecteur.pages) <= 12
    for page in lecteur.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1
        assert abs(float(page.mediabox.height) - 841.89) < 1
    pages = texte_pdf(chemin)
    tout = "\n".join(pages)
    assert re.search("31[\u202f\u00a0 ]639", tout)
    assert re.search("473,3[\u202f\u00a0 ]M€", tout)
    assert "Figure 1 –" in tout and "Figure 2 –" in tout
    couverture = re.sub(r"\s+", " ", pages[0])
    assert "Campagnes de suivi 2011–2022" in couverture
    assert "Agence nationale de la recherche" in couverture
    assert "Édition de janvier 2024" in couverture
    assert "Sommaire" in pages[1]
    n = len(pages)
    assert f"page {n} / {n}" in pages[-1]
    assert "figure_depenses" not in tout and "print_debug_secret" not in tout
    assert "Start-up <script>alert(1)</script> _x_ & 100" in tout
    assert "Diffusion restreinte" not in tout
    info = lecteur.metadata or {}
    assert "/CreationDate" not in info and "/ModDate" not in info


@pytest.mark.lent
def test_pdf_sommaire_avec_numeros_de_page(rendu_public):
    sommaire = texte_pdf(rendu_public[0]["pdf"])[1]
    assert re.search(r"Chiffres clés[ .]*\d+", sommaire)
    assert re.search(r"1\. Suivi financier des projets[ .]*\d+", sommaire)


@pytest.mark.lent
def test_rendu_reproductible_octet_pour_octet(rendu_public, tmp_path):
    from synthese_ihu.rendu import rendre

    premier, _ = rendu_public
    (tmp_path / "donnees").mkdir()
    (tmp_path / "donnees" / "depenses-nature.csv").write_text("annee,valeur\n", encoding="utf-8")
    second = rendre(carnets_demo(), ANNEE, tmp_path)
    assert second["html"].read_bytes() == premier["html"].read_bytes()
    assert second["pdf"].read_bytes() == premier["pdf"].read_bytes()


@pytest.mark.lent
def test_variante_interne(rendu_interne):
    assert rendu_interne["html"].name == "synthese-ihu-2022-diffusion-restreinte.html"
    assert rendu_interne["pdf"].name == "synthese-ihu-2022-diffusion-restreinte.pdf"
    html = rendu_interne["html"].read_text(encoding="utf-8")
    assert "Diffusion restreinte" in html
    for numero, page in enumerate(texte_pdf(rendu_interne["pdf"]), start=1):
        assert "diffusion restreinte" in page.lower(), f"page {numero}"


@pytest.mark.lent
def test_exportateur_pdf_nbconvert(tmp_path):
    from synthese_ihu.rendu import SyntheseWebPDFExporter, assembler

    carnet = assembler(carnets_demo())
    pdf, ressources = SyntheseWebPDFExporter(annee=2021).from_notebook_node(carnet)
    assert pdf.startswith(b"%PDF-")
    assert ressources["output_extension"] == ".pdf"
    chemin = tmp_path / "x.pdf"
    chemin.write_bytes(pdf)
    couverture = re.sub(r"\s+", " ", texte_pdf(chemin)[0])
    assert "Campagnes de suivi 2011–2021" in couverture and "Édition 2022" in couverture


@pytest.mark.rapide
def test_assembler_refuse_une_liste_vide():
    from synthese_ihu.rendu import assembler

    with pytest.raises(ValueError, match="Aucun carnet"):
        assembler([])
