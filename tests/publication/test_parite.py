"""Parité avec l'édition de référence, provenance, licence, précision des figures (issue #15).

Chaque fait ajouté vient d'un fichier de données ou de la configuration, et peut échouer : clé
inconnue refusée, jeu réel sans avertissement, parts qui s'ajoutent, carte construite hors ligne,
génération refusée quand les catégories de revues évoluent toutes pareil.
"""

from __future__ import annotations

import json
import socket

import numpy as np
import pandas as pd
import pytest
from config_jetable import TOML_VALIDE, ecrire_config

from synthese_ihu import config, publication
from synthese_ihu.donnees import ErreurDonnees
from synthese_ihu.donnees.metadonnees import lire_metadonnees
from synthese_ihu.figures import carte, precision
from synthese_ihu.figures.commun import contexte

pytestmark = pytest.mark.rapide

METADONNEES = """donnees_reconstruites = true
edition_publiee = 2022
source_publiee = "Synthèse publiée"
valeurs_publiees = ["dotation_engagee"]
"""


def _racine(tmp_path, metadonnees=METADONNEES, appels=None, references=None):
    racine = tmp_path / "raw"
    (racine / "referentiel").mkdir(parents=True)
    (racine / "contexte").mkdir(parents=True)
    if metadonnees is not None:
        (racine / "referentiel" / "metadonnees.toml").write_text(metadonnees, encoding="utf-8")
    if appels is not None:
        (racine / "referentiel" / "appels.csv").write_text(appels, encoding="utf-8")
    if references is not None:
        (racine / "contexte" / "references.toml").write_text(references, encoding="utf-8")
    return racine


# --- métadonnées --------------------------------------------------------------------------------
def test_metadonnees_lues_et_validees(tmp_path):
    appels = ("appel,programme,annee_selection,annee_evaluation,instance_evaluation\n"
              "IHU1,PIA1,2011,2019,jury international\nIHU2,PIA3,2018,,\n")
    refs = '[startups]\nannee = 2022\nobservatoire = "Obs"\nannonce = "communiqué"\n' \
           'date_annonce = "2023-03"\nlabels = ["deeptech"]\n'
    m = lire_metadonnees(_racine(tmp_path, appels=appels, references=refs))
    assert m.donnees_reconstruites and m.edition_publiee == 2022
    assert m.appels["IHU1"]["annee_evaluation"] == 2019
    assert m.appels["IHU2"]["annee_evaluation"] is None
    assert m.references["startups"]["observatoire"] == "Obs"


def test_metadonnees_absentes_donnees_reelles(tmp_path):
    m = lire_metadonnees(_racine(tmp_path, metadonnees=None))
    assert not m.donnees_reconstruites and not m.valeurs_publiees and not m.appels


@pytest.mark.parametrize("texte, champ", [
    (METADONNEES + "inconnue = 1\n", "inconnue"),
    (METADONNEES.replace("true", '"oui"'), "donnees_reconstruites"),
    ("edition_publiee = 2022\n", "donnees_reconstruites"),
    ("donnees_reconstruites = true\n", "edition_publiee"),
])
def test_metadonnees_invalides_refusees_en_nommant_fichier_et_champ(tmp_path, texte, champ):
    with pytest.raises(ErreurDonnees) as exc:
        lire_metadonnees(_racine(tmp_path, metadonnees=texte))
    assert "referentiel/metadonnees.toml" in str(exc.value) and champ in str(exc.value)


def test_reference_de_contexte_inconnue_refusee(tmp_path):
    with pytest.raises(ErreurDonnees, match=r"contexte/references.toml.*\[brevets\]"):
        lire_metadonnees(_racine(tmp_path, references="[brevets]\nannee = 2022\n"))


def test_appel_avec_annee_illisible_refuse(tmp_path):
    appels = ("appel,programme,annee_selection,annee_evaluation,instance_evaluation\n"
              "IHU1,PIA1,2011,deux mille dix-neuf,jury\n")
    with pytest.raises(ErreurDonnees, match=r"appels.csv, ligne 2, champ « annee_evaluation »"):
        lire_metadonnees(_racine(tmp_path, appels=appels))


