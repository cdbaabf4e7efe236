"""Chargement : types, vue par année, erreurs situées (fichier, feuille, ligne, champ)."""

from __future__ import annotations

import pandas as pd
import pytest
from outils_donnees import CSV_MINIMAUX, feuilles_campagne

from synthese_ihu.donnees import Donnees, ErreurDonnees, annees_couvertes, charger

pytestmark = pytest.mark.rapide

A22 = "campagnes/2022/A_2022.xlsx"


def _erreur(racine) -> ErreurDonnees:
    with pytest.raises(ErreurDonnees) as info:
        charger(racine)
    return info.value


def _ligne_du_message(erreur: ErreurDonnees, *morceaux: str) -> str:
    """La ligne du message qui contient tous les morceaux (échoue sinon, message à l'appui)."""
    for ligne in str(erreur).splitlines():
        if all(m in ligne for m in morceaux):
            return ligne
    pytest.fail(f"aucune ligne ne contient {morceaux} :\n{erreur}")


def _classeur(ihu="A", annee=2022, **feuilles):
    base = feuilles_campagne(ihu, annee)
    for nom, lignes in feuilles.items():
        if lignes is None:
            del base[nom]
        else:
            base[nom] = lignes
    return {(ihu, annee): base}


# --- chargement valide --------------------------------------------------------------------------
def test_chargement_valide_types_explicites(fabrique_racine):
    d = charger(fabrique_racine())
    assert isinstance(d, Donnees)
    assert d.depenses["montant_eur"].dtype == "float64"
    assert d.depenses["annee"].dtype == "Int64"
    assert d.depenses["campagne"].dtype == "Int64"
    assert d.depenses["ihu"].dtype == "string"
    assert isinstance(d.depenses["nature"].dtype, pd.CategoricalDtype)
    assert list(d.depenses["nature"].cat.categories) == [
        "equipement_immobilier", "equipement_mobilier", "personnel", "fonctionnement"]
    assert d.articles["top1"].dtype == bool
    assert d.ihu["premiere_annee_indicateurs"].isna().sum() == 1
    assert str(d.ihu["fin_financement"].dtype).startswith("datetime64")
    assert sorted(d.campagnes["campagne"].unique()) == [2021, 2022]
    assert len(d.depenses) == 6 and set(d.depenses["ihu"]) == {"A", "B"}


def test_annees_couvertes(fabrique_racine):
    racine = fabrique_racine()
    assert annees_couvertes(racine) == list(range(2012, 2023))
    assert charger(racine).annees_couvertes() == list(range(2012, 2023))


# --- vue par année ------------------------------------------------------------------------------
def test_pour_annee_campagne_la_plus_recente_l_emporte(fabrique_racine):
    a21 = feuilles_campagne("A", 2021)
    a22 = feuilles_campagne("A", 2022)
    # la campagne 2022 réactualise les dépenses de personnel 2021 et la liste des start-up
    a22["Depenses"].append([2021, "personnel", 999.0])
    a22["Startups"] = [["nom", "annee_creation", "statut"], ["A-bio", 2015, "cessee"],
                       ["A-med", 2022, "active"]]
    d = charger(fabrique_racine(classeurs={("A", 2021): a21, ("A", 2022): a22}))

    v22 = d.pour_annee(2022)
    perso21 = v22.depenses.query("ihu == 'A' and annee == 2021 and nature == 'personnel'")
    assert perso21["montant_eur"].tolist() == [999.0]
    assert perso21["campagne"].tolist() == [2022]
    assert sorted(v22.startups.query("ihu == 'A'")["nom"]) == ["A-bio", "A-med"]
    assert v22.startups.query("nom == 'A-bio'")["statut"].tolist() == ["cessee"]

    # une liste vide dans le classeur le plus récent remplace la précédente
    a22["Startups"] = [["nom", "annee_creation", "statut"]]
    d_vide = charger(fabrique_racine(classeurs={("A", 2021): a21, ("A", 2022): a22}))
    assert d_vide.pour_annee(2022).startups.query("ihu == 'A'").empty
    assert len(d_vide.pour_annee(2021).startups.query("ihu == 'A'")) == 1

    v21 = d.pour_annee(2021)
    assert v21.depenses.query("annee == 2021 and nature == 'personnel'")[
        "montant_eur"].tolist() == [100.0]
    assert v21.startups["statut"].tolist() == ["active"]
    assert (v21.depenses["annee"] <= 2021).all() and (v21.versements["annee"] <= 2021).all()
    assert v21.annee == 2021


