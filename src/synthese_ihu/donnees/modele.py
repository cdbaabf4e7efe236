"""Le conteneur :class:`Donnees` et sa vue par année cible (:meth:`Donnees.pour_annee`)."""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from synthese_ihu.donnees import schemas as sc
from synthese_ihu.donnees.metadonnees import Metadonnees

#: attribut de Donnees -> schéma décrivant ses colonnes et leurs types
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "ihu": sc.REFERENTIEL_IHU,
    "categories_wos": sc.CATEGORIES_WOS,
    "dotations": sc.DOTATIONS,
    "versements": sc.VERSEMENTS,
    "repartition_previsionnelle": sc.REPARTITION_PREVISIONNELLE,
    "depenses": sc.DEPENSES,
    "indicateurs": sc.INDICATEURS,
    "startups": sc.STARTUPS,
    "soins_specifiques": sc.SOINS_SPECIFIQUES,
    "cofinancements": sc.COFINANCEMENTS,
    "articles": sc.ARTICLES,
    "references_wos": sc.REFERENCES_WOS,
    "brevets_inpi": sc.BREVETS_INPI,
    "essais_france": sc.ESSAIS_FRANCE,
    "creations_entreprises": sc.CREATIONS_ENTREPRISES,
    "faits_marquants": sc.FAITS_MARQUANTS,
    "campagnes": sc.CAMPAGNES,
}


