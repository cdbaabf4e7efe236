"""Contrôle des classeurs reçus pour une campagne (``data/incoming/<année>/*.xlsx``).

Chaque classeur est d'abord examiné sans bibliothèque de tableur
(:func:`~synthese_ihu.ingestion.examen.examiner`) : un examen bloquant (fichier qui n'est pas un
classeur, limites de ``limites.toml``, valeur hors zone) écarte le classeur de la lecture ; les
cellules déjà signalées (formule, erreur, booléen, date, « NaN ») ne le sont pas une seconde fois.

Les contrôles du format (nom, feuille ``Identification``, feuilles, colonnes, types, valeurs
permises, bornes, doublons, année au plus égale à la campagne) sont ceux du chargement :
:func:`synthese_ihu.donnees.chargement.lire_classeurs`. S'y ajoutent ceux qui n'ont de sens qu'à
la réception d'une campagne, comparée aux données déjà entrées :

- un seul classeur par IHU, aucun fichier d'un autre format ;
- IHU déjà retenu l'année de la campagne, lignes pas antérieures à sa sélection ;
- une ligne par nature de dépense et par indicateur commun pour l'année de la campagne ;
- parts (unité ``%``) entre 0 et 100, valeurs de soin ≥ 0, unité d'un indicateur de soin
  inchangée d'une campagne à l'autre ;
- montants et nombres finis, dans la plage plausible de ``limites.toml`` ;
- liste des start-up complète : toute start-up déclarée à la campagne précédente y figure encore
  (avec le statut ``cessee`` ou ``rachetee`` si elle n'est plus active).

Chaque problème est un :class:`~synthese_ihu.donnees.Probleme` : fichier, feuille, ligne,
cellule A1, champ et ce qui était attendu.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from synthese_ihu import chemins
from synthese_ihu.donnees import Donnees, Probleme, charger
from synthese_ihu.donnees import schemas as sc
from synthese_ihu.donnees.chargement import (
    _COLONNES_AJOUTEES,
    FEUILLE_IDENTIFICATION,
    FEUILLES_CAMPAGNE,
    lire_classeurs,
)
from synthese_ihu.ingestion.examen import Examen, examiner
from synthese_ihu.ingestion.limites import Limites, limites

#: Nom d'un classeur reçu : ``<ihu>_<année>.xlsx``, suivi au besoin d'un suffixe libre
#: (``ican_2023_v2.xlsx``) ; il est rangé sous ``<ihu>_<année>.xlsx``.
MOTIF_RECU = re.compile(r"(?P<ihu>.+?)_(?P<annee>\d{4})(?:[_ .-].*)?")

#: feuille lue au chargement -> en-têtes attendus (contrat de data/README.md)
ENTETES = {FEUILLE_IDENTIFICATION: ("champ", "valeur")} | {
    feuille: tuple(c for c in schema.columns if c not in _COLONNES_AJOUTEES)
    for feuille, (_, schema) in FEUILLES_CAMPAGNE.items()
}
#: extension d'un fichier reçu qui n'est pas un .xlsx -> ce qu'il est
AUTRES_FORMATS = {
    ".xls": "ancien format Excel 97-2003 (.xls)",
    ".xlsm": "classeur avec macros (.xlsm)",
    ".xlsb": "classeur binaire Excel (.xlsb)",
    ".ods": "classeur OpenDocument (.ods)",
    ".csv": "fichier texte CSV",
}

#: blocs dont l'année de campagne doit être complète : feuille -> (attribut, clé, valeurs)
BLOCS_COMPLETS = {
    "Depenses": ("depenses", "nature", sc.NATURES),
    "Indicateurs": ("indicateurs", "indicateur", sc.INDICATEURS_COMMUNS),
}


@dataclass
class Verification:
    """Résultat du contrôle des classeurs d'une campagne.

    Attributes
    ----------
    annee : int
        Année de la campagne.
    entree : Path
        Dossier des classeurs reçus.
    tableaux : dict of str to DataFrame
        Lignes lues, par attribut de :class:`~synthese_ihu.donnees.Donnees` (``depenses``…),
        avec ``ihu``, ``campagne`` et les colonnes techniques ``_fichier``, ``_feuille``,
        ``_ligne``.
    classeurs : dict of str to Path
        Code d'IHU -> classeur reçu.
    existantes : Donnees
        Données déjà entrées (toutes campagnes).
    problemes : list of Probleme
        Tous les problèmes trouvés ; vide si la campagne peut entrer.
    avertissements : list of Probleme
        Ce qui est signalé sans refuser : feuilles, lignes et colonnes masquées, feuilles
        ignorées.
    """

    annee: int
    entree: Path
    tableaux: dict[str, pd.DataFrame] = field(default_factory=dict)
    classeurs: dict[str, Path] = field(default_factory=dict)
    existantes: Donnees | None = None
    problemes: list[Probleme] = field(default_factory=list)
    avertissements: list[Probleme] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        """Vrai si aucun problème n'a été trouvé."""
        return not self.problemes


