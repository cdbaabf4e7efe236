"""Variante interne à part, et texte libre des données échappé dans le HTML et le PDF.

- ``--interne`` (``make report INTERNAL=1``) : les carnets reçoivent ``interne = True``, les
  figures par IHU montrent les IHU, chaque page du PDF et le nom des fichiers portent « Diffusion
  restreinte », et tout est écrit sous ``<racine>/interne/<annee>/`` sans toucher au rapport
  public de ``<racine>/<annee>/`` (construit par la même session).
- Une copie de ``data/raw`` dont les textes libres (titre et texte d'un fait marquant,
  partenaires MEDITWIN et leur rôle, intitulés IHU3, source d'une série de contexte citée par
  ``%%recit``, intitulé d'un indicateur de soin propre, nom de start-up) portent du HTML, du
  Markdown, du LaTeX et une référence ``{v.…}`` : le rapport les montre tels quels, sans balise
  active ni lien ni substitution.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from synthese_ihu import chemins
from synthese_ihu.confidentialite import analyser_dossier, figures_par_ihu, reperes_du_referentiel

pytestmark = pytest.mark.lent


class _Texte(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.morceaux: list[str] = []

    def handle_data(self, data):
        self.morceaux.append(data)


def texte_html(html: str) -> str:
    """Texte visible du HTML, espaces normalisées."""
    analyse = _Texte()
    analyse.feed(html)
    return " ".join(" ".join(analyse.morceaux).split())


def texte_pdf(chemin) -> list[str]:
    """Texte de chaque page du PDF."""
    return [page.extract_text() or "" for page in PdfReader(chemin).pages]


def _empreintes(dossier) -> dict[str, str]:
    return {p.relative_to(dossier).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dossier.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------------------------
# Variante interne


def test_variante_interne_a_part_nominative_et_marquee(
    rapports_publics, racine_publique, construire_rapport, tmp_path
):
    public = rapports_publics[2022]
    avant = _empreintes(public)
    resultat = construire_rapport(2022, racine_publique, tmp_path / "construction", "--interne")
    assert resultat.returncode == 0, resultat.stderr[-2000:]

    interne = racine_publique / "interne" / "2022"
    base = "synthese-ihu-2022-diffusion-restreinte"
    assert sorted(p.name for p in interne.iterdir()) == [f"{base}.html", f"{base}.pdf"]
    # le rapport public n'est pas touché, et rien d'interne n'est à côté de lui
    assert _empreintes(public) == avant
    assert not any("restreinte" in p.name for p in public.rglob("*"))

    pages = texte_pdf(interne / f"{base}.pdf")
    assert len(pages) > 10
    sans = [n for n, t in enumerate(pages, start=1) if "diffusion restreinte" not in t.lower()]
    assert not sans, f"pages sans « Diffusion restreinte » : {sans}"
    assert "Diffusion restreinte" in str(PdfReader(interne / f"{base}.pdf").metadata["/Title"])

    # les figures par IHU nomment les IHU (le paramètre interne est arrivé jusqu'aux figures)
    html = (interne / f"{base}.html").read_text(encoding="utf-8")
    codes = set(pd.read_csv(chemins.DONNEES_BRUTES / "referentiel" / "ihu.csv")["ihu"])
    debut = html.index('data-figure="effet_levier_ihu"')
    figure = html[debut: html.index("</figure>", debut)]
    graduations = set(re.findall(r"<text[^>]*>([^<]+)</text>", figure)) & codes
    assert len(graduations) == 7, graduations
    # … et l'analyse de confidentialité le voit : ce dossier ne pourrait pas être publié
    fuites = analyser_dossier(interne, reperes_du_referentiel(), figures_par_ihu())
    assert any("effet_levier_ihu" in f.lieu for f in fuites)
    assert any(f.lieu == "mention de la variante interne" for f in fuites)


# --------------------------------------------------------------------------------------------
# Texte libre des données échappé

#: Ce qu'un IHU ou un fournisseur pourrait écrire dans un champ libre. Sans nombre isolé : à côté
#: d'un nom d'IHU, un nombre passerait pour une valeur par IHU et la construction refuserait de
#: publier (garantie de confidentialité, vérifiée par test_fuites.py).
PIEGES = {
    "script": "<script>alert(x)</script>",
    "gras": "**gras**",
    "lien": "[lien](http://x)",
    "math": "$x$",
    "latex": "\\textbf{x}",
    "reference": "{v.verse_cumul}",
}
CHARGE = " ".join(PIEGES.values())


def attendu(champ: str) -> str:
    """Texte attendu : la charge telle quelle (un code d'indicateur de soin inconnu est montré
    avec ses « _ » changés en espaces, voir ``Section.liste_soins_specifiques``)."""
    return CHARGE.replace("_", " ") if champ == "soin" else CHARGE


def _doctorer(raw) -> dict[str, str]:
    """Place la charge dans chaque texte libre d'une copie de ``data/raw`` ; rend les marqueurs."""
    marqueurs = {}

    def marque(nom: str) -> str:
        marqueurs[nom] = f"Q{len(marqueurs) + 1}{nom.upper()}"
        return f"{marqueurs[nom]} {CHARGE}"

    fichier = raw / "faits_marquants" / "faits_marquants.csv"
    faits = pd.read_csv(fichier, dtype=str, keep_default_na=False)
    faits.loc[0, "texte"] = marque("texte")
    faits.loc[1, "titre"] = marque("titre")
    faits.to_csv(fichier, index=False)

    fichier = raw / "faits_marquants" / "meditwin_partenaires.csv"
    meditwin = pd.read_csv(fichier, dtype=str, keep_default_na=False)
    meditwin.loc[0, "partenaire"] = marque("partenaire")
    meditwin.loc[0, "role"] = marque("role")
    meditwin.to_csv(fichier, index=False)

    fichier = raw / "faits_marquants" / "ihu_selectionnes_2023.csv"
    ihu3 = pd.read_csv(fichier, dtype=str, keep_default_na=False)
    ihu3.loc[1, "intitule"] = marque("intitule")
    ihu3.to_csv(fichier, index=False)

    fichier = raw / "contexte" / "brevets_inpi.csv"
    brevets = pd.read_csv(fichier, dtype=str, keep_default_na=False)
    brevets.loc[brevets["annee"] == "2022", "source"] = marque("source")
    brevets.to_csv(fichier, index=False)

    classeur_chemin = raw / "campagnes" / "2022" / "mi_2022.xlsx"
    classeur = openpyxl.load_workbook(classeur_chemin)
    soins = classeur["Soins_specifiques"]
    ligne = next(r for r in range(2, soins.max_row + 2) if soins.cell(r, 1).value is None)
    for colonne, valeur in enumerate([2022, marque("soin"), 1.0, "%"], start=1):
        soins.cell(ligne, colonne, valeur)
    classeur["Startups"].cell(2, 1, marque("startup"))
    classeur.save(classeur_chemin)
    return marqueurs


