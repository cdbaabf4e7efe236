"""Schémas pandera des données d'entrée, un par concept (contrat : ``data/README.md``).

Chaque schéma déclare les colonnes obligatoires, leur type, les valeurs permises, les bornes
et la clé qui ne doit pas être en double. Les types déclarés ici pilotent aussi la conversion
des cellules (voir :mod:`synthese_ihu.donnees.chargement`). Les codes d'IHU connus viennent du
référentiel, lu en premier : ils sont fournis aux schémas par :data:`CODES_IHU`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from synthese_ihu.config import periodes
from synthese_ihu.donnees.annees import PREMIERE_ANNEE  # noqa: F401 -- réexportée (sc.)

# --- valeurs permises --------------------------------------------------------------------------
APPELS = ("IHU1", "IHU2", "IHU3")
TRANCHES = ("initiale", "prolongation_2020")
NATURES = ("equipement_immobilier", "equipement_mobilier", "personnel", "fonctionnement")
NATURES_EQUIPEMENT = ("equipement_immobilier", "equipement_mobilier")
NATURES_FONCTIONNEMENT = ("personnel", "fonctionnement")
INDICATEURS_COMMUNS = (
    "projets_recherche",
    "chercheurs_etrangers",
    "etudiants_double_cursus",
    "brevets_deposes",
    "brevets_actifs",
    "recommandations",
    "essais_cliniques",
)
STATUTS_STARTUP = ("active", "cessee", "rachetee")
ORIGINES = ("publique_nationale", "privee", "europe_international")
CATEGORIES_REVUES = ("A", "B", "C", "D", "E", "NC")
POSITIONS = ("1", "2", "3", "k", "PA", "DA")
PERIMETRES_WOS = ("France", "Monde")
PERIMETRES_INPI = ("tous_domaines", "domaines_ihu")
STATUTS_CONTEXTE = ("publie", "estime")
TERRITOIRES_CREATIONS = ("France", "regions_ihu")

#: Première campagne (premiers versements et dépenses, ``[periodes]`` de ``synthese.toml``).
PREMIERE_CAMPAGNE = periodes().premiere_annee_finances
#: Première campagne comportant la feuille ``Cofinancements`` (``[periodes]`` de ``synthese.toml``).
PREMIERE_CAMPAGNE_COFINANCEMENTS = periodes().premiere_campagne_cofinancements

#: Codes d'IHU du référentiel, fixés pendant un chargement.
CODES_IHU: ContextVar[frozenset[str]] = ContextVar("CODES_IHU", default=frozenset())

ATTENDU_IHU = "un code d'IHU du référentiel (referentiel/ihu.csv)"


def _ihu_connu(serie: pd.Series) -> pd.Series:
    return serie.isin(CODES_IHU.get())


def _ihu() -> pa.Column:
    return pa.Column("string", pa.Check(_ihu_connu, error=ATTENDU_IHU))


def _annee(minimum: int = 1990, nullable: bool = False) -> pa.Column:
    return pa.Column(
        "Int64",
        pa.Check.in_range(minimum, 2100, error=f"une année entre {minimum} et 2100"),
        nullable=nullable,
    )


def _montant() -> pa.Column:
    return pa.Column("float64", pa.Check.ge(0, error="un montant en euros ≥ 0"))


def _compte() -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0, error="un entier ≥ 0"))


def _parmi(valeurs: tuple[str, ...], nullable: bool = False) -> pa.Column:
    texte = ", ".join(valeurs)
    return pa.Column(
        "category", pa.Check.isin(list(valeurs), error=f"une valeur parmi : {texte}"),
        nullable=nullable,
    )


def _texte(nullable: bool = False) -> pa.Column:
    return pa.Column("string", nullable=nullable)


def _annee_pas_apres_campagne(colonne: str) -> pa.Check:
    # Le message commence par le champ (« champ : attendu ») : voir chargement._traduire.
    return pa.Check(
        lambda df: df[colonne] <= df["campagne"],
        error=f"{colonne} : une année au plus égale à l'année de la campagne",
    )


# --- référentiel et agence ----------------------------------------------------------------------
REFERENTIEL_IHU = pa.DataFrameSchema(
    {
        "ihu": pa.Column("string", unique=True),
        "nom": _texte(),
        "theme": _texte(),
        "ville": _texte(),
        "region": _texte(),
        "appel": _parmi(APPELS),
        "annee_selection": _annee(2010),
        "premiere_annee_indicateurs": _annee(PREMIERE_ANNEE, nullable=True),
        "fin_financement": pa.Column("datetime64[ns]", nullable=True),
    },
    name="referentiel_ihu",
)

CATEGORIES_WOS = pa.DataFrameSchema(
    {"ihu": _ihu(), "categorie_wos": _texte()},
    unique=["ihu", "categorie_wos"],
    name="categories_wos",
)

DOTATIONS = pa.DataFrameSchema(
    {
        "ihu": _ihu(),
        "annee_engagement": _annee(2010),
        "tranche": _parmi(TRANCHES),
        "montant_eur": _montant(),
    },
    unique=["ihu", "annee_engagement", "tranche"],
    name="dotations",
)

VERSEMENTS = pa.DataFrameSchema(
    {"ihu": _ihu(), "annee": _annee(2010), "montant_eur": _montant()},
    unique=["ihu", "annee"],
    name="versements",
)

REPARTITION_PREVISIONNELLE = pa.DataFrameSchema(
    {"ihu": _ihu(), "nature": _parmi(NATURES), "montant_eur": _montant()},
    unique=["ihu", "nature"],
    name="repartition_previsionnelle",
)

# --- classeurs de campagne (colonnes ihu et campagne ajoutées au chargement) ---------------------
DEPENSES = pa.DataFrameSchema(
    {
        "ihu": _ihu(),
        "campagne": _annee(PREMIERE_CAMPAGNE),
        "annee": _annee(2010),
        "nature": _parmi(NATURES),
        "montant_eur": _montant(),
    },
    checks=[_annee_pas_apres_campagne("annee")],
    unique=["ihu", "campagne", "annee", "nature"],
    name="depenses",
)

INDICATEURS = pa.DataFrameSchema(
    {
        "ihu": _ihu(),
        "campagne": _annee(PREMIERE_CAMPAGNE),
        "annee": _annee(2010),
        "indicateur": _parmi(INDICATEURS_COMMUNS),
        "valeur": _compte(),
    },
    checks=[_annee_pas_apres_campagne("annee")],
    unique=["ihu", "campagne", "annee", "indicateur"],
    name="indicateurs",
)

STARTUPS = pa.DataFrameSchema(
    {
        "ihu": _ihu(),
        "campagne": _annee(PREMIERE_CAMPAGNE),
        "nom": _texte(),
        "annee_creation": _annee(1990),
        "statut": _parmi(STATUTS_STARTUP),
    },
    checks=[_annee_pas_apres_campagne("annee_creation")],
    unique=["ihu", "campagne", "nom"],
    name="startups",
)

SOINS_SPECIFIQUES = pa.DataFrameSchema(
    {
        "ihu": _ihu(),
        "campagne": _annee(PREMIERE_CAMPAGNE),
        "annee": _annee(2010),
        "indicateur": _texte(),
        "valeur": pa.Column("float64"),
        "unite": _texte(nullable=True),
    },
    checks=[_annee_pas_apres_campagne("annee")],
    unique=["ihu", "campagne", "annee", "indicateur"],
    name="soins_specifiques",
)

COFINANCEMENTS = pa.DataFrameSchema(
    {
        "ihu": _ihu(),
        "campagne": _annee(PREMIERE_CAMPAGNE_COFINANCEMENTS),
        "annee": _annee(2010),
        "origine": _parmi(ORIGINES),
        "montant_eur": _montant(),
    },
    checks=[_annee_pas_apres_campagne("annee")],
    unique=["ihu", "campagne", "annee", "origine"],
    name="cofinancements",
)

# --- bibliométrie --------------------------------------------------------------------------------
ARTICLES = pa.DataFrameSchema(
    {
        "id_article": pa.Column("string", unique=True),
        "ihu": _ihu(),
        "annee": _annee(1990),
        "categorie": _parmi(CATEGORIES_REVUES),
        "position": _parmi(POSITIONS),
        "top1": pa.Column("bool"),
        "top10": pa.Column("bool"),
        "remerciement": pa.Column("bool"),
    },
    checks=[
        pa.Check(
            lambda df: ~df["top1"] | df["top10"],
            error="top10 : vrai dès que top1 est vrai (le top 1 % est dans le top 10 %)",
        )
    ],
    name="articles",
)

REFERENCES_WOS = pa.DataFrameSchema(
    {
        "ihu": _ihu(),
        "annee": _annee(1990),
        "perimetre": _parmi(PERIMETRES_WOS),
        "articles": _compte(),
        "articles_top1": _compte(),
        "articles_top10": _compte(),
    },
    checks=[
        pa.Check(
            lambda df: df["articles_top10"] <= df["articles"],
            error="articles_top10 : au plus le nombre d'articles",
        ),
        pa.Check(
            lambda df: df["articles_top1"] <= df["articles_top10"],
            error="articles_top1 : au plus articles_top10",
        ),
    ],
    unique=["ihu", "annee", "perimetre"],
    name="references_wos",
)

# --- contexte ------------------------------------------------------------------------------------
BREVETS_INPI = pa.DataFrameSchema(
    {
        "annee": _annee(1990),
        "territoire": _texte(),
        "perimetre": _parmi(PERIMETRES_INPI),
        "depots": _compte(),
        "statut": _parmi(STATUTS_CONTEXTE),
        "source": _texte(nullable=True),
    },
    unique=["annee", "territoire", "perimetre"],
    name="brevets_inpi",
)

ESSAIS_FRANCE = pa.DataFrameSchema(
    {
        "annee": _annee(1990),
        "essais_en_cours": _compte(),
        "dont_promotion_academique": pa.Column("Int64", nullable=True),
        "statut": _parmi(STATUTS_CONTEXTE),
        "source": _texte(nullable=True),
    },
    unique=["annee"],
    name="essais_france",
)

CREATIONS_ENTREPRISES = pa.DataFrameSchema(
    {
        "annee": _annee(1990),
        "territoire": _parmi(TERRITOIRES_CREATIONS),
        "creations": _compte(),
        "statut": _parmi(STATUTS_CONTEXTE),
        "source": _texte(nullable=True),
    },
    unique=["annee", "territoire"],
    name="creations_entreprises",
)

IHU_SELECTIONNES = pa.DataFrameSchema(
    {
        "nom": _texte(),
        "intitule": _texte(nullable=True),
        "ville": _texte(),
        "region": _texte(),
        "appel": _texte(),
    },
    name="ihu_selectionnes",
)

MEDITWIN = pa.DataFrameSchema(
    {"partenaire": _texte(), "type": _texte(), "role": _texte(nullable=True)},
    name="meditwin",
)


@dataclass(frozen=True)
class TableauReference:
    """Un tableau de référence qu'un paragraphe des faits marquants fait suivre (colonne
    ``tableau`` de ``faits_marquants.csv``) : un fichier de ``data/raw``, son schéma, les
    colonnes montrées (colonne -> en-tête), l'ordre des lignes et la légende.

    La légende peut citer ``{annee_selection}`` et ``{appel}`` : l'appel suivant l'année cible
    (valeurs ``annee_selection_suivante``, ``appel_selection_suivante``).
    """

    fichier: str
    schema: pa.DataFrameSchema
    colonnes: tuple[tuple[str, str], ...]
    legende: str
    tri: tuple[str, ...] = ()


#: Tableaux de référence, par identifiant (valeur de la colonne ``tableau``) : un tableau
#: nouveau s'ajoute ici, sans champ nouveau dans ``Donnees`` (``Donnees.tableaux[id]``).
TABLEAUX_REFERENCE: dict[str, TableauReference] = {
    "ihu_selectionnes": TableauReference(
        "faits_marquants/ihu_selectionnes_2023.csv", IHU_SELECTIONNES,
        (("nom", "IHU"), ("intitule", "Intitulé"), ("ville", "Ville")),
        "Les IHU retenus en {annee_selection} (appel {appel})", tri=("ville", "nom")),
    "meditwin": TableauReference(
        "faits_marquants/meditwin_partenaires.csv", MEDITWIN,
        (("partenaire", "Partenaire"), ("type", "Type"), ("role", "Rôle")),
        "Les partenaires du consortium MEDITWIN"),
}
#: Tableaux qu'un paragraphe des faits marquants peut faire suivre (``Section.faits_marquants``).
TABLEAUX_FAITS_MARQUANTS = tuple(TABLEAUX_REFERENCE)

FAITS_MARQUANTS = pa.DataFrameSchema(
    {
        "edition": _annee(PREMIERE_ANNEE),
        "ordre": pa.Column("Int64", pa.Check.ge(1, error="un entier ≥ 1")),
        "titre": _texte(nullable=True),
        "texte": _texte(),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "source": _texte(),
        "tableau": _parmi(TABLEAUX_FAITS_MARQUANTS, nullable=True),
    },
    unique=["edition", "ordre"],
    name="faits_marquants",
)

CAMPAGNES = pa.DataFrameSchema(
    {
        "ihu": pa.Column("string"),
        "campagne": _annee(PREMIERE_CAMPAGNE),
        "nom": _texte(nullable=True),
        "fichier": _texte(),
    },
    name="campagnes",
)


def valeurs_permises(schema: pa.DataFrameSchema, colonne: str) -> list[str] | None:
    """Valeurs permises d'une colonne catégorielle (celles de son contrôle ``isin``).

    Parameters
    ----------
    schema : pandera.DataFrameSchema
        Schéma du concept.
    colonne : str
        Nom de la colonne.

    Returns
    -------
    list of str or None
        Valeurs permises dans l'ordre déclaré, ``None`` si la colonne n'en déclare pas.
    """
    for check in schema.columns[colonne].checks:
        valeurs = (check.statistics or {}).get("allowed_values")
        if valeurs is not None:
            return list(valeurs)
    return None
