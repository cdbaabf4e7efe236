"""Classeur vierge qu'un IHU remplit pour une campagne (``synthese-ihu modele``, ``make template``).

Même format que les classeurs de ``data/raw/campagnes`` (``data/README.md``) : une feuille par
bloc, en-têtes en ligne 1 (noms de colonnes du contrat, unité dans le nom : ``montant_eur``, et
en commentaire de l'en-tête), plus :

- une feuille ``Instructions`` en français ;
- des listes de validation Excel pour les valeurs permises (natures, indicateurs, origines,
  statuts) et des validations « entier » ou « décimal ≥ 0 » pour les nombres ;
- les valeurs déjà connues, là où la méthode permet de réactualiser : les lignes de l'année
  précédente (valeur la plus récente, que l'IHU peut corriger), les lignes de l'année de campagne
  à compléter (valeur vide), la liste des start-up avec leur statut actuel.

Les classeurs sont écrits de façon déterministe (dates figées), dans
``data/incoming/<année>/modeles/<ihu>_<année>.xlsx`` par défaut.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from synthese_ihu import chemins
from synthese_ihu.donnees import Donnees, ErreurDonnees, charger
from synthese_ihu.donnees import schemas as sc
from synthese_ihu.generation.classeurs import COLONNES, _figer

#: Dernière ligne couverte par les validations Excel.
DERNIERE_LIGNE = 500

#: En-tête -> commentaire (unité, ce qui est attendu).
AIDE_COLONNES = {
    "annee": "Année à laquelle la valeur se rapporte (entier) : l'année de la campagne, ou une "
             "année antérieure que l'IHU réactualise.",
    "nature": "Nature de la dépense : " + ", ".join(sc.NATURES) + ".",
    "montant_eur": "Montant en euros (€), nombre ≥ 0, sans symbole ni séparateur de milliers.",
    "indicateur": "Indicateur (liste).",
    "valeur": "Valeur de l'indicateur ; indicateurs communs : nombre entier ≥ 0.",
    "nom": "Nom de la start-up (une ligne par start-up, même cessée ou rachetée).",
    "annee_creation": "Année de création de la start-up (entier, au plus l'année de campagne).",
    "statut": "Statut à la fin de l'année de campagne : " + ", ".join(sc.STATUTS_STARTUP) + ".",
    "unite": "Unité de la valeur (patients, jours, %, €…), inchangée d'une année à l'autre ; "
             "une part en % est comprise entre 0 et 100.",
    "origine": "Origine du cofinancement : " + ", ".join(sc.ORIGINES) + ".",
}


def _instructions(ihu: str, nom: str, annee: int) -> list[str]:
    return [
        f"Campagne {annee} de suivi de l'action IHU — classeur de l'IHU {nom} ({ihu})",
        "",
        "Une feuille par bloc ; la ligne 1 porte les en-têtes : ne renommez ni les feuilles ni "
        "les colonnes, n'en supprimez aucune.",
        f"Chaque ligne indique l'année à laquelle la valeur se rapporte (colonne annee) : {annee}, "
        "ou une année antérieure que vous réactualisez.",
        f"Les lignes de {annee - 1} sont préremplies avec les valeurs connues : corrigez-les si "
        "elles ont changé (la campagne la plus récente l'emporte), laissez-les sinon.",
        f"Les lignes de {annee} sont à compléter : une ligne par nature de dépense et par "
        "indicateur commun (0 si rien à déclarer).",
        "Montants en euros (€), nombres ≥ 0, sans symbole ni espace ; indicateurs communs en "
        "nombres entiers ≥ 0 ; parts en % entre 0 et 100.",
        "Valeurs permises : choisissez-les dans les listes déroulantes (natures, indicateurs, "
        "origines, statuts).",
        "Startups : toutes les start-up de l'IHU, y compris celles déjà déclarées ; statut à la "
        f"fin de {annee} (active, cessee, rachetee) ; année de création au plus {annee}.",
        "Soins_specifiques : indicateurs de soin propres à l'IHU, avec leur unité (peut rester "
        "vide).",
        "Cofinancements : montants reçus dans l'année par origine ; supprimez une ligne sans "
        "montant ou indiquez 0.",
        "Identification : ne modifiez pas ces champs.",
        f"Renvoyez le classeur sous le nom {ihu}_{annee}.xlsx.",
    ]


def _plus_recentes(tableau: pd.DataFrame, cle: str, ihu: str, annee: int) -> pd.DataFrame:
    """Valeurs de ``ihu`` pour ``annee`` (campagnes ``<= annee``) : la plus récente l'emporte."""
    t = tableau.loc[(tableau["ihu"] == ihu) & (tableau["annee"] == annee)
                    & (tableau["campagne"] <= annee)]
    t = t.sort_values("campagne", kind="stable").drop_duplicates([cle], keep="last")
    return t.sort_values(cle).reset_index(drop=True)


