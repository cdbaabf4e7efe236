"""Jeux de données minimaux pour les tests (classeurs et CSV écrits dans tmp_path).

Module ordinaire, importable par les tests (`from outils_donnees import ...`) : on n'importe
jamais un conftest, dont le nom n'est pas unique dans l'arborescence des tests.
"""


from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

Lignes = list[list[object]]

#: Fichiers CSV du petit jeu de données valide : chemin relatif -> lignes (en-tête comprise).
CSV_MINIMAUX: dict[str, Lignes] = {
    "referentiel/ihu.csv": [
        ["ihu", "nom", "theme", "ville", "region", "appel", "annee_selection",
         "premiere_annee_indicateurs", "fin_financement"],
        ["A", "Alpha", "cardiologie", "Paris", "Ile-de-France", "IHU1", 2011, 2012, "2024-12-31"],
        ["B", "Beta", "vision", "Bordeaux", "Nouvelle-Aquitaine", "IHU2", 2018, 2019,
         "2028-08-31"],
        ["C", "Gamma", "audition", "Lyon", "Auvergne-Rhône-Alpes", "IHU3", 2023, "", ""],
    ],
    "referentiel/categories_wos.csv": [
        ["ihu", "categorie_wos"], ["A", "Neurosciences"], ["B", "Ophthalmology"],
    ],
    "agence/dotations.csv": [
        ["ihu", "annee_engagement", "tranche", "montant_eur"],
        ["A", 2011, "initiale", 1000], ["A", 2020, "prolongation_2020", 200],
        ["B", 2018, "initiale", 500], ["C", 2024, "initiale", 900],
    ],
    "agence/versements.csv": [
        ["ihu", "annee", "montant_eur"],
        ["A", 2011, 100], ["A", 2021, 300], ["A", 2022, 200], ["B", 2019, 50],
    ],
    "agence/repartition_previsionnelle.csv": [
        ["ihu", "nature", "montant_eur"],
        ["A", "personnel", 600], ["A", "equipement_mobilier", 400],
    ],
    "bibliometrie/sampra_articles.csv": [
        ["id_article", "ihu", "annee", "categorie", "position", "top1", "top10", "remerciement"],
        ["a1", "A", 2015, "A", "1", "False", "True", "True"],
        ["a2", "B", 2016, "E", "k", "False", "False", "False"],
        ["a3", "B", 2020, "B", "DA", "True", "True", "False"],
    ],
    "bibliometrie/references_wos.csv": [
        ["ihu", "annee", "perimetre", "articles", "articles_top1", "articles_top10"],
        ["A", 2015, "France", 100, 1, 10], ["A", 2015, "Monde", 1000, 10, 100],
    ],
    "contexte/brevets_inpi.csv": [
        ["annee", "territoire", "perimetre", "depots", "statut", "source"],
        [2022, "France", "tous_domaines", 12627, "publie", "INPI"],
    ],
    "contexte/essais_cliniques_france.csv": [
        ["annee", "essais_en_cours", "dont_promotion_academique", "statut", "source"],
        [2022, 7364, 4481, "publie", "ClinicalTrials.gov"],
    ],
    "contexte/creations_entreprises_sante.csv": [
        ["annee", "territoire", "creations", "statut", "source"],
        [2022, "France", 56221, "publie", "Bpifrance"],
    ],
    "faits_marquants/ihu_selectionnes_2023.csv": [
        ["nom", "intitule", "ville", "region", "appel"],
        ["PRISM", "Médecine de précision", "Villejuif", "Ile-de-France", "IHU3"],
    ],
    "faits_marquants/meditwin_partenaires.csv": [
        ["partenaire", "type", "role"], ["Inria", "recherche", "partenaire"],
    ],
    "faits_marquants/faits_marquants.csv": [
        ["edition", "ordre", "titre", "texte", "date", "source", "tableau"],
        [2022, 2, "", "Suite du fait marquant.", "", "Agence", ""],
        [2022, 1, "Un fait marquant", "Le consortium est présenté :", "2023-12-11", "Agence",
         "meditwin"],
        [2021, 1, "Un fait de 2021", "Texte de l'édition 2021.", "", "Agence", ""],
    ],
}


