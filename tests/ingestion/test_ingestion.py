"""Ingestion réussie : modèles, réactualisation, ré-ingestion idempotente, nouvel IHU, atomicité.

Chaque test ingère dans sa propre copie de ``data/`` (tmp_path), jamais dans le vrai ``data/``.
"""

from __future__ import annotations

import importlib
import shutil

import openpyxl
import outils_ingestion as _outils
import pytest
from fabrique import remplir
from outils_ingestion import ANNEE, empreinte

from synthese_ihu import revisions
from synthese_ihu.donnees import ErreurDonnees, charger
from synthese_ihu.ingestion import ecrire_modeles, ingerer, verifier
from synthese_ihu.valeurs import Valeurs

# fixtures partagées (voir outils_ingestion)
existantes = _outils.existantes
modeles = _outils.modeles
racine = _outils.racine
racine_partagee = _outils.racine_partagee
remplis = _outils.remplis


def _deposer(racine, fichiers):
    entree = racine / "incoming" / str(ANNEE)
    entree.mkdir(parents=True, exist_ok=True)
    for source in fichiers:
        shutil.copyfile(source, entree / source.name)
    return entree


# --- modèles -------------------------------------------------------------------------------------
@pytest.mark.rapide
def test_modeles_format_et_validations(modeles, existantes):
    assert len(modeles) == 19  # 7 IHU suivis + 12 IHU retenus en 2023
    wb = openpyxl.load_workbook(modeles["ican"])
    assert wb.sheetnames == ["Instructions", "Identification", "Depenses", "Indicateurs",
                             "Startups", "Soins_specifiques", "Cofinancements"]
    assert "Campagne 2023" in wb["Instructions"]["A1"].value
    assert [c.value for c in wb["Depenses"][1]] == ["annee", "nature", "montant_eur"]
    assert "euros" in wb["Depenses"]["C1"].comment.text
    listes = {str(dv.sqref).split(":")[0]: dv for dv in
              wb["Depenses"].data_validations.dataValidation}
    assert listes["B2"].type == "list" and "personnel" in listes["B2"].formula1
    assert listes["C2"].type == "decimal" and listes["C2"].operator == "greaterThanOrEqual"
    statuts = wb["Startups"].data_validations.dataValidation
    assert any(dv.type == "list" and "rachetee" in dv.formula1 for dv in statuts)
    indic = wb["Indicateurs"].data_validations.dataValidation
    assert any(dv.type == "whole" and "C2" in str(dv.sqref) for dv in indic)


@pytest.mark.rapide
def test_modeles_preremplis_avec_les_valeurs_connues(modeles, existantes):
    vue = existantes.pour_annee(2022)
    ws = openpyxl.load_workbook(modeles["ican"])["Depenses"]
    lignes = list(ws.iter_rows(min_row=2, values_only=True))
    attendu = vue.depenses.loc[(vue.depenses["ihu"] == "ican") & (vue.depenses["annee"] == 2022)]
    connus = {r[1]: r[2] for r in lignes if r[0] == 2022}
    assert connus == dict(zip(attendu["nature"].astype(str), attendu["montant_eur"], strict=True))
    assert [r[2] for r in lignes if r[0] == 2023] == [None] * 4  # à compléter
    startups = openpyxl.load_workbook(modeles["ican"])["Startups"]
    assert startups.max_row - 1 == len(vue.startups.loc[vue.startups["ihu"] == "ican"])
    # un IHU sans antériorité : lignes de l'année à compléter seulement
    nouveau = openpyxl.load_workbook(modeles["thema"])["Indicateurs"]
    assert {r[0] for r in nouveau.iter_rows(min_row=2, values_only=True)} == {2023}


@pytest.mark.rapide
def test_modeles_deterministes(racine_partagee, existantes, tmp_path):
    a = ecrire_modeles(ANNEE, racine_partagee, tmp_path / "a", ["mi"], donnees=existantes)
    b = ecrire_modeles(ANNEE, racine_partagee, tmp_path / "b", ["mi"], donnees=existantes)
    assert a[0].read_bytes() == b[0].read_bytes()


