"""Paramètres du jeu de référence : référentiel, cibles publiées et choix de reconstruction.

Les cibles publiées (totaux, fourchettes) viennent de ``published_figures.yaml`` et sont
vérifiées par :mod:`synthese_ihu.generation.controle` ; les valeurs par IHU ci-dessous sont des
choix de reconstruction (jamais publiés), cohérents avec ces cibles.
"""

from __future__ import annotations

import datetime as dt

from synthese_ihu import chemins
from synthese_ihu.config import periodes

GRAINE = 20221231
FIGURES_PUBLIEES = chemins.DONNEES / "reference" / "published_figures.yaml"

SUIVIS = ["ican", "icm", "imagine", "liryc", "mi", "mixsurg", "foresight"]
SIX = SUIVIS[:6]
CODES = {
    "ICAN": "ican", "ICM": "icm", "Imagine": "imagine", "Liryc": "liryc",
    "Méditerranée Infection": "mi", "Mix Surg": "mixsurg", "FOReSIGHT": "foresight",
}
PREMIERE = {c: periodes().premiere_annee_indicateurs for c in SIX} | {"foresight": 2019}
SELECTION = {c: 2011 for c in SIX} | {"foresight": 2018}
FIN = {c: "2024-12-31" for c in SIX} | {"foresight": "2028-08-31"}
#: Édition publiée que le jeu reconstruit redonne ; premières années : ``[periodes]``.
N = 2022
F, D, C = (periodes().premiere_annee_finances, periodes().premiere_annee_indicateurs,
           periodes().premiere_campagne_cofinancements)
ANNEES_FIN = list(range(F, N + 1))
ANNEES_IND = list(range(D, N + 1))
ANNEES_COFIN = list(range(C, N + 1))
DATE_FIGEE = dt.datetime(2023, 6, 30)

# (code, nom, intitulé, thème, ville, région) des 12 IHU sélectionnés en 2023 (IHU3).
# Villes : texte de référence (préambule) ; pour l'Ile-de-France le texte ne donne que la région.
IHU3 = [
    ("cancer_femmes", "Cancer des femmes", "Cancer des femmes", "cancers des femmes",
     "Paris", "Ile-de-France"),
    ("inovand", "InovAND",
     "Innover collectivement pour le neurodéveloppement et l'avenir de chaque enfant",
     "neurodéveloppement de l'enfant", "Paris", "Ile-de-France"),
    ("prism", "PRISM", "Centre National de Médecine de Précision en Oncologie",
     "médecine de précision en oncologie", "Villejuif", "Ile-de-France"),
    ("prometheus", "Prometheus",
     "aPpROche par Médecine de prEcision pour la prise en charge THérapeutique du sEpsis "
     "commUnautaire et lié aux Soins", "sepsis communautaire et lié aux soins",
     "Garches", "Ile-de-France"),
    ("reconnect", "re-Connect", "Institut Audition et Cognition", "audition et cognition",
     "Paris", "Ile-de-France"),
    ("thema", "THEMA", "L'Institut Européen de la Leucémie", "leucémies",
     "Paris", "Ile-de-France"),
    ("vbhi", "VBHI",
     "Vaincre les maladies vasculaires cérébrales par un nouveau paradigme de prévention de "
     "précision et d'innovation thérapeutique", "maladies vasculaires cérébrales",
     "Bordeaux", "Nouvelle-Aquitaine"),
    ("everest", "Everest", "Le centre français de recherche intégrée en hépatologie",
     "hépatologie", "Lyon", "Auvergne-Rhône-Alpes"),
    ("immun4cure", "Immun4Cure",
     "Institut des maladies auto-immunes et des immunothérapies innovantes",
     "maladies auto-immunes et immunothérapies", "Montpellier", "Occitanie"),
    ("infiny", "Infiny", "Institut des maladies inflammatoires chroniques intestinales",
     "maladies inflammatoires chroniques intestinales", "Nancy", "Grand Est"),
    ("respirera", "RespirERA", "Santé Respiratoire, Environnement et Vieillesse",
     "santé respiratoire, environnement et vieillissement", "Nice",
     "Provence-Alpes-Côte d'Azur"),
    ("healthage", "HealthAge", "IHU Prévention, vieillissement en santé et Geroscience",
     "prévention, vieillissement en santé et géroscience", "Toulouse", "Occitanie"),
]

