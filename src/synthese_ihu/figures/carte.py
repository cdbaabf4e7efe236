"""Carte de France des IHU de l'édition : régions (contours), IHU placés par ville.

Montre des noms et des lieux, aucune valeur : les IHU suivis en ``N`` et ceux retenus après
``N`` que l'édition annonce (faits marquants : tableau ``ihu_selectionnes``). Le fond de carte est
un fichier versionné (``data/geo/regions_metropole.geojson``, source et licence dans
``data/geo/README.md``), tracé avec matplotlib seul : aucun téléchargement à l'exécution. Les
coordonnées des villes viennent de ``data/geo/villes.csv`` ; une ville absente remplace la carte par
un avis qui la nomme.
"""

from __future__ import annotations

import csv
import functools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as FigureMpl
from matplotlib.lines import Line2D

from synthese_ihu import chemins, indicateurs
from synthese_ihu.figures import style
from synthese_ihu.figures.base import Contexte, Figure, FigureIndisponible
from synthese_ihu.figures.colonnes import GROUPE, Colonne
from synthese_ihu.figures.commun import texte
from synthese_ihu.figures.rendu import nouvelle_figure

#: Fonds de carte statiques (dans le dépôt, même quand ``SYNTHESE_IHU_DONNEES`` est posée).
DOSSIER_GEO = Path(chemins.RACINE) / "data" / "geo"
REGIONS = DOSSIER_GEO / "regions_metropole.geojson"
VILLES = DOSSIER_GEO / "villes.csv"
ID = "carte_ihu"
#: Latitude de référence de la projection équirectangulaire (milieu de la métropole).
LATITUDE_REFERENCE = 46.5
SUIVI, ANNONCE = "suivi", "annonce"
#: Villes regroupées sous un seul repère (trop proches à l'échelle de la carte).
ILE_DE_FRANCE = "Ile-de-France"


class VilleInconnue(FigureIndisponible):
    """Une ville d'IHU n'a pas de coordonnées dans ``data/geo/villes.csv`` : la carte est
    remplacée par un avis qui nomme la ville (le reste du rapport se construit)."""


@functools.cache
def regions() -> tuple[tuple[str, str, tuple[np.ndarray, ...]], ...]:
    """Contours des régions : ``(code, nom, anneaux)``, anneaux en (longitude, latitude)."""
    brut = json.loads(REGIONS.read_text(encoding="utf-8"))
    return tuple(
        (e["properties"]["code"], e["properties"]["nom"],
         tuple(np.array(p[0], dtype=float) for p in e["geometry"]["coordinates"]))
        for e in brut["features"]
    )


@functools.cache
def villes() -> dict[str, tuple[float, float]]:
    """Ville -> (latitude, longitude)."""
    with VILLES.open(encoding="utf-8", newline="") as f:
        return {ligne["ville"]: (float(ligne["latitude"]), float(ligne["longitude"]))
                for ligne in csv.DictReader(f)}


def _projeter(longitude, latitude):
    return (np.asarray(longitude, dtype=float) * math.cos(math.radians(LATITUDE_REFERENCE)),
            np.asarray(latitude, dtype=float))


def annonce_selection(donnees: Any) -> bool:
    """Vrai si l'édition annonce les IHU retenus après elle (faits marquants)."""
    fm = donnees.faits_marquants
    return bool(len(fm) and (texte(fm["tableau"]) == "ihu_selectionnes").any()
                and not donnees.tableaux["ihu_selectionnes"].empty)


