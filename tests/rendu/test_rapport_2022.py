"""Le rapport 2022 construit énonce chaque chiffre publié de l'édition de référence.

Le rapport 2022 est construit une fois pour la session (HTML et PDF, dossier temporaire) ; on
cherche dans le texte de chacun, espaces normalisées, chaque élément de
``data/reference/published_figures.yaml``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from pypdf import PdfReader

from synthese_ihu import chemins

pytestmark = pytest.mark.lent

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


# Les tendances ne sont pas des nombres : le texte doit porter l'énoncé des carnets pour 2022, tel
# que l'édition de référence l'établit (docs/definitions.md, « Constats du récit »).
TENDANCES = {
    "depenses_nature": [r"Jusqu'en 2018, l'équipement", r"Depuis 2019, le fonctionnement l'emporte",
                        r"d'abord par les dépenses de personnel"],
    "depenses_nature_par_ihu": [r"diffère fortement"],
    "projets_tendance": [r"a progressé chaque année jusqu'en 2018, puis s'est stabilisé",
                         r"un IHU de plus est compté à partir de 2019"],
    "position_tendance": [r"position intermédiaire \(k\)"],
    "evolution_vs_france": [r"À une exception près", r"c'est le cas de 6 IHU sur 7"],
    "part_france": [r"la part de chaque IHU augmente entre 2012-2016 et 2018-2022, sauf pour un "
                    r"IHU dont la part recule"],
    "top_cites": [r"tend à augmenter", r"[Rr]ecul de 2022"],
    "top_cites_vs_france": [r"globalement plus élevée dans les IHU qu'en France"],
    "chercheurs_etrangers_tendance": [r"a reculé chaque année de 2020 à 2021 \(au plus fort "
                                      r".19 % en 2020\)",
                                      r"nettement reparti à la hausse en 2022 \(\+21 %\)"],
    "etudiants_tendance": [r"entre 2019 et 2021 est portée pour l'essentiel .{0,12} par deux IHU"],
    "essais_cliniques_tendance": [
        r"Depuis 2020, le nombre d'essais en cours dans les IHU recule chaque année",
        r"en France il augmente chaque année sur la même période"],
    "cofinancements_declarants": [r"Certains IHU n'ont déclaré aucun cofinancement",
                                  r"les 7 IHU suivis en ont tous déclaré"],
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

    #: Balises dans le fil du texte : elles ne séparent pas deux mots (« <span>2018–2022</span>, »).
    EN_LIGNE = frozenset({"span", "strong", "em", "b", "i", "a", "code", "sup", "sub", "cite"})

    def handle_starttag(self, tag, attrs):
        if tag in {"style", "script", "svg"}:
            self._ignorer += 1
        if tag not in self.EN_LIGNE:
            self.morceaux.append(" ")

    def handle_endtag(self, tag):
        if tag in {"style", "script", "svg"}:
            self._ignorer -= 1
        if tag not in self.EN_LIGNE:
            self.morceaux.append(" ")

    def handle_data(self, data):
        if not self._ignorer:
            self.morceaux.append(data)


def normaliser(texte: str) -> str:
    texte = texte.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")
    texte = texte.replace("\u2212", "-").replace("\u2013", "-")  # signe moins, demi-cadratin
    texte = re.sub(r"-\s*\n\s*", "-", texte)
    return re.sub(r"\s+", " ", texte)


@pytest.fixture(scope="module")
def rapport_2022(rapports_publics) -> dict[str, str]:
    """Texte du rapport 2022 construit une fois pour la session (``tests/conftest.py``)."""
    html = rapports_publics[2022] / "synthese-ihu-2022.html"
    pdf = rapports_publics[2022] / "synthese-ihu-2022.pdf"
    analyseur = _Texte()
    analyseur.feed(html.read_text(encoding="utf-8"))
    texte_pdf = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return {"html": normaliser("".join(analyseur.morceaux)), "pdf": normaliser(texte_pdf)}


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