def test_pour_annee_ihu_suivis_et_engages(fabrique_racine):
    d = charger(fabrique_racine())
    v18 = d.pour_annee(2018)
    # B : engagé en 2018, suivi à partir de 2019 ; C : engagé en 2024, jamais suivi
    assert set(v18.dotations["ihu"]) == {"A", "B"}
    assert set(v18.articles["ihu"]) == {"A"}
    assert set(v18.categories_wos["ihu"]) == {"A"}
    v22 = d.pour_annee(2022)
    assert set(v22.articles["ihu"]) == {"A", "B"}
    assert 2016 in set(v22.articles["annee"])  # article de B antérieur à sa labellisation
    assert "C" not in set(v22.ihu["ihu"]) and "C" not in set(v22.dotations["ihu"])


@pytest.mark.parametrize("annee", [2011, 2023, 1990, "2022"])
def test_pour_annee_refuse_une_annee_non_couverte(fabrique_racine, annee):
    d = charger(fabrique_racine())
    with pytest.raises(ValueError, match=r"non couverte.*2012 à 2022"):
        d.pour_annee(annee)


# --- erreurs situées ----------------------------------------------------------------------------
def test_mauvais_type_dans_un_classeur(fabrique_racine):
    depenses = [["annee", "nature", "montant_eur"], [2022, "personnel", 100.0],
                [2022, "fonctionnement", "beaucoup"]]
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Depenses=depenses)))
    ligne = _ligne_du_message(erreur, A22, "feuille « Depenses »", "ligne 3 (cellule C3)",
                              "champ « montant_eur »")
    assert "attendu un nombre" in ligne and "beaucoup" in ligne
    assert len(erreur.problemes) == 1


def test_montant_negatif(fabrique_racine):
    cofi = [["annee", "origine", "montant_eur"], [2022, "privee", 30], [2022, "publique_nationale",
                                                                         -5]]
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Cofinancements=cofi)))
    ligne = _ligne_du_message(erreur, A22, "feuille « Cofinancements »", "ligne 3 (cellule C3)",
                              "champ « montant_eur »")
    assert "≥ 0" in ligne and "-5" in ligne


def test_ihu_inconnu_dans_un_csv(fabrique_racine):
    versements = [*CSV_MINIMAUX["agence/versements.csv"], ["ZZ", 2022, 10]]
    erreur = _erreur(fabrique_racine(csv={"agence/versements.csv": versements}))
    ligne = _ligne_du_message(erreur, "agence/versements.csv", "ligne 6", "champ « ihu »")
    assert "référentiel" in ligne and "ZZ" in ligne


def test_ihu_inconnu_dans_un_nom_de_classeur(fabrique_racine):
    erreur = _erreur(fabrique_racine(classeurs={("ZZ", 2022): feuilles_campagne("ZZ", 2022)}))
    ligne = _ligne_du_message(erreur, "campagnes/2022/ZZ_2022.xlsx", "ZZ")
    assert "référentiel" in ligne
    # les lignes de ce classeur sont aussi signalées, chacune à sa place
    _ligne_du_message(erreur, "campagnes/2022/ZZ_2022.xlsx", "feuille « Depenses »", "ligne 2",
                      "champ « ihu »")


def test_feuille_manquante(fabrique_racine):
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Indicateurs=None)))
    ligne = _ligne_du_message(erreur, A22, "feuille « Indicateurs »")
    assert "feuille absente" in ligne


def test_colonne_manquante(fabrique_racine):
    indicateurs = [["annee", "indicateur", "nombre"], [2022, "projets_recherche", 3]]
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Indicateurs=indicateurs)))
    ligne = _ligne_du_message(erreur, A22, "feuille « Indicateurs »", "ligne 1",
                              "champ « valeur »")
    assert "absente" in ligne


def test_annee_de_campagne_differente_du_dossier(fabrique_racine):
    ident = [["champ", "valeur"], ["ihu", "A"], ["nom", "IHU A"], ["annee_campagne", 2021]]
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Identification=ident)))
    ligne = _ligne_du_message(erreur, A22, "feuille « Identification »", "ligne 4 (cellule B4)",
                              "champ « annee_campagne »")
    assert "attendu 2022" in ligne and "2021" in ligne


def test_ihu_de_l_identification_different_du_fichier(fabrique_racine):
    ident = [["champ", "valeur"], ["ihu", "B"], ["nom", "IHU A"], ["annee_campagne", 2022]]
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Identification=ident)))
    _ligne_du_message(erreur, A22, "feuille « Identification »", "ligne 2 (cellule B2)",
                      "champ « ihu »", "attendu « A »")


def test_valeur_non_permise_et_doublon_de_cle(fabrique_racine):
    depenses = [["annee", "nature", "montant_eur"], [2022, "personnel", 1.0],
                [2022, "voyages", 2.0], [2022, "personnel", 3.0]]
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Depenses=depenses)))
    ligne = _ligne_du_message(erreur, A22, "feuille « Depenses »", "ligne 3 (cellule B3)",
                              "champ « nature »")
    assert "voyages" in ligne and "personnel" in ligne
    ligne = _ligne_du_message(erreur, A22, "feuille « Depenses »", "ligne 4 (cellule B4)",
                              "en double")
    assert "déjà ligne(s) 2" in ligne


