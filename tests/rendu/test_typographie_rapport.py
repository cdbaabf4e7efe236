"""Typographie du rapport construit : texte et textes alternatifs du HTML, lignes du PDF.

Dans la prose (nœuds texte hors code, styles et géométrie SVG ; ``alt``, ``aria-label``,
``title``) : aucune espace sécable avant ; : ! ? » ni après «, aucune apostrophe droite. Dans le
PDF (``pdftotext -layout``) : aucune ligne ne commence par ; : ! ? ». Les textes des figures
sont lisibles : contraste d'au moins 4,5:1 sur fond blanc.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from synthese_ihu.figures import style

pytestmark = pytest.mark.lent

SECABLE_AVANT = re.compile(r"[ \t\r\n]+[;:!?»]|«[ \t\r\n]")
VIDES = {"br", "img", "meta", "link", "hr", "input", "path", "rect", "use", "circle", "line",
         "polyline", "polygon", "ellipse", "stop", "source", "col", "wbr"}
PROTEGES = {"code", "pre", "style", "script", "kbd", "samp"}


class _Prose(HTMLParser):
    """Nœuds texte de prose (avec voisins en contexte) et textes alternatifs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pile: list[str] = []
        self.textes: list[str] = []
        self.alternatifs: list[str] = []

    def _attributs(self, attrs) -> None:
        self.alternatifs += [v for k, v in attrs if k in ("alt", "aria-label", "title") and v]

    def handle_starttag(self, tag, attrs):
        self._attributs(attrs)
        if tag not in VIDES:
            self.pile.append(tag)
        if tag in ("p", "li", "td", "th", "div", "figcaption", "caption", "dd", "dt") or \
                tag.startswith("h"):
            self.textes.append("\n")

    def handle_startendtag(self, tag, attrs):
        self._attributs(attrs)

    def handle_endtag(self, tag):
        if tag in self.pile:
            while self.pile.pop() != tag:
                pass

    def handle_data(self, data):
        pile = set(self.pile)
        if pile & PROTEGES or ("svg" in pile and not pile & {"text", "title", "desc"}):
            return
        self.textes.append(data)


@pytest.fixture(scope="module")
def prose(rapport_2022_construit) -> _Prose:
    analyse = _Prose()
    analyse.feed((rapport_2022_construit / "synthese-ihu-2022.html").read_text(encoding="utf-8"))
    return analyse


def _extraits(motif: re.Pattern[str], texte: str) -> list[str]:
    return [texte[max(0, m.start() - 30) : m.end() + 10] for m in motif.finditer(texte)]


def test_aucune_espace_secable_devant_la_ponctuation_haute(prose):
    # Les nœuds sont recollés (« <strong>Note</strong> : ») ; une ligne neuve sépare les blocs.
    texte = re.sub(r"\n[ \t\r\n]*", "\n", "".join(prose.textes))
    texte = "\n".join(ligne.strip() for ligne in texte.split("\n"))
    fautes = _extraits(SECABLE_AVANT, texte)
    assert len(texte) > 20_000 and not fautes, fautes[:10]


def test_aucune_apostrophe_droite_dans_la_prose(prose):
    fautes = _extraits(re.compile("'"), "".join(prose.textes))
    assert not fautes, fautes[:10]


def test_textes_alternatifs_composes(prose, rapport_2022_construit):
    html = (rapport_2022_construit / "synthese-ihu-2022.html").read_text(encoding="utf-8")
    figures = html.count('<figure class="figure"')
    assert figures and len(prose.alternatifs) >= figures  # au moins un par figure, relu ici
    fautes = [a[:80] for a in prose.alternatifs if SECABLE_AVANT.search(a) or "'" in a]
    assert not fautes, fautes


def test_aucune_ligne_du_pdf_ne_commence_par_une_ponctuation_haute(rapport_2022_construit):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext absent : lancer scripts/paquets-systeme.sh (poppler-utils)"
    sortie = subprocess.run(
        [pdftotext, "-layout", str(rapport_2022_construit / "synthese-ihu-2022.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    lignes = [ligne for ligne in sortie.splitlines() if ligne.strip()]
    fautes = [ligne for ligne in lignes if re.match(r"\s*[;:!?»]", ligne)]
    assert len(lignes) > 500 and not fautes, fautes[:10]
    assert "'" not in sortie  # apostrophes typographiques partout, figures comprises


def test_textes_des_figures_contrastes(rapport_2022_construit):
    svg = (rapport_2022_construit / "synthese-ihu-2022.html").read_text(encoding="utf-8")
    couleurs = set(re.findall(r'<text style="[^"]*fill: (#[0-9a-fA-F]{6})', svg))
    # Le texte blanc n'est écrit que sur un aplat choisi par style.encre_sur (test unitaire).
    faibles = {c for c in couleurs - {"#ffffff"} if style.contraste(c) < 4.5}
    assert couleurs and not faibles, faibles
