"""Bout en bout : une campagne 2023 pour les 19 IHU entre dans une copie de ``data/``, puis le
rapport 2023 se construit dessus (HTML et PDF) et parle de 19 IHU.

La construction lit la copie grâce à ``SYNTHESE_IHU_DONNEES`` (héritée par les noyaux).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.lent


@pytest.fixture(scope="module")
def rapport_2023(rapport_2023_ingere) -> Path:
    """Le rapport 2023 de la session (``tests/constructions.py`` : modèles remplis, ingestion,
    construction ; partagé avec le test de vérité du récit)."""
    return rapport_2023_ingere.dossier


def _espaces(texte: str) -> str:
    texte = texte.replace("\u2019", "'")  # apostrophe typographique du rendu
    return re.sub(r"\s+", " ", texte.replace("\u202f", " ").replace("\u00a0", " "))


def test_html_et_pdf_existent(rapport_2023):
    assert (rapport_2023 / "synthese-ihu-2023.html").stat().st_size > 0
    assert (rapport_2023 / "synthese-ihu-2023.pdf").stat().st_size > 0


def test_le_texte_parle_de_19_ihu(rapport_2023):
    html = _espaces((rapport_2023 / "synthese-ihu-2023.html").read_text(encoding="utf-8"))
    pdf = _espaces(" ".join(p.extract_text() for p in
                            PdfReader(rapport_2023 / "synthese-ihu-2023.pdf").pages))
    for texte in (html, pdf):
        assert "le suivi, en 2023, des 19 IHU de l'action" in texte.replace("- ", "")
        assert "l'appel IHU3 de 2023 (12 IHU)" in texte
        assert "19 IHU en 2023" in texte  # périmètre des indicateurs
        assert "12 IHU supplémentaires sont suivis depuis 2023" in texte.replace("- ", "")


def test_donnees_de_contexte_absentes_dites_indisponibles(rapport_2023):
    html = _espaces((rapport_2023 / "synthese-ihu-2023.html").read_text(encoding="utf-8"))
    assert "ne sont pas encore disponibles pour cette année" in html  # dépôts INPI 2023
    # export bibliométrique arrêté à 2022 : comparaisons sur les IHU couverts, le texte le dit
    apostrophes = html.replace("\u2019", "'")  # typographie française du rendu
    assert "L'export bibliométrique s'arrête à 2022" in apostrophes
    assert "12 IHU suivis en 2023 n'ont encore aucun article dans l'export" in apostrophes
