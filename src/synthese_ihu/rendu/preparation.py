"""Préparation du carnet assemblé avant son passage dans le gabarit HTML.

Le préprocesseur :class:`PreparationSynthese` applique les conventions des carnets de la
synthèse : aucune entrée de code, aucun flux, aucune sortie des cellules de paramètres, une
seule représentation par sortie (la plus riche), Markdown rendu en HTML, titres ancrés de façon
déterministe, sommaire, figures numérotées dans l'ordre du document, identifiants SVG rendus
uniques, cellules numériques des tableaux repérées, cases des chiffres clés (cellules étiquetées
``chiffre-cle``).
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Unicode

JOURNAL = logging.getLogger(__name__)

#: Étiquettes des cellules dont aucune sortie ne doit paraître.
ETIQUETTES_MUETTES = frozenset({"parameters", "injected-parameters"})

#: Étiquette d'une cellule dont la sortie est une case de la grille des chiffres clés.
ETIQUETTE_CHIFFRE_CLE = "chiffre-cle"

#: Ordre de préférence des représentations d'une sortie (la première présente l'emporte).
PRIORITE_MIME = (
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/plain",
)

_RE_TITRE = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_RE_ATTR_ID = re.compile(r"""\sid\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
_RE_BALISE = re.compile(r"<[^>]+>")
_RE_SCRIPT = re.compile(r"<script\b.*?(?:</script\s*>|$)", re.IGNORECASE | re.DOTALL)
_RE_FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure\s*>", re.IGNORECASE | re.DOTALL)
_RE_DATA_FIGURE = re.compile(r"""\bdata-figure\s*=\s*"([^"]*)\"""", re.IGNORECASE)
_RE_NUMERO = re.compile(
    r"""<span\s+class\s*=\s*"figure-numero"\s*>[^<]*</span\s*>""", re.IGNORECASE
)
_RE_SVG = re.compile(r"<svg\b.*?</svg\s*>", re.IGNORECASE | re.DOTALL)
_RE_METADONNEES_SVG = re.compile(r"<metadata\b.*?</metadata\s*>", re.IGNORECASE | re.DOTALL)
_RE_SVG_ID = re.compile(r"""(\sid=")([^"]+)(")""")
_RE_SVG_URL = re.compile(r"url\(#([^)\s]+)\)")
_RE_SVG_HREF = re.compile(r"""((?:xlink:)?href=")#([^"]+)(")""")
_RE_FIGCAPTION_FIN = re.compile(r"</figcaption\s*>", re.IGNORECASE)
_RE_TD = re.compile(r"<td>([^<]*)</td>")
_RE_TABLE = re.compile(r"<table\b[^>]*>.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_RE_CAPTION = re.compile(r"(<caption\b[^>]*>)", re.IGNORECASE)
_RE_THEAD = re.compile(r"<thead\b.*?</thead\s*>", re.IGNORECASE | re.DOTALL)
_RE_ANNONCE = re.compile(r"<p>((?:(?!</?p\b).)*?:)\s*</p>", re.DOTALL)
_RE_NOTE = re.compile(r"<p>(\s*<em>(?:(?!</?p\b).)*</em>\s*)</p>", re.DOTALL)
_RE_LIGNE = re.compile(r"<tr\b", re.IGNORECASE)
#: Au-delà de ce nombre de lignes, un tableau peut se couper entre deux pages (en-tête répété).
LIGNES_TABLEAU_COURT = 14
_RE_TH_SANS_SCOPE = re.compile(r"<th(?![^>]*\bscope\s*=)(\s[^>]*)?>", re.IGNORECASE)
_ESPACES = " \u00a0\u202f\u2009"
_RE_NOMBRE = re.compile(
    rf"^[{_ESPACES}]*[-−+]?[{_ESPACES}]*\d[\d{_ESPACES}.,]*[{_ESPACES}]*"
    rf"(?:%|‰|€|k€|M€|Md€|pts?|points?)?[{_ESPACES}]*$"
)


def markdown_en_html(source: str) -> str:
    """Rend du Markdown en HTML avec le moteur de nbconvert, sans lien d'ancre.

    Parameters
    ----------
    source : str
        Texte Markdown. Le HTML éventuellement présent est conservé tel quel (les entités déjà
        échappées en amont le restent : rien n'est dé-échappé).

    Returns
    -------
    str
        Fragment HTML.
    """
    rendu = IPythonRenderer(escape=False, exclude_anchor_links=True, anchor_link_text="")
    return MarkdownWithMath(renderer=rendu).render(source)


def texte_brut(fragment: str) -> str:
    """Texte d'un fragment HTML : balises retirées, entités décodées, blancs normalisés.

    Parameters
    ----------
    fragment : str
        Fragment HTML.

    Returns
    -------
    str
        Texte seul (à ré-échapper avant toute insertion dans du HTML).
    """
    texte = html.unescape(_RE_BALISE.sub("", fragment))
    return re.sub(r"[ \t\r\n]+", " ", texte).strip()


def _slug(texte: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug[:60].rstrip("-") or "titre"


class PreparationSynthese(Preprocessor):
    """Prépare le carnet assemblé de la synthèse pour le gabarit ``synthese_ihu``.

    Les informations produites pour le gabarit sont rangées dans ``resources["synthese"]`` :
    ``sommaire`` (liste de dictionnaires ``niveau``, ``texte``, ``id``, ``parent``) et
    ``figures`` (liste des identifiants de figures, dans l'ordre de numérotation).

    Attributes
    ----------
    donnees_dossier : str
        Dossier où chercher ``<id>.csv`` pour chaque figure ; vide : aucun lien.
        ``resources["synthese"]["donnees_dossier"]`` l'emporte s'il est donné.
    donnees_href : str
        Chemin relatif (depuis le HTML) du dossier des données, pour les liens
        (``resources["synthese"]["donnees_href"]`` l'emporte s'il est donné).
    """

    donnees_dossier = Unicode("", help="Dossier des CSV des figures (vide : aucun lien).").tag(
        config=True
    )
    donnees_href = Unicode("donnees", help="Chemin relatif des CSV depuis le HTML.").tag(
        config=True
    )

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any]
    ) -> tuple[NotebookNode, dict[str, Any]]:
        """Prépare toutes les cellules, dans l'ordre du document.

        Parameters
        ----------
        nb : NotebookNode
            Carnet assemblé (modifié en place).
        resources : dict
            Ressources nbconvert ; ``resources["synthese"]`` est complété.

        Returns
        -------
        tuple
            Le carnet et les ressources.
        """
        synthese = resources.setdefault("synthese", {})
        self._donnees_dossier = synthese.get("donnees_dossier") or self.donnees_dossier
        self._donnees_href = synthese.get("donnees_href") or self.donnees_href
        self._ids: set[str] = set()
        self._sommaire: list[dict[str, Any]] = []
        self._figures: list[str] = []
        self._h1_courant: str | None = None
        self._titres: list[tuple[int, int]] = []  # (niveau écrit, niveau rendu) des parents
        self._tableaux = 0
        for cellule in nb.cells:
            self._preparer_cellule(cellule)
        synthese["sommaire"] = self._sommaire
        synthese["figures"] = self._figures
        synthese["tableaux"] = self._tableaux
        return nb, resources

    # -- cellules ---------------------------------------------------------------------------

    def _preparer_cellule(self, cellule: NotebookNode) -> None:
        if cellule.cell_type == "markdown":
            fragment = self._fragment(markdown_en_html(cellule.source))
            cellule.setdefault("metadata", {})["synthese"] = {"html": fragment}
            return
        if cellule.cell_type != "code":
            cellule.source = ""
            return
        cellule.source = ""  # jamais de code dans le rapport, même si le gabarit changeait
        etiquettes = set(cellule.get("metadata", {}).get("tags", []))
        if etiquettes & ETIQUETTES_MUETTES:
            cellule.outputs = []
            return
        sorties = []
        for sortie in cellule.get("outputs", []):
            if sortie.output_type not in ("display_data", "execute_result"):
                continue  # flux stdout/stderr, erreurs : hors rapport
            preparee = self._preparer_sortie(sortie)
            if preparee is not None:
                if ETIQUETTE_CHIFFRE_CLE in etiquettes and "text/html" in preparee.data:
                    # une case de la grille des chiffres clés (valeur en gras, puis libellé)
                    contenu = preparee.data["text/html"]
                    preparee.data["text/html"] = f'<div class="chiffre-cle">{contenu}</div>'
                sorties.append(preparee)
        cellule.outputs = sorties

    def _preparer_sortie(self, sortie: NotebookNode) -> NotebookNode | None:
        donnees = sortie.get("data", {})
        mime = next((m for m in PRIORITE_MIME if m in donnees), None)
        if mime is None:
            return None
        valeur = donnees[mime]
        if isinstance(valeur, list):
            valeur = "".join(valeur)
        if mime == "text/markdown":
            mime, valeur = "text/html", markdown_en_html(valeur)
        if mime == "text/html":
            valeur = self._fragment(valeur)
        elif mime == "image/svg+xml":
            valeur = self._svg_unique(valeur, f"svg{len(self._figures) + 1}")
        sortie.data = NotebookNode({mime: valeur})
        return sortie

    # -- fragments HTML ---------------------------------------------------------------------

    def _fragment(self, fragment: str) -> str:
        fragment, n = _RE_SCRIPT.subn("", fragment)
        if n:
            JOURNAL.warning("%d élément(s) <script> retiré(s) d'une sortie du rapport", n)
        fragment = _RE_TITRE.sub(self._ancrer_titre, fragment)
        fragment = _RE_FIGURE.sub(self._numeroter_figure, fragment)
        fragment = _RE_TABLE.sub(self._preparer_tableau, fragment)
        # Mise en page : une phrase qui annonce (« … : ») reste avec ce qui suit ; une note
        # (paragraphe tout en italique) reste avec ce qui précède.
        fragment = _RE_ANNONCE.sub(r'<p class="annonce">\1</p>', fragment)
        fragment = _RE_NOTE.sub(r'<p class="note">\1</p>', fragment)
        return _RE_TD.sub(self._classer_cellule, fragment)

    def _preparer_tableau(self, m: re.Match[str]) -> str:
        """Numérote le tableau (« Tableau N – » dans sa légende), donne une portée à chaque
        cellule d'en-tête et le place dans une boîte qui défile seule sur un écran étroit."""
        tableau = m.group(0)
        tete = _RE_THEAD.search(tableau)
        if tete:
            entete = _RE_TH_SANS_SCOPE.sub(r'<th scope="col"\1>', tete.group(0))
            tableau = tableau[: tete.start()] + entete + tableau[tete.end() :]
        tableau = _RE_TH_SANS_SCOPE.sub(r'<th scope="row"\1>', tableau)
        if not _RE_CAPTION.search(tableau):
            return tableau
        self._tableaux += 1
        numero = self._tableaux
        ident = self._id_unique(f"tableau-{numero}")
        tableau = _RE_CAPTION.sub(
            lambda c: f'{c.group(1)}<span class="tableau-numero">Tableau {numero} – </span>',
            tableau,
            count=1,
        )
        court = len(_RE_LIGNE.findall(tableau)) <= LIGNES_TABLEAU_COURT
        tableau = tableau.replace(
            "<table", f'<table id="{ident}" data-longueur="{"court" if court else "long"}"', 1
        )
        return (
            f'<div class="tableau-defilant" role="region" tabindex="0" '
            f'aria-labelledby="{ident}-legende">'
            + re.sub(r"<caption\b", f'<caption id="{ident}-legende"', tableau, count=1)
            + "</div>"
        )

    def _id_unique(self, base: str) -> str:
        candidat, n = base, 1
        while candidat in self._ids:
            n += 1
            candidat = f"{base}-{n}"
        self._ids.add(candidat)
        return candidat

    def _ancrer_titre(self, m: re.Match[str]) -> str:
        niveau, attributs, contenu = int(m.group(1)), m.group(2) or "", m.group(3)
        # Aucun saut de niveau (h1 puis h3) : un titre est au plus un niveau sous son parent ;
        # des titres frères gardent le même niveau.
        while self._titres and self._titres[-1][0] >= niveau:
            self._titres.pop()
        ecrit = niveau
        niveau = self._titres[-1][1] + 1 if self._titres else min(niveau, 2)
        self._titres.append((ecrit, niveau))
        texte = texte_brut(contenu)
        ident = self._id_unique(f"sec-{_slug(texte)}")
        attributs = _RE_ATTR_ID.sub("", attributs)
        if niveau == 1:
            self._h1_courant = ident
        if niveau <= 2 and texte:
            self._sommaire.append(
                {
                    "niveau": niveau,
                    "texte": texte,
                    "id": ident,
                    "parent": self._h1_courant if niveau == 2 else None,
                }
            )
        return f'<h{niveau} id="{ident}"{attributs}>{contenu}</h{niveau}>'

    def _numeroter_figure(self, m: re.Match[str]) -> str:
        figure = m.group(0)
        numero = len(self._figures) + 1
        ident_m = _RE_DATA_FIGURE.search(figure)
        ident = ident_m.group(1) if ident_m else f"figure-{numero}"
        self._figures.append(ident)
        figure = _RE_NUMERO.sub(
            f'<span class="figure-numero">Figure {numero} – </span>', figure, count=1
        )
        figure = _RE_SVG.sub(lambda s: self._svg_unique(s.group(0), f"f{numero}"), figure)
        lien = self._lien_donnees(ident)
        if lien:
            figure = _RE_FIGCAPTION_FIN.sub(lambda _: lien + "</figcaption>", figure, count=1)
        return figure

    def _lien_donnees(self, ident: str) -> str:
        if not self._donnees_dossier or not ident:
            return ""
        if not (Path(self._donnees_dossier) / f"{ident}.csv").is_file():
            return ""
        href = html.escape(f"{self._donnees_href.rstrip('/')}/{ident}.csv", quote=True)
        return (
            f'<a class="figure-donnees" href="{href}" download>'
            "Télécharger les données de la figure (CSV)</a>"
        )

    @staticmethod
    def _svg_unique(svg: str, prefixe: str) -> str:
        """Préfixe les identifiants internes d'un SVG (et leurs références) par ``prefixe``.

        Plusieurs SVG de matplotlib dans un même document HTML ont les mêmes identifiants
        (``figure_1``, ``patch_1``…) : les préfixer garde le document valide.
        """
        svg = _RE_METADONNEES_SVG.sub("", svg)
        svg = _RE_SVG_ID.sub(lambda m: f"{m.group(1)}{prefixe}-{m.group(2)}{m.group(3)}", svg)
        svg = _RE_SVG_URL.sub(lambda m: f"url(#{prefixe}-{m.group(1)})", svg)
        return _RE_SVG_HREF.sub(lambda m: f"{m.group(1)}#{prefixe}-{m.group(2)}{m.group(3)}", svg)

    @staticmethod
    def _classer_cellule(m: re.Match[str]) -> str:
        if _RE_NOMBRE.match(html.unescape(m.group(1))):
            return f'<td class="nombre">{m.group(1)}</td>'
        return m.group(0)
