"""Bout en bout : une campagne 2023 pour les 19 IHU entre dans une copie de ``data/``, puis le
rapport 2023 se construit dessus (HTML et PDF) et parle de 19 IHU.

La construction lit la copie grâce à ``SYNTHESE_IHU_DONNEES`` (héritée par les noyaux).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fabrique import remplir
from outils_ingestion import ANNEE, copier_donnees
from pypdf import PdfReader

from synthese_ihu.chemins import VARIABLE_DONNEES
from synthese_ihu.ingestion import ecrire_modeles, ingerer

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def rapport_2023(tmp_path_factory) -> Path:
    racine = copier_donnees(tmp_path_factory.mktemp("donnees2023"))
    modeles = ecrire_modeles(ANNEE, racine)  # data/incoming/2023/modeles/ de la copie
    entree = racine / "incoming" / str(ANNEE)
    for modele in modeles:
        ihu = modele.stem.rsplit("_", 1)[0]
        startups = [(f"Start-up {ihu} 1", ANNEE, "active")] if ihu in {"thema", "vbhi"} else None
        remplir(modele, entree / modele.name, ANNEE, startups)
    bilan = ingerer(ANNEE, racine)
    assert len(bilan.classeurs) == 19 and len(bilan.nouveaux_ihu) == 12

    sortie = tmp_path_factory.mktemp("rapports")
    env = {**os.environ, VARIABLE_DONNEES: str(racine)}
    resultat = subprocess.run(
        [str(BIN / "synthese-ihu"), "construire", "--annee", str(ANNEE), "--sortie", str(sortie)],
        env=env, capture_output=True, text=True, timeout=900,
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    return sortie / str(ANNEE)


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
        assert "19 IHU suivis en 2023" in texte
        assert "l'appel IHU3 de 2023 (12 IHU)" in texte
        assert "19 IHU en 2023" in texte  # périmètre des indicateurs
        assert "12 IHU supplémentaires sont suivis depuis 2023" in texte.replace("- ", "")


def test_donnees_de_contexte_absentes_dites_indisponibles(rapport_2023):
    html = _espaces((rapport_2023 / "synthese-ihu-2023.html").read_text(encoding="utf-8"))
    assert "ne sont pas encore disponibles pour cette année" in html  # dépôts INPI 2023
    assert "n'est pas disponible pour 2023" in html  # comparaisons bibliométriques