def lignes_prealables(donnees: Donnees, ihu: str, annee: int) -> dict[str, list[list[object]]]:
    """Lignes préremplies de chaque feuille de données pour ``ihu`` et la campagne ``annee``.

    Parameters
    ----------
    donnees : Donnees
        Toutes les données entrées (toutes campagnes).
    ihu : str
        Code de l'IHU.
    annee : int
        Année de la campagne.

    Returns
    -------
    dict of str to list of list
        Feuille -> lignes (colonnes de :data:`synthese_ihu.generation.classeurs.COLONNES`).
    """
    precedente = annee - 1

    def entier(v: object) -> object:
        return None if pd.isna(v) else int(v)

    def nombre(v: object) -> object:
        if pd.isna(v):
            return None
        v = float(v)
        return int(v) if v.is_integer() else v

    lignes: dict[str, list[list[object]]] = {}
    depenses = _plus_recentes(donnees.depenses, "nature", ihu, precedente)
    connues = dict(zip(depenses["nature"].astype(str), depenses["montant_eur"], strict=True))
    lignes["Depenses"] = [[precedente, n, nombre(connues[n])] for n in sc.NATURES if n in connues]
    lignes["Depenses"] += [[annee, n, None] for n in sc.NATURES]

    indic = _plus_recentes(donnees.indicateurs, "indicateur", ihu, precedente)
    connus = dict(zip(indic["indicateur"].astype(str), indic["valeur"], strict=True))
    lignes["Indicateurs"] = [[precedente, i, entier(connus[i])]
                             for i in sc.INDICATEURS_COMMUNS if i in connus]
    lignes["Indicateurs"] += [[annee, i, None] for i in sc.INDICATEURS_COMMUNS]

    soins = _plus_recentes(donnees.soins_specifiques, "indicateur", ihu, precedente)
    lignes["Soins_specifiques"] = [
        [precedente, r.indicateur, nombre(r.valeur), None if pd.isna(r.unite) else r.unite]
        for r in soins.itertuples()
    ] + [[annee, r.indicateur, None, None if pd.isna(r.unite) else r.unite]
         for r in soins.itertuples()]

    cof = _plus_recentes(donnees.cofinancements, "origine", ihu, precedente)
    lignes["Cofinancements"] = [[precedente, r.origine, nombre(r.montant_eur)]
                                for r in cof.itertuples()]
    lignes["Cofinancements"] += [[annee, o, None] for o in sc.ORIGINES]

    st = donnees.startups.loc[(donnees.startups["ihu"] == ihu)
                              & (donnees.startups["campagne"] < annee)]
    if not st.empty:
        st = st.loc[st["campagne"] == st["campagne"].max()]
    lignes["Startups"] = [[r.nom, entier(r.annee_creation), str(r.statut)]
                          for r in st.sort_values(["annee_creation", "nom"]).itertuples()]
    return lignes