@pytest.mark.rapide
def test_modele_ihu_inconnu_refuse(racine_partagee, existantes, tmp_path):
    with pytest.raises(ValueError, match="IHU inconnu"):
        ecrire_modeles(ANNEE, racine_partagee, tmp_path, ["zz"], donnees=existantes)


@pytest.mark.rapide
def test_modele_non_rempli_refuse(racine_partagee, existantes, modeles, tmp_path):
    entree = tmp_path / "recus"
    entree.mkdir()
    shutil.copyfile(modeles["icm"], entree / modeles["icm"].name)
    problemes = verifier(ANNEE, racine_partagee, entree, existantes).problemes
    assert problemes and all("valeur obligatoire, cellule vide" in str(p) for p in problemes)
    assert {p.feuille for p in problemes} == {"Depenses", "Indicateurs", "Cofinancements"}


# --- ingestion -----------------------------------------------------------------------------------
@pytest.mark.lent
def test_reactualisation(racine, modeles, tmp_path):
    """2023 réactualise les dépenses de personnel 2022 d'ICAN : la vue 2023 prend la nouvelle
    valeur, la vue 2022 garde l'ancienne, l'annexe la liste."""
    fichier = remplir(modeles["ican"], tmp_path / "ican_2023.xlsx", ANNEE)
    wb = openpyxl.load_workbook(fichier)
    ws = wb["Depenses"]
    ligne = next(r for r in range(2, ws.max_row + 1)
                 if ws[f"A{r}"].value == 2022 and ws[f"B{r}"].value == "personnel")
    ancien = ws[f"C{ligne}"].value
    ws[f"C{ligne}"] = nouveau = round(ancien * 1.10)
    wb.save(fichier)
    _deposer(racine, [fichier])

    bilan = ingerer(ANNEE, racine)
    texte = bilan.resume()
    assert "Dépenses : 4 valeur(s) nouvelle(s), 1 réactualisée(s)" in texte
    def euros(v: int) -> str:
        return f"{v:,}".replace(",", "\u202f") + " €"

    assert (f"ican, 2022, personnel : {euros(ancien)} -> {euros(nouveau)} (valeur de la "
            "campagne 2022)") in texte

    complet = charger(racine / "raw")

    def personnel(vue):
        d = vue.depenses
        return float(d.loc[(d["ihu"] == "ican") & (d["annee"] == 2022)
                           & (d["nature"] == "personnel"), "montant_eur"].iloc[0])

    assert personnel(complet.pour_annee(2023)) == nouveau
    assert personnel(complet.pour_annee(2022)) == ancien  # la campagne 2022 reste conservée
    # la révision que l'édition 2023 apportera à l'édition 2022, située dans son classeur ;
    # les reprises à l'identique des autres lignes 2022 ne sont pas des réactualisations
    [revision] = [c for c in revisions.changements(complet, 2023, racine / "raw")
                  if c.nature == "reactualisation"]
    assert (revision.bloc, revision.cle, revision.annee, revision.ihu) == (
        "depenses", "personnel", 2022, "ican")
    assert (revision.ancienne, revision.nouvelle) == (ancien, nouveau)
    assert (revision.campagne_origine, revision.campagne) == (2022, 2023)
    assert revision.fichier.endswith(".xlsx") and revision.ligne is not None


