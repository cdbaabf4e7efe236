"""Lecture de ``data/raw`` en tableaux typés et validés.

Les CSV sont lus en texte, les classeurs de campagne avec ``engine="calamine"`` ; chaque cellule
est convertie vers le type déclaré par le schéma pandera du concept, puis le schéma est validé
(mode paresseux). Toutes les anomalies d'un chargement sont rassemblées dans une seule
:class:`~synthese_ihu.donnees.erreurs.ErreurDonnees`, chacune située par fichier, feuille,
ligne (en-tête = ligne 1), cellule A1 et champ.

Plus de 400 lignes, à dessein : le lecteur (:class:`_Lecteur`) convertit, valide et situe les
erreurs d'un même tableau, trois étapes qui partagent ses colonnes techniques (fichier, feuille,
ligne) ; l'ingestion réutilise la lecture des classeurs (:func:`lire_classeurs`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from synthese_ihu.donnees import schemas as sc
from synthese_ihu.donnees.annees import annees_couvertes  # noqa: F401 -- API historique
from synthese_ihu.donnees.erreurs import ErreurDonnees, Probleme, lettre_colonne
from synthese_ihu.donnees.metadonnees import SOURCES_DATEES, lire_metadonnees, verifier_couvertures
from synthese_ihu.donnees.modele import Donnees, tableau_vide

# colonnes techniques ajoutées à chaque ligne lue (retirées des tableaux livrés)
_FICHIER, _FEUILLE, _LIGNE = "_fichier", "_feuille", "_ligne"

#: attribut de Donnees -> (fichier relatif à la racine, schéma)
FICHIERS_CSV: dict[str, tuple[str, pa.DataFrameSchema]] = {
    "ihu": ("referentiel/ihu.csv", sc.REFERENTIEL_IHU),
    "categories_wos": ("referentiel/categories_wos.csv", sc.CATEGORIES_WOS),
    "dotations": ("agence/dotations.csv", sc.DOTATIONS),
    "versements": ("agence/versements.csv", sc.VERSEMENTS),
    "repartition_previsionnelle": (
        "agence/repartition_previsionnelle.csv",
        sc.REPARTITION_PREVISIONNELLE,
    ),
    "articles": ("bibliometrie/sampra_articles.csv", sc.ARTICLES),
    "references_wos": ("bibliometrie/references_wos.csv", sc.REFERENCES_WOS),
    "brevets_inpi": ("contexte/brevets_inpi.csv", sc.BREVETS_INPI),
    "essais_france": ("contexte/essais_cliniques_france.csv", sc.ESSAIS_FRANCE),
    "creations_entreprises": (
        "contexte/creations_entreprises_sante.csv",
        sc.CREATIONS_ENTREPRISES,
    ),
    "faits_marquants": ("faits_marquants/faits_marquants.csv", sc.FAITS_MARQUANTS),
}

#: feuille de campagne -> (attribut de Donnees, schéma)
FEUILLES_CAMPAGNE: dict[str, tuple[str, pa.DataFrameSchema]] = {
    "Depenses": ("depenses", sc.DEPENSES),
    "Indicateurs": ("indicateurs", sc.INDICATEURS),
    "Startups": ("startups", sc.STARTUPS),
    "Soins_specifiques": ("soins_specifiques", sc.SOINS_SPECIFIQUES),
    "Cofinancements": ("cofinancements", sc.COFINANCEMENTS),
}
FEUILLE_IDENTIFICATION = "Identification"
CHAMPS_IDENTIFICATION = ("ihu", "nom", "annee_campagne")
_COLONNES_AJOUTEES = ("ihu", "campagne")  # colonnes des schémas de campagne venant du fichier
_NOM_CLASSEUR = re.compile(r"(?P<ihu>.+)_(?P<annee>\d{4})")


def racine_par_defaut() -> Path:
    """Dossier ``data/raw`` du projet."""
    from synthese_ihu.chemins import DONNEES_BRUTES

    return DONNEES_BRUTES


# --- conversion des cellules vers les types déclarés ---------------------------------------------
def _texte(valeur: object) -> object:
    """Texte d'une cellule (``None`` si vide) ; 2012.0 lu par le tableur devient ``"2012"``."""
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return None
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if isinstance(valeur, dt.datetime | dt.date):
        return valeur.isoformat()
    texte = str(valeur).strip()
    return texte or None


