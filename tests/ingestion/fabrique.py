"""Classeurs de campagne remplis pour les tests : les modèles de l'outil, complétés comme un IHU.

Les IHU déjà suivis prolongent leurs valeurs de l'année précédente (quelques pour cent de plus) ;
les IHU sans antériorité déclarent de petites valeurs de première année.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import openpyxl

#: feuille -> (colonne de clé, colonne de valeur), lettres A1
COLONNES_VALEUR = {
    "Depenses": ("B", "C"),
    "Indicateurs": ("B", "C"),
    "Soins_specifiques": ("B", "C"),
    "Cofinancements": ("B", "C"),
}
PREMIERE_ANNEE = {  # petites valeurs de première année (IHU sans antériorité)
    "equipement_immobilier": 0,
    "equipement_mobilier": 180_000,
    "personnel": 420_000,
    "fonctionnement": 150_000,
    "projets_recherche": 3,
    "chercheurs_etrangers": 1,
    "etudiants_double_cursus": 2,
    "brevets_deposes": 0,
    "brevets_actifs": 0,
    "recommandations": 0,
    "essais_cliniques": 1,
    "publique_nationale": 120_000,
    "privee": 40_000,
    "europe_international": 0,
}


def _graine(*morceaux: object) -> int:
    return zlib.crc32("|".join(map(str, morceaux)).encode())


def remplir(modele: Path, destination: Path, annee: int,
            startups: list[tuple[str, int, str]] | None = None) -> Path:
    """Remplit un classeur modèle comme le ferait l'IHU et l'écrit dans ``destination``.

    Parameters
    ----------
    modele : Path
        Classeur modèle (``synthese-ihu modele``).
    destination : Path
        Fichier à écrire.
    annee : int
        Année de la campagne.
    startups : list of (nom, annee_creation, statut), optional
        Start-up ajoutées à la liste.

    Returns
    -------
    Path
        ``destination``.
    """
    wb = openpyxl.load_workbook(modele)
    ihu = wb["Identification"]["B2"].value
    for feuille, (cle, col) in COLONNES_VALEUR.items():
        ws = wb[feuille]
        precedentes = {
            ws[f"{cle}{r}"].value: ws[f"{col}{r}"].value
            for r in range(2, ws.max_row + 1)
            if ws[f"A{r}"].value == annee - 1
        }
        for r in range(2, ws.max_row + 1):
            if ws[f"A{r}"].value != annee or ws[f"{col}{r}"].value is not None:
                continue
            nom = ws[f"{cle}{r}"].value
            avant = precedentes.get(nom)
            hausse = 1 + (_graine(ihu, nom) % 7) / 100  # +0 % à +6 %
            if avant is None:
                valeur = PREMIERE_ANNEE.get(nom, 10)
            elif feuille == "Indicateurs":
                valeur = int(round(avant * hausse))
            elif feuille == "Soins_specifiques":
                valeur = avant
            else:
                valeur = int(round(avant * hausse))
            ws[f"{col}{r}"] = valeur
    if startups:
        ws = wb["Startups"]
        for ligne in startups:
            ws.append(list(ligne))
    destination.parent.mkdir(parents=True, exist_ok=True)
    wb.save(destination)
    return destination