M = 1_000_000

# --- Finances (euros) -------------------------------------------------------------------
DOTATION_INITIALE_SIX = 349_300_000
PROLONGATION_2020 = {"ican": 14 * M, "icm": 16 * M, "imagine": 16 * M, "liryc": 13 * M,
                     "mixsurg": 15 * M}  # 74 M€ ; Méditerranée Infection non prolongé
VERSE_IHU = {"ican": 52_000_000, "icm": 63_500_000, "imagine": 70_600_000,
             "liryc": 53_800_000, "mi": 69_800_000, "mixsurg": 72_900_000,
             "foresight": 18_500_000}  # 401,1 M€
VERSE_ANNEE = [20.0, 40.0, 45.0, 45.0, 40.0, 35.0, 30.0, 25.0, 28.0, 30.0, 30.1, 33.0]
DEPENSE_IHU = {"ican": 51_000_000, "icm": 63_300_000, "imagine": 70_300_000,
               "liryc": 53_200_000, "mi": 69_000_000, "mixsurg": 72_600_000,
               "foresight": 17_000_000}  # 396,4 M€
DEPENSE_ANNEE = [8.0, 30.0, 40.0, 45.0, 44.0, 40.0, 36.0, 32.0, 29.0, 31.0, 32.9, 28.5]
# part de l'équipement (≈ cumul), part de l'immobilier dans l'équipement, du personnel dans
# le fonctionnement
PART_EQUIPEMENT = {"ican": 0.30, "icm": 0.21, "imagine": 0.50, "liryc": 0.44, "mi": 0.58,
                   "mixsurg": 0.62}
PROFIL_EQUIPEMENT = [1.45, 1.45, 1.4, 1.35, 1.3, 1.25, 1.2, 1.15, 0.97, 0.8, 0.68, 0.6]
EQUIPEMENT_FORESIGHT = {2019: 0.45, 2020: 0.35, 2021: 0.28, 2022: 0.22}
PART_IMMOBILIER = {"ican": 0.35, "icm": 0.30, "imagine": 0.65, "liryc": 0.60, "mi": 0.70,
                   "mixsurg": 0.70, "foresight": 0.30}
PART_PERSONNEL = {"ican": 0.66, "icm": 0.70, "imagine": 0.68, "liryc": 0.64, "mi": 0.67,
                  "mixsurg": 0.62, "foresight": 0.72}
COFIN_IHU = {"ican": 41_600_000, "icm": 206_400_000, "imagine": 70_600_000,
             "liryc": 29_600_000, "mi": 80_000_000, "mixsurg": 65_000_000,
             "foresight": 14_900_000}  # 508,1 M€ ; levier 55 % (liryc) à 325 % (icm)
COFIN_ANNEE = [30.0, 38.0, 45.0, 50.0, 55.0, 60.0, 62.0, 63.6, 104.5]
COFIN_SANS_DECLARATION = {("ican", 2014), ("liryc", 2014), ("liryc", 2015), ("mixsurg", 2016),
                          ("mi", 2017)} | {("foresight", a) for a in range(2014, 2020)}
ORIGINES = ["publique_nationale", "privee", "europe_international"]
PARTS_ORIGINE = {"ican": (.45, .40, .15), "icm": (.36, .52, .12), "imagine": (.40, .45, .15),
                 "liryc": (.40, .35, .25), "mi": (.55, .25, .20), "mixsurg": (.50, .40, .10),
                 "foresight": (.45, .35, .20)}
CIBLE_ORIGINE = (0.43, 0.42, 0.15)

# --- Indicateurs (valeurs 2022 par IHU, cumuls par IHU, totaux annuels 2012-2022) -----------
PROJETS_2022 = {"ican": 95, "icm": 512, "imagine": 180, "liryc": 70, "mi": 200,
                "mixsurg": 80, "foresight": 8}
PROJETS_ANNEE = [520, 640, 760, 860, 960, 1050, 1120, 1130, 1150, 1160, 1145]
PROJETS_FORESIGHT = {2019: 3, 2020: 5, 2021: 6, 2022: 8}
CHERCHEURS_2022 = {"ican": 16, "icm": 30, "imagine": 22, "liryc": 13, "mi": 62,
                   "mixsurg": 16, "foresight": 1}
