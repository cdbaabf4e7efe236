"""Le filet peut échouer : une valeur altérée dans une copie de data/raw fait tomber le chiffre
publié qui en dépend (même vérification que ``test_chiffres_publies.py``)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from test_chiffres_publies import ANNEE, ELEMENTS, verifier

from synthese_ihu.chemins import DONNEES_BRUTES
from synthese_ihu.donnees import charger

pytestmark = pytest.mark.lent

PAR_ID = {e["id"]: e for e in ELEMENTS}


@pytest.fixture
def copie(tmp_path: Path) -> Path:
    """Copie de ``data/raw`` dans un dossier temporaire."""
    if not (DONNEES_BRUTES / "campagnes").is_dir():
        pytest.fail(f"données de référence absentes : {DONNEES_BRUTES} (lancer `make data`)")
    return Path(shutil.copytree(DONNEES_BRUTES, tmp_path / "raw"))


def _echoue(racine: Path, *identifiants: str) -> None:
    """Recharge ``racine`` ; chaque élément publié nommé doit maintenant échouer."""
    vue = charger(racine).pour_annee(ANNEE)
    for ident in identifiants:
        with pytest.raises(AssertionError):
            verifier(PAR_ID[ident], vue)


def _modifier_classeur(chemin: Path, feuille: str, trouver: dict, colonne: str, nouvelle) -> None:
    """Remplace ``colonne`` dans la première ligne de ``feuille`` qui porte les valeurs ``trouver``
    (``nouvelle`` : valeur, ou fonction de l'ancienne)."""
    classeur = openpyxl.load_workbook(chemin)
    ws = classeur[feuille]
    entete = [c.value for c in ws[1]]
    for ligne in ws.iter_rows(min_row=2):
        valeurs = dict(zip(entete, (c.value for c in ligne), strict=False))
        if all(valeurs.get(k) == v for k, v in trouver.items()):
            cellule = ligne[entete.index(colonne)]
            cellule.value = nouvelle(cellule.value) if callable(nouvelle) else nouvelle
            classeur.save(chemin)
            return
    raise AssertionError(f"{chemin.name}/{feuille} : aucune ligne {trouver}")


def _ajouter_ligne(chemin: Path, feuille: str, ligne: list) -> None:
    classeur = openpyxl.load_workbook(chemin)
    classeur[feuille].append(ligne)
    classeur.save(chemin)


def _modifier_csv(chemin: Path, trouver: dict, colonne: str, nouvelle) -> None:
    with chemin.open(encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(f))
    for ligne in lignes:
        if all(ligne[k] == str(v) for k, v in trouver.items()):
            ligne[colonne] = str(nouvelle(ligne[colonne]) if callable(nouvelle) else nouvelle)
            break
    else:
        raise AssertionError(f"{chemin.name} : aucune ligne {trouver}")
    with chemin.open("w", encoding="utf-8", newline="") as f:
        ecrivain = csv.DictWriter(f, fieldnames=list(lignes[0]))
        ecrivain.writeheader()
        ecrivain.writerows(lignes)


def _classeur(racine: Path, ihu: str, annee: int = ANNEE) -> Path:
    return racine / "campagnes" / str(annee) / f"{ihu}_{annee}.xlsx"


def test_depense_2022_alteree(copie):
    _modifier_classeur(_classeur(copie, "ican"), "Depenses",
                       {"annee": 2022, "nature": "personnel"}, "montant_eur",
                       lambda v: v + 250_000)
    _echoue(copie, "depenses_annee", "depenses_cumul")


def test_reactualisation_dans_la_campagne_la_plus_recente(copie):
    # la campagne 2022 réactualise une dépense de 2020 : sa valeur remplace celle de 2020
    chemin = _classeur(copie, "icm", 2020)
    classeur = openpyxl.load_workbook(chemin)
    ws = classeur["Depenses"]
    entete = [c.value for c in ws[1]]
    ancienne = next(dict(zip(entete, (c.value for c in r), strict=False))
                    for r in ws.iter_rows(min_row=2))
    _ajouter_ligne(_classeur(copie, "icm"), "Depenses",
                   [ancienne["annee"], ancienne["nature"], ancienne["montant_eur"] + 1_000_000])
    _echoue(copie, "depenses_cumul")


def test_versement_altere(copie):
    _modifier_csv(copie / "agence" / "versements.csv", {"ihu": "liryc", "annee": 2022},
                  "montant_eur", lambda v: int(float(v)) + 1_000_000)
    _echoue(copie, "verse_annee", "verse_cumul")


def test_article_sampra_retire(copie):
    chemin = copie / "bibliometrie" / "sampra_articles.csv"
    lignes = chemin.read_text(encoding="utf-8").splitlines(keepends=True)
    retiree = next(i for i, ligne in enumerate(lignes) if ",icm,2020," in ligne)
    chemin.write_text("".join(lignes[:retiree] + lignes[retiree + 1 :]), encoding="utf-8")
    _echoue(copie, "articles_cumul")


def test_indicateur_2022_altere(copie):
    _modifier_classeur(_classeur(copie, "mi"), "Indicateurs",
                       {"annee": 2022, "indicateur": "chercheurs_etrangers"}, "valeur",
                       lambda v: v + 100)
    _echoue(copie, "chercheurs_etrangers_annee", "chercheurs_etrangers_annee_range",
            "chercheurs_etrangers_tendance")


def test_startup_cessee(copie):
    chemin = _classeur(copie, "icm")
    classeur = openpyxl.load_workbook(chemin)
    ws = classeur["Startups"]
    for ligne in ws.iter_rows(min_row=2):
        if ligne[2].value == "active" and ligne[1].value <= ANNEE - 3:
            ligne[2].value = "cessee"
            break
    classeur.save(chemin)
    _echoue(copie, "startups_actives_plus_3_ans")


def test_cofinancement_et_contexte_alteres(copie):
    _modifier_classeur(_classeur(copie, "icm"), "Cofinancements",
                       {"annee": 2022, "origine": "privee"}, "montant_eur", 0)
    _modifier_csv(copie / "contexte" / "brevets_inpi.csv",
                  {"annee": 2022, "territoire": "France", "perimetre": "tous_domaines"},
                  "depots", 5000)
    _echoue(copie, "cofinancements_annee", "effet_levier", "brevets_part_france")
