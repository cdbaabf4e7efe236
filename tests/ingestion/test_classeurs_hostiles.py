"""Classeurs hostiles ou abîmés : chacun seul dans une campagne par ailleurs valide.

Chaque cas dépose le classeur d'ICAN défectueux à côté du classeur valide de THEMA, lance
l'ingestion comme la ligne de commande (:func:`lancer`, code de sortie compris) et vérifie le
code 1, chaque message situé (fichier, feuille, ligne, cellule, champ, trouvé, attendu) et que
``data/raw`` est identique octet pour octet. Les classeurs sont générés ici (``hostiles.py``).
"""

from __future__ import annotations

import builtins
import datetime as dt
import io
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hostiles as h
import openpyxl
import outils_ingestion as _outils
import pytest
from outils_ingestion import ANNEE, empreinte
from test_classeurs_defectueux import CAS as CAS_DEFECTUEUX

from synthese_ihu.ingestion import verifier
from synthese_ihu.ingestion.ingerer import lancer

existantes = _outils.existantes
racine_partagee = _outils.racine_partagee
modeles = _outils.modeles
remplis = _outils.remplis


F = "incoming/2023/ican_2023.xlsx"
SAUVER = "attendu un classeur Excel .xlsx (Fichier > Enregistrer sous > Classeur Excel .xlsx)"
LIMITES = "limites.toml"
FORMULE = "pas une formule (copiez puis « collage spécial > valeurs »)"
ZONE = ("lignes 1 à 5000, colonnes A à Z : classeur.lignes_max et classeur.colonnes_max de "
        "limites.toml")
LIAISON = ("attendu un classeur sans liaison à un autre fichier (Données > Modifier les liens "
           "d'accès > Rompre la liaison)")


@dataclass
class Cas:
    """Un classeur hostile : ``fabriquer(octets valides, classeur openpyxl) -> octets`` ou
    ``deposer(dossier, octets valides)`` ; messages attendus (``<*>`` : texte variable)."""

    id: str
    attendus: list[str]
    fabriquer: Callable | None = None
    deposer: Callable | None = None
    openpyxl: Callable | None = None  # (classeur) -> None, avant enregistrement


def _c(ref: str, feuille: str, champ: str | None, message: str, fichier: str = F) -> str:
    ligne = "".join(ch for ch in ref if ch.isdigit())
    champ_ = f", champ « {champ} »" if champ else ""
    return f"{fichier}, feuille « {feuille} », ligne {ligne} (cellule {ref}){champ_} : {message}"


def _cellule(feuille: str, ref: str, valeur: object) -> Callable:
    def muter(wb) -> None:
        wb[feuille][ref] = valeur
    return muter


def _ecrire(nom: str, octets: bytes) -> Callable:
    def deposer(dossier: Path, _valide: bytes) -> None:
        (dossier / nom).write_bytes(octets)
    return deposer


def _lien(dossier: Path, _valide: bytes) -> None:
    os.symlink("../../../secret/ican_2023.xlsx", dossier / "ican_2023.xlsx")


def _fifo(dossier: Path, _valide: bytes) -> None:
    os.mkfifo(dossier / "ican_2023.xlsx")


def _dossier(dossier: Path, _valide: bytes) -> None:
    (dossier / "ican_2023.xlsx").mkdir()


FEUILLE_DEP = "xl/worksheets/sheet3.xml"
LIAISON_XML = (b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main"/>')
LIAISON_RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
                b'Target="file:///\\\\serveur\\Budget.xlsx" TargetMode="External"/>'
                b'</Relationships>')


def _liaison_utilisee(octets: bytes, _wb) -> bytes:
    """Une liaison externe ET une cellule dont la formule s'en sert (``=[1]Budget!B2``)."""
    wb = openpyxl.load_workbook(io.BytesIO(octets))
    wb["Depenses"]["C7"] = "=[1]Budget!B2"
    tampon = io.BytesIO()
    wb.save(tampon)
    return h.ajouter_parties(tampon.getvalue(), {
        "xl/externalLinks/externalLink1.xml": LIAISON_XML,
        "xl/externalLinks/_rels/externalLink1.xml.rels": LIAISON_RELS})


