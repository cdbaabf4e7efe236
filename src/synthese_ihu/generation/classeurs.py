"""Écriture déterministe des classeurs de campagne (octet pour octet d'une génération à l'autre).

openpyxl horodate ``docProps/core.xml`` et les entrées du zip : les dates sont figées (date de
remise fictive de la campagne) et l'archive est réécrite avec des métadonnées fixes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from synthese_ihu.config import periodes

COLONNES = {
    "Depenses": ["annee", "nature", "montant_eur"],
    "Indicateurs": ["annee", "indicateur", "valeur"],
    "Startups": ["nom", "annee_creation", "statut"],
    "Soins_specifiques": ["annee", "indicateur", "valeur", "unite"],
    "Cofinancements": ["annee", "origine", "montant_eur"],
}
PREMIERE_CAMPAGNE_COFINANCEMENTS = periodes().premiere_campagne_cofinancements
INSTRUCTIONS = [
    "Rapport annuel de suivi de l'action IHU : une feuille par bloc, en-têtes en ligne 1.",
    "Chaque ligne indique l'année à laquelle la valeur se rapporte (annee) : l'année de la "
    "campagne, ou une année antérieure que l'IHU réactualise.",
    "Montants en euros ; indicateurs communs en nombres entiers ; ne pas renommer les feuilles.",
]


def _date_remise(campagne: int) -> dt.datetime:
    return dt.datetime(campagne + 1, 3, 31, 12, 0, 0)


def _figer(contenu: bytes, date: dt.datetime) -> bytes:
    """Réécrit l'archive xlsx avec des dates fixes (propriétés et entrées du zip)."""
    horodatage = date.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(contenu))
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            donnees = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                donnees = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>" + horodatage, donnees)
            entree = zipfile.ZipInfo(info.filename, date_time=date.timetuple()[:6])
            entree.compress_type = zipfile.ZIP_DEFLATED
            entree.external_attr = 0o644 << 16
            cible.writestr(entree, donnees)
    return sortie.getvalue()


def ecrire_classeur(chemin: Path, ihu: str, nom: str, campagne: int,
                    feuilles: dict[str, pd.DataFrame]) -> None:
    """Écrit le classeur de campagne d'un IHU.

    Parameters
    ----------
    chemin : pathlib.Path
        Fichier ``.xlsx`` à écrire.
    ihu, nom : str
        Code et nom de l'IHU (feuille ``Identification``).
    campagne : int
        Année de la campagne.
    feuilles : dict of str to pandas.DataFrame
        Lignes de chaque feuille de données (colonnes de :data:`COLONNES`) ; une feuille sans
        ligne garde sa ligne d'en-tête. ``Cofinancements`` n'existe qu'à partir de 2014.
    """
    gras = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Instructions"
    for ligne in INSTRUCTIONS:
        ws.append([ligne])
    ws = wb.create_sheet("Identification")
    for ligne in (["champ", "valeur"], ["ihu", ihu], ["nom", nom],
                  ["annee_campagne", campagne]):
        ws.append(ligne)
    for titre, colonnes in COLONNES.items():
        if titre == "Cofinancements" and campagne < PREMIERE_CAMPAGNE_COFINANCEMENTS:
            continue
        ws = wb.create_sheet(titre)
        ws.append(colonnes)
        df = feuilles.get(titre)
        if df is not None:
            for ligne in df[colonnes].itertuples(index=False):
                ws.append([v.item() if hasattr(v, "item") else v for v in ligne])
    for ws in wb.worksheets[1:]:
        for cellule in ws[1]:
            cellule.font = gras
    date = _date_remise(campagne)
    wb.properties.creator = nom
    wb.properties.lastModifiedBy = nom
    wb.properties.created = date
    wb.properties.modified = date
    tampon = io.BytesIO()
    wb.save(tampon)
    chemin.write_bytes(_figer(tampon.getvalue(), date))