class _Controleur:
    """Contrôles propres à la réception ; situe chaque problème par sa cellule."""

    def __init__(self, annee: int, lettres: dict, existantes: Donnees) -> None:
        self.annee = annee
        self.lettres = lettres
        self.existantes = existantes
        self.problemes: list[Probleme] = []

    def ligne(self, rang: pd.Series, champ: str, message: str) -> None:
        fichier, feuille, ligne = rang["_fichier"], rang["_feuille"], int(rang["_ligne"])
        lettre = self.lettres.get((fichier, feuille), {}).get(champ)
        cellule = f"{lettre}{ligne}" if lettre else None
        self.problemes.append(Probleme(fichier, message, feuille, ligne, champ, cellule))

    def selection(self, tableaux: dict[str, pd.DataFrame]) -> None:
        ref = self.existantes.ihu.set_index("ihu")["annee_selection"]
        for attribut, _ in _feuilles_annees().values():
            t = tableaux[attribut]
            if t.empty:
                continue
            debut = t["ihu"].map(ref).astype("Int64")
            for _, rang in t.loc[(t["annee"] < debut).fillna(False)].iterrows():
                self.ligne(rang, "annee", f"attendu une année ≥ {ref[rang['ihu']]} (sélection "
                           f"de l'IHU), trouvé « {rang['annee']} »")

    def completude(self, tableaux: dict[str, pd.DataFrame], classeurs: dict[str, str],
                   deja: list[Probleme]) -> None:
        signales = {(p.fichier, p.feuille) for p in deja}
        for feuille, (attribut, cle, valeurs) in BLOCS_COMPLETS.items():
            t = tableaux[attribut]
            for ihu, fichier in classeurs.items():
                if (fichier, feuille) in signales:
                    continue  # feuille déjà en défaut : pas de conséquence signalée en double
                presentes = set(
                    t.loc[(t["ihu"] == ihu) & (t["annee"] == self.annee), cle].dropna().astype(str)
                )
                manquantes = [v for v in valeurs if v not in presentes]
                if manquantes:
                    pluriel = "s" if len(manquantes) > 1 else ""
                    self.problemes.append(Probleme(
                        fichier,
                        f"ligne absente pour l'année {self.annee} : attendu une ligne par "
                        f"{cle} ({', '.join(manquantes)} manquant{pluriel} ; 0 si rien à "
                        "déclarer)",
                        feuille, champ=cle,
                    ))

    def soins(self, tableaux: dict[str, pd.DataFrame]) -> None:
        t = tableaux["soins_specifiques"]
        if t.empty:
            return
        anciens = self.existantes.soins_specifiques
        anciens = anciens.loc[anciens["campagne"] != self.annee].sort_values("campagne")
        unites = anciens.dropna(subset=["unite"]).drop_duplicates(
            ["ihu", "indicateur"], keep="last"
        ).set_index(["ihu", "indicateur"])["unite"]
        for _, rang in t.iterrows():
            valeur, unite = rang["valeur"], rang["unite"]
            if pd.notna(valeur) and valeur < 0:
                self.ligne(rang, "valeur", f"attendu un nombre ≥ 0, trouvé « {valeur:g} »")
            elif pd.notna(valeur) and unite == "%" and valeur > 100:
                self.ligne(rang, "valeur", f"attendu une part entre 0 et 100 (unité %), trouvé "
                           f"« {valeur:g} »")
            connue = unites.get((rang["ihu"], rang["indicateur"]))
            if connue is not None and pd.notna(unite) and unite != connue:
                self.ligne(rang, "unite", f"attendu l'unité « {connue} » déclarée aux campagnes "
                           f"précédentes pour cet indicateur, trouvé « {unite} »")
            elif connue is not None and pd.isna(unite):
                self.ligne(rang, "unite", f"attendu l'unité « {connue} » déclarée aux campagnes "
                           "précédentes pour cet indicateur, trouvé cellule vide")

    def startups(self, tableaux: dict[str, pd.DataFrame], classeurs: dict[str, str]) -> None:
        t = tableaux["startups"]
        anciennes = self.existantes.startups
        anciennes = anciennes.loc[anciennes["campagne"] < self.annee]
        for ihu, fichier in classeurs.items():
            a = anciennes.loc[anciennes["ihu"] == ihu]
            if a.empty:
                continue
            derniere = int(a["campagne"].max())
            connues = a.loc[a["campagne"] == derniere, "nom"].astype(str)
            declarees = set(t.loc[t["ihu"] == ihu, "nom"].dropna().astype(str))
            for nom in connues:
                if nom not in declarees:
                    self.problemes.append(Probleme(
                        fichier,
                        f"start-up « {nom} » déclarée à la campagne {derniere} absente : attendu "
                        "toutes les start-up de l'IHU, avec le statut cessee ou rachetee si elle "
                        "n'est plus active",
                        "Startups", champ="nom",
                    ))


    def plausibilite(self, tableaux: dict[str, pd.DataFrame], lim: Limites,
                     deja: list[Probleme]) -> None:
        """Nombres finis et dans la plage plausible de ``limites.toml`` (cellule non déjà
        signalée)."""
        signales = {(p.fichier, p.feuille, p.ligne, p.champ) for p in deja}
        for feuille, (attribut, _) in FEUILLES_CAMPAGNE.items():
            t = tableaux.get(attribut)
            if t is None or t.empty:
                continue
            for (f, champ), (bas, haut) in lim.plausibilite.items():
                if f != feuille or champ not in t.columns:
                    continue
                valeurs = t[champ].astype("float64")
                hors = valeurs.notna() & ~valeurs.between(bas, haut)
                for i in hors[hors].index:
                    rang, v = t.loc[i], float(valeurs.at[i])
                    if (rang["_fichier"], rang["_feuille"], int(rang["_ligne"]), champ) in signales:
                        continue
                    if not math.isfinite(v):
                        self.ligne(rang, champ, f"attendu un nombre fini, trouvé « {v} »")
                        continue
                    unite = " €" if champ.endswith("_eur") else ""
                    self.ligne(rang, champ, f"attendu entre {_nombre(bas)} et {_nombre(haut)}"
                               f"{unite} (plage plausible plausibilite.{feuille}.{champ} de "
                               f"{lim.source}), trouvé « {v:g} »")