def _en_texte(serie: pd.Series) -> pd.Series:
    if isinstance(serie.dtype, pd.StringDtype):
        serie = serie.str.strip().replace("", None)
    else:
        serie = serie.map(_texte)
    return serie.astype("string")


_VRAI = {"true", "vrai", "1", "oui", "yes"}
_FAUX = {"false", "faux", "0", "non", "no"}


def _convertir_colonne(brut: pd.Series, dtype: str) -> tuple[pd.Series, pd.Series, str]:
    """Convertit une colonne ; rend (valeurs typées, masque des cellules invalides, attendu)."""
    texte = _en_texte(brut)
    present = texte.notna()
    if dtype in {"Int64", "float64"}:
        nombres = pd.to_numeric(texte.str.replace(",", ".", regex=False), errors="coerce")
        nombres = nombres.astype("float64")
        if dtype == "Int64":
            invalide = present & (nombres.isna() | (nombres % 1 != 0))
            valeurs = nombres.where(~invalide).round().astype("Int64")
            return valeurs, invalide, "un nombre entier"
        invalide = present & nombres.isna()
        return nombres, invalide, "un nombre"
    if dtype == "bool":
        minuscule = texte.str.lower()
        vrai, faux = minuscule.isin(_VRAI), minuscule.isin(_FAUX)
        invalide = ~(vrai | faux)  # une cellule vide est aussi invalide : vrai ou faux attendu
        return vrai.astype("bool"), invalide.astype("bool"), "vrai ou faux (True/False)"
    if dtype.startswith("datetime64"):
        dates = pd.to_datetime(texte, errors="coerce", format="ISO8601")
        invalide = present & dates.isna()
        return dates.astype("datetime64[ns]"), invalide, "une date ISO (AAAA-MM-JJ)"
    if dtype == "category":
        return texte.astype("category"), pd.Series(False, index=brut.index), ""
    return texte, pd.Series(False, index=brut.index), ""


def _decrire(valeur: object) -> str:
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)) or valeur is pd.NA:
        return "cellule vide"
    return f"« {valeur} »"


