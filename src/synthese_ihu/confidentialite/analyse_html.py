"""Analyse d'un HTML publié (SVG en ligne compris) : un nom d'IHU seulement dans les blocs
autorisés, jamais à côté d'un nombre, jamais dans une figure par IHU ni un attribut.

Blocs autorisés : tableau des IHU (ouverture), carte des IHU (figure nominative : noms et lieux,
texte alternatif compris), tableau des catégories du Web of Science, tableaux IHU3 et MEDITWIN
des faits marquants (reconnus à leur ``<caption>``), tableau des classeurs du colophon,
préambule (« Présentation de l'action », hors figures). Dans ces blocs, la ligne (``<tr>``) ou
le paragraphe qui nomme un IHU ne porte aucun nombre. Les attributs (``id``, ``class``,
``aria-label``, ``href``, ``data-*``…) n'ont ni nom ni code ; une image ``data:`` est décodée
et analysée de même.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

from synthese_ihu.confidentialite.reperes import Fuite, Reperes

#: Légendes (``<caption>``) des seuls tableaux autorisés à nommer des IHU.
LEGENDES_AUTORISEES = (
    "Les IHU, leur ville et leur appel à projets",
    "Domaines de recherche de chaque IHU",
    "Les IHU retenus en 2023 (appel IHU3)",
    "Les partenaires du consortium MEDITWIN",
    "Classeurs de campagne",  # colophon : un code d'IHU par colonne, des sha256, aucune valeur
)
#: ``id`` du titre de la section d'ouverture (préambule) : ses paragraphes peuvent nommer un IHU.
TITRE_PREAMBULE = "sec-presentation-de-l-action"
#: Figures nominatives (noms et lieux, aucune valeur) : autorisées comme le tableau des IHU —
#: leurs textes (SVG, texte alternatif) peuvent nommer un IHU s'ils ne portent aucun nombre, et
#: leur CSV ne porte que des noms, des lieux et les coordonnées publiques des villes.
FIGURES_NOMINATIVES = {"carte_ihu"}

#: Attributs en prose (les traits d'union y lient les mots, comme dans le texte).
ATTRIBUTS_PROSE = {"aria-label", "alt", "title", "content", "aria-description", "summary"}
#: Éléments qui forment une « unité » de texte (une ligne de tableau, un paragraphe…).
UNITES = {
    "tr",
    "p",
    "li",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "caption",
    "figcaption",
    "text",
    "title",
    "desc",
    "pre",
    "blockquote",
    "style",
    "script",
    "td",
    "th",
}
VIDES = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
#: Un nombre écrit seul (pas « IHU1 », ni « Immun4Cure ») : 2022, 31 639, 12,5, -8,0.
NOMBRE = re.compile(r"(?<![\w])[-+−]?\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?![\w])")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    autorise: bool = False  # dans un bloc autorisé (tableau reconnu, préambule)
    figure: str | None = None  # identifiant de la figure englobante
    texte: list[str] = field(default_factory=list)
    legende: str = ""  # <caption> d'un tableau


class _AnalyseHTML(HTMLParser):
    """Parcourt le HTML (SVG en ligne compris) en unités de texte, avec leur zone."""

    def __init__(self, fichier: str, reperes: Reperes, par_ihu: set[str]):
        super().__init__(convert_charrefs=True)
        self.fichier, self.reperes, self.par_ihu = fichier, reperes, par_ihu
        self.pile: list[_Element] = []
        self.fuites: list[Fuite] = []
        self.autorises: list[str] = []  # unités autorisées qui nomment un IHU
        self.figures_vues: set[str] = set()
        self.preambule = False
        self.tableaux: list[list[tuple[_Element, str]]] = []  # unités en attente de la légende

    # zones ---------------------------------------------------------------------------------
    def _figure(self) -> str | None:
        return next((e.figure for e in reversed(self.pile) if e.figure), None)

    def _autorise(self) -> bool:
        return any(e.autorise for e in self.pile)

    def _fuite(self, lieu: str, reperes: list[str], extrait: str) -> None:
        self.fuites.append(Fuite(self.fichier, lieu, tuple(reperes), " ".join(extrait.split())))

    # attributs -------------------------------------------------------------------------------
    def _attributs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        stricte = self._figure() in self.par_ihu
        nominative = self._figure() in FIGURES_NOMINATIVES
        for nom, valeur in attrs:
            if not valeur:
                continue
            if valeur.startswith("data:"):
                self._donnee_uri(tag, nom, valeur)
                continue
            prose = nom in ATTRIBUTS_PROSE
            trouves = self.reperes.chercher(valeur, identifiant=not prose, villes=stricte)
            if trouves and nominative and prose and not NOMBRE.search(valeur):
                continue  # texte alternatif de la carte : des noms et des lieux, aucun nombre
            if trouves:
                self._fuite(f"<{tag} {nom}>", trouves, valeur)

    def _donnee_uri(self, tag: str, nom: str, valeur: str) -> None:
        entete, _, corps = valeur.partition(",")
        if not re.match(r"data:(image/svg\+xml|text/)", entete):
            return
        contenu = (
            base64.b64decode(corps).decode("utf-8", "replace")
            if ";base64" in entete
            else unquote(corps)
        )
        sous = analyser_html(
            contenu,
            f"{self.fichier} <{tag} {nom}=data:…>",
            self.reperes,
            self.par_ihu,
            figure=self._figure() or "data-uri",
        )
        self.fuites += sous.fuites

    # arbre -----------------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._attributs(tag, attrs)
        if tag in VIDES:
            return
        d = {k: v or "" for k, v in attrs}
        if tag == "h1":
            self.preambule = d.get("id") == TITRE_PREAMBULE
        element = _Element(tag, d, figure=d.get("data-figure") if tag == "figure" else None)
        if element.figure:
            self.figures_vues.add(element.figure)
        if self.preambule and tag in {"p", "li"} and not self._figure():
            element.autorise = True
        if tag == "table":
            self.tableaux.append([])
        self.pile.append(element)

    def handle_startendtag(self, tag, attrs):
        self._attributs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VIDES or not any(e.tag == tag for e in self.pile):
            return
        while self.pile:
            element = self.pile.pop()
            self._fermer(element)
            if element.tag == tag:
                break

    def handle_data(self, data):
        for element in reversed(self.pile):
            if element.tag in UNITES or element.tag in {"figure", "table", "div", "body", "svg"}:
                element.texte.append(data)
                break
        else:
            if data.strip():
                self._verifier(_Element("(racine)", {}), data)

    def _fermer(self, element: _Element) -> None:
        texte = " ".join("".join(element.texte).split())
        if element.tag == "caption" and self.tableaux:
            for parent in reversed(self.pile):
                if parent.tag == "table":
                    parent.legende = texte
                    break
        if element.tag == "table" and self.tableaux:
            en_attente = self.tableaux.pop()
            autorise = any(leg in element.legende for leg in LEGENDES_AUTORISEES)
            for unite, contenu in en_attente:
                self._verifier(unite, contenu, autorise=autorise)
            if texte:
                self._verifier(element, texte)
            return
        if element.tag in {"td", "th"} and self._dans_tableau():
            # le texte d'une cellule remonte à sa ligne : la ligne est l'unité
            for parent in reversed(self.pile):
                if parent.tag == "tr":
                    parent.texte.append(" " + texte + " ")
                    return
        if not texte:
            return
        if self._dans_tableau() and element.tag in {"tr", "caption"}:
            self.tableaux[-1].append((element, texte))
            return
        self._verifier(element, texte)

    def _dans_tableau(self) -> bool:
        return bool(self.tableaux) and any(e.tag == "table" for e in self.pile)

    def _verifier(self, element: _Element, texte: str, *, autorise: bool | None = None) -> None:
        figure = element.figure or self._figure()
        stricte = figure in self.par_ihu
        trouves = self.reperes.chercher(texte, villes=stricte)
        if not trouves:
            return
        if autorise is None:
            autorise = (
                (element.autorise or self._autorise())
                and not figure
                or figure in FIGURES_NOMINATIVES
            )
        if stricte:
            self._fuite(f"figure par IHU « {figure} » <{element.tag}>", trouves, texte)
        elif not autorise:
            self._fuite(f"<{element.tag}> hors des blocs autorisés", trouves, texte)
        elif NOMBRE.search(texte):
            nombres = NOMBRE.findall(texte)
            self._fuite(
                f"<{element.tag}> autorisé mais chiffré ({', '.join(nombres)})", trouves, texte
            )
        else:
            self.autorises.append(texte)

    def close(self):
        super().close()
        while self.pile:
            self._fermer(self.pile.pop())


def analyser_html(
    html: str, fichier: str, reperes: Reperes, par_ihu: set[str], figure: str | None = None
) -> _AnalyseHTML:
    """Analyse un document HTML (ou un SVG) ; ``figure`` : tout le document est cette figure."""
    analyse = _AnalyseHTML(fichier, reperes, par_ihu | ({figure} if figure else set()))
    if figure:
        analyse.pile.append(_Element("(figure)", {}, figure=figure))
    analyse.feed(html)
    analyse.close()
    return analyse