def test_annee_posterieure_a_la_campagne(fabrique_racine):
    indicateurs = [["annee", "indicateur", "valeur"], [2023, "projets_recherche", 3]]
    erreur = _erreur(fabrique_racine(classeurs=_classeur(Indicateurs=indicateurs)))
    _ligne_du_message(erreur, A22, "feuille « Indicateurs »", "ligne 2 (cellule A2)",
                      "champ « annee »", "année de la campagne")


def test_entier_attendu_et_booleen_invalide_dans_un_csv(fabrique_racine):
    sampra = [*CSV_MINIMAUX["bibliometrie/sampra_articles.csv"],
              ["a4", "A", "2020.5", "A", "1", "peut-être", "True", "False"]]
    erreur = _erreur(fabrique_racine(csv={"bibliometrie/sampra_articles.csv": sampra}))
    _ligne_du_message(erreur, "bibliometrie/sampra_articles.csv", "ligne 5", "champ « annee »",
                      "entier", "2020.5")
    _ligne_du_message(erreur, "bibliometrie/sampra_articles.csv", "ligne 5", "champ « top1 »",
                      "vrai ou faux", "peut-être")


FAITS = "faits_marquants/faits_marquants.csv"


def test_faits_marquants_types_et_vue_de_l_edition(fabrique_racine):
    d = charger(fabrique_racine())
    fm = d.faits_marquants
    assert fm["edition"].dtype == "Int64" and fm["ordre"].dtype == "Int64"
    assert fm["texte"].dtype == "string" and str(fm["date"].dtype).startswith("datetime64")
    assert list(fm["tableau"].cat.categories) == ["ihu_selectionnes", "meditwin"]
    assert fm["titre"].isna().sum() == 1  # paragraphe de suite : titre vide
    v22 = d.pour_annee(2022).faits_marquants
    assert v22["edition"].tolist() == [2022, 2022] and v22["ordre"].tolist() == [1, 2]
    assert d.pour_annee(2021).faits_marquants["texte"].tolist() == ["Texte de l'édition 2021."]
    assert d.pour_annee(2020).faits_marquants.empty


def test_faits_marquants_edition_non_entiere(fabrique_racine):
    lignes = [*CSV_MINIMAUX[FAITS], ["deux mille vingt-deux", 3, "", "Texte.", "", "Agence", ""]]
    erreur = _erreur(fabrique_racine(csv={FAITS: lignes}))
    ligne = _ligne_du_message(erreur, FAITS, "ligne 5", "champ « edition »")
    assert "attendu un nombre entier" in ligne and "deux mille vingt-deux" in ligne
    assert len(erreur.problemes) == 1


def test_faits_marquants_texte_obligatoire_cle_unique_tableau_connu(fabrique_racine):
    lignes = [*CSV_MINIMAUX[FAITS],
              [2022, 3, "Sans texte", "", "", "Agence", ""],
              [2022, 1, "", "Même rang.", "", "Agence", ""],
              [2022, 4, "", "Texte.", "16 mai 2023", "Agence", "graphique"]]
    erreur = _erreur(fabrique_racine(csv={FAITS: lignes}))
    _ligne_du_message(erreur, FAITS, "ligne 5", "champ « texte »", "obligatoire")
    _ligne_du_message(erreur, FAITS, "ligne 6", "champ « ordre »", "edition=2022, ordre=1",
                      "déjà ligne(s) 3")
    _ligne_du_message(erreur, FAITS, "ligne 7", "champ « date »", "date ISO", "16 mai 2023")
    _ligne_du_message(erreur, FAITS, "ligne 7", "champ « tableau »", "ihu_selectionnes, meditwin",
                      "graphique")


def test_fichier_absent(fabrique_racine):
    erreur = _erreur(fabrique_racine(csv={"agence/versements.csv": None}))
    _ligne_du_message(erreur, "agence/versements.csv", "fichier absent")


def test_tous_les_problemes_sont_rassembles(fabrique_racine):
    depenses = [["annee", "nature", "montant_eur"], [2022, "personnel", -1.0]]
    ident = [["champ", "valeur"], ["ihu", "A"], ["nom", "IHU A"], ["annee_campagne", 2020]]
    versements = [*CSV_MINIMAUX["agence/versements.csv"], ["ZZ", 2022, 10]]
    erreur = _erreur(fabrique_racine(
        csv={"agence/versements.csv": versements},
        classeurs=_classeur(Depenses=depenses, Identification=ident, Startups=None),
    ))
    assert len(erreur.problemes) == 4, str(erreur)
    message = str(erreur)
    assert message.startswith("4 problèmes dans les données")
    assert len(message.splitlines()) == 5
