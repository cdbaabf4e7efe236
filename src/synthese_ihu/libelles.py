"""Vocabulaire montré au lecteur : libellés accentués à la place des codes des données.

Les données gardent leurs clés de jointure telles quelles (``Ile-de-France``,
``brevets_deposes``, ``contexte/``) ; le rapport n'affiche jamais une clé ou un nom de colonne,
mais le libellé de ce vocabulaire. Un code inconnu n'est pas une erreur : il est montré sans
tiret bas (texte des données), pour ne pas arrêter une édition sur un libellé manquant.
"""

from __future__ import annotations

__all__ = [
    "DONNEES",
    "DOSSIERS",
    "REGIONS",
    "SOURCES",
    "libelle_donnee",
    "libelle_dossier",
    "libelle_region",
    "libelle_source",
]

#: Régions : clé des données (sans accent) -> nom officiel.
REGIONS = {
    "Ile-de-France": "Île-de-France",
    "Grand Est": "Grand Est",
    "Nouvelle-Aquitaine": "Nouvelle-Aquitaine",
    "Provence-Alpes-Cote d'Azur": "Provence-Alpes-Côte d’Azur",
    "Provence-Alpes-Côte d'Azur": "Provence-Alpes-Côte d’Azur",
    "Auvergne-Rhone-Alpes": "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comte": "Bourgogne-Franche-Comté",
    "Centre-Val de Loire": "Centre-Val de Loire",
    "Hauts-de-France": "Hauts-de-France",
    "Normandie": "Normandie",
    "Occitanie": "Occitanie",
    "Pays de la Loire": "Pays de la Loire",
    "Bretagne": "Bretagne",
}

#: Données suivies (indicateurs, natures de dépenses, origines de cofinancements).
DONNEES = {
    "projets_recherche": "projets de recherche",
    "chercheurs_etrangers": "chercheurs étrangers",
    "etudiants_double_cursus": "étudiants en double cursus",
    "brevets_deposes": "brevets déposés",
    "brevets_actifs": "brevets actifs",
    "recommandations": "recommandations",
    "essais_cliniques": "essais cliniques",
    "equipement_immobilier": "équipement immobilier",
    "equipement_mobilier": "équipement mobilier",
    "personnel": "personnel",
    "fonctionnement": "fonctionnement",
    "publique_nationale": "origine publique nationale",
    "privee": "origine privée",
    "europe_international": "origine européenne ou internationale",
}

#: Dossiers de ``data/raw`` (colophon).
DOSSIERS = {
    "agence": "données de l'agence (dotations, versements, répartition prévisionnelle)",
    "bibliometrie": "bibliométrie (articles SAMPRA, références du Web of Science)",
    "contexte": "chiffres de contexte nationaux",
    "faits_marquants": "faits marquants de l'édition",
    "referentiel": "référentiel des IHU",
}

#: Sources de contexte (fichiers de ``data/raw/contexte``).
SOURCES = {
    "brevets_inpi.csv": "Dépôts de brevets (INPI)",
    "creations_entreprises_sante.csv": "Créations d'entreprises de santé",
    "essais_cliniques_france.csv": "Essais cliniques en France",
}


def _sans_code(code: str) -> str:
    return str(code).replace("_", " ")


def libelle_region(code: str) -> str:
    """Nom d'une région pour le lecteur (``Ile-de-France`` -> ``Île-de-France``)."""
    return REGIONS.get(code, str(code))


def libelle_donnee(code: str) -> str:
    """Libellé d'une donnée suivie (``brevets_deposes`` -> ``brevets déposés``)."""
    return DONNEES.get(code, _sans_code(code))


def libelle_dossier(code: str) -> str:
    """Libellé d'un dossier de ``data/raw`` (``agence`` -> ``données de l'agence…``)."""
    return DOSSIERS.get(code, _sans_code(code))


def libelle_source(nom: str) -> str:
    """Libellé d'une source de contexte (``brevets_inpi.csv`` -> ``Dépôts de brevets (INPI)``)."""
    return SOURCES.get(nom, _sans_code(nom.removesuffix(".csv")))