def feuilles_campagne(ihu: str, annee: int) -> dict[str, Lignes]:
    """Feuilles d'un classeur de campagne valide (une ligne d'en-tête, puis les données)."""
    return {
        "Instructions": [["Classeur de suivi annuel : une feuille par bloc."]],
        "Identification": [
            ["champ", "valeur"], ["ihu", ihu], ["nom", f"IHU {ihu}"], ["annee_campagne", annee],
        ],
        "Depenses": [
            ["annee", "nature", "montant_eur"],
            [annee, "personnel", 100.0], [annee, "equipement_immobilier", 50.5],
        ],
        "Indicateurs": [
            ["annee", "indicateur", "valeur"],
            [annee, "projets_recherche", 10], [annee, "brevets_deposes", 2],
        ],
        "Startups": [["nom", "annee_creation", "statut"], [f"{ihu}-bio", 2015, "active"]],
        "Soins_specifiques": [["annee", "indicateur", "valeur", "unite"]],
        "Cofinancements": [["annee", "origine", "montant_eur"], [annee, "privee", 30]],
    }


def ecrire_csv(chemin: Path, lignes: Lignes) -> None:
    """Écrit un CSV UTF-8, séparateur virgule."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with chemin.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(lignes)


def ecrire_classeur(chemin: Path, feuilles: dict[str, Lignes]) -> None:
    """Écrit un classeur xlsx (openpyxl), une feuille par entrée, dans l'ordre donné."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    classeur = openpyxl.Workbook()
    classeur.remove(classeur.active)
    for nom, lignes in feuilles.items():
        feuille = classeur.create_sheet(nom)
        for ligne in lignes:
            feuille.append(ligne)
    classeur.save(chemin)


#: Classeurs du petit jeu : (ihu, campagne).
CLASSEURS_MINIMAUX = [("A", 2021), ("A", 2022), ("B", 2022)]


def declarer_couvertures(racine: Path, fichiers: dict[str, Lignes | None]) -> None:
    """Déclare la couverture de chaque source datée écrite (``[couverture.<source>]``), celle
    de ses lignes : le petit jeu passe le contrôle du chargement comme ``data/raw``."""
    from synthese_ihu.donnees.chargement import FICHIERS_CSV
    from synthese_ihu.donnees.metadonnees import METADONNEES, SOURCES_DATEES

    textes = {METADONNEES: "donnees_reconstruites = false\n"}
    for source, ou in SOURCES_DATEES.items():
        lignes = fichiers.get(FICHIERS_CSV[source][0])
        if not lignes or len(lignes) < 2:
            continue
        colonne = lignes[0].index("annee" if "annee" in lignes[0] else "annee_engagement")
        annees = [int(ligne[colonne]) for ligne in lignes[1:]
                  if str(ligne[colonne]).strip().isdigit()]
        if annees:
            textes[ou] = textes.get(ou, "") + (
                f'[couverture.{source}]\nlibelle = "{source}"\npremiere_annee = {min(annees)}\n'
                f"derniere_annee = {max(annees)}\n")
    # chaque fichier de contexte écrit date sa source (une source sans date est refusée)
    from synthese_ihu.donnees.metadonnees import REFERENCES, SECTION_DE_FICHIER

    for relatif, lignes in fichiers.items():
        if relatif.startswith("contexte/") and relatif.endswith(".csv") and lignes:
            section = SECTION_DE_FICHIER.get(Path(relatif).stem, Path(relatif).stem)
            date = ("date_extraction = 2023-01-15" if section == "essais_cliniques"
                    else 'date_publication = "2023-01"')
            textes[REFERENCES] = textes.get(REFERENCES, "") + f"[{section}]\n{date}\n"
    for relatif, texte in textes.items():
        chemin = racine / relatif
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_text(texte, encoding="utf-8")