@pytest.mark.lent
def test_reingestion_idempotente_puis_remplacement(racine, remplis):
    _deposer(racine, [remplis["ican"], remplis["thema"]])
    premier = ingerer(ANNEE, racine)
    assert premier.change and not premier.remplace
    apres_premier = empreinte(racine / "raw")

    second = ingerer(ANNEE, racine)
    assert not second.change
    assert "aucun changement" in second.resume()
    assert empreinte(racine / "raw") == apres_premier

    # classeur corrigé : la campagne 2023 est remplacée d'un bloc, rien d'autre ne bouge
    entree = racine / "incoming" / str(ANNEE)
    wb = openpyxl.load_workbook(entree / "ican_2023.xlsx")
    wb["Indicateurs"]["C9"] = wb["Indicateurs"]["C9"].value + 5
    wb.save(entree / "ican_2023.xlsx")
    troisieme = ingerer(ANNEE, racine)
    assert troisieme.change and troisieme.remplace
    assert "Indicateurs : 0 valeur(s) nouvelle(s), 1 réactualisée(s)" in troisieme.resume()
    stockes = sorted(p.name for p in (racine / "raw" / "campagnes" / "2023").iterdir())
    assert stockes == ["ican_2023.xlsx", "thema_2023.xlsx"]
    assert (racine / "raw" / "campagnes" / "2023" / "ican_2023.xlsx").read_bytes() == \
        (entree / "ican_2023.xlsx").read_bytes()  # octets reçus conservés tels quels
    assert not (racine / ".ingestion").exists()


@pytest.mark.lent
def test_nouvel_ihu_suivi_des_sa_premiere_campagne(racine, remplis):
    avant = charger(racine / "raw")
    assert avant.ihu.set_index("ihu").at["thema", "premiere_annee_indicateurs"] is not None
    _deposer(racine, [remplis["thema"]])
    bilan = ingerer(ANNEE, racine)
    assert bilan.nouveaux_ihu == ["thema"]
    assert "IHU suivis à partir de 2023 (première campagne) : thema" in bilan.resume()
    complet = charger(racine / "raw")
    ref = complet.ihu.set_index("ihu")["premiere_annee_indicateurs"]
    assert ref["thema"] == 2023 and ref.isna().sum() == 11  # les 11 autres IHU3 : pas encore
    vue = complet.pour_annee(2023)
    assert "thema" in set(vue.indicateurs["ihu"])
    # le rapport 2022 ne change pas : les 12 IHU retenus en 2023 y restent « à venir »
    v2022 = Valeurs(complet.pour_annee(2022), 2022, complet)
    assert v2022.nb_ihu_selection_suivante == 12
    assert v2022.nb_ihu_suivis == 7


@pytest.mark.lent
def test_nom_de_fichier_suffixe_range_sous_le_nom_normalise(racine, remplis):
    entree = racine / "incoming" / str(ANNEE)
    entree.mkdir(parents=True)
    shutil.copyfile(remplis["liryc"], entree / "liryc_2023_version finale.xlsx")
    ingerer(ANNEE, racine)
    assert [p.name for p in (racine / "raw" / "campagnes" / "2023").iterdir()] == [
        "liryc_2023.xlsx"]


@pytest.mark.lent
def test_echec_de_la_mise_en_place_laisse_la_campagne_precedente(racine, remplis, monkeypatch):
    _deposer(racine, [remplis["ican"]])
    ingerer(ANNEE, racine)
    avant = empreinte(racine / "raw")
    entree = racine / "incoming" / str(ANNEE)
    wb = openpyxl.load_workbook(entree / "ican_2023.xlsx")
    wb["Depenses"]["C6"] = 1
    wb.save(entree / "ican_2023.xlsx")

    def echanger(a, b):
        raise OSError(28, "disque plein", str(b))

    module = importlib.import_module("synthese_ihu.ingestion.remplacement")
    monkeypatch.setattr(module, "_echanger", echanger)
    with pytest.raises(OSError, match="disque plein"):
        ingerer(ANNEE, racine)
    monkeypatch.undo()
    assert empreinte(racine / "raw") == avant
    assert not (racine / ".ingestion").exists()


@pytest.mark.lent
def test_donnees_existantes_illisibles_refusees(racine, remplis):
    (racine / "raw" / "referentiel" / "ihu.csv").write_text("ihu\n", encoding="utf-8")
    _deposer(racine, [remplis["ican"]])
    with pytest.raises(ErreurDonnees):
        ingerer(ANNEE, racine)
    assert not (racine / "raw" / "campagnes" / "2023").exists()