# --- provenance et licence -----------------------------------------------------------------------
def test_provenance_d_une_valeur_suit_le_drapeau(tmp_path):
    reconstruit = lire_metadonnees(_racine(tmp_path))
    assert publication.provenance_valeur("dotation_engagee", reconstruit, 2022) == "publiee"
    assert publication.provenance_valeur("part_top10_ihu", reconstruit, 2022) == "reconstruite"
    assert publication.provenance_valeur("dotation_engagee", reconstruit, 2019) == "reconstruite"
    reel = lire_metadonnees(_racine(tmp_path / "b", metadonnees="donnees_reconstruites = false\n"))
    assert publication.provenance_valeur("dotation_engagee", reel, 2022) == "donnees"


def test_valeurs_publiees_existent_dans_le_catalogue():
    from synthese_ihu import valeurs
    from synthese_ihu.generation import parametres

    inconnues = set(parametres.VALEURS_PUBLIEES) - set(valeurs._CALCULS)
    assert not inconnues, inconnues


def test_licence_par_defaut_et_configuree(tmp_path):

    conf = config.charger_configuration(ecrire_config(tmp_path), tmp_path)
    assert conf.publication.licence == "Licence Ouverte / Open Licence 2.0"
    texte = TOML_VALIDE + '\n[publication]\nlicence = "CC-BY 4.0"\n' \
        'licence_url = "https://creativecommons.org/licenses/by/4.0/"\n'
    conf = config.charger_configuration(ecrire_config(tmp_path, texte), tmp_path)
    faits = publication.faits_publication(lire_metadonnees(_racine(tmp_path)), conf)
    assert faits["licence"] == "CC-BY 4.0" and faits["donnees_reconstruites"]
    assert faits["valeurs_publiees"] == ["dotation_engagee"]


@pytest.mark.parametrize("ajout, message", [
    ('\n[publication]\nlicence = "x"\n', "licence_url"),
    ('\n[publication]\nlicence = "x"\nlicence_url = "ftp://x"\n', "https://"),
    ('\n[publication]\nlicence = "x"\nlicence_url = "https://x"\nlangue = "fr"\n', "langue"),
])
def test_publication_invalide_refusee(tmp_path, ajout, message):

    with pytest.raises(config.ErreurConfiguration, match=message):
        config.charger_configuration(ecrire_config(tmp_path, TOML_VALIDE + ajout), tmp_path)


def test_configuration_du_projet_declare_la_licence_ouverte():
    conf = config.charger_configuration()
    assert conf.publication.licence == "Licence Ouverte / Open Licence 2.0"
    assert conf.publication.licence_url == \
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


# --- précision et parts -------------------------------------------------------------------------
@pytest.mark.parametrize("valeurs, decimales", [
    ([29.8, 21.64, 32.59, 15.97], 0), ([1, 1, 1], 0), ([8.51, 7.50, 16.99, 20.99, 8.5, 37.5], 1),
    ([0.0, 3.0, 0.0], 0),
])
def test_parts_arrondies_font_100(valeurs, decimales):
    parts = precision.parts_arrondies(valeurs, decimales)
    assert round(parts.sum(), 6) == 100
    assert np.allclose(parts, np.round(parts, decimales))
    assert np.all(np.abs(parts - 100 * np.array(valeurs) / sum(valeurs)) < 10 ** -decimales)


def test_arrondi_d_une_figure_par_ihu():
    cadre = pd.DataFrame({"rang": [1, 2], "effet_levier_pct": [325.04, -0.4]})
    arrondi = precision.arrondir("effet_levier_ihu", cadre)
    assert arrondi["effet_levier_pct"].tolist() == [325.0, 0.0]
    assert str(arrondi["effet_levier_pct"].iloc[1]) == "0.0"  # pas de « -0 »
    assert precision.arrondir("projets_annee", cadre).equals(cadre)