class _Lecteur:
    """État d'un chargement : problèmes collectés et lettres de colonnes par feuille."""

    def __init__(self, racine: Path) -> None:
        self.racine = racine
        self.problemes: list[Probleme] = []
        self.lettres: dict[tuple[str, str | None], dict[str, str]] = {}

    # -- signalement --
    def signaler(self, fichier: str, message: str, feuille: str | None = None,
                 ligne: int | None = None, champ: str | None = None) -> None:
        cellule = None
        if feuille is not None and ligne is not None and champ is not None:
            lettre = self.lettres.get((fichier, feuille), {}).get(champ)
            cellule = f"{lettre}{ligne}" if lettre else None
        self.problemes.append(Probleme(fichier, message, feuille, ligne, champ, cellule))

    def relatif(self, chemin: Path) -> str:
        return chemin.relative_to(self.racine).as_posix()

    # -- lecture brute --
    def lire_csv(self, relatif: str, schema: pa.DataFrameSchema) -> pd.DataFrame | None:
        chemin = self.racine / relatif
        if not chemin.is_file():
            self.signaler(relatif, "fichier absent")
            return None
        try:
            brut = pd.read_csv(chemin, dtype=str, keep_default_na=False, na_values=[""],
                               encoding="utf-8")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            self.signaler(relatif, f"CSV illisible (UTF-8, virgule, une ligne d'en-tête) : {exc}")
            return None
        brut.columns = [str(c).strip() for c in brut.columns]
        self.lettres[(relatif, None)] = {}
        manquantes = [c for c in schema.columns if c not in brut.columns]
        for colonne in manquantes:
            self.signaler(relatif, "colonne absente de la ligne d'en-tête", ligne=1, champ=colonne)
        if manquantes:
            return None
        brut[_FICHIER] = relatif
        brut[_FEUILLE] = None
        brut[_LIGNE] = brut.index + 2
        return brut

    def lire_feuille(self, classeur: pd.ExcelFile, relatif: str, feuille: str,
                     colonnes: list[str]) -> list[tuple[int, list[object]]] | None:
        """Lignes non vides d'une feuille : (numéro de ligne du tableur, cellules de
        ``colonnes``) ; ``None`` si une colonne manque à l'en-tête (problème signalé)."""
        brut = pd.read_excel(classeur, sheet_name=feuille, header=0, dtype=object)
        if brut.columns.empty:
            return []  # feuille entièrement vide : aucune ligne déclarée
        entete = [str(c).strip() for c in brut.columns]
        self.lettres[(relatif, feuille)] = {c: lettre_colonne(i) for i, c in enumerate(entete)}
        manquantes = [c for c in colonnes if c not in entete]
        for colonne in manquantes:
            self.problemes.append(Probleme(
                relatif, "colonne absente de la ligne d'en-tête (ligne 1)", feuille, 1, colonne,
            ))
        if manquantes:
            return None
        positions = [entete.index(c) for c in colonnes]
        lignes = []
        for i, ligne in enumerate(brut.to_numpy(dtype=object).tolist()):
            cellules = [ligne[p] for p in positions]
            if any(_texte(v) is not None for v in cellules):
                lignes.append((i + 2, cellules))  # en-tête = ligne 1
        return lignes

    # -- conversion et validation --
    def valider(self, brut: pd.DataFrame | None, schema: pa.DataFrameSchema) -> pd.DataFrame:
        if brut is None or brut.empty:
            return tableau_vide(schema)
        brut = brut.reset_index(drop=True)
        deja: set[tuple[int, str]] = set()
        typees: dict[str, pd.Series] = {}
        for nom, colonne in schema.columns.items():
            valeurs, invalide, attendu = _convertir_colonne(brut[nom], str(colonne.dtype))
            typees[nom] = valeurs
            for i in invalide[invalide].index:
                deja.add((i, nom))
                self._signaler_ligne(brut, i, nom, f"attendu {attendu}, trouvé "
                                     f"{_decrire(brut.at[i, nom])}")
        tableau = pd.DataFrame(typees, index=brut.index)
        try:
            schema.validate(tableau, lazy=True)
        except pa.errors.SchemaErrors as exc:
            self._traduire(exc.failure_cases, brut, tableau, schema, deja)
        for nom in schema.columns:
            permises = sc.valeurs_permises(schema, nom)
            if permises is not None and isinstance(tableau[nom].dtype, pd.CategoricalDtype):
                tableau[nom] = tableau[nom].cat.set_categories(permises)
        return tableau

    def _signaler_ligne(self, brut: pd.DataFrame, i: int, champ: str, message: str) -> None:
        feuille = brut.at[i, _FEUILLE]
        feuille = None if pd.isna(feuille) else feuille
        self.signaler(brut.at[i, _FICHIER], message, feuille, int(brut.at[i, _LIGNE]), champ)

    def _traduire(self, cas: pd.DataFrame, brut: pd.DataFrame, tableau: pd.DataFrame,
                  schema: pa.DataFrameSchema, deja: set[tuple[int, str]]) -> None:
        vus: set[tuple[object, ...]] = set()
        for cas_ in cas.itertuples(index=False):
            check, index, colonne = str(cas_.check), cas_.index, cas_.column
            if index is None or (isinstance(index, float) and math.isnan(index)):
                # contrôle non évaluable (valeurs déjà signalées comme invalides)
                if not deja:
                    self.signaler(str(brut[_FICHIER].iloc[0]), f"contrôle {check} : "
                                  f"{cas_.failure_case}")
                continue
            index = int(index)
            if check == "multiple_fields_uniqueness":
                if (index, "cle") in vus:
                    continue
                vus.add((index, "cle"))
                self._doublon(brut, tableau, index, list(schema.unique or []))
                continue
            if cas_.schema_context == "DataFrameSchema":
                # contrôle sur plusieurs colonnes : le champ est en tête du message
                champ, _, attendu = check.partition(" : ")
                colonne = champ if champ in tableau.columns else None
                check = attendu or check
            if colonne is not None and (index, colonne) in deja:
                continue
            if (index, colonne, check) in vus:
                continue
            vus.add((index, colonne, check))
            if check == "not_nullable":
                message = "valeur obligatoire, cellule vide"
            elif check == "field_uniqueness":
                message = f"valeur en double ({_decrire(cas_.failure_case)}) : attendue unique"
            else:
                trouve = brut.at[index, colonne] if colonne in brut.columns else cas_.failure_case
                message = f"attendu {check}, trouvé {_decrire(trouve)}"
            self._signaler_ligne(brut, index, colonne, message)

    def _doublon(self, brut: pd.DataFrame, tableau: pd.DataFrame, index: int,
                 cle: list[str]) -> None:
        cle_fichier = [c for c in cle if c not in _COLONNES_AJOUTEES]
        cles = tableau[cle].astype("string").fillna("").agg("|".join, axis=1)
        memes = cles == cles.loc[index]
        autres = [int(brut.at[j, _LIGNE]) for j in memes[memes].index if j != index]
        texte = ", ".join(f"{c}={tableau.at[index, c]}" for c in cle_fichier)
        self._signaler_ligne(
            brut, index, cle_fichier[-1],
            f"clé ({texte}) en double : attendue une seule fois, déjà ligne(s) "
            f"{', '.join(map(str, autres))}",
        )

    # -- classeurs de campagne --
    def lire_campagnes(self, codes: frozenset[str]
                       ) -> tuple[dict[str, pd.DataFrame | None], list[dict]]:
        """Lit tous les classeurs ; rend un tableau brut par feuille et la liste des classeurs."""
        colonnes = {attribut: [c for c in schema.columns if c not in _COLONNES_AJOUTEES]
                    for attribut, schema in FEUILLES_CAMPAGNE.values()}
        cumul: dict[str, dict[str, list]] = {
            attribut: {c: [] for c in [_FICHIER, _FEUILLE, _LIGNE, *_COLONNES_AJOUTEES, *cols]}
            for attribut, cols in colonnes.items()
        }
        campagnes: list[dict] = []
        dossier = self.racine / "campagnes"
        if not dossier.is_dir():
            self.signaler("campagnes", "dossier des campagnes absent")
        for sous in sorted(dossier.iterdir()) if dossier.is_dir() else []:
            if not sous.is_dir():
                continue
            if not re.fullmatch(r"\d{4}", sous.name):
                self.signaler(self.relatif(sous), "nom de dossier attendu : l'année de campagne")
                continue
            for chemin in sorted(sous.glob("*.xlsx")):
                if not chemin.name.startswith("~$"):
                    self._lire_classeur(chemin, int(sous.name), codes, colonnes, cumul,
                                        campagnes)
        bruts = {attribut: pd.DataFrame(valeurs) if valeurs[_LIGNE] else None
                 for attribut, valeurs in cumul.items()}
        return bruts, campagnes

    def _lire_classeur(self, chemin: Path, annee_dossier: int, codes: frozenset[str],
                       colonnes: dict[str, list[str]], cumul: dict[str, dict[str, list]],
                       campagnes: list[dict], motif: re.Pattern[str] = _NOM_CLASSEUR) -> None:
        relatif = self.relatif(chemin)
        nom = motif.fullmatch(chemin.stem)
        if nom is None:
            self.signaler(relatif, "nom de classeur attendu : <ihu>_<année>.xlsx")
            return
        ihu, annee = nom["ihu"], int(nom["annee"])
        if annee != annee_dossier:
            self.signaler(relatif, f"année {annee} du nom de fichier différente de celle du "
                          f"dossier ({annee_dossier})")
        if ihu not in codes:
            self.signaler(relatif, f"IHU « {ihu} » du nom de fichier : attendu {sc.ATTENDU_IHU}")
        try:
            classeur = pd.ExcelFile(chemin, engine="calamine")
        except Exception as exc:  # noqa: BLE001 - tout classeur illisible est signalé
            self.signaler(relatif, f"classeur illisible : {exc}")
            return
        with classeur:
            feuilles = set(classeur.sheet_names)
            identite = self._identification(classeur, relatif, feuilles, ihu, annee_dossier)
            campagnes.append({"ihu": ihu, "campagne": annee_dossier,
                              "nom": identite.get("nom"), "fichier": relatif})
            for feuille, (attribut, _) in FEUILLES_CAMPAGNE.items():
                if feuille not in feuilles:
                    if not (feuille == "Cofinancements"
                            and annee_dossier < sc.PREMIERE_CAMPAGNE_COFINANCEMENTS):
                        self.signaler(relatif, "feuille absente du classeur", feuille)
                    continue
                lignes = self.lire_feuille(classeur, relatif, feuille, colonnes[attribut])
                if not lignes:
                    continue
                cible = cumul[attribut]
                for numero, cellules in lignes:
                    cible[_FICHIER].append(relatif)
                    cible[_FEUILLE].append(feuille)
                    cible[_LIGNE].append(numero)
                    cible["ihu"].append(ihu)
                    cible["campagne"].append(annee_dossier)
                    for colonne, valeur in zip(colonnes[attribut], cellules, strict=True):
                        cible[colonne].append(valeur)

    def _identification(self, classeur: pd.ExcelFile, relatif: str, feuilles: set[str],
                        ihu: str, annee: int) -> dict[str, object]:
        feuille = FEUILLE_IDENTIFICATION
        if feuille not in feuilles:
            self.signaler(relatif, "feuille absente du classeur", feuille)
            return {}
        brut = self.lire_feuille(classeur, relatif, feuille, ["champ", "valeur"])
        if not brut:
            if brut is not None:
                self.signaler(relatif, "feuille vide : champs ihu, nom, annee_campagne attendus",
                              feuille)
            return {}
        champs: dict[str, tuple[object, int]] = {}
        for ligne, (champ, valeur) in brut:
            champ = _texte(champ)
            if champ is not None:
                champs[str(champ)] = (valeur, ligne)
        lettre = self.lettres[(relatif, feuille)]["valeur"]

        def signaler(champ: str, message: str) -> None:
            ligne = champs[champ][1] if champ in champs else None
            cellule = f"{lettre}{ligne}" if ligne else None
            self.problemes.append(Probleme(relatif, message, feuille, ligne, champ, cellule))

        for champ in CHAMPS_IDENTIFICATION:
            if champ not in champs or _texte(champs[champ][0]) is None:
                signaler(champ, "champ obligatoire absent ou vide (colonnes champ, valeur)")
        identite = {c: _texte(v) for c, (v, _) in champs.items()}
        if identite.get("ihu") is not None and identite["ihu"] != ihu:
            signaler("ihu", f"attendu « {ihu} » (nom du fichier), trouvé « {identite['ihu']} »")
        valeur = identite.get("annee_campagne")
        if valeur is not None and valeur != str(annee):
            signaler("annee_campagne", f"attendu {annee} (dossier et nom du fichier), "
                     f"trouvé « {valeur} »")
        return identite