CHERCHEURS_CUMUL = {"ican": 160, "icm": 290, "imagine": 210, "liryc": 140, "mi": 525,
                    "mixsurg": 174, "foresight": 2}
CHERCHEURS_ANNEE = [90, 104, 116, 128, 139, 149, 158, 180, 145, 132, 160]
CHERCHEURS_FORESIGHT = {2019: 1, 2020: 0, 2021: 0, 2022: 1}
ETUDIANTS = {  # valeurs 2019, 2021, 2022 : la hausse 2019-2021 vient d'icm et d'imagine
    "ican": (18, 19, 20), "icm": (60, 85, 93), "imagine": (25, 38, 38), "liryc": (10, 11, 12),
    "mi": (16, 17, 18), "mixsurg": (12, 12, 13), "foresight": (1, 2, 3)}
BREVETS_2022 = {"ican": 3, "icm": 10, "imagine": 5, "liryc": 7, "mi": 4, "mixsurg": 14,
                "foresight": 8}
BREVETS_CUMUL = {"ican": 40, "icm": 98, "imagine": 60, "liryc": 70, "mi": 45, "mixsurg": 170,
                 "foresight": 26}
BREVETS_ANNEE = [25, 32, 38, 42, 45, 48, 50, 58, 60, 60, 51]
BREVETS_FORESIGHT = {2019: 5, 2020: 6, 2021: 7, 2022: 8}
ACTIFS_2022 = {"ican": 41, "icm": 95, "imagine": 62, "liryc": 68, "mi": 48, "mixsurg": 92,
               "foresight": 20}
ACTIFS_FORESIGHT = {2019: 12, 2020: 15, 2021: 18, 2022: 20}
RECOMMANDATIONS_CUMUL = {"ican": 95, "icm": 120, "imagine": 110, "liryc": 82, "mi": 264,
                         "mixsurg": 60, "foresight": 9}
RECOMMANDATIONS_FORESIGHT = {2019: 1, 2020: 2, 2021: 3, 2022: 3}
ESSAIS_2022 = {"ican": 110, "icm": 150, "imagine": 95, "liryc": 70, "mi": 188, "mixsurg": 66,
               "foresight": 11}
ESSAIS_ANNEE = [420, 480, 540, 600, 660, 720, 770, 800, 780, 735, 690]
ESSAIS_FORESIGHT = {2019: 6, 2020: 9, 2021: 10, 2022: 11}

# Start-up : années de création par IHU (47 de 2012 à 2022, dont 2 en 2022).
STARTUPS = {
    "icm": [2012, 2013, 2014, 2015, 2016, 2016, 2017, 2018, 2019, 2020, 2021, 2022],
    "imagine": [2013, 2014, 2015, 2016, 2017, 2018, 2018, 2019, 2020],
    "mixsurg": [2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2021],
    "liryc": [2014, 2015, 2016, 2017, 2018, 2020],
    "mi": [2013, 2015, 2017, 2018, 2019, 2020],
    "ican": [2014, 2016, 2018, 2019],
    "foresight": [2022],
}
STARTUPS_ARRETEES = 15  # parmi les 39 créées jusqu'en 2019 : 24 restent actives en 2022
RACINES_STARTUP = {
    "icm": ["Neurova", "Synapt", "Cortik", "Axonel", "Myelo", "Glial"],
    "imagine": ["Genomi", "Allel", "Chromat", "Exomi", "Pedigen", "Lymphal"],
    "mixsurg": ["Endovi", "Chirop", "Laparo", "Robotis", "Guidim", "Navisur"],
    "liryc": ["Rythmo", "Cardion", "Fibril", "Sinoat", "Ablat", "Electro"],
    "mi": ["Microbi", "Phagen", "Virol", "Culturo", "Bactel", "Pathog"],
    "ican": ["Lipido", "Metabol", "Nutri", "Hepatel", "Adipo", "Vasculo"],
    "foresight": ["Opsina", "Retinel", "Fovea", "Visiol", "Photor", "Macul"],
}
# suffixes après une consonne / après une voyelle
SUFFIXES_STARTUP = (["ys", "ix", "ome", "ea", "ium", "yne", "ora", "ak"],
                    ["lys", "nix", "gen", "vita", "ra", "tek", "mune", "sense"])