def _nombre(v: float) -> str:
    return f"{v:,.0f}".replace(",", "\u202f") if float(v).is_integer() else f"{v:g}"


def _feuille_absente(p: Probleme, examens: dict[str, Examen]) -> Probleme:
    """« feuille absente » dit aussi les feuilles trouvées et la plus proche (renommée ?)."""
    ex = examens.get(p.fichier)
    if ex is None or p.message != "feuille absente du classeur" or p.feuille is None:
        return p
    trouvees = ", ".join(f"« {f} »" for f in ex.feuilles) or "aucune"
    autres = [f for f in ex.feuilles if f not in ENTETES and f != "Instructions"]
    proche = difflib.get_close_matches(p.feuille.lower(), [f.lower() for f in autres],
                                       n=1, cutoff=0.6)
    indice = ""
    if proche:
        nom = next(f for f in autres if f.lower() == proche[0])
        indice = f" ; « {nom} » est-elle la feuille renommée ?"
    return Probleme(p.fichier, f"feuille absente du classeur (feuilles trouvées : {trouvees})"
                    f"{indice} : attendu une feuille nommée exactement « {p.feuille} »",
                    p.feuille)


def _feuilles_annees() -> dict[str, tuple[str, str]]:
    return {
        "Depenses": ("depenses", "annee"),
        "Indicateurs": ("indicateurs", "annee"),
        "Soins_specifiques": ("soins_specifiques", "annee"),
        "Cofinancements": ("cofinancements", "annee"),
    }


def dossier_entree(annee: int, racine: Path | None = None) -> Path:
    """Dossier des classeurs reçus : ``<racine>/incoming/<annee>``."""
    return Path(racine or chemins.DONNEES) / "incoming" / str(annee)