@dataclasses.dataclass
class LectureClasseurs:
    """Résultat de :func:`lire_classeurs`.

    Attributes
    ----------
    tableaux : dict of str to DataFrame
        Un tableau typé par feuille de campagne (attribut de :class:`Donnees`), avec les colonnes
        techniques ``_fichier``, ``_feuille``, ``_ligne`` qui situent chaque ligne.
    campagnes : DataFrame
        Un classeur lu par ligne : ``ihu``, ``campagne``, ``nom``, ``fichier``.
    problemes : list of Probleme
        Tous les problèmes trouvés (vide si les classeurs sont valides).
    lettres : dict
        (fichier, feuille) -> {colonne: lettre A1} d'après la ligne d'en-tête lue.
    """

    tableaux: dict[str, pd.DataFrame]
    campagnes: pd.DataFrame
    problemes: list[Probleme]
    lettres: dict[tuple[str, str | None], dict[str, str]]


def lire_classeurs(racine: Path, classeurs: list[tuple[Path, int]], codes: frozenset[str],
                   motif: re.Pattern[str] = _NOM_CLASSEUR) -> LectureClasseurs:
    """Lit et valide des classeurs de campagne hors de ``campagnes/`` (ingestion).

    Mêmes contrôles que :func:`charger` (nom, feuille ``Identification``, feuilles et colonnes,
    types, valeurs permises, bornes, doublons), sans lever : les problèmes sont rendus.

    Parameters
    ----------
    racine : Path
        Dossier auquel les chemins des problèmes sont relatifs.
    classeurs : list of (Path, int)
        Chaque classeur et l'année de campagne qu'il doit porter.
    codes : frozenset of str
        Codes d'IHU connus (référentiel).
    motif : re.Pattern, optional
        Motif du nom de fichier (sans extension), groupes ``ihu`` et ``annee``.

    Returns
    -------
    LectureClasseurs
        Tableaux typés, classeurs lus, problèmes et lettres de colonnes.
    """
    lecteur = _Lecteur(Path(racine).resolve())
    colonnes = {attribut: [c for c in schema.columns if c not in _COLONNES_AJOUTEES]
                for attribut, schema in FEUILLES_CAMPAGNE.values()}
    cumul: dict[str, dict[str, list]] = {
        attribut: {c: [] for c in [_FICHIER, _FEUILLE, _LIGNE, *_COLONNES_AJOUTEES, *cols]}
        for attribut, cols in colonnes.items()
    }
    campagnes: list[dict] = []
    for chemin, annee in classeurs:
        lecteur._lire_classeur(Path(chemin).resolve(), annee, codes, colonnes, cumul, campagnes,
                               motif)
    tableaux: dict[str, pd.DataFrame] = {}
    jeton = sc.CODES_IHU.set(codes)
    try:
        for attribut, schema in FEUILLES_CAMPAGNE.values():
            brut = pd.DataFrame(cumul[attribut]) if cumul[attribut][_LIGNE] else None
            tableau = lecteur.valider(brut, schema)
            if brut is not None:
                tableau = tableau.join(brut.reset_index(drop=True)[[_FICHIER, _FEUILLE, _LIGNE]])
            else:
                tableau = tableau.assign(_fichier=pd.Series(dtype="string"),
                                         _feuille=pd.Series(dtype="string"),
                                         _ligne=pd.Series(dtype="Int64"))
            tableaux[attribut] = tableau
    finally:
        sc.CODES_IHU.reset(jeton)
    tableau_campagnes = pd.DataFrame(campagnes, columns=["ihu", "campagne", "nom", "fichier"])
    return LectureClasseurs(tableaux, tableau_campagnes, list(lecteur.problemes),
                            dict(lecteur.lettres))