# --- carte --------------------------------------------------------------------------------------
def test_fond_de_carte_versionne_avec_source_et_licence():
    regions = carte.regions()
    assert len(regions) == 13
    assert {"Grand Est", "Île-de-France", "Occitanie"} <= {nom for _, nom, _ in regions}
    notice = (carte.DOSSIER_GEO / "README.md").read_text(encoding="utf-8")
    assert "Licence Ouverte" in notice and "GEOFLA" in notice
    brut = json.loads(carte.REGIONS.read_text(encoding="utf-8"))
    assert brut["type"] == "FeatureCollection"


def test_carte_construite_hors_ligne(donnees_min, monkeypatch):
    from synthese_ihu import figures

    def interdit(*args, **kwargs):
        raise AssertionError("accès réseau pendant la construction de la carte")

    monkeypatch.setattr(socket, "socket", interdit)
    monkeypatch.setattr(socket, "create_connection", interdit)
    svg = figures.svg_figure("carte_ihu", donnees_min, 2022)
    assert "<svg" in svg and "Strasbourg" in svg
    cadre = figures.donnees_figure("carte_ihu", donnees_min, 2022)
    assert set(cadre.columns) == {"nom", "ville", "region", "appel", "groupe", "latitude",
                                  "longitude", "statut"}
    assert set(cadre["statut"]) == {"publie"}  # lieux du référentiel, aucune valeur


def test_ville_sans_coordonnees_refusee(donnees_min, monkeypatch):
    from synthese_ihu import figures

    monkeypatch.setattr(carte, "villes", lambda: {"Paris": (48.86, 2.35)})
    with pytest.raises(carte.VilleInconnue, match="Strasbourg"):
        carte.donnees_carte(donnees_min.pour_annee(2022), contexte(2022))
    avis = figures.html_figure("carte_ihu", donnees_min, 2022)
    assert "figure-absente" in avis and "villes.csv" in avis


@pytest.fixture
def donnees_min():
    from synthese_ihu.donnees import Donnees

    ihu = pd.DataFrame({
        "ihu": ["a", "b"], "nom": ["Alpha", "Beta"], "theme": ["t", "t"],
        "ville": ["Paris", "Strasbourg"], "region": ["Ile-de-France", "Grand Est"],
        "appel": ["IHU1", "IHU1"], "annee_selection": [2011, 2011],
        "premiere_annee_indicateurs": [2012, 2012], "fin_financement": [None, None]})
    campagnes = pd.DataFrame({"ihu": ["a"], "campagne": [2022], "nom": ["Alpha"],
                              "fichier": ["a_2022.xlsx"]})
    return Donnees.depuis_tableaux(ihu=ihu, campagnes=campagnes)


# --- génération ---------------------------------------------------------------------------------
def test_generation_refuse_des_categories_qui_evoluent_toutes_pareil():
    from synthese_ihu.generation import controle

    lignes = []
    for annee, n in ((2013, 100), (2020, 130)):
        for categorie, k in zip("ABCDE", (10, 20, 30, 30, 10), strict=True):
            k = k if categorie != "E" else (10 if annee == 2013 else 8)
            lignes += [{"id_article": f"{annee}{categorie}{i}", "ihu": "a", "annee": annee,
                        "categorie": categorie} for i in range(round(k * n / 100))]
    art = pd.DataFrame(lignes)
    ref = pd.DataFrame({"ihu": ["a"], "premiere_annee_indicateurs": [2012]})
    wos = pd.DataFrame([{"ihu": "a", "annee": a, "perimetre": p, "articles": v}
                        for a, p, v in ((2013, "France", 1000), (2020, "France", 1100),
                                        (2013, "Monde", 20000), (2020, "Monde", 24000))])
    jeu = type("Jeu", (), {"csv": {"referentiel/ihu.csv": ref,
                                    "bibliometrie/sampra_articles.csv": art,
                                    "bibliometrie/references_wos.csv": wos}})()
    erreurs = controle._bibliometrie_vraisemblable(jeu)
    assert any("évolutions par catégorie trop proches" in e for e in erreurs)