def verifier(annee: int, racine: Path | None = None, entree: Path | None = None,
             existantes: Donnees | None = None) -> Verification:
    """Contrôle tous les classeurs reçus d'une campagne, sans rien écrire.

    Parameters
    ----------
    annee : int
        Année de la campagne.
    racine : Path, optional
        Racine des données (dossier ``data/`` : ``raw/``, ``incoming/``) ; défaut
        :data:`synthese_ihu.chemins.DONNEES`.
    entree : Path, optional
        Dossier des classeurs reçus (défaut : ``<racine>/incoming/<annee>``).
    existantes : Donnees, optional
        Données déjà chargées de ``<racine>/raw`` (sinon elles sont chargées).

    Returns
    -------
    Verification
        Lignes lues et tous les problèmes (fichier, feuille, cellule, champ, attendu).

    Raises
    ------
    ErreurDonnees
        Si les données déjà entrées (``raw/``) ne se chargent pas.
    """
    racine = Path(racine or chemins.DONNEES).resolve()
    entree = Path(entree or dossier_entree(annee, racine)).resolve()
    base = racine if entree.is_relative_to(racine) else entree.parent
    existantes = existantes if existantes is not None else charger(racine / "raw")
    verif = Verification(annee, entree, existantes=existantes)

    def relatif(chemin: Path) -> str:
        return chemin.relative_to(base).as_posix()

    if not entree.is_dir():
        verif.problemes.append(Probleme(relatif(entree), "dossier des classeurs reçus absent"))
        return verif
    recus: list[Path] = []
    for chemin in sorted(entree.iterdir()):
        if chemin.name.startswith((".", "~$")):
            continue  # fichiers cachés, verrous d'Excel
        if not chemin.is_symlink() and chemin.is_dir() and chemin.suffix.lower() != ".xlsx":
            continue  # modeles/
        extension = chemin.suffix.lower()
        if extension != ".xlsx" and not chemin.is_symlink():
            quoi = AUTRES_FORMATS.get(extension, f"fichier « {extension or 'sans extension'} »")
            verif.problemes.append(Probleme(
                relatif(chemin), f"{quoi} : format attendu : classeur Excel .xlsx "
                "(<ihu>_<année>.xlsx ; Fichier > Enregistrer sous > Classeur Excel .xlsx)"
            ))
            continue
        recus.append(chemin)
    if not recus and not verif.problemes:
        verif.problemes.append(Probleme(relatif(entree), "aucun classeur .xlsx à ingérer"))
        return verif

    # un classeur par IHU (code lu dans le nom du fichier, contrôlé contre Identification) :
    # un second classeur n'est pas lu, ses lignes doubleraient celles du premier
    premiers: dict[str, Path] = {}
    for chemin in list(recus):
        nom = MOTIF_RECU.fullmatch(chemin.stem)
        if nom is None:
            continue
        if nom["ihu"] in premiers:
            verif.problemes.append(Probleme(
                relatif(chemin), f"second classeur pour l'IHU « {nom['ihu']} » (déjà "
                f"{relatif(premiers[nom['ihu']])}) : attendu un seul classeur par IHU et par "
                "campagne"
            ))
            recus.remove(chemin)
        else:
            premiers[nom["ihu"]] = chemin

    # examen de chaque classeur avant toute bibliothèque de lecture : un classeur dont
    # l'examen est bloquant n'est pas lu (calamine pourrait s'interrompre ou tout lire)
    lim = limites()
    examens: dict[str, Examen] = {}
    for chemin in list(recus):
        examen = examiner(chemin, relatif(chemin), ENTETES, lim)
        examens[relatif(chemin)] = examen
        verif.problemes.extend(examen.problemes)
        verif.avertissements.extend(examen.avertissements)
        if examen.bloquant:
            recus.remove(chemin)

    codes = frozenset(existantes.ihu["ihu"].dropna().astype(str))
    lecture = lire_classeurs(base, [(c, annee) for c in recus], codes, MOTIF_RECU)
    # classeur d'un IHU inconnu : un problème (le nom du fichier), pas un par ligne
    inconnus = set(lecture.campagnes.loc[~lecture.campagnes["ihu"].isin(codes), "fichier"])
    verif.problemes.extend(
        _feuille_absente(p, examens) for p in lecture.problemes
        if not (p.fichier in inconnus and p.champ == "ihu" and p.feuille is not None
                and p.feuille != "Identification")
        and (p.feuille, p.cellule) not in examens.get(p.fichier, Examen()).signalees
    )
    verif.tableaux = lecture.tableaux

    classeurs = {str(i): str(f) for i, f in zip(lecture.campagnes["ihu"],
                                                 lecture.campagnes["fichier"], strict=True)
                 if i in codes}
    ref = existantes.ihu.set_index("ihu")
    for ihu, fichier in list(classeurs.items()):
        selection = int(ref.at[ihu, "annee_selection"])
        if selection > annee:
            verif.problemes.append(Probleme(
                fichier, f"IHU « {ihu} » retenu en {selection} : attendu une campagne à partir "
                f"de {selection}, trouvé {annee}", "Identification", champ="annee_campagne",
            ))
            del classeurs[ihu]
    verif.classeurs = {ihu: base / fichier for ihu, fichier in classeurs.items()}

    controle = _Controleur(annee, lecture.lettres, existantes)
    controle.selection(lecture.tableaux)
    controle.completude(lecture.tableaux, classeurs, verif.problemes)
    controle.soins(lecture.tableaux)
    controle.startups(lecture.tableaux, classeurs)
    controle.plausibilite(lecture.tableaux, lim, verif.problemes + controle.problemes)
    verif.problemes.extend(controle.problemes)
    return verif
