"""Assemblage du jeu de référence (tout en mémoire, rien n'est écrit ici) : séries par source
(:mod:`.agence`, :mod:`.campagnes`, :mod:`.bibliometrie`, :mod:`.contexte`), réactualisations,
classeurs de campagne.

Chaque total publié est imposé par construction (répartitions entières exactes, IPF) ; le bruit
tiré de la graine ne sert qu'à rendre les séries par IHU moins régulières.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml

from synthese_ihu.generation import parametres as P
from synthese_ihu.generation.agence import finances, referentiel
from synthese_ihu.generation.bibliometrie import articles
from synthese_ihu.generation.campagnes import cofinancements, indicateurs, soins, startups
from synthese_ihu.generation.contexte import contexte, faits_marquants


@dataclass
class Jeu:
    """Jeu de référence complet, prêt à écrire.

    Attributes
    ----------
    csv : dict of str to pandas.DataFrame
        Fichiers CSV, par chemin relatif à la racine des données brutes.
    campagnes : dict of str to pandas.DataFrame
        Contenu des classeurs, une table longue par feuille, avec les colonnes ``ihu`` et
        ``campagne`` (année de la campagne qui fournit la ligne).
    reactualisations : list of dict
        Lignes réactualisées (feuille, IHU, année, clé, campagne, valeur initiale, valeur finale).
    textes : dict of str to str
        Fichiers texte (TOML) écrits tels quels, par chemin relatif.
    """

    csv: dict[str, pd.DataFrame] = field(default_factory=dict)
    textes: dict[str, str] = field(default_factory=dict)
    campagnes: dict[str, pd.DataFrame] = field(default_factory=dict)
    reactualisations: list[dict] = field(default_factory=list)


def lire_figures() -> dict:
    """Lit les chiffres publiés (``published_figures.yaml``).

    Returns
    -------
    dict
        Contenu du fichier YAML.
    """
    with open(P.FIGURES_PUBLIEES, encoding="utf-8") as f:
        return yaml.safe_load(f)



# --- Assemblage ------------------------------------------------------------------------------
# (feuille, ihu, année réactualisée, clé, campagne qui réactualise, valeur initiale - finale)
REACTUALISATIONS = [
    ("Depenses", "liryc", 2015, "personnel", 2016, -186_420),
    ("Indicateurs", "mixsurg", 2017, "brevets_deposes", 2018, 2),
    ("Indicateurs", "ican", 2018, "projets_recherche", 2019, -9),
    ("Indicateurs", "mi", 2020, "essais_cliniques", 2021, 24),
    ("Depenses", "imagine", 2021, "fonctionnement", 2022, 95_310),
]


def campagnes_ihu(ihu: str) -> list[int]:
    """Années de campagne d'un IHU suivi (2011 pour les six IHU de 2011, 2019 pour FOReSIGHT).

    Parameters
    ----------
    ihu : str
        Code de l'IHU.

    Returns
    -------
    list of int
        Années de campagne jusqu'à 2022.
    """
    return list(range(P.F if ihu in P.SIX else P.PREMIERE[ihu], P.N + 1))


def construire(graine: int = P.GRAINE) -> Jeu:
    """Construit tout le jeu de référence en mémoire.

    Parameters
    ----------
    graine : int, optional
        Graine de ``numpy.random.default_rng``.

    Returns
    -------
    Jeu
        Fichiers CSV et contenu des classeurs de campagne.
    """
    rng = np.random.default_rng(graine)
    fig = lire_figures()
    jeu = Jeu()
    ihu, cats = referentiel(fig)
    jeu.csv["referentiel/ihu.csv"] = ihu
    jeu.csv["referentiel/categories_wos.csv"] = cats
    jeu.csv["referentiel/appels.csv"] = pd.DataFrame(
        P.APPELS, columns=["appel", "programme", "annee_selection", "annee_evaluation",
                           "instance_evaluation"]).astype({"annee_evaluation": "Int64"})
    jeu.textes["referentiel/metadonnees.toml"] = P.METADONNEES
    jeu.textes["contexte/references.toml"] = P.REFERENCES_CONTEXTE
    fin = finances(rng, fig)
    for nom in ("dotations", "versements", "repartition_previsionnelle"):
        jeu.csv[f"agence/{nom}.csv"] = fin[nom]
    art, refs = articles(rng)
    jeu.csv["bibliometrie/sampra_articles.csv"] = art
    jeu.csv["bibliometrie/references_wos.csv"] = refs
    for nom, df in contexte(rng).items():
        jeu.csv[f"contexte/{nom}.csv"] = df
    for nom, df in faits_marquants().items():
        jeu.csv[f"faits_marquants/{nom}.csv"] = df

    vraies = {"Depenses": fin["depenses"], "Indicateurs": indicateurs(rng),
              "Soins_specifiques": soins(rng), "Cofinancements": cofinancements(rng)}
    cle = {"Depenses": ("nature", "montant_eur"), "Indicateurs": ("indicateur", "valeur")}
    for feuille, df in vraies.items():
        df = df.copy()
        df["campagne"] = df["annee"]
        if feuille in cle:
            col, val = cle[feuille]
            for f, c, a, k, camp, delta in REACTUALISATIONS:
                if f != feuille:
                    continue
                masque = (df["ihu"] == c) & (df["annee"] == a) & (df[col] == k)
                if masque.sum() != 1:
                    raise ValueError(f"réactualisation introuvable : {f} {c} {a} {k}")
                finale = int(df.loc[masque, val].iloc[0])
                nouvelle = df.loc[masque].assign(campagne=camp)
                df.loc[masque, val] = finale + delta
                df = pd.concat([df, nouvelle], ignore_index=True)
                jeu.reactualisations.append({
                    "feuille": f, "ihu": c, "annee": a, "cle": k, "campagne": camp,
                    "valeur_initiale": finale + delta, "valeur_finale": finale})
        jeu.campagnes[feuille] = df

    sup = startups(rng)
    lignes = []
    for c in P.SUIVIS:
        for camp in campagnes_ihu(c):
            for s in sup[(sup["ihu"] == c) & (sup["annee_creation"] <= camp)].itertuples():
                arret = pd.notna(s.annee_fin) and s.annee_fin <= camp
                lignes.append({"ihu": c, "campagne": camp, "nom": s.nom,
                               "annee_creation": int(s.annee_creation),
                               "statut": s.fin if arret else "active"})
    jeu.campagnes["Startups"] = pd.DataFrame(lignes)
    return jeu
