"""L'annexe des révisions dans les rapports publics de la session, et la note de revue.

Rapports 2012-2022 et 2023 ingéré : ceux de la session (``constructions_publiques``,
``rapport_2023_ingere``), jamais reconstruits ici. La note de revue 2022 est la seule
construction propre à ce fichier.
"""

from __future__ import annotations

import html
import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from synthese_ihu.rendu import nom_fichier

pytestmark = pytest.mark.lent

TITRE = "Révisions depuis l’édition précédente"


def _annexe(dossier, annee) -> str:
    """Texte de l'annexe des révisions du HTML public (jusqu'au colophon), balises retirées."""
    page = (dossier / f"{nom_fichier(annee)}.html").read_text(encoding="utf-8")
    texte = html.unescape(re.sub(r"<[^>]+>", " ", page))
    texte = " ".join(texte.replace("\u202f", " ").replace("\xa0", " ").split())
    debut = texte.rfind(TITRE)
    assert debut >= 0, f"{annee} : annexe « {TITRE} » absente"
    fin = texte.find("Colophon", debut)
    return texte[debut : fin if fin > 0 else None]


def _sans_ihu(texte: str, donnees) -> None:
    for code, nom in zip(donnees.ihu["ihu"], donnees.ihu["nom"], strict=True):
        assert not re.search(rf"\b{re.escape(code)}\b", texte, re.I), code
        assert nom.lower() not in texte.lower(), nom
    assert ".xlsx" not in texte and "ligne" not in texte


def test_annexe_2022_montre_la_reactualisation_2021(rapports_publics, donnees):
    texte = _annexe(rapports_publics[2022], 2022)
    assert "Valeurs de l’édition 2021 révisées par l’édition 2022" in texte
    assert "La campagne 2022 modifie une valeur déclarée pour une année passée" in texte
    assert "2 des " in texte and "368,0 M€ 367,9 M€" in texte and "33,0 M€ 32,9 M€" in texte
    assert "valeur réactualisée (dépenses — fonctionnement 2021)" in texte
    assert "Une révision est le changement d’un chiffre déjà publié" in texte
    for jargon in ("même code", "extraction conservée", "tenues pour non révisées"):
        assert jargon not in texte
    _sans_ihu(texte, donnees)


def test_annexe_2012_sans_edition_precedente(rapports_publics):
    texte = _annexe(rapports_publics[2012], 2012)
    assert "première de la série" in texte and "Tableau" not in texte


def test_annexe_2016_et_2017(rapports_publics, donnees):
    """2016 : la réactualisation des dépenses 2015 ; 2017 : aucune."""
    texte = _annexe(rapports_publics[2016], 2016)
    assert "Valeurs de l’édition 2015 révisées" in texte
    assert "dépenses — personnel 2015" in texte
    _sans_ihu(texte, donnees)
    assert "ne modifie aucune valeur" in _annexe(rapports_publics[2017], 2017)


def test_annexe_2023_face_a_2022(rapport_2023_ingere):
    texte = _annexe(rapport_2023_ingere.dossier, 2023)
    assert "les chiffres de l’édition 2022 sont recalculés deux fois" in texte
    assert "avec les données de l’édition 2023" in texte


def test_note_de_revue_2022(tmp_path, donnees):
    from synthese_ihu.revue import construire_note, main

    chemins = construire_note(2022, tmp_path / "revue")
    assert sorted(p.name for p in (tmp_path / "revue").iterdir()) == [
        "revue-revisions-2022-diffusion-restreinte.html",
        "revue-revisions-2022-diffusion-restreinte.pdf",
    ]
    pages = [p.extract_text() for p in PdfReader(chemins["pdf"]).pages]
    assert all("Diffusion restreinte" in p or "DIFFUSION RESTREINTE" in p for p in pages)
    page = chemins["html"].read_text(encoding="utf-8")
    tableaux = pd.read_html(io.StringIO(page))
    changements = tableaux[0]
    assert list(changements["Classeur"]) == ["campagnes/2022/imagine_2022.xlsx"]
    assert list(changements["Feuille, ligne"]) == ["Depenses, ligne 2"]
    assert "imagine_2022.xlsx" in page
    (constats,) = [t for t in tableaux if "Fait" in t.columns]
    constats = constats.set_index("Fait")
    (series,) = [t for t in tableaux if "Figure" in t.columns]
    assert "depenses_nature_annee" in set(series["Figure"])
    assert constats.loc["chercheurs_baisse_depuis", "Changement"] == "retourné"
    assert 'href="revue-revisions-2022-diffusion-restreinte.pdf"' in page
    # jamais sous reports/<année>/
    from synthese_ihu.chemins import RAPPORTS

    assert main(["--annee", "2022", "--sortie", str(RAPPORTS / "2022" / "revue")]) == 2