@pytest.fixture(scope="module")
def rapport_piege(tmp_path_factory, construire_rapport):
    racine = tmp_path_factory.mktemp("donnees-piegees")
    shutil.copytree(chemins.DONNEES_BRUTES, racine / "raw")
    marqueurs = _doctorer(racine / "raw")
    sortie = tmp_path_factory.mktemp("rapport-piege")
    resultat = construire_rapport(
        2022, sortie, tmp_path_factory.mktemp("construction-piege"),
        "--sections", "faits_marquants,soin,valorisation,annexe_methode", donnees=racine,
    )
    assert resultat.returncode == 0, resultat.stderr[-3000:]
    dossier = sortie / "2022"
    return {
        "marqueurs": marqueurs,
        "html": (dossier / "synthese-ihu-2022.html").read_text(encoding="utf-8"),
        "pdf": texte_pdf(dossier / "synthese-ihu-2022.pdf"),
    }


def test_aucune_balise_ni_lien_ni_substitution_dans_le_html(rapport_piege):
    html = rapport_piege["html"]
    assert "<script" not in html.lower()
    assert 'href="http://x"' not in html and "<strong>gras</strong>" not in html
    assert "&lt;script&gt;alert(x)&lt;/script&gt;" in html
    assert "401,1" not in "".join(re.findall(r"Q\d\w+.{0,200}", html))  # {v.verse_cumul} tel quel


@pytest.mark.parametrize(
    "champ", ["texte", "titre", "partenaire", "role", "intitule", "source", "soin"]
)
def test_texte_libre_montre_tel_quel_en_html(rapport_piege, champ):
    marqueur = rapport_piege["marqueurs"][champ]
    texte = texte_html(rapport_piege["html"])
    assert marqueur in texte, f"{champ} absent du rapport"
    assert f"{marqueur} {attendu(champ)}" in texte, re.findall(rf"{marqueur}.{{0,120}}", texte)


@pytest.mark.parametrize(
    "champ", ["texte", "titre", "partenaire", "role", "intitule", "source", "soin"]
)
def test_texte_libre_montre_tel_quel_en_pdf(rapport_piege, champ):
    marqueur = rapport_piege["marqueurs"][champ]
    # retours à la ligne et coupures de cellules retirés : les caractères doivent s'y suivre
    texte = re.sub(r"\s+", "", " ".join(rapport_piege["pdf"]))
    assert marqueur in texte, f"{champ} absent du PDF"
    suite = texte[texte.index(marqueur):][: len(marqueur) + 200]
    assert suite.startswith(marqueur + re.sub(r"\s+", "", attendu(champ))), suite


def test_nom_de_start_up_jamais_publie(rapport_piege):
    marqueur = rapport_piege["marqueurs"]["startup"]
    assert marqueur not in rapport_piege["html"]
    assert marqueur not in " ".join(rapport_piege["pdf"])