# Indicateurs de soin propres à certains IHU : (code, unité, valeur 2012, valeur 2022)
SOINS = {
    "mi": [("patients_extraregionaux", "%", 18.0, 27.5), ("taux_mortalite", "%", 3.4, 2.6)],
    "mixsurg": [("taux_occupation_blocs", "%", 62.0, 84.0),
                ("cout_prise_en_charge_patient", "€", 9800.0, 8400.0)],
    "ican": [("couples_patient_medecin_traitant", "couples", 150.0, 1450.0),
             ("duree_moyenne_sejour_sans_rehospitalisation", "jours", 6.8, 5.1)],
    "imagine": [("patients_cohorte", "patients", 1200.0, 14500.0)],
}

# --- Bibliométrie ----------------------------------------------------------------------------
ARTICLES_ANNEE = [2380, 2520, 2620, 2720, 2834, 2876, 2960, 3090, 3250, 3300, 3089]  # labellisés
ARTICLES_FORESIGHT = {2012: 120, 2013: 130, 2014: 135, 2015: 145, 2016: 150, 2017: 160,
                      2018: 175, 2019: 190, 2020: 205, 2021: 215, 2022: 210}
TAILLE_ARTICLES = {"icm": 0.30, "mi": 0.27, "imagine": 0.17, "ican": 0.14, "liryc": 0.06,
                   "mixsurg": 0.06}
CROISSANCE_ARTICLES = {"icm": 0.035, "mi": 0.004, "imagine": 0.03, "ican": 0.03,
                       "liryc": 0.05, "mixsurg": 0.06}
IHU_SOUS_FRANCE = "mi"  # le seul IHU qui croît moins vite que la France
# Croissance P2/P1 de la production française dans les catégories WoS de chaque IHU (celle de
# l'IHU sous la France : sa propre croissance + 6 points) et excédent de la croissance mondiale
# sur la française : chaque IHU a ses propres références, et seuls certains IHU croissent plus
# vite que le monde.
CROISSANCE_FRANCE = {"ican": 0.07, "icm": 0.09, "imagine": 0.05, "liryc": 0.12,
                     "mixsurg": 0.06, "foresight": 0.11}
EXCEDENT_MONDE = {"ican": 0.09, "icm": 0.06, "imagine": 0.13, "liryc": 0.10, "mi": 0.11,
                  "mixsurg": 0.12, "foresight": 0.08}
PART_FRANCE_MONDE = {"ican": 0.041, "icm": 0.046, "imagine": 0.052, "liryc": 0.038,
                     "mi": 0.049, "mixsurg": 0.044, "foresight": 0.057}
PART_FRANCE_P1 = {"icm": 0.0913, "mi": 0.1187, "imagine": 0.0524, "ican": 0.0392,
                  "liryc": 0.0257, "mixsurg": 0.0198, "foresight": 0.0306}
CATEGORIES = ["A", "B", "C", "D", "E", "NC"]
PARTS_HORS_E = [0.14, 0.17, 0.27, 0.24, 0.18]  # A, B, C, D, NC (parts de 2014)
# Dérive annuelle (log) de la part de chaque catégorie hors E : la production se déplace vers
# les meilleures revues ; chaque catégorie a ainsi sa propre évolution entre les deux périodes.
DERIVE_CATEGORIES = [0.030, 0.015, 0.005, -0.010, -0.020]  # A, B, C, D, NC
# Écart minimal (points) entre la plus forte et la plus faible évolution des catégories hors E :
# en dessous, la figure « évolution par catégorie » serait plate (contrôle de la génération).
ECART_MIN_CATEGORIES = 10.0
PART_E = {2012: .21, 2013: .205, 2014: .20, 2015: .195, 2016: .19, 2017: .17, 2018: .155,
          2019: .15, 2020: .145, 2021: .14, 2022: .135}
EVOLUTION_E = -0.15
POSITIONS = ["1", "2", "3", "k", "PA", "DA"]
PARTS_POSITION_P1 = [.19, .10, .09, .30, .08, .24]
PARTS_POSITION_P2 = [.17, .085, .085, .375, .075, .21]  # 1+DA = 38 %, 2+PA = 16 %
REMERCIEMENTS_P2 = 0.13
# Propension relative de chaque IHU à remercier l'État dans ses articles (parts par IHU
# différentes, part d'ensemble exacte).
PROPENSION_REMERCIEMENTS = {"ican": 1.2, "icm": 0.8, "imagine": 1.5, "liryc": 1.9, "mi": 0.6,
                            "mixsurg": 1.4, "foresight": 1.0}
