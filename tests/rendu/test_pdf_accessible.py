"""Le PDF publié est balisé (PDF/UA-1) : structure lue par pikepdf.

Arbre de structure, langue, titre affiché, signets, titres dans l'ordre sans saut, un ``/Alt``
par figure égal au texte alternatif de la figure du HTML, cellules d'en-tête des tableaux.
"""

from __future__ import annotations

import html
import re

import pytest

pytestmark = pytest.mark.lent

_ALT_HTML = re.compile(r'<figure class="figure"[^>]*>\s*<svg\b[^>]*?\saria-label="([^"]*)"', re.S)


@pytest.fixture(scope="module")
def pdf(rapport_2022_construit):
    import pikepdf

    with pikepdf.open(rapport_2022_construit / "synthese-ihu-2022.pdf") as document:
        yield document


@pytest.fixture(scope="module")
def structure(pdf):
    """Éléments de structure ``(type, /Alt)`` dans l'ordre du document."""
    import pikepdf

    elements: list[tuple[str, str | None]] = []

    def parcourir(noeud):
        if isinstance(noeud, pikepdf.Dictionary):
            if "/S" in noeud:
                alt = noeud.get("/Alt")
                elements.append((str(noeud.S), None if alt is None else str(alt)))
            if "/K" in noeud:
                parcourir(noeud.K)
        elif isinstance(noeud, pikepdf.Array):
            for enfant in noeud:
                parcourir(enfant)

    parcourir(pdf.Root.StructTreeRoot.K)
    return elements


@pytest.fixture(scope="module")
def texte_html(rapport_2022_construit) -> str:
    return (rapport_2022_construit / "synthese-ihu-2022.html").read_text(encoding="utf-8")


def test_pdf_balise_langue_et_titre_affiche(pdf):
    assert "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.MarkInfo.Marked)
    assert str(pdf.Root.Lang) == "fr"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
    assert str(pdf.docinfo["/Title"]).startswith("Synthèse du suivi")


def test_signets_des_sections(pdf):
    titres = []
    with pdf.open_outline() as plan:
        def parcourir(elements):
            for e in elements:
                titres.append(e.title)
                parcourir(e.children)
        parcourir(plan.root)
    assert "Sommaire" in titres and "Colophon" in titres
    assert any(t.startswith("1. Suivi financier") for t in titres)


def test_titres_dans_l_ordre_sans_saut(structure):
    niveaux = [int(s[2]) for s, _ in structure if re.fullmatch(r"/H[1-6]", s)]
    sauts = [(a, b) for a, b in zip(niveaux, niveaux[1:], strict=False) if b > a + 1]
    assert len(niveaux) > 20 and niveaux[0] == 1 and not sauts, sauts


def test_chaque_figure_porte_son_texte_alternatif(structure, texte_html):
    attendus = [html.unescape(a) for a in _ALT_HTML.findall(texte_html)]
    figures = [alt for s, alt in structure if s == "/Figure"]
    # chaque figure du HTML porte un texte alternatif, et le PDF le même, dans le même ordre
    assert attendus and len(attendus) == texte_html.count('<figure class="figure"')
    assert figures == attendus


def test_tableaux_avec_cellules_d_en_tete(pdf, texte_html):
    import pikepdf

    def types(noeud, vus):
        if isinstance(noeud, pikepdf.Dictionary):
            if "/S" in noeud:
                vus.append(str(noeud.S))
            if "/K" in noeud:
                types(noeud.K, vus)
        elif isinstance(noeud, pikepdf.Array):
            for enfant in noeud:
                types(enfant, vus)
        return vus

    tableaux = []

    def chercher(noeud):
        if isinstance(noeud, pikepdf.Dictionary):
            if noeud.get("/S") == "/Table":
                tableaux.append(types(noeud.K, []))
                return
            if "/K" in noeud:
                chercher(noeud.K)
        elif isinstance(noeud, pikepdf.Array):
            for enfant in noeud:
                chercher(enfant)

    chercher(pdf.Root.StructTreeRoot.K)
    # Un long tableau coupé entre deux pages compte une fois par page (en-tête répété).
    assert len(tableaux) >= texte_html.count("<table") >= 5
    assert all("/TH" in t and "/TD" in t for t in tableaux)
    assert sum(t.count("/TH") for t in tableaux) >= len(re.findall(r"<th\b", texte_html))