def _completer_premiere_annee(ihu: pd.DataFrame, campagnes: list[dict]) -> pd.DataFrame:
    """``premiere_annee_indicateurs`` vide : l'IHU est suivi dès sa première campagne reçue."""
    vide = ihu["premiere_annee_indicateurs"].isna()
    if not campagnes or not vide.any():
        return ihu
    premiere = pd.DataFrame(campagnes).groupby("ihu")["campagne"].min()
    ihu = ihu.copy()
    ihu.loc[vide, "premiere_annee_indicateurs"] = (
        ihu.loc[vide, "ihu"].map(premiere).astype("Int64")
    )
    return ihu


def _annees(tableau: pd.DataFrame) -> list[int]:
    colonne = "annee" if "annee" in tableau.columns else "annee_engagement"
    return [int(a) for a in tableau[colonne].dropna().unique()]


def charger(racine: Path | None = None) -> Donnees:
    """Lit tout ``data/raw`` (ou ``racine``) en tableaux typés et validés.

    Parameters
    ----------
    racine : Path, optional
        Racine des données (défaut : ``data/raw`` du projet).

    Returns
    -------
    Donnees
        Toutes les données, toutes campagnes confondues (colonne ``campagne``).

    Raises
    ------
    ErreurDonnees
        Si un fichier ne respecte pas le contrat ``data/README.md`` ; le message liste tous les
        problèmes trouvés (fichier, feuille, ligne, cellule, champ, attendu).
    """
    racine = Path(racine or racine_par_defaut()).resolve()
    lecteur = _Lecteur(racine)
    tableaux: dict[str, pd.DataFrame] = {}

    relatif, schema = FICHIERS_CSV["ihu"]
    tableaux["ihu"] = lecteur.valider(lecteur.lire_csv(relatif, schema), schema)
    codes = frozenset(tableaux["ihu"]["ihu"].dropna())
    jeton = sc.CODES_IHU.set(codes)
    try:
        for attribut, (relatif, schema) in FICHIERS_CSV.items():
            if attribut != "ihu":
                tableaux[attribut] = lecteur.valider(lecteur.lire_csv(relatif, schema), schema)
        tableaux["tableaux"] = {
            ident: lecteur.valider(lecteur.lire_csv(t.fichier, t.schema), t.schema)
            for ident, t in sc.TABLEAUX_REFERENCE.items()
        }
        bruts, campagnes = lecteur.lire_campagnes(codes)
        for attribut, schema in FEUILLES_CAMPAGNE.values():
            tableaux[attribut] = lecteur.valider(bruts[attribut], schema)
    finally:
        sc.CODES_IHU.reset(jeton)
    tableau_campagnes = tableau_vide(sc.CAMPAGNES)
    if campagnes:
        tableau_campagnes = pd.DataFrame(campagnes).astype(
            {"ihu": "string", "campagne": "Int64", "nom": "string", "fichier": "string"}
        )
    tableaux["campagnes"] = tableau_campagnes
    tableaux["ihu"] = _completer_premiere_annee(tableaux["ihu"], campagnes)
    try:
        metadonnees = lire_metadonnees(racine)
        lecteur.problemes.extend(verifier_couvertures(metadonnees, {
            s: (FICHIERS_CSV[s][0], _annees(tableaux[s])) for s in SOURCES_DATEES}))
    except ErreurDonnees as exc:
        lecteur.problemes.extend(exc.problemes)
        metadonnees = None
    if lecteur.problemes:
        raise ErreurDonnees(lecteur.problemes, racine)
    return Donnees(**tableaux, metadonnees=metadonnees)


def lire_csv(racine: Path, relatif: str, codes: frozenset[str]) -> pd.DataFrame:
    """Un CSV de ``FICHIERS_CSV`` lu sous ``racine`` et validé comme par :func:`charger`.

    Sert aux extractions figées d'une édition (``millesimes/<édition>/``, module
    :mod:`synthese_ihu.revisions`) ; ``codes`` : codes d'IHU admis. Lève
    :class:`ErreurDonnees` au moindre problème (fichier, ligne, champ).
    """
    racine = Path(racine).resolve()
    schema = next(s for r, s in FICHIERS_CSV.values() if r == relatif)
    lecteur = _Lecteur(racine)
    jeton = sc.CODES_IHU.set(codes)
    try:
        tableau = lecteur.valider(lecteur.lire_csv(relatif, schema), schema)
    finally:
        sc.CODES_IHU.reset(jeton)
    if lecteur.problemes:
        raise ErreurDonnees(lecteur.problemes, racine)
    return tableau