POIDS_REMERCIEMENTS = {2012: .04, 2013: .05, 2014: .06, 2015: .07, 2016: .08, 2017: .09,
                       2018: .10, 2019: .12, 2020: .13, 2021: .14, 2022: .155}
TOP10 = {a: 0.155 + 0.005 * (a - 2012) for a in range(2012, 2022)} | {2022: 0.13}
TOP1 = {a: 0.018 + 0.001 * (a - 2012) for a in range(2012, 2022)} | {2022: 0.012}

# --- Contexte -------------------------------------------------------------------------------
REGIONS_IHU = ["Grand Est", "Provence-Alpes-Côte d'Azur", "Nouvelle-Aquitaine", "Ile-de-France"]
BREVETS_2022_PUBLIES = {  # territoire -> (tous_domaines, domaines_ihu) ; None = non publié
    "France": (12627, None), "Grand Est": (357, 25), "Provence-Alpes-Côte d'Azur": (550, 49),
    "Nouvelle-Aquitaine": (571, 68), "Ile-de-France": (4611, 213)}
BREVETS_FRANCE_ANNEE = [14480, 14530, 14610, 14490, 14310, 14380, 14260, 14090, 13620, 13190]
SOURCE_INPI = ("INPI, Statistiques régionales et départementales des demandes de brevets à "
               "l'INPI en 2022 (novembre 2023)")
ESSAIS_FRANCE_ANNEE = [4810, 5040, 5250, 5480, 5700, 5930, 6160, 6420, 6690, 7020, 7364]
ESSAIS_ACADEMIQUES_2022 = 4481
SOURCE_ESSAIS = "ClinicalTrials.gov, extraction du 25/09/2023"
CREATIONS_FRANCE = [38150, 39020, 40110, 41480, 42960, 44530, 46370, 48200, 49150, 53680, 56221]
CREATIONS_REGIONS_2022 = 26368
SOURCE_CREATIONS = ("Bpifrance Création, La création d'entreprise en France, fiche statistique "
                    "2022 (février 2023)")
SOURCE_ESTIMATION = "estimation (jeu de référence reconstruit)"

MEDITWIN = [
    ("Dassault Systèmes", "entreprise", "chef de file"),
    ("Liryc", "IHU", "membre (lauréat IHU1)"),
    ("IHU Strasbourg (Mix Surg)", "IHU", "membre (lauréat IHU1)"),
    ("Imagine", "IHU", "membre (lauréat IHU1)"), ("ICM", "IHU", "membre (lauréat IHU1)"),
    ("ICAN", "IHU", "membre (lauréat IHU1)"), ("FOReSIGHT", "IHU", "membre (lauréat IHU2)"),
    ("PRISM", "IHU", "membre (lauréat IHU3)"),
    ("CHU de Nantes (institut du thorax)", "CHU", "membre"),
    ("Inria", "organisme de recherche", "membre"),
    ("inHEART", "start-up", "membre"), ("Codoc", "start-up", "membre"),
    ("Qairnel", "start-up", "membre"), ("Neurometers", "start-up", "membre"),
]

