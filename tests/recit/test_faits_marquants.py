"""Faits marquants : paragraphes venus des données, affichés tels quels (échappés), tableaux placés.

``Section.faits_marquants`` affiche les lignes de ``faits_marquants.csv`` de l'édition : un titre
``###``, le texte, puis le tableau que nomme la colonne ``tableau``. Le texte est libre (rédigé
par un IHU ou l'agence) : ni balise, ni Markdown, ni référence ``{v.…}`` n'y prend effet.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest
from IPython import display as ipython_display
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from synthese_ihu.donnees import Donnees
from synthese_ihu.section import Section
from synthese_ihu.valeurs import Valeurs

pytestmark = pytest.mark.rapide

PIEGE = "<script>alert(1)</script> **x** {v.verse_cumul} _y_ [lien](http://x) `code` # fin"


class _Texte(HTMLParser):
    """Texte visible et balises, sans l'ancre « ¶ » que nbconvert ajoute à chaque titre."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.morceaux: list[str] = []
        self.balises: list[str] = []
        self.ancre = False

    def handle_starttag(self, tag, attrs):
        if tag == "a" and ("class", "anchor-link") in attrs:
            self.ancre = True
            return
        self.balises.append(tag)

    def handle_endtag(self, tag):
        if tag == "a":
            self.ancre = False

    def handle_data(self, data):
        if not self.ancre:
            self.morceaux.append(data)


def _rendu(markdown: str) -> tuple[str, list[str]]:
    """Texte visible et balises du Markdown rendu en HTML comme par nbconvert."""
    analyse = _Texte()
    analyse.feed(markdown2html_mistune(markdown))
    return " ".join(" ".join(analyse.morceaux).split()), analyse.balises


def _section(paragraphes: list[list[object]], annee: int = 2022) -> Section:
    colonnes = ["edition", "ordre", "titre", "texte", "date", "source", "tableau"]
    complet = Donnees.depuis_tableaux(
        faits_marquants=pd.DataFrame(paragraphes, columns=colonnes),
        ihu=pd.DataFrame([{"ihu": "alpha3", "nom": "Alpha3", "appel": "IHU3",
                           "annee_selection": annee + 1}]),
        tableaux={
            "ihu_selectionnes": pd.DataFrame([{
                "nom": "Alpha3", "intitule": "Institut", "ville": "Lyon",
                "region": "Auvergne-Rhône-Alpes", "appel": "IHU3"}]),
            "meditwin": pd.DataFrame([{"partenaire": "Inria", "type": "organisme",
                                       "role": "membre"}]),
        },
    )
    vue = Donnees.depuis_tableaux(
        annee=annee, faits_marquants=complet.faits_marquants.loc[
            complet.faits_marquants["edition"] == annee].sort_values("ordre"),
    )
    return Section("faits_marquants", annee, vue, Valeurs(vue, annee, complet), complet)


@pytest.fixture
def affiches(monkeypatch) -> list[tuple[str, str]]:
    """Ce que la section affiche, dans l'ordre : (``markdown`` ou ``html``, contenu)."""
    sorties: list[tuple[str, str]] = []

    def display(objet):
        genre = "markdown" if isinstance(objet, ipython_display.Markdown) else "html"
        sorties.append((genre, objet.data))

    monkeypatch.setattr(ipython_display, "display", display)
    return sorties


def test_texte_et_titre_des_donnees_affiches_tels_quels(affiches):
    s = _section([[2022, 1, f"Titre {PIEGE}", f"Texte {PIEGE}", None, "Agence", None]])
    s.faits_marquants()
    assert [genre for genre, _ in affiches] == ["markdown"]
    markdown = affiches[0][1]
    assert markdown.startswith("### Titre ")
    assert "<script>" not in markdown and "**x**" not in markdown
    texte, balises = _rendu(markdown)
    assert texte == f"Titre {PIEGE} Texte {PIEGE}"
    assert balises == ["h3", "p"]  # ni script, ni gras, ni lien, ni code : un titre, un paragraphe


@pytest.mark.parametrize(
    "debut", ["- tiret", "+ plus", "1. premier", "2023) année", "---", "> cite"]
)
def test_un_debut_de_liste_reste_un_paragraphe(affiches, debut):
    s = _section([[2022, 1, None, f"{debut} suite\n\n- autre ligne", None, "Agence", None]])
    s.faits_marquants()
    texte, balises = _rendu(affiches[0][1])
    assert balises == ["p"]
    assert texte == f"{debut} suite - autre ligne"


def test_paragraphes_de_l_edition_dans_l_ordre_avec_leurs_tableaux(affiches):
    s = _section([
        [2022, 3, "", "Troisième, sans titre.", None, "Agence", None],
        [2022, 1, "Premier", "Premier texte :", "2023-05-16", "Agence", "ihu_selectionnes"],
        [2021, 1, "Autre édition", "Jamais montré en 2022.", None, "Agence", None],
        [2022, 2, "Deuxième", "Deuxième texte :", "2023-12-11", "Agence", "meditwin"],
    ])
    s.faits_marquants()
    genres = [genre for genre, _ in affiches]
    assert genres == ["markdown", "html", "markdown", "html", "markdown"]
    assert affiches[0][1] == "### Premier\n\nPremier texte :"
    assert "Les IHU retenus en 2023 (appel IHU3)" in affiches[1][1] and "Alpha3" in affiches[1][1]
    assert affiches[2][1] == "### Deuxième\n\nDeuxième texte :"
    assert "Les partenaires du consortium MEDITWIN" in affiches[3][1]
    assert affiches[4][1] == "Troisième, sans titre."  # paragraphe de suite : pas de titre
    assert "Autre édition" not in " ".join(contenu for _, contenu in affiches)
    assert s.valeurs.faits_marquants is True


def test_un_seul_paragraphe_par_son_ordre(affiches):
    s = _section([[2022, 1, "Premier", "Un.", None, "Agence", "meditwin"],
                  [2022, 2, None, "Deux.", None, "Agence", None]])
    s.faits_marquants(ordre=2)
    assert affiches == [("markdown", "Deux.")]
    affiches.clear()
    s.faits_marquants(ordre=7)  # rang absent pour cette édition : rien
    assert affiches == []


def test_edition_sans_fait_marquant(affiches):
    s = _section([[2021, 1, "Autre édition", "Texte.", None, "Agence", None]])
    s.faits_marquants()
    assert affiches == []
    assert s.valeurs.faits_marquants is False  # « %%recit --sauf v.faits_marquants » le dit