def tableau_vide(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Tableau sans ligne, avec les colonnes et les types déclarés par ``schema``."""
    colonnes = {}
    for nom, colonne in schema.columns.items():
        dtype = str(colonne.dtype)
        if dtype == "category":
            permises = sc.valeurs_permises(schema, nom) or []
            colonnes[nom] = pd.Series(pd.Categorical([], categories=permises))
        else:
            colonnes[nom] = pd.Series([], dtype=dtype)
    return pd.DataFrame(colonnes)


def typer(tableau: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Donne à un tableau construit à la main les colonnes et types de ``schema``.

    Les colonnes absentes sont ajoutées vides ; les catégories prennent les valeurs permises.
    Utile pour les tests et les carnets ; le chargement, lui, valide cellule par cellule.
    """
    vide = tableau_vide(schema)
    sortie = {}
    for nom in schema.columns:
        if nom not in tableau.columns:
            sortie[nom] = pd.Series(pd.NA, index=tableau.index).astype(vide[nom].dtype)
        elif isinstance(vide[nom].dtype, pd.CategoricalDtype):
            sortie[nom] = pd.Categorical(
                tableau[nom].astype("string"), categories=vide[nom].cat.categories
            )
        else:
            sortie[nom] = tableau[nom].astype(vide[nom].dtype)
    return pd.DataFrame(sortie, index=tableau.index).reset_index(drop=True)


def _plus_recente(tableau: pd.DataFrame, cle: str, annee: int, garder: set[str]) -> pd.DataFrame:
    """Campagnes <= annee, années <= annee, IHU gardés ; la campagne la plus récente l'emporte."""
    vue = tableau.loc[
        (tableau["campagne"] <= annee) & (tableau["annee"] <= annee) & tableau["ihu"].isin(garder)
    ]
    vue = vue.sort_values("campagne", kind="stable")
    vue = vue.drop_duplicates(["ihu", "annee", cle], keep="last")
    return vue.sort_values(["ihu", "annee", cle]).reset_index(drop=True)


@dataclass(frozen=True)
class Donnees:
    """Toutes les données d'entrée, en tableaux pandas typés (voir ``docs/architecture.md``).

    Attributes
    ----------
    ihu, categories_wos, dotations, versements, repartition_previsionnelle : DataFrame
        Référentiel et données de l'agence.
    depenses, indicateurs, startups, soins_specifiques, cofinancements : DataFrame
        Feuilles des classeurs de campagne, avec les colonnes ``ihu`` et ``campagne``.
    articles, references_wos : DataFrame
        Bibliométrie (export SAMPRA, références Web of Science).
    brevets_inpi, essais_france, creations_entreprises : DataFrame
        Chiffres de contexte.
    faits_marquants : DataFrame
        Paragraphes des faits marquants, un par ligne : ``edition`` (année cible du rapport),
        ``ordre``, ``titre`` (vide pour un paragraphe de suite), ``texte`` (texte libre, échappé
        à l'affichage), ``date``, ``source``, ``tableau`` (tableau affiché après le paragraphe).
    campagnes : DataFrame
        Un classeur reçu par ligne : ``ihu``, ``campagne``, ``nom``, ``fichier``.
    annee : int or None
        Année cible de la vue (``None`` : toutes les données chargées).
    metadonnees : Metadonnees
        Appels à projets, nature du jeu (reconstruit ou réel), références de contexte
        (:mod:`synthese_ihu.donnees.metadonnees`).
    tableaux : dict of str to DataFrame
        Tableaux de référence que les faits marquants montrent après un paragraphe, par
        identifiant (``schemas.TABLEAUX_REFERENCE`` : IHU retenus, partenaires de MEDITWIN…),
        toutes éditions confondues.
    """

    ihu: pd.DataFrame
    categories_wos: pd.DataFrame
    dotations: pd.DataFrame
    versements: pd.DataFrame
    repartition_previsionnelle: pd.DataFrame
    depenses: pd.DataFrame
    indicateurs: pd.DataFrame
    startups: pd.DataFrame
    soins_specifiques: pd.DataFrame
    cofinancements: pd.DataFrame
    articles: pd.DataFrame
    references_wos: pd.DataFrame
    brevets_inpi: pd.DataFrame
    essais_france: pd.DataFrame
    creations_entreprises: pd.DataFrame
    faits_marquants: pd.DataFrame
    campagnes: pd.DataFrame
    annee: int | None = None
    metadonnees: Metadonnees = dataclasses.field(default_factory=Metadonnees)
    tableaux: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)

    @classmethod
    def depuis_tableaux(cls, annee: int | None = None, **tableaux: pd.DataFrame) -> Donnees:
        """Construit des données à partir de quelques tableaux (les autres restent vides).

        Parameters
        ----------
        annee : int, optional
            Année cible si les tableaux forment déjà une vue.
        **tableaux : DataFrame
            Tableaux par nom d'attribut ; colonnes manquantes ajoutées, types imposés.
            ``tableaux={id: DataFrame}`` : tableaux de référence (les autres restent vides).

        Returns
        -------
        Donnees
        """
        references = tableaux.pop("tableaux", {})
        inconnus = (set(tableaux) - set(SCHEMAS)) | (set(references) - set(sc.TABLEAUX_REFERENCE))
        if inconnus:
            raise TypeError(f"tableaux inconnus : {sorted(inconnus)}")
        return cls(
            **{
                nom: typer(tableaux[nom], schema) if nom in tableaux else tableau_vide(schema)
                for nom, schema in SCHEMAS.items()
            },
            annee=annee,
            tableaux={
                ident: typer(references[ident], t.schema) if ident in references
                else tableau_vide(t.schema)
                for ident, t in sc.TABLEAUX_REFERENCE.items()
            },
        )

    def annees_couvertes(self) -> list[int]:
        """Années cibles possibles : 2012 … dernière campagne présente."""
        if self.campagnes.empty:
            return []
        return list(range(sc.PREMIERE_ANNEE, int(self.campagnes["campagne"].max()) + 1))

    def pour_annee(self, annee: int) -> Donnees:
        """Vue pour le rapport de l'année ``annee``.

        Campagnes ``<= annee`` (la plus récente l'emporte par (ihu, annee, clé) ; pour les
        start-up, la liste de la campagne la plus récente de chaque IHU), années ``<= annee``,
        IHU suivis en ``annee`` seulement (``premiere_annee_indicateurs <= annee``) ; les
        tableaux financiers gardent aussi les IHU ayant un engagement ``<= annee``. Les
        articles antérieurs à la labellisation restent dans la vue. Les faits marquants sont
        ceux de l'édition ``annee`` (``edition == annee``), rangés par ``ordre``.

        Parameters
        ----------
        annee : int
            Année cible, parmi :meth:`annees_couvertes`.

        Returns
        -------
        Donnees
            Vue restreinte, avec ``annee`` renseignée.

        Raises
        ------
        ValueError
            Si ``annee`` n'est pas couverte par les données.
        """
        couvertes = self.annees_couvertes()
        entier = isinstance(annee, numbers.Integral) and not isinstance(annee, bool)
        if not entier or annee not in couvertes:
            etendue = f"{couvertes[0]} à {couvertes[-1]}" if couvertes else "aucune"
            raise ValueError(
                f"année {annee!r} non couverte par les données : années cibles possibles {etendue}"
            )
        annee = int(annee)
        ref = self.ihu
        suivis = set(ref.loc[(ref["premiere_annee_indicateurs"] <= annee).fillna(False), "ihu"])
        engages = set(self.dotations.loc[self.dotations["annee_engagement"] <= annee, "ihu"])
        finance = suivis | engages

        # start-up : la liste du dernier classeur reçu (<= annee) de chaque IHU, même vide
        recus = self.campagnes.loc[self.campagnes["campagne"] <= annee]
        derniere = recus.groupby("ihu")["campagne"].max()
        startups = self.startups.loc[self.startups["ihu"].isin(suivis)]
        startups = startups.loc[
            startups["campagne"] == startups["ihu"].map(derniere).astype("Int64")
        ].reset_index(drop=True)

        def annees(tableau: pd.DataFrame, colonne: str = "annee", garder=None) -> pd.DataFrame:
            masque = tableau[colonne] <= annee
            if garder is not None:
                masque &= tableau["ihu"].isin(garder)
            return tableau.loc[masque].reset_index(drop=True)

        return dataclasses.replace(
            self,
            ihu=ref.loc[ref["ihu"].isin(finance)].reset_index(drop=True),
            categories_wos=self.categories_wos.loc[
                self.categories_wos["ihu"].isin(suivis)
            ].reset_index(drop=True),
            dotations=annees(self.dotations, "annee_engagement", finance),
            versements=annees(self.versements, "annee", finance),
            repartition_previsionnelle=self.repartition_previsionnelle.loc[
                self.repartition_previsionnelle["ihu"].isin(finance)
            ].reset_index(drop=True),
            depenses=_plus_recente(self.depenses, "nature", annee, finance),
            indicateurs=_plus_recente(self.indicateurs, "indicateur", annee, suivis),
            startups=startups,
            soins_specifiques=_plus_recente(self.soins_specifiques, "indicateur", annee, suivis),
            cofinancements=_plus_recente(self.cofinancements, "origine", annee, finance),
            articles=annees(self.articles, "annee", suivis),
            references_wos=annees(self.references_wos, "annee", suivis),
            brevets_inpi=annees(self.brevets_inpi),
            essais_france=annees(self.essais_france),
            creations_entreprises=annees(self.creations_entreprises),
            faits_marquants=self.faits_marquants.loc[self.faits_marquants["edition"] == annee]
            .sort_values("ordre", kind="stable")
            .reset_index(drop=True),
            campagnes=annees(self.campagnes, "campagne", finance),
            annee=annee,
        )