def _liste(valeurs: tuple[str, ...], titre: str) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(valeurs) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle=titre,
                        error="Choisissez une valeur de la liste : " + ", ".join(valeurs))
    return dv


def _nombre(entier: bool, minimum: int = 0, maximum: int | None = None) -> DataValidation:
    genre = "whole" if entier else "decimal"
    if maximum is None:
        dv = DataValidation(type=genre, operator="greaterThanOrEqual", formula1=str(minimum))
        attendu = f"un nombre {'entier ' if entier else ''}≥ {minimum}"
    else:
        dv = DataValidation(type=genre, operator="between", formula1=str(minimum),
                            formula2=str(maximum))
        attendu = f"un {'entier' if entier else 'nombre'} entre {minimum} et {maximum}"
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle = "Valeur refusée"
    dv.error = f"Attendu {attendu}."
    return dv


def _validations(feuille: str, annee: int) -> dict[str, DataValidation]:
    """Colonne -> validation Excel d'une feuille de données."""
    annee_valeur = _nombre(True, 2010, annee)
    par_feuille: dict[str, dict[str, DataValidation]] = {
        "Depenses": {"annee": annee_valeur, "nature": _liste(sc.NATURES, "Nature"),
                     "montant_eur": _nombre(False)},
        "Indicateurs": {"annee": annee_valeur,
                        "indicateur": _liste(sc.INDICATEURS_COMMUNS, "Indicateur"),
                        "valeur": _nombre(True)},
        "Startups": {"annee_creation": _nombre(True, 1990, annee),
                     "statut": _liste(sc.STATUTS_STARTUP, "Statut")},
        "Soins_specifiques": {"annee": annee_valeur, "valeur": _nombre(False)},
        "Cofinancements": {"annee": annee_valeur, "origine": _liste(sc.ORIGINES, "Origine"),
                           "montant_eur": _nombre(False)},
    }
    return par_feuille[feuille]


def classeur_modele(ihu: str, nom: str, annee: int, lignes: dict[str, list[list[object]]]
                    ) -> bytes:
    """Octets du classeur modèle d'un IHU (déterministes pour les mêmes entrées).

    Parameters
    ----------
    ihu, nom : str
        Code et nom de l'IHU.
    annee : int
        Année de la campagne.
    lignes : dict of str to list of list
        Lignes préremplies par feuille (:func:`lignes_prealables`).

    Returns
    -------
    bytes
        Contenu du fichier ``.xlsx``.
    """
    gras = Font(bold=True)
    a_remplir = PatternFill("solid", fgColor="FFF2CC")
    wb = Workbook()
    ws = wb.active
    ws.title = "Instructions"
    for ligne in _instructions(ihu, nom, annee):
        ws.append([ligne])
    ws["A1"].font = gras
    ws.column_dimensions["A"].width = 120
    ws = wb.create_sheet("Identification")
    for ligne in (["champ", "valeur"], ["ihu", ihu], ["nom", nom], ["annee_campagne", annee]):
        ws.append(ligne)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 30
    for titre, colonnes in COLONNES.items():
        ws = wb.create_sheet(titre)
        ws.append(colonnes)
        for rang in lignes.get(titre, []):
            ws.append(rang)
        validations = _validations(titre, annee)
        for i, colonne in enumerate(colonnes):
            lettre = chr(ord("A") + i)
            entete = ws.cell(row=1, column=i + 1)
            entete.font = gras
            entete.comment = Comment(AIDE_COLONNES[colonne], "synthese-ihu")
            ws.column_dimensions[lettre].width = max(16, len(colonne) + 4)
            if colonne in validations:
                dv = validations[colonne]
                dv.add(f"{lettre}2:{lettre}{DERNIERE_LIGNE}")
                ws.add_data_validation(dv)
        for rang in ws.iter_rows(min_row=2):
            for cellule in rang:
                if cellule.value is None:
                    cellule.fill = a_remplir
        ws.freeze_panes = "A2"
    date = dt.datetime(annee, 1, 1)
    wb.properties.creator = "synthese-ihu"
    wb.properties.lastModifiedBy = "synthese-ihu"
    wb.properties.created = date
    wb.properties.modified = date
    tampon = io.BytesIO()
    wb.save(tampon)
    return _figer(tampon.getvalue(), date)


