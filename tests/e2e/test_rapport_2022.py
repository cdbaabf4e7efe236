"""Le rapport 2022 construit énonce chaque chiffre publié de l'édition de référence.

On construit le rapport une fois (HTML et PDF) dans un dossier temporaire, puis on cherche dans le
texte de chacun, espaces normalisées, chaque élément de ``data/reference/published_figures.yaml``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from pypdf import PdfReader

from synthese_ihu import chemins

pytestmark = pytest.mark.e2e

REFERENCE = chemins.DONNEES / "reference" / "published_figures.yaml"
SECTIONS = ["finance", "research", "attractiveness", "training", "valorisation", "care",
            "cofinancing", "context"]


def _elements() -> list[dict]:
    publie = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return [e for s in SECTIONS for e in publie[s]]


def _fr(valeur: float) -> str:
    """Forme française d'un nombre publié, espaces normalisées : 31639 -> '31 639', 9.4 -> '9,4'."""
    entier, _, decimales = f"{valeur}".partition(".")
    if decimales == "0":
        decimales = ""
    groupes = re.sub(r"(?<=\d)(?=(\d{3})+$)", " ", entier)
    return groupes + ("," + decimales if decimales else "")


def _unite(element: dict) -> str:
    unite = element.get("unit", "")
    return {"M€": " M€", "%": " %"}.get(unite, "")


# Les tendances ne sont pas des nombres : le texte doit porter la formulation calculée.
TENDANCES = {
    "depenses_nature": [
        r"[Jj]usqu'en 2018, l'équipement", r"depuis 2019, les dépenses de fonctionnement"
    ],
    "depenses_nature_par_ihu": [r"diffère fortement"],
    "projets_tendance": [r"augmente de \d{4} à 2018", r"reste stable de 2018 à 2022",
                         r"malgré l'ajout d'un IHU"],
    "position_tendance": [r"position intermédiaire \(k\)"],
    "evolution_vs_france": [r"de 6 IHU sur 7 progresse plus vite que celle de la France"],
    "part_france": [r"augmente légèrement .{0,40}pour 6 IHU sur 7 ; elle recule pour un IHU"],
    "top_cites": [r"tend à augmenter", r"recul .{0,30}2022"],
    "top_cites_vs_france": [r"globalement plus élevée dans les IHU qu'en France"],
    "chercheurs_etrangers_tendance": [r"diminue de 2019 à 2021", r"augmente légèrement en 2022"],
    "etudiants_tendance": [r"entre 2019 et 2021 est portée pour l'essentiel .{0,12} par deux IHU"],
    "essais_cliniques_tendance": [r"diminue chaque année depuis 20(1[89]|20)",
                                  r"augmente chaque année en France"],
    "cofinancements_declarants": [r"Certains IHU ne transmettent aucun cofinancement",
                                  r"les 7 IHU déclarent des cofinancements en 2022"],
    "categories_revues": [r"10 % en catégorie A", r"15 % en B", r"25 % en C"],
}


def motifs(element: dict) -> list[str]:
    """Ce que le texte doit contenir pour énoncer l'élément (expressions régulières)."""
    genre = element["kind"]
    if genre == "trend" or element["id"] in TENDANCES:
        return TENDANCES[element["id"]]
    unite = re.escape(_unite(element))
    if genre == "range":
        return [rf"de {_fr(element['min'])}{unite} à {_fr(element['max'])}{unite}"]
    signe = re.escape(element.get("sign", "")) if element.get("sign") == "-" else r"\+?"
    return [rf"(?<![\d,]){signe}{re.escape(_fr(element['value']))}{unite}(?![\d,])"]


class _Texte(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.morceaux: list[str] = []
        self._ignorer = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"style", "script", "svg"}:
            self._ignorer += 1

    def handle_endtag(self, tag):
        if tag in {"style", "script", "svg"}:
            self._ignorer -= 1

    def handle_data(self, data):
        if not self._ignorer:
            self.morceaux.append(data)


def normaliser(texte: str) -> str:
    texte = texte.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")
    texte = texte.replace("\u2212", "-").replace("\u2013", "-")  # signe moins, demi-cadratin
    texte = re.sub(r"-\s*\n\s*", "-", texte)
    return re.sub(r"\s+", " ", texte)


@pytest.fixture(scope="module")
def rapport_2022(tmp_path_factory) -> dict[str, str]:
    from synthese_ihu.construction import main

    sortie = tmp_path_factory.mktemp("rapport")
    assert main(["--annee", "2022", "--sortie", str(sortie)]) == 0
    html = sortie / "2022" / "synthese-ihu-2022.html"
    pdf = sortie / "2022" / "synthese-ihu-2022.pdf"
    analyseur = _Texte()
    analyseur.feed(html.read_text(encoding="utf-8"))
    texte_pdf = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return {"html": normaliser(" ".join(analyseur.morceaux)), "pdf": normaliser(texte_pdf)}


@pytest.mark.parametrize("support", ["html", "pdf"])
@pytest.mark.parametrize("element", _elements(), ids=lambda e: e["id"])
def test_le_rapport_enonce_le_chiffre_publie(rapport_2022, support, element):
    texte = rapport_2022[support]
    manquants = [m for m in motifs(element) if not re.search(m, texte)]
    assert not manquants, f"{element['id']} : introuvable dans le {support} : {manquants}"


def test_chaque_element_a_un_motif():
    for element in _elements():
        assert motifs(element), element["id"]


def test_un_chiffre_faux_n_est_pas_trouve():
    faux = {"id": "x", "kind": "total", "value": 473.4, "unit": "M€"}
    assert not re.search(motifs(faux)[0], "dotation de 473,3 M€ engagée")
    vrai = {"id": "x", "kind": "total", "value": 473.3, "unit": "M€"}
    assert re.search(motifs(vrai)[0], "dotation de 473,3 M€ engagée")
    assert not re.search(motifs(vrai)[0], "1473,3 M€")