def donnees_carte(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """IHU de l'édition : nom, ville, région, appel, groupe (``suivi`` en N ou ``annonce``),
    coordonnées de la ville. Aucune valeur par IHU."""
    ref = donnees.ihu
    suivis = ref.loc[(ref["premiere_annee_indicateurs"] <= ctx.annee).fillna(False)]
    lignes = [(str(r.nom), str(r.ville), str(r.region), str(r.appel), SUIVI)
              for r in suivis.itertuples()]
    if annonce_selection(donnees):
        lignes += [(str(r.nom), str(r.ville), str(r.region), str(r.appel), ANNONCE)
                   for r in donnees.tableaux["ihu_selectionnes"].itertuples()]
    # tout IHU du tableau des IHU de l'édition figure sur la carte (2018 : l'IHU retenu en 2018,
    # suivi à partir de 2019, manquait)
    places = {ligne[0] for ligne in lignes}
    lignes += [(str(r.nom), str(r.ville), str(r.region), str(r.appel), ANNONCE)
               for r in indicateurs.ihu_de_l_edition(ref, ctx.annee).itertuples()
               if str(r.nom) not in places]
    if not lignes:
        raise FigureIndisponible("aucun IHU suivi")
    cadre = pd.DataFrame(lignes, columns=["nom", "ville", "region", "appel", "groupe"])
    coordonnees = villes()
    inconnues = sorted(set(cadre["ville"]) - set(coordonnees))
    if inconnues:
        raise VilleInconnue(f"coordonnées de {', '.join(inconnues)} absentes de "
                            "data/geo/villes.csv")
    cadre["latitude"] = cadre["ville"].map(lambda v: coordonnees[v][0])
    cadre["longitude"] = cadre["ville"].map(lambda v: coordonnees[v][1])
    return cadre.sort_values(["groupe", "region", "ville", "nom"],
                             key=lambda s: s.map({SUIVI: 0, ANNONCE: 1}) if s.name == "groupe"
                             else s.str.lower(), kind="mergesort").reset_index(drop=True)


def _liste(noms: list[str]) -> str:
    return ", ".join(noms)


def _lignes_legende(cadre: pd.DataFrame) -> list[tuple[str, str]]:
    """(lieu, IHU) par lieu : Île-de-France d'abord, puis du nord au sud."""
    lignes = []
    idf = cadre.loc[cadre["region"] == ILE_DE_FRANCE]
    for ville, groupe in idf.groupby("ville", sort=False):
        lignes.append((f"{ville} (Île-de-France)", _liste(list(groupe["nom"]))))
    autres = cadre.loc[cadre["region"] != ILE_DE_FRANCE]
    ordre = autres.groupby("ville")["latitude"].first().sort_values(ascending=False).index
    for ville in ordre:
        lignes.append((str(ville), _liste(list(autres.loc[autres["ville"] == ville, "nom"]))))
    return lignes


def _groupes(cadre: pd.DataFrame, ctx: Contexte,
             annee: bool = True) -> list[tuple[str, str, pd.DataFrame]]:
    """(groupe, intitulé, IHU du groupe) : suivis en N, puis retenus depuis. Sans ``annee``,
    l'intitulé ne porte pas l'année (texte alternatif : aucun nombre à côté d'un nom)."""
    suivis = f"IHU suivis en {ctx.annee}" if annee else "IHU suivis cette année"
    sortie = [(SUIVI, suivis, cadre.loc[cadre["groupe"] == SUIVI])]
    annonces = cadre.loc[cadre["groupe"] == ANNONCE]
    if len(annonces):
        appel = " ou ".join(sorted(set(annonces["appel"])))
        sortie.append((ANNONCE, f"IHU retenus depuis (appel {appel})", annonces))
    return sortie


COULEURS_GROUPES = {SUIVI: style.BLEU, ANNONCE: style.VERMILLON}
#: Décalage (points) et alignement des noms de lieux qui se chevaucheraient.
_ETIQUETTES = {"Marseille": (5, -11, "left"), "Montpellier": (0, 6, "center"),
               "Strasbourg": (-3, -12, "right"), "Toulouse": (-5, 3, "right"),
               "Bordeaux": (-5, 4, "right"), "Île-de-France": (-6, 5, "right"),
               "Nancy": (-3, 6, "right")}


def tracer_carte(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Régions (celles qui accueillent un IHU en couleur), un repère par ville et groupe, et à
    droite la liste des IHU par groupe et par ville."""
    fig = nouvelle_figure(style.TAILLE_HAUTE)
    fig.set_layout_engine("none")
    ax = fig.add_axes((0.0, 0.0, 0.52, 1.0))
    avec_ihu = {r.replace("Î", "I") for r in cadre["region"]}
    for _code, nom, anneaux in regions():
        couleur = "#DCEAF5" if nom.replace("Î", "I") in avec_ihu else "#F2F2F2"
        for anneau in anneaux:
            x, y = _projeter(anneau[:, 0], anneau[:, 1])
            ax.fill(x, y, facecolor=couleur, edgecolor=style.GRIS, linewidth=0.5)
    # un repère par ville et groupe ; l'Île-de-France (villes trop proches à cette échelle) a
    # un repère par groupe, à Paris ; deux groupes dans une même ville : repères côte à côte
    reperes = cadre.assign(lieu=np.where(cadre["region"] == ILE_DE_FRANCE, "Île-de-France",
                                         cadre["ville"]))
    reperes.loc[reperes["lieu"] == "Île-de-France", ["latitude", "longitude"]] = (48.86, 2.35)
    for (lieu, groupe), g in reperes.groupby(["lieu", "groupe"], sort=True):
        x, y = _projeter(g["longitude"].iloc[0], g["latitude"].iloc[0])
        deux = reperes.loc[reperes["lieu"] == lieu, "groupe"].nunique() > 1
        ax.plot([x + (0.2 if deux and groupe == ANNONCE else 0.0)], [y], marker="o",
                markersize=5, linestyle="none", color=COULEURS_GROUPES[groupe],
                markeredgecolor="white", markeredgewidth=0.6, zorder=3)
    for lieu, g in reperes.groupby("lieu", sort=True):
        x, y = _projeter(g["longitude"].iloc[0], g["latitude"].iloc[0])
        dx, dy, alignement = _ETIQUETTES.get(str(lieu), (6, 3, "left"))
        ax.annotate(str(lieu), (x, y), xytext=(dx, dy), textcoords="offset points",
                    fontsize=6.5, color=style.ENCRE, ha=alignement)
    ax.set_aspect("equal")
    ax.set_axis_off()
    y = 0.96
    for groupe, intitule, sous in _groupes(cadre, ctx):
        fig.add_artist(Line2D([0.53], [y - 0.013], marker="o", markersize=5,
                              color=COULEURS_GROUPES[groupe], markeredgecolor="white",
                              transform=fig.transFigure))
        fig.text(0.545, y, intitule, fontsize=7.5, fontweight="bold", color=style.ENCRE,
                 va="top")
        y -= 0.06
        for lieu, noms in _lignes_legende(sous):
            for rang, morceau in enumerate(_couper(f"{lieu} : {noms}", 58)):
                fig.text(0.545 + (0.015 if rang else 0.0), y, morceau, fontsize=6.5,
                         color=style.ENCRE, va="top")
                y -= 0.045
        y -= 0.03
    return fig


def _couper(texte_: str, largeur: int) -> list[str]:
    """Coupe une liste de noms en lignes d'au plus ``largeur`` caractères (après une virgule)."""
    lignes, courante = [], ""
    for mot in texte_.split(", "):
        essai = f"{courante}, {mot}" if courante else mot
        if len(essai) > largeur and courante:
            lignes.append(courante + ",")
            courante = mot
        else:
            courante = essai
    return lignes + [courante]


def alt_carte(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Villes et IHU qu'on y trouve, par groupe (aucune valeur)."""
    morceaux = [f"{intitule} : " + " ; ".join(f"{lieu}, {noms}"
                                             for lieu, noms in _lignes_legende(sous))
                for _groupe, intitule, sous in _groupes(cadre, ctx, annee=False)]
    return ("Carte de la France métropolitaine, régions délimitées, situant les IHU par ville. "
            + ". ".join(morceaux) + ".")


def legende_carte(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Source du fond de carte."""
    return (
        "Régions en couleur : régions qui accueillent au moins un IHU. Fond de carte : IGN – "
        "GEOFLA, INSEE – COG (via france-geojson), Licence Ouverte ; contours simplifiés."
    )


#: Colonnes de la carte : des noms et des lieux, aucune valeur par IHU.
COLONNES = (
    Colonne(nom="nom", titre="IHU",
            description="Nom de l'IHU (carte : lieux et noms, aucune valeur par IHU)."),
    Colonne(nom="ville", titre="Ville", description="Ville d'implantation de l'IHU."),
    Colonne(nom="region", titre="Région", description="Région d'implantation de l'IHU."),
    Colonne(nom="appel", titre="Appel à projets",
            description="Appel à projets qui a retenu l'IHU (IHU1, IHU2, IHU3)."),
    GROUPE,
    Colonne(nom="latitude", titre="Latitude",
            description="Latitude WGS 84 de la ville (degrés, au centième).", unite="degrés"),
    Colonne(nom="longitude", titre="Longitude",
            description="Longitude WGS 84 de la ville (degrés, au centième).", unite="degrés"),
)

FIGURES = [
    Figure(id=ID, section="ouverture", titre="Implantation des IHU, édition {annee}",
           legende=legende_carte, alt=alt_carte, donnees=donnees_carte, tracer=tracer_carte,
           colonnes=COLONNES, statut="publie",  # lieux du référentiel, aucune valeur
           absente="aucun IHU suivi, ou ville sans coordonnées dans data/geo/villes.csv"),
]
