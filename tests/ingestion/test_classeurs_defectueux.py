"""Classeurs défectueux : chacun est un classeur valide auquel le test apporte UN défaut.

Pour chacun, l'ingestion refuse la campagne avec le message exact attendu (fichier, feuille,
ligne, cellule A1, champ, attendu) et laisse la copie de ``data/`` identique octet pour octet.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import outils_ingestion as _outils
import pytest
from outils_ingestion import ANNEE, empreinte

from synthese_ihu.donnees import ErreurDonnees
from synthese_ihu.ingestion import ingerer, verifier
from synthese_ihu.ingestion.ingerer import lancer, main

# fixtures partagées (voir outils_ingestion)
existantes = _outils.existantes
racine_partagee = _outils.racine_partagee
modeles = _outils.modeles
remplis = _outils.remplis


F = "incoming/2023/ican_2023.xlsx"
FMI = "incoming/2023/mi_2023.xlsx"


@dataclass
class Cas:
    """Un défaut : ce que le test change, et les messages attendus (un par problème)."""

    id: str
    attendus: list[str]
    muter: Callable | None = None  # (classeur openpyxl) -> None
    ihu: str = "ican"
    nom: str | None = None  # nom du fichier déposé (défaut : <ihu>_2023.xlsx)
    deposer: Callable | None = None  # (dossier, classeurs remplis) -> None : fichiers en plus


def _cellule(feuille: str, ref: str, valeur: object) -> Callable:
    def muter(wb) -> None:
        wb[feuille][ref] = valeur
    return muter


def _supprimer_feuille(feuille: str) -> Callable:
    def muter(wb) -> None:
        del wb[feuille]
    return muter


def _supprimer_ligne(feuille: str, ligne: int) -> Callable:
    def muter(wb) -> None:
        wb[feuille].delete_rows(ligne)
    return muter


def _dupliquer_ligne(feuille: str, ligne: int) -> Callable:
    def muter(wb) -> None:
        ws = wb[feuille]
        ws.append([c.value for c in ws[ligne]])
    return muter


def _ajouter_ligne(feuille: str, valeurs: list) -> Callable:
    def muter(wb) -> None:
        wb[feuille].append(valeurs)
    return muter


def _renommer_feuille(feuille: str, nom: str) -> Callable:
    def muter(wb) -> None:
        wb[feuille].title = nom
    return muter


FEUILLES = ["Instructions", "Identification", "Depenses", "Indicateurs", "Startups",
            "Soins_specifiques", "Cofinancements"]


def _sauf(feuille: str) -> str:
    return ", ".join(f"« {f} »" for f in FEUILLES if f != feuille)


def _ligne(fichier: str, feuille: str, cellule: str, champ: str, message: str) -> str:
    ligne = "".join(c for c in cellule if c.isdigit())
    return (f"{fichier}, feuille « {feuille} », ligne {ligne} (cellule {cellule}), "
            f"champ « {champ} » : {message}")


NATURES = "equipement_immobilier, equipement_mobilier, personnel, fonctionnement"
INDICATEURS = ("projets_recherche, chercheurs_etrangers, etudiants_double_cursus, "
               "brevets_deposes, brevets_actifs, recommandations, essais_cliniques")

CAS = [
    Cas("montant_negatif", [_ligne(F, "Depenses", "C8", "montant_eur",
                                   "attendu un montant en euros ≥ 0, trouvé « -1500 »")],
        _cellule("Depenses", "C8", -1500)),
    Cas("texte_dans_un_montant", [_ligne(F, "Depenses", "C6", "montant_eur",
                                         "attendu un nombre, trouvé « beaucoup »")],
        _cellule("Depenses", "C6", "beaucoup")),
    Cas("montant_avec_unite", [_ligne(F, "Depenses", "C7", "montant_eur",
                                      "attendu un nombre, trouvé « 435 721 € »")],
        _cellule("Depenses", "C7", "435 721 €")),
    Cas("nature_inconnue", [_ligne(F, "Depenses", "B9", "nature",
                                   f"attendu une valeur parmi : {NATURES}, trouvé « materiel »")],
        _cellule("Depenses", "B9", "materiel")),
    Cas("montant_vide", [_ligne(F, "Depenses", "C7", "montant_eur",
                                "valeur obligatoire, cellule vide")],
        _cellule("Depenses", "C7", None)),
    Cas("annee_texte", [_ligne(F, "Depenses", "A6", "annee",
                               "attendu un nombre entier, trouvé « 2023a »")],
        _cellule("Depenses", "A6", "2023a")),
    Cas("annee_future", [_ligne(F, "Depenses", "A6", "annee", "attendu une année au plus égale "
                                "à l'année de la campagne, trouvé « 2024 »")],
        _cellule("Depenses", "A6", 2024)),
    Cas("annee_avant_selection", [_ligne(F, "Depenses", "A2", "annee", "attendu une année ≥ 2011 "
                                         "(sélection de l'IHU), trouvé « 2010 »")],
        _cellule("Depenses", "A2", 2010)),
    Cas("ligne_en_double", [
        _ligne(F, "Depenses", "B6", "nature", "clé (annee=2023, nature=equipement_immobilier) en "
               "double : attendue une seule fois, déjà ligne(s) 10"),
        _ligne(F, "Depenses", "B10", "nature", "clé (annee=2023, nature=equipement_immobilier) en "
               "double : attendue une seule fois, déjà ligne(s) 6"),
    ], _dupliquer_ligne("Depenses", 6)),
    Cas("nature_manquante", [f"{F}, feuille « Depenses », champ « nature » : ligne absente pour "
                             "l'année 2023 : attendu une ligne par nature (personnel manquant ; "
                             "0 si rien à déclarer)"],
        _supprimer_ligne("Depenses", 8)),
    Cas("indicateur_decimal", [_ligne(F, "Indicateurs", "C9", "valeur",
                                      "attendu un nombre entier, trouvé « 2.5 »")],
        _cellule("Indicateurs", "C9", 2.5)),
    Cas("indicateur_negatif", [_ligne(F, "Indicateurs", "C10", "valeur",
                                      "attendu un entier ≥ 0, trouvé « -3 »")],
        _cellule("Indicateurs", "C10", -3)),
    Cas("indicateur_inconnu", [_ligne(F, "Indicateurs", "B15", "indicateur",
                                      f"attendu une valeur parmi : {INDICATEURS}, trouvé "
                                      "« publications »")],
        _cellule("Indicateurs", "B15", "publications")),
    Cas("indicateur_manquant", [f"{F}, feuille « Indicateurs », champ « indicateur » : ligne "
                                "absente pour l'année 2023 : attendu une ligne par indicateur "
                                "(recommandations manquant ; 0 si rien à déclarer)"],
        _supprimer_ligne("Indicateurs", 14)),
    Cas("statut_inconnu", [_ligne(F, "Startups", "C3", "statut", "attendu une valeur parmi : "
                                  "active, cessee, rachetee, trouvé « en_sommeil »")],
        _cellule("Startups", "C3", "en_sommeil")),
    Cas("creation_future", [_ligne(F, "Startups", "B6", "annee_creation", "attendu une année au "
                                   "plus égale à l'année de la campagne, trouvé « 2025 »")],
        _ajouter_ligne("Startups", ["Cardiotech", 2025, "active"])),
    Cas("startup_sans_nom", [_ligne(F, "Startups", "A6", "nom",
                                    "valeur obligatoire, cellule vide")],
        _ajouter_ligne("Startups", [None, 2023, "active"])),
    Cas("startup_disparue", [f"{F}, feuille « Startups », champ « nom » : start-up « Hepatelora » "
                             "déclarée à la campagne 2022 absente : attendu toutes les start-up "
                             "de l'IHU, avec le statut cessee ou rachetee si elle n'est plus "
                             "active"],
        _supprimer_ligne("Startups", 3)),
    Cas("startup_en_double", [
        _ligne(F, "Startups", "A2", "nom", "clé (nom=Nutrimune) en double : attendue une seule "
               "fois, déjà ligne(s) 6"),
        _ligne(F, "Startups", "A6", "nom", "clé (nom=Nutrimune) en double : attendue une seule "
               "fois, déjà ligne(s) 2"),
    ], _ajouter_ligne("Startups", ["Nutrimune", 2014, "cessee"])),
    Cas("part_superieure_a_100", [_ligne(FMI, "Soins_specifiques", "C5", "valeur", "attendu une "
                                         "part entre 0 et 100 (unité %), trouvé « 140 »")],
        _cellule("Soins_specifiques", "C5", 140), ihu="mi"),
    Cas("unite_changee", [_ligne(FMI, "Soins_specifiques", "D4", "unite", "attendu l'unité « % » "
                                 "déclarée aux campagnes précédentes pour cet indicateur, trouvé "
                                 "« patients »")],
        _cellule("Soins_specifiques", "D4", "patients"), ihu="mi"),
    Cas("soin_negatif", [_ligne(FMI, "Soins_specifiques", "C4", "valeur",
                                "attendu un nombre ≥ 0, trouvé « -4 »")],
        _cellule("Soins_specifiques", "C4", -4), ihu="mi"),
    Cas("origine_inconnue", [_ligne(F, "Cofinancements", "B6", "origine", "attendu une valeur "
                                    "parmi : publique_nationale, privee, europe_international, "
                                    "trouvé « regionale »")],
        _cellule("Cofinancements", "B6", "regionale")),
    Cas("cofinancement_negatif", [_ligne(F, "Cofinancements", "C7", "montant_eur",
                                         "attendu un montant en euros ≥ 0, trouvé « -10 »")],
        _cellule("Cofinancements", "C7", -10)),
    Cas("feuille_absente", [f"{F}, feuille « Indicateurs » : feuille absente du classeur "
                            f"(feuilles trouvées : {_sauf('Indicateurs')}) : attendu une feuille "
                            "nommée exactement « Indicateurs »"],
        _supprimer_feuille("Indicateurs")),
    Cas("feuille_cofinancements_absente",
        [f"{F}, feuille « Cofinancements » : feuille absente du classeur (feuilles trouvées : "
         f"{_sauf('Cofinancements')}) : attendu une feuille nommée exactement « Cofinancements »"],
        _supprimer_feuille("Cofinancements")),
    Cas("identification_absente", [f"{F}, feuille « Identification » : feuille absente du "
                                   f"classeur (feuilles trouvées : {_sauf('Identification')}) : "
                                   "attendu une feuille nommée exactement « Identification »"],
        _supprimer_feuille("Identification")),
    Cas("feuille_renommee", [f"{F}, feuille « Indicateurs » : feuille absente du classeur "
                             "(feuilles trouvées : « Instructions », « Identification », "
                             "« Depenses », « Indicateurs 2023 », « Startups », "
                             "« Soins_specifiques », « Cofinancements ») ; « Indicateurs 2023 » "
                             "est-elle la feuille renommée ? : attendu une feuille nommée "
                             "exactement « Indicateurs »"],
        _renommer_feuille("Indicateurs", "Indicateurs 2023")),
    Cas("colonne_renommee", [
        _ligne(F, "Depenses", "C1", "montant", "colonne inattendue « montant » : attendu les "
               "colonnes annee, nature, montant_eur seulement"),
        f"{F}, feuille « Depenses », ligne 1, champ « montant_eur » : colonne absente de la ligne "
        "d'en-tête (ligne 1)"],
        _cellule("Depenses", "C1", "montant")),
    Cas("annee_campagne_fausse", [_ligne(F, "Identification", "B4", "annee_campagne",
                                         "attendu 2023 (dossier et nom du fichier), trouvé "
                                         "« 2022 »")],
        _cellule("Identification", "B4", 2022)),
    Cas("identification_autre_ihu", [_ligne(F, "Identification", "B2", "ihu", "attendu « ican » "
                                            "(nom du fichier), trouvé « icm »")],
        _cellule("Identification", "B2", "icm")),
    Cas("identification_nom_vide", [_ligne(F, "Identification", "B3", "nom", "champ obligatoire "
                                           "absent ou vide (colonnes champ, valeur)")],
        _cellule("Identification", "B3", None)),
    Cas("annee_du_nom_de_fichier", [
        "incoming/2023/ican_2022.xlsx : année 2022 du nom de fichier différente de celle du "
        "dossier (2023)"], nom="ican_2022.xlsx"),
    Cas("ihu_inconnu", [
        "incoming/2023/ihu9_2023.xlsx : IHU « ihu9 » du nom de fichier : attendu un code d'IHU "
        "du référentiel (referentiel/ihu.csv)"],
        _cellule("Identification", "B2", "ihu9"), nom="ihu9_2023.xlsx"),
    Cas("nom_de_fichier_libre", [
        "incoming/2023/rapport ICAN.xlsx : nom de classeur attendu : <ihu>_<année>.xlsx"],
        nom="rapport ICAN.xlsx"),
    Cas("deux_classeurs_pour_un_ihu", [
        "incoming/2023/ican_2023_v2.xlsx : second classeur pour l'IHU « ican » (déjà "
        "incoming/2023/ican_2023.xlsx) : attendu un seul classeur par IHU et par campagne"],
        deposer=lambda d, r: shutil.copyfile(r["ican"], d / "ican_2023_v2.xlsx")),
    Cas("autre_format", ["incoming/2023/icm_2023.xls : ancien format Excel 97-2003 (.xls) : "
                         "format attendu : classeur Excel .xlsx (<ihu>_<année>.xlsx ; Fichier > "
                         "Enregistrer sous > Classeur Excel .xlsx)"],
        deposer=lambda d, r: (d / "icm_2023.xls").write_bytes(b"\xd0\xcf\x11\xe0")),
    Cas("texte_nomme_xlsx", ["incoming/2023/icm_2023.xlsx : fichier texte (CSV, HTML…) nommé "
                             ".xlsx : attendu un classeur Excel .xlsx (Fichier > Enregistrer sous "
                             "> Classeur Excel .xlsx)"],
        deposer=lambda d, r: (d / "icm_2023.xlsx").write_bytes(b"pas un classeur")),
]


def _deposer(cas: Cas, racine: Path, remplis: dict[str, Path]) -> Path:
    entree = racine / "incoming" / str(ANNEE)
    if entree.exists():
        shutil.rmtree(entree)
    entree.mkdir(parents=True)
    wb = openpyxl.load_workbook(remplis[cas.ihu])
    if cas.muter is not None:
        cas.muter(wb)
    wb.save(entree / (cas.nom or f"{cas.ihu}_{ANNEE}.xlsx"))
    if cas.deposer is not None:
        cas.deposer(entree, remplis)
    return entree


@pytest.mark.rapide
def test_le_classeur_de_depart_est_valide(racine_partagee, existantes, remplis):
    entree = _deposer(Cas("valide", []), racine_partagee, remplis)
    try:
        assert verifier(ANNEE, racine_partagee, entree, existantes).problemes == []
    finally:
        shutil.rmtree(entree)


@pytest.mark.lent
@pytest.mark.parametrize("cas", CAS, ids=[c.id for c in CAS])
def test_classeur_defectueux(cas, racine_partagee, existantes, remplis):
    """Le classeur défectueux, seul dans une campagne par ailleurs valide (THEMA) : code de
    sortie 1, les messages exacts, ``data/raw`` identique."""
    avant = empreinte(racine_partagee / "raw")
    entree = _deposer(cas, racine_partagee, remplis)
    shutil.copyfile(remplis["thema"], entree / "thema_2023.xlsx")
    sortie, erreurs = io.StringIO(), io.StringIO()
    try:
        code = lancer(ANNEE, racine_partagee, entree, existantes, sortie, erreurs)
    finally:
        shutil.rmtree(entree)
    obtenus = [ligne[4:] for ligne in erreurs.getvalue().splitlines() if ligne.startswith("  - ")]
    assert code == 1
    assert obtenus == cas.attendus
    assert empreinte(racine_partagee / "raw") == avant
    assert not (racine_partagee / ".ingestion").exists()


@pytest.mark.rapide
def test_tous_les_problemes_a_la_fois(racine_partagee, existantes, remplis):
    """Trois classeurs, un défaut chacun : les trois problèmes sont rapportés ensemble."""
    avant = empreinte(racine_partagee / "raw")
    entree = racine_partagee / "incoming" / str(ANNEE)
    entree.mkdir(parents=True)
    try:
        for ihu, (feuille, ref, valeur) in {
            "ican": ("Depenses", "C8", -1), "icm": ("Indicateurs", "C9", "dix"),
            "mi": ("Cofinancements", "B6", "regionale"),
        }.items():
            wb = openpyxl.load_workbook(remplis[ihu])
            wb[feuille][ref] = valeur
            wb.save(entree / f"{ihu}_{ANNEE}.xlsx")
        for ihu in ("liryc", "thema"):
            shutil.copyfile(remplis[ihu], entree / f"{ihu}_{ANNEE}.xlsx")
        with pytest.raises(ErreurDonnees) as exc:
            ingerer(ANNEE, racine_partagee, entree, existantes)
        fichiers = [p.fichier for p in exc.value.problemes]
        assert fichiers == [f"incoming/2023/{i}_2023.xlsx" for i in ("ican", "icm", "mi")]
        assert str(exc.value).startswith("3 problèmes dans les données")
    finally:
        shutil.rmtree(entree)
    assert empreinte(racine_partagee / "raw") == avant


@pytest.mark.lent
def test_ligne_de_commande_refuse_et_n_ecrit_rien(racine_partagee, remplis, capsys):
    avant = empreinte(racine_partagee / "raw")
    cas = next(c for c in CAS if c.id == "montant_negatif")
    entree = _deposer(cas, racine_partagee, remplis)
    try:
        code = main(["--annee", str(ANNEE), "--donnees", str(racine_partagee)])
    finally:
        shutil.rmtree(entree)
    sortie = capsys.readouterr()
    assert code == 1
    assert cas.attendus[0] in sortie.err
    assert "Rien n'a été écrit" in sortie.err
    assert sortie.out == ""
    assert empreinte(racine_partagee / "raw") == avant