# Faits marquants : un paragraphe par ligne (edition, ordre, titre, texte, date, source, tableau).
# Texte libre rédigé par l'agence (nos mots, d'après les annonces) ; ses nombres sont ceux des
# annonces (le contrôle vérifie que l'effectif annoncé est celui du tableau qui suit).
# ``tableau`` : tableau affiché après le paragraphe (ihu_selectionnes, meditwin).
SOURCE_IHU3 = "Présidence de la République, annonce des lauréats de l'appel IHU3"
SOURCE_MEDITWIN = "Présidence de la République et France 2030, présentation de MEDITWIN"
FAITS_MARQUANTS = [
    (2022, 1, "Douze nouveaux IHU retenus à l'issue de l'appel IHU3",
     "En 2022, l'ANR a ouvert, dans le cadre du plan Innovation Santé 2030, un appel à projets "
     "destiné à labelliser de nouveaux instituts hospitalo-universitaires. Au terme de la "
     "sélection, le Président de la République a annoncé le 16 mai 2023 la création de douze "
     "nouveaux IHU :", "2023-05-16", SOURCE_IHU3, "ihu_selectionnes"),
    (2022, 2, "MEDITWIN : sept IHU autour des jumeaux numériques",
     "Le consortium MEDITWIN a été présenté le 11 décembre 2023 en présence du Président de la "
     "République. Conduit par Dassault Systèmes, il associe sept IHU — six issus des deux "
     "premiers appels à projets, un retenu lors de l'appel IHU3 —, l'institut du thorax du CHU "
     "de Nantes, Inria et quatre start-up :", "2023-12-11", SOURCE_MEDITWIN, "meditwin"),
    (2022, 3, "",
     "MEDITWIN développe une plateforme de jumeaux numériques au service de la pratique "
     "médicale : diagnostic, aide à la décision, soin et prévention. Les médecins pourront "
     "notamment y simuler l'évolution possible de l'état d'un patient. Sept nouvelles pratiques "
     "médicales en neurologie, cardiologie et oncologie doivent en naître, sous la forme de "
     "sept « produits de santé virtuels » commercialisés et déployés sur un cloud "
     "souverain. Le projet se déroulera sur cinq ans, de 2024 à 2029, avec le "
     "soutien financier de l'État au titre de France 2030.", None, SOURCE_MEDITWIN, None),
]

# --- Référentiel des appels, nature du jeu, notes de contexte (issue #15) --------------------
# (appel, programme, année de sélection, année d'évaluation, instance d'évaluation)
APPELS = [
    ("IHU1", "PIA1", 2011, 2019, "jury international"),
    ("IHU2", "PIA3", 2018, None, None),
    ("IHU3", "France 2030", 2023, None, None),
]
EDITION_PUBLIEE = 2022
SOURCE_PUBLIEE = ("ANR, Synthèse du suivi du Plan France 2030 intégrant les Programmes "
                  "d'Investissements d'Avenir, action IHU 2011-2022")
# Valeurs du catalogue (``synthese_ihu.valeurs``) qui sont des chiffres publiés par l'agence
# dans l'édition 2022 (``published_figures.yaml`` et notes de la synthèse) ; toute autre valeur
# chiffrée vient du jeu reconstruit.
VALEURS_PUBLIEES = [
    "dotation_engagee", "verse_cumul", "verse_cumul_part_dotation", "verse_annee",
    "depenses_cumul", "depenses_cumul_part_dotation", "depenses_annee",
    "projets_annee", "projets_min", "projets_max", "articles_cumul", "articles_evolution",
    "articles_evolution_cat_e", "categorie_baisse_evolution", "depenses_cumul_dotes",
    "position_premier_dernier", "position_deuxieme_avant_dernier", "remerciements",
    # parts des revues A à E de la méthode SAMPRA, point haut des étudiants (le chiffre 2022) :
    # imprimées par l'agence sous un autre nom, elles ne sont pas « jamais publiées »
    "part_revues_a", "part_revues_b", "part_revues_c", "part_revues_d", "part_revues_e",
    "etudiants_pic",
    "chercheurs_etrangers_annee", "chercheurs_etrangers_min", "chercheurs_etrangers_max",
    "chercheurs_etrangers_cumul", "chercheurs_etrangers_cumul_min",
    "chercheurs_etrangers_cumul_max",
    "etudiants_double_cursus_annee", "etudiants_double_cursus_min", "etudiants_double_cursus_max",
    "brevets_annee", "brevets_part_france", "brevets_part_regions",
    "brevets_part_regions_domaines", "brevets_cumul", "brevets_cumul_min", "brevets_cumul_max",
    "brevets_actifs", "brevets_actifs_min", "brevets_actifs_max", "depots_france",
    "startups_annee", "startups_cumul", "startups_actives_plus_3_ans",
    "creations_france", "creations_regions",
    "recommandations_cumul", "recommandations_cumul_min", "recommandations_cumul_max",
    "essais_cliniques_annee", "essais_cliniques_min", "essais_cliniques_max",
    "essais_cliniques_part_france", "essais_france", "essais_france_academiques",
    "essais_base_etudes", "essais_base_pays",
    "cofinancements_cumul", "cofinancements_annee", "effet_levier", "effet_levier_min",
    "effet_levier_max", "origine_publique_nationale", "origine_privee",
    "origine_europe_international",
]
#: Couverture déclarée de chaque source datée (``[couverture.<source>]``, docs/cadre.md) :
#: source -> (fichier de métadonnées, libellé, première année, dernière année, événements) ;
#: ``FIABILISATION`` : année du travail de fiabilisation d'une source, cité par le récit.
COUVERTURES = {
    "dotations": ("metadonnees", "dotations engagées par l'agence", F, N, True),
    "versements": ("metadonnees", "versements de l'agence", F, N, False),
    "articles": ("metadonnees", "export bibliométrique SAMPRA", D, N, False),
    "references_wos": ("metadonnees", "productions de référence du Web of Science", D, N,
                       False),
    "brevets_inpi": ("references", "dépôts de brevets de l'INPI", D, N, False),
    "essais_france": ("references", "essais cliniques en France (ClinicalTrials.gov)", D, N,
                      False),
    "creations_entreprises": ("references", "créations d'entreprises de santé", D, N, False),
}
FIABILISATION = {"articles": 2019}