def ihu_attendus(donnees: Donnees, annee: int) -> list[str]:
    """IHU qui remplissent la campagne ``annee`` : retenus au plus tard en ``annee``, financés."""
    ref = donnees.ihu
    fin = pd.to_datetime(ref["fin_financement"]).dt.year
    garde = (ref["annee_selection"] <= annee) & ~(fin < annee).fillna(False).astype(bool)
    return sorted(ref.loc[garde.fillna(False).astype(bool), "ihu"].astype(str))


def ecrire_modeles(annee: int, racine: Path | None = None, sortie: Path | None = None,
                   ihu: list[str] | None = None, donnees: Donnees | None = None) -> list[Path]:
    """Écrit le classeur modèle de chaque IHU attendu pour la campagne ``annee``.

    Parameters
    ----------
    annee : int
        Année de la campagne.
    racine : Path, optional
        Racine des données (dossier ``data/``) ; défaut :data:`synthese_ihu.chemins.DONNEES`.
    sortie : Path, optional
        Dossier d'écriture (défaut : ``<racine>/incoming/<annee>/modeles``).
    ihu : list of str, optional
        Codes d'IHU (défaut : tous les IHU retenus au plus tard en ``annee`` et encore financés).
    donnees : Donnees, optional
        Données déjà chargées de ``<racine>/raw``.

    Returns
    -------
    list of Path
        Classeurs écrits.

    Raises
    ------
    ValueError
        Si un code d'IHU demandé n'est pas dans le référentiel.
    """
    racine = Path(racine or chemins.DONNEES)
    sortie = Path(sortie) if sortie is not None else racine / "incoming" / str(annee) / "modeles"
    sortie.mkdir(parents=True, exist_ok=True)  # dossier impossible : dit avant le chargement
    donnees = donnees if donnees is not None else charger(racine / "raw")
    connus = set(donnees.ihu["ihu"].astype(str))
    codes = ihu_attendus(donnees, annee) if not ihu else list(ihu)
    inconnus = [c for c in codes if c not in connus]
    if inconnus:
        raise ValueError(f"IHU inconnu(s) : {', '.join(inconnus)} ; attendu un code de "
                         f"referentiel/ihu.csv ({', '.join(sorted(connus))})")
    noms = donnees.ihu.set_index("ihu")["nom"]
    ecrits = []
    for code in codes:
        chemin = sortie / f"{code}_{annee}.xlsx"
        octets = classeur_modele(code, str(noms[code]), annee,
                                 lignes_prealables(donnees, code, annee))
        chemin.write_bytes(octets)
        ecrits.append(chemin)
    return ecrits


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``synthese-ihu modele --annee N [--sortie DIR] [--ihu CODE]``."""
    p = argparse.ArgumentParser(prog="synthese-ihu modele",
                                description="Écrit les classeurs vierges d'une campagne.")
    p.add_argument("--annee", type=int, required=True, help="année de la campagne")
    p.add_argument("--sortie", type=Path, help="dossier (défaut : data/incoming/ANNEE/modeles)")
    p.add_argument("--ihu", action="append", help="code d'IHU (répétable ; défaut : tous)")
    p.add_argument("--donnees", type=Path, help="racine des données (défaut : data/)")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        ecrits = ecrire_modeles(args.annee, args.donnees, args.sortie, args.ihu)
    except (ValueError, ErreurDonnees) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    dossier = ecrits[0].parent if ecrits else args.sortie
    print(f"{len(ecrits)} classeur(s) modèle(s) de la campagne {args.annee} écrit(s) dans "
          f"{dossier} :")
    for chemin in ecrits:
        print(f"  - {chemin.name}")
    return 0