def _chaines(octets: bytes) -> bytes:
    parties = h.lire_parties(octets)
    parties["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>x</t></si>" * 100_001 + b"</sst>")
    parties["xl/_rels/workbook.xml.rels"] = parties["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    return h.ecrire_parties(parties)


def _doublon_de_cellule(texte: str) -> str:
    c6 = re.search(r'<c r="C6".*?</c>', texte)[0]
    return texte.replace(c6, c6 + c6, 1)


CAS = [
    # --- le fichier lui-même ---
    Cas("fichier_vide", [f"{F} : fichier vide (0 octet) : {SAUVER}"], lambda o, wb: b""),
    Cas("protege_par_mot_de_passe", [
        f"{F} : classeur protégé par un mot de passe (chiffré) : attendu un classeur sans mot de "
        "passe (Fichier > Informations > Protéger le classeur > Chiffrer avec mot de passe : "
        "effacer le mot de passe)"], lambda o, wb: h.ole("EncryptedPackage")),
    Cas("xls_renomme", [f"{F} : ancien format Excel 97-2003 (.xls) renommé en .xlsx : {SAUVER}"],
        lambda o, wb: h.ole("Workbook")),
    Cas("ole_autre", [f"{F} : document Office ancien format (OLE), pas un classeur : {SAUVER}"],
        lambda o, wb: h.ole("WordDocument")),
    Cas("ods_renomme", [f"{F} : classeur OpenDocument (.ods) renommé en .xlsx : {SAUVER}"],
        lambda o, wb: h.ecrire_parties({"mimetype": b"application/vnd.oasis.opendocument."
                                        b"spreadsheet", "content.xml": b"<x/>"})),
    Cas("docx_renomme", [f"{F} : document Word, pas un classeur : {SAUVER}"],
        lambda o, wb: h.ecrire_parties({"word/document.xml": b"<x/>"})),
    Cas("zip_sans_classeur", [f"{F} : archive zip sans classeur (xl/workbook.xml absent), pas un "
                              f"classeur : {SAUVER}"],
        lambda o, wb: h.ecrire_parties({"a.txt": b"a"})),
    Cas("texte_csv_renomme", [f"{F} : fichier texte (CSV, HTML…) nommé .xlsx : {SAUVER}"],
        lambda o, wb: b"annee;nature;montant_eur\n2023;personnel;12\n"),
    Cas("html_renomme", [f"{F} : fichier texte (CSV, HTML…) nommé .xlsx : {SAUVER}"],
        lambda o, wb: "\ufeff<html><body><table></table></body></html>".encode()),
    Cas("binaire_inconnu", [f"{F} : format non reconnu (début : 00 01 02 03 04 05 06 07) : "
                            f"{SAUVER}"], lambda o, wb: bytes(range(256)) * 4),
    Cas("zip_tronque", [f"{F} : archive zip endommagée (File is not a zip file) : {SAUVER}"],
        lambda o, wb: o[: len(o) // 2]),
    Cas("trop_gros", [f"{F} : fichier de 10000001 octets : attendu au plus 10000000 "
                      f"(classeur.taille_max_octets de {LIMITES})"],
        lambda o, wb: b"PK" + bytes(10_000_000 - 1)),
    Cas("lien_symbolique", [f"{F} : lien symbolique (vers « ../../../secret/ican_2023.xlsx ») : "
                            "attendu le classeur lui-même, copié dans le dossier des classeurs "
                            "reçus"], deposer=_lien),
    Cas("tube_nomme", [f"{F} : pas un fichier ordinaire (tube, périphérique…) : {SAUVER}"],
        deposer=_fifo),
    Cas("dossier_nomme_xlsx", [f"{F} : dossier nommé comme un classeur : {SAUVER}"],
        deposer=_dossier),
    Cas("extension_csv", ["incoming/2023/ican_2023.csv : fichier texte CSV : format attendu : "
                          "classeur Excel .xlsx (<ihu>_<année>.xlsx ; Fichier > Enregistrer sous "
                          "> Classeur Excel .xlsx)"],
        deposer=_ecrire("ican_2023.csv", b"a,b\n")),
    Cas("extension_ods", ["incoming/2023/ican_2023.ods : classeur OpenDocument (.ods) : format "
                          "attendu : classeur Excel .xlsx (<ihu>_<année>.xlsx ; Fichier > "
                          "Enregistrer sous > Classeur Excel .xlsx)"],
        deposer=_ecrire("ican_2023.ods", b"PK")),
    Cas("extension_xlsm", ["incoming/2023/ican_2023.xlsm : classeur avec macros (.xlsm) : format "
                           "attendu : classeur Excel .xlsx (<ihu>_<année>.xlsx ; Fichier > "
                           "Enregistrer sous > Classeur Excel .xlsx)"],
        deposer=_ecrire("ican_2023.xlsm", b"PK")),
    # --- l'archive ---
    Cas("macros_dans_xlsx", [f"{F} : classeur avec macros (.xlsm, xl/vbaProject.bin) : attendu "
                             "un classeur .xlsx sans macro"],
        lambda o, wb: h.ajouter_parties(o, {"xl/vbaProject.bin": b"\x00" * 64})),
    Cas("liaison_externe", [
        f"{F} : liaison externe (xl/externalLinks/externalLink1.xml vers "
        f"« file:///\\\\serveur\\Budget.xlsx ») : {LIAISON}"],
        lambda o, wb: h.ajouter_parties(o, {
            "xl/externalLinks/externalLink1.xml": LIAISON_XML,
            "xl/externalLinks/_rels/externalLink1.xml.rels": LIAISON_RELS})),
    Cas("liaison_externe_et_cellule_qui_s_en_sert", [
        f"{F} : liaison externe (xl/externalLinks/externalLink1.xml vers "
        f"« file:///\\\\serveur\\Budget.xlsx ») : {LIAISON}",
        _c("C7", "Depenses", "montant_eur", "formule « =[1]Budget!B2 », qui renvoie à un autre "
           f"classeur (liaison externe), sans valeur calculée : attendu un nombre, {FORMULE}")],
        _liaison_utilisee),
    Cas("bombe_une_partie", [f"{F} : partie « {FEUILLE_DEP} » de 31000000 octets une fois "
                             "décompressée : attendu au plus 30000000 (classeur.partie_max_octets "
                             f"de {LIMITES})"],
        lambda o, wb: h.bombe(o, "Depenses", 31_000_000)),
    Cas("bombe_plusieurs_parties", [f"{F} : archive de <*> octets une fois décompressée : "
                                    f"attendu au plus 60000000 (classeur.total_max_octets de "
                                    f"{LIMITES})"],
        lambda o, wb: h.ajouter_parties(o, {f"xl/media/image{i}.bin": b" " * 25_000_000
                                            for i in range(3)})),
    Cas("taille_declaree_mensongere", [f"{F} : partie « {FEUILLE_DEP} » : contenu endommagé "
                                       f"(<*>) : {SAUVER}"],
        lambda o, wb: h.fausser_entete(o, FEUILLE_DEP, taille=100)),
    Cas("somme_de_controle_fausse", [f"{F} : partie « {FEUILLE_DEP} » : contenu endommagé "
                                     f"(Bad CRC-32 for file '{FEUILLE_DEP}') : {SAUVER}"],
        lambda o, wb: h.fausser_entete(o, FEUILLE_DEP, crc=12345)),
    Cas("partie_chiffree", [f"{F} : partie « {FEUILLE_DEP} » chiffrée : {SAUVER}"],
        lambda o, wb: h.fausser_entete(o, FEUILLE_DEP, drapeaux=1)),
    Cas("trop_de_parties", [f"{F} : archive de <*> parties : attendu au plus 200 "
                            f"(classeur.parties_max de {LIMITES})"],
        lambda o, wb: h.ajouter_parties(o, {f"xl/media/p{i}.bin": b"" for i in range(200)})),
    Cas("parties_en_double", [f"{F} : archive ambiguë (deux parties du même nom) : {SAUVER}"],
        lambda o, wb: h.ecrire_parties([*h.lire_parties(o).items(), (FEUILLE_DEP, b"<x/>")])),
    Cas("entites_xml", [f"{F} : partie « {FEUILLE_DEP} » : déclaration DOCTYPE (entités XML) "
                        f"refusée : {SAUVER}"],
        lambda o, wb: h.modifier_feuille(o, "Depenses", lambda t: t.replace(
            "<worksheet", '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1))),
    Cas("xml_mal_forme", [f"{F} : partie « {FEUILLE_DEP} » : XML mal formé (<*>) : {SAUVER}"],
        lambda o, wb: h.modifier_feuille(o, "Depenses",
                                         lambda t: t.replace("</sheetData>", "</sheetDat>"))),
    Cas("partie_de_feuille_absente", [f"{F}, feuille « Depenses » : partie de la feuille absente "
                                      f"({FEUILLE_DEP}) : classeur mal formé"],
        lambda o, wb: h.retirer_partie(o, FEUILLE_DEP)),
    Cas("trop_de_textes_partages", [f"{F} : partie « xl/sharedStrings.xml » : plus de 100000 "
                                    f"textes partagés : {SAUVER}"], lambda o, wb: _chaines(o)),
    Cas("trop_d_elements_xml", [f"{F} : partie « {FEUILLE_DEP} » : plus de 1000000 éléments XML "
                                f"(classeur.elements_max de {LIMITES}) : {SAUVER}"],
        lambda o, wb: h.modifier_feuille(o, "Depenses", lambda t: t.replace(
            "</sheetData>", "<row/>" * 1_000_000 + "</sheetData>", 1))),
    Cas("cellule_en_double", [f"{F}, feuille « Depenses » : cellule C6 en double ou hors d'ordre "
                              ": classeur mal formé"],
        lambda o, wb: h.modifier_feuille(o, "Depenses", _doublon_de_cellule)),
    # --- la zone lue ---
    Cas("valeur_en_xfd1048576", [_c("XFD1048576", "Depenses", None, "valeur « 1 » en "
                                    f"XFD1048576, hors de la zone lue ({ZONE}) : attendu aucune "
                                    "valeur hors de cette zone (supprimez-la)")],
        openpyxl=_cellule("Depenses", "XFD1048576", 1)),
    Cas("ligne_au_dela_de_la_limite", [_c("A5001", "Indicateurs", None, "valeur « 2023 » en "
                                          f"A5001, hors de la zone lue ({ZONE}) : attendu aucune "
                                          "valeur hors de cette zone (supprimez-la)")],
        openpyxl=_cellule("Indicateurs", "A5001", 2023)),
    Cas("colonne_au_dela_de_la_limite_instructions", [
        _c("AA3", "Instructions", None, f"valeur « note » en AA3, hors de la zone lue ({ZONE}) : "
           "attendu aucune valeur hors de cette zone (supprimez-la)")],
        openpyxl=_cellule("Instructions", "AA3", "note")),
    Cas("valeur_sans_en_tete", [_c("F12", "Depenses", None, "valeur « note » hors des colonnes du "
                                   "format (en-têtes : A1 à C1) : attendu aucune valeur dans une "
                                   "colonne sans en-tête")],
        openpyxl=_cellule("Depenses", "F12", "note")),
    # --- en-têtes ---
    Cas("colonne_en_double", [_c("D1", "Depenses", "montant_eur", "colonne « montant_eur » en "
                                 "double (déjà en C1) : attendu chaque colonne une seule fois")],
        openpyxl=lambda wb: [wb["Depenses"].__setitem__(r, v) for r, v in
                             (("D1", "montant_eur"), ("D6", 5), ("D7", 6))]),
    Cas("colonne_inattendue", [_c("D1", "Depenses", "commentaire", "colonne inattendue "
                                  "« commentaire » : attendu les colonnes annee, nature, "
                                  "montant_eur seulement")],
        openpyxl=_cellule("Depenses", "D1", "commentaire")),
    # --- valeurs exactes ---
    Cas("formule_sans_valeur", [_c("C6", "Depenses", "montant_eur", "formule « =1000000+234567 "
                                   f"», sans valeur calculée : attendu un nombre, {FORMULE}")],
        openpyxl=_cellule("Depenses", "C6", "=1000000+234567")),
    Cas("formule_valeur_perimee", [_c("C6", "Depenses", "montant_eur", "formule « =1000000+234567 "
                                      "» (valeur gardée par le tableur : 1) : attendu un nombre, "
                                      f"{FORMULE}")],
        lambda o, wb: h.remplacer_cellule(o, "Depenses", "C6",
                                          '<c r="C6"><f>1000000+234567</f><v>1</v></c>')),
    Cas("formule_liaison_externe", [_c("C7", "Depenses", "montant_eur", "formule « =[1]Budget!B2 "
                                       "», qui renvoie à un autre classeur (liaison externe), "
                                       f"sans valeur calculée : attendu un nombre, {FORMULE}")],
        openpyxl=_cellule("Depenses", "C7", "=[1]Budget!B2")),
    Cas("formule_dans_identification", [_c("B4", "Identification", "valeur", "formule "
                                           "« =2022+1 », sans valeur calculée : attendu une "
                                           f"valeur saisie, {FORMULE}")],
        openpyxl=_cellule("Identification", "B4", "=2022+1")),
    Cas("erreur_div0", [_c("C8", "Depenses", "montant_eur", "erreur du tableur « #DIV/0! » : "
                           "attendu un nombre")], openpyxl=_cellule("Depenses", "C8", "#DIV/0!")),
    Cas("erreur_na", [_c("C9", "Indicateurs", "valeur", "erreur du tableur « #N/A » : attendu "
                         "un nombre")], openpyxl=_cellule("Indicateurs", "C9", "#N/A")),
    Cas("texte_nan", [_c("C6", "Depenses", "montant_eur", "texte « NaN », lu comme une valeur "
                         "manquante : attendu un nombre, ou une cellule vide")],
        openpyxl=_cellule("Depenses", "C6", "NaN")),
    Cas("texte_na_dans_une_nature", [_c("B6", "Depenses", "nature", "texte « N/A », lu comme une "
                                        "valeur manquante : attendu une valeur saisie, ou une "
                                        "cellule vide")],
        openpyxl=_cellule("Depenses", "B6", "N/A")),
    Cas("texte_inf", [_c("C6", "Depenses", "montant_eur", "attendu un nombre fini, trouvé "
                         "« inf »")], openpyxl=_cellule("Depenses", "C6", "inf")),
    Cas("texte_1e400", [_c("C7", "Cofinancements", "montant_eur", "attendu un nombre fini, "
                           "trouvé « inf »")], openpyxl=_cellule("Cofinancements", "C7", "1e400")),
    Cas("montant_1e15", [_c("C6", "Depenses", "montant_eur", "attendu entre 0 et 100\u202f000"
                            "\u202f000 € (plage plausible plausibilite.Depenses.montant_eur de "
                            f"{LIMITES}), trouvé « 1e+15 »")],
        openpyxl=_cellule("Depenses", "C6", 10**15)),
    Cas("indicateur_invraisemblable", [_c("C9", "Indicateurs", "valeur", "attendu entre 0 et "
                                          "10\u202f000 (plage plausible plausibilite.Indicateurs."
                                          f"valeur de {LIMITES}), trouvé « 50000 »")],
        openpyxl=_cellule("Indicateurs", "C9", 50_000)),
    Cas("cofinancement_invraisemblable", [_c("C7", "Cofinancements", "montant_eur", "attendu "
                                             "entre 0 et 300\u202f000\u202f000 € (plage "
                                             "plausible plausibilite.Cofinancements.montant_eur "
                                             f"de {LIMITES}), trouvé « 4e+09 »")],
        openpyxl=_cellule("Cofinancements", "C7", 4e9)),
    Cas("booleen_dans_un_montant", [_c("C6", "Depenses", "montant_eur", "booléen « VRAI » : "
                                       "attendu un nombre")],
        openpyxl=_cellule("Depenses", "C6", True)),
    Cas("booleen_dans_une_nature", [_c("B6", "Depenses", "nature", "booléen « FAUX » : attendu "
                                       "une valeur saisie")],
        openpyxl=_cellule("Depenses", "B6", False)),
    Cas("date_dans_un_montant", [_c("C6", "Depenses", "montant_eur", "date « 2023-05-01 » : "
                                    "attendu un nombre, pas une date (format de cellule "
                                    "« Standard »)")],
        openpyxl=_cellule("Depenses", "C6", dt.datetime(2023, 5, 1))),
    Cas("date_dans_une_annee", [_c("A6", "Depenses", "annee", "date « 2023-01-01 » : attendu un "
                                   "nombre, pas une date (format de cellule « Standard »)")],
        openpyxl=_cellule("Depenses", "A6", dt.date(2023, 1, 1))),
    Cas("texte_trop_long", [_c("A6", "Startups", "nom", "texte de plus de 1000 caractères : "
                               "attendu au plus 1000 (classeur.texte_max_caracteres de "
                               f"{LIMITES})")],
        openpyxl=lambda wb: wb["Startups"].append(["x" * 1001, 2020, "active"])),
]


def _octets(cas: Cas, valide: Path) -> bytes:
    if cas.openpyxl is None:
        return cas.fabriquer(valide.read_bytes(), None)
    wb = openpyxl.load_workbook(valide)
    cas.openpyxl(wb)
    tampon = io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()


def _deposer(cas: Cas, racine: Path, remplis: dict[str, Path]) -> Path:
    entree = racine / "incoming" / str(ANNEE)
    if entree.exists():
        shutil.rmtree(entree)
    entree.mkdir(parents=True)
    shutil.copyfile(remplis["thema"], entree / "thema_2023.xlsx")  # campagne par ailleurs valide
    if cas.deposer is not None:
        cas.deposer(entree, remplis["ican"].read_bytes())
    else:
        (entree / "ican_2023.xlsx").write_bytes(_octets(cas, remplis["ican"]))
    return entree


def _conforme(obtenu: str, attendu: str) -> bool:
    motif = re.escape(attendu).replace(re.escape("<*>"), ".*?")
    return re.fullmatch(motif, obtenu) is not None


def _refuser(racine: Path, entree: Path, existantes) -> tuple[int, list[str], str]:
    sortie, erreurs = io.StringIO(), io.StringIO()
    code = lancer(ANNEE, racine, entree, existantes, sortie, erreurs)
    texte = erreurs.getvalue()
    problemes = [ligne[4:] for ligne in texte.splitlines() if ligne.startswith("  - ")]
    return code, problemes, sortie.getvalue() + texte


@pytest.mark.rapide
def test_identifiants_des_cas_uniques():
    """Un identifiant répété (cas copié sans être renommé) rendrait deux cas indiscernables."""
    ids = [c.id for c in CAS] + [c.id for c in CAS_DEFECTUEUX]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    assert not doubles, doubles


@pytest.mark.lent
@pytest.mark.parametrize("cas", CAS, ids=[c.id for c in CAS])
def test_classeur_hostile(cas, racine_partagee, existantes, remplis):
    avant = empreinte(racine_partagee / "raw")
    entree = _deposer(cas, racine_partagee, remplis)
    try:
        code, problemes, texte = _refuser(racine_partagee, entree, existantes)
    finally:
        shutil.rmtree(entree)
    assert code == 1, texte
    assert len(problemes) == len(cas.attendus), texte
    for obtenu, attendu in zip(problemes, cas.attendus, strict=True):
        assert _conforme(obtenu, attendu), f"\n{obtenu}\n!=\n{attendu}"
    assert "Traceback" not in texte
    assert empreinte(racine_partagee / "raw") == avant
    assert not (racine_partagee / ".ingestion").exists()


@pytest.mark.rapide
def test_fichier_illisible(racine_partagee, existantes, remplis, monkeypatch):
    """Droits refusés (simulés : les tests tournent parfois en root, que chmod n'arrête pas)."""
    entree = _deposer(Cas("illisible", [], lambda o, wb: o), racine_partagee, remplis)
    vrai_open = builtins.open

    def refuser(fichier, *args, **kwargs):
        if str(fichier).endswith("ican_2023.xlsx"):
            raise PermissionError(13, "Permission denied", str(fichier))
        return vrai_open(fichier, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuser)
    try:
        code, problemes, texte = _refuser(racine_partagee, entree, existantes)
    finally:
        monkeypatch.undo()
        shutil.rmtree(entree)
    assert code == 1, texte
    assert problemes == [f"{F} : fichier illisible (droits d'accès refusés) : attendu un fichier "
                         "lisible par l'utilisateur qui lance l'ingestion"]


@pytest.mark.rapide
def test_masques_et_feuilles_en_trop_signales_sans_refus(racine_partagee, existantes, remplis,
                                                          tmp_path):
    wb = openpyxl.load_workbook(remplis["ican"])
    wb["Depenses"].row_dimensions[7].hidden = True
    wb["Indicateurs"].sheet_state = "hidden"
    wb.create_sheet("Notes")["A1"] = "brouillon"
    wb.save(tmp_path / "ican_2023.xlsx")
    verif = verifier(ANNEE, racine_partagee, tmp_path, existantes)
    assert verif.problemes == []
    assert [(p.feuille, p.ligne, p.message) for p in verif.avertissements] == [
        ("Depenses", 7, "ligne masquée : ses valeurs sont lues quand même (affichez-la pour les "
                        "vérifier)"),
        ("Indicateurs", None, "feuille masquée : ses valeurs sont lues quand même"),
        ("Notes", None, "feuille inattendue, ignorée"),
    ]


@pytest.mark.rapide
def test_textes_partages_comme_excel(racine_partagee, existantes, remplis, tmp_path):
    """Textes partagés (``sharedStrings.xml``, comme les enregistre Excel) : le classeur valide
    reste valide, un « NaN » partagé est signalé à sa cellule."""
    valide = h.en_textes_partages(remplis["ican"].read_bytes())
    assert b't="s"' in h.lire_parties(valide)[h.partie_feuille(h.lire_parties(valide),
                                                                "Depenses")]
    (tmp_path / "ican_2023.xlsx").write_bytes(valide)
    assert verifier(ANNEE, racine_partagee, tmp_path, existantes).problemes == []
    wb = openpyxl.load_workbook(remplis["ican"])
    wb["Depenses"]["C6"] = "NaN"
    tampon = io.BytesIO()
    wb.save(tampon)
    (tmp_path / "ican_2023.xlsx").write_bytes(h.en_textes_partages(tampon.getvalue()))
    problemes = verifier(ANNEE, racine_partagee, tmp_path, existantes).problemes
    assert [(p.feuille, p.cellule, p.message) for p in problemes] == [
        ("Depenses", "C6", "texte « NaN », lu comme une valeur manquante : attendu un nombre, "
         "ou une cellule vide")]


@pytest.mark.rapide
def test_refus_rappelle_les_avertissements(racine_partagee, existantes, remplis):
    wb = openpyxl.load_workbook(remplis["ican"])
    wb["Depenses"].row_dimensions[7].hidden = True
    wb["Depenses"]["C8"] = -1
    entree = racine_partagee / "incoming" / str(ANNEE)
    entree.mkdir(parents=True)
    try:
        wb.save(entree / "ican_2023.xlsx")
        code, problemes, texte = _refuser(racine_partagee, entree, existantes)
    finally:
        shutil.rmtree(entree)
    assert code == 1 and len(problemes) == 1
    assert ("À vérifier aussi (sans refus) :\n  * incoming/2023/ican_2023.xlsx, feuille "
            "« Depenses », ligne 7 : ligne masquée") in texte