def _couvertures(fichier: str) -> str:
    texte = ""
    for source, (ou, libelle, debut, fin, evenements) in COUVERTURES.items():
        if ou == fichier:
            texte += (f'\n[couverture.{source}]\nlibelle = "{libelle}"\n'
                      f"premiere_annee = {debut}\nderniere_annee = {fin}\n"
                      + ("evenements = true\n" if evenements else "")
                      + (f"fiabilisation = {FIABILISATION[source]}\n"
                         if source in FIABILISATION else ""))
    return texte


METADONNEES = f'''# Nature du jeu de données (lu par synthese_ihu.donnees.metadonnees).
# donnees_reconstruites = true : le rapport (annexe, colophon) avertit que seules les valeurs
# listées dans valeurs_publiees sont des chiffres publiés par l'agence ; des données de campagne
# réelles portent donnees_reconstruites = false et l'avertissement disparaît sans changer le code.
# valeurs_publiees : chaque valeur citée dont l'agence a imprimé le chiffre dans l'édition
# edition_publiee, y compris sous un autre nom ; l'annexe de méthode liste comme jamais publiées
# les valeurs imprimées qui n'y sont pas (voir docs/cadre-statut.md).
donnees_reconstruites = true
edition_publiee = {EDITION_PUBLIEE}
source_publiee = "{SOURCE_PUBLIEE}"
valeurs_publiees = [
''' + "".join(f'    "{v}",\n' for v in VALEURS_PUBLIEES) + "]\n" + (
    "\n# Couverture de chaque source datée : première et dernière année de ses données "
    "(docs/cadre.md).\n") + _couvertures("metadonnees")

REFERENCES_CONTEXTE = (
    "# Références de contexte citées en note (lu par synthese_ihu.donnees.metadonnees).\n"
) + '''
[essais_cliniques]
# Note de la synthèse 2022 : base de ClinicalTrials.gov et requête d'où viennent les essais en
# cours en France (contexte/essais_cliniques_france.csv).
annee = 2022
source = "ClinicalTrials.gov"
url = "https://clinicaltrials.gov/"
date_extraction = 2023-09-25
etudes_repertoriees = 467060
pays = 220
requete_pays = "France"
requete_statuts = ["en cours de recrutement", "actifs"]
requete_debut_avant = 2022-12-31

[startups]
# Contexte national des créations de start-up (note de la synthèse 2022).
annee = 2022
observatoire = "Observatoire de la dynamique des startups et PME industrielles ''' \
    '''innovantes françaises"
annonce = "communiqué de presse"
date_annonce = "2023-03"
labels = ["deeptech", "French Care"]

[brevets_inpi]
# Date de la source des dépôts de brevets de référence (contexte/brevets_inpi.csv) : publication
# de l'INPI d'où viennent les chiffres de l'année (les autres années sont des estimations).
annee = 2022
date_publication = "2023-11"

[creations_entreprises_sante]
# Date de la source des créations d'entreprises (contexte/creations_entreprises_sante.csv).
annee = 2022
date_publication = "2023-02"
''' + (
    "\n# Couverture de chaque extraction de contexte : première et dernière année de ses "
    "données (docs/cadre.md).\n") + _couvertures("references")
