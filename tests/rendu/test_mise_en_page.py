"""La mise en page du PDF 2022, mesurée dans le PDF lui-même.

Chaque page est rendue en image (``pdftoppm``, basse résolution) : la part vide sous le dernier
contenu de la zone de texte ne dépasse pas :data:`BLANC_MAX`, sauf sur la couverture, le
sommaire, la dernière page et une page que suit le début d'une section de premier niveau
(signets de premier niveau du PDF). Le texte (``pdftotext -layout``) ne coupe jamais un
intervalle d'années ni une date en fin de ligne ; le titre courant de chaque page est celui de
sa section. Le rapport est celui de la session (``rapport_2022_construit``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

pytestmark = pytest.mark.lent

#: Part de la zone de texte qui peut rester vide en bas d'une page.
BLANC_MAX = 0.35
#: Zone de texte de la page A4 (marges de ``@page`` dans synthese.css), en mm.
HAUT_MM, BAS_MM, PAGE_MM = 24, 22, 297
#: Pages de la couverture et du sommaire (numéros à partir de 1).
LIMINAIRES = (1, 2)
_MOIS = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
         "décembre")


def _outil(nom: str) -> str:
    chemin = shutil.which(nom)
    assert chemin, f"{nom} absent : lancer scripts/paquets-systeme.sh (poppler-utils)"
    return chemin


def blancs(pdf: Path, dossier: Path) -> list[float]:
    """Part vide sous le dernier contenu de la zone de texte, page par page."""
    subprocess.run([_outil("pdftoppm"), "-r", "30", "-gray", "-png", str(pdf),
                    str(dossier / "p")], check=True)
    parts = []
    for image in sorted(dossier.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1])):
        pixels = np.asarray(Image.open(image).convert("L"))
        hauteur = pixels.shape[0]
        zone = pixels[round(hauteur * HAUT_MM / PAGE_MM): round(hauteur * (PAGE_MM - BAS_MM)
                                                                / PAGE_MM)]
        lignes = np.flatnonzero((zone < 240).any(axis=1))
        fin = lignes[-1] + 1 if len(lignes) else 0
        parts.append(1 - fin / zone.shape[0])
    return parts


def debuts_de_section(lecteur: PdfReader) -> dict[int, str]:
    """Page (à partir de 1) -> titre, pour chaque signet de premier niveau."""
    debuts = {}
    for signet in lecteur.outline:
        if isinstance(signet, list):
            continue
        debuts[lecteur.get_destination_page_number(signet) + 1] = str(signet.title)
    return debuts


@pytest.fixture(scope="module")
def pdf(rapport_2022_construit) -> Path:
    return rapport_2022_construit / "synthese-ihu-2022.pdf"


@pytest.fixture(scope="module")
def pages_texte(pdf) -> list[str]:
    sortie = subprocess.run([_outil("pdftotext"), "-layout", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
    return sortie.split("\f")


def test_aucune_page_a_moitie_vide_hors_fins_de_chapitre(pdf, tmp_path):
    lecteur = PdfReader(pdf)
    debuts = debuts_de_section(lecteur)
    parts = blancs(pdf, tmp_path)
    assert len(parts) == len(lecteur.pages)
    exemptees = set(LIMINAIRES) | {len(parts)} | {n - 1 for n in debuts}
    trop_vides = {n: round(part, 2) for n, part in enumerate(parts, start=1)
                  if n not in exemptees and part > BLANC_MAX}
    assert not trop_vides, f"pages plus qu'à {BLANC_MAX:.0%} vides : {trop_vides}"
    assert len(parts) <= 28, len(parts)


def test_le_calcul_du_blanc_voit_une_page_vide(tmp_path):
    """La mesure elle-même : une page blanche est vide à 100 %, une page pleine à 0 %."""
    pdf = tmp_path / "essai.pdf"
    from weasyprint import HTML

    HTML(string="<style>@page { size: A4; margin: 24mm 20mm 22mm }</style><p>x</p>"
                "<div style='break-before: page; height: 249mm; background: #000'></div>"
                ).write_pdf(pdf)
    vide, pleine = blancs(pdf, tmp_path)
    assert vide > 0.9 and pleine < 0.05


def test_aucune_ligne_ne_coupe_un_intervalle_ou_une_date(pages_texte):
    fautes = []
    for page in pages_texte:
        lignes = [ligne.rstrip() for ligne in page.splitlines() if ligne.strip()]
        for ligne, suivante in zip(lignes, [*lignes[1:], ""], strict=False):
            if re.search(r"(?:19|20)\d\d\s*[–-]$", ligne):
                fautes.append(ligne[-40:])
            elif (re.search(r"\b(?:\d{1,2}|1er)$", ligne)
                  and re.match(rf"\s*(?:{_MOIS})\b", suivante)
                  or re.search(rf"\b(?:{_MOIS})$", ligne)
                  and re.match(r"\s*(?:19|20)\d\d\b", suivante)):
                fautes.append(f"{ligne[-30:]} / {suivante.strip()[:20]}")
    assert not fautes, fautes


def test_titre_courant_de_chaque_page(pdf, pages_texte):
    """En haut à droite, le titre de la section de la page ; « Colophon » sur la dernière."""
    debuts = debuts_de_section(PdfReader(pdf))
    courant, fautes = None, []
    for numero, page in enumerate(pages_texte[: len(PdfReader(pdf).pages)], start=1):
        courant = debuts.get(numero, courant)
        if numero in LIMINAIRES:
            continue
        entete = next(ligne for ligne in page.splitlines() if ligne.strip())
        attendu = re.sub(r"\s+", " ", courant or "")
        if not re.sub(r"\s+", " ", entete).strip().endswith(attendu):
            fautes.append((numero, entete.strip()[-50:], attendu))
    assert not fautes, fautes
    assert courant == "Colophon"
