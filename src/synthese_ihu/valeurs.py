"""Les valeurs que la narration cite : ``{v.nom}`` dans un ``%%recit``.

Chaque valeur est une petite fonction de la vue des données et de l'année cible, enregistrée par
:func:`valeur` ; :class:`Valeurs` les calcule à la demande (une section ne calcule que ce qu'elle
cite) et les garde. Une valeur est un fait : une :class:`~synthese_ihu.formatage.Valeur` (nombre
mis en forme), un entier (année, effectif sans séparateur), un booléen (constat, pour
``%%recit --si``), un mot ou une date, un texte venu des données (échappé par le récit) ou
``None`` quand elle n'existe pas pour l'année. Jamais une phrase : les phrases, leurs variantes
et leurs accords sont dans les carnets (``tests/unit/test_valeurs_faits.py`` le vérifie). Les
faits des constats du récit sont dans :mod:`synthese_ihu.faits`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import pandas as pd

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import PREMIERE_ANNEE, PREMIERE_CAMPAGNE_COFINANCEMENTS
from synthese_ihu.formatage import Valeur, pourcentage
from synthese_ihu.libelles import libelle_donnee
from synthese_ihu.recit import Enumeration, TexteDonnees

Calcul = Callable[[Donnees, int], Any]
_CALCULS: dict[str, Calcul] = {}
#: Noms des faits des constats (enregistrés par :mod:`synthese_ihu.faits`), hors chiffres clés.
FAITS: set[str] = set()
#: valeurs calculées sur toutes les campagnes (réactualisations), pas sur la vue de l'année
_SUR_DONNEES_COMPLETES = {
    "nb_revisions", "nb_ihu_selection_suivante", "appel_selection_suivante", "faits_ihu3",
    "appel_ihu2_connu", "appel_ihu3_connu", "annee_selection_suivante",
}

#: Réactualisations signalées en annexe : écart relatif au-delà duquel une révision est listée.
SEUIL_REVISION = 0.05
PREMIERE_ANNEE_FINANCES = 2011


def valeur(fonction: Calcul) -> Calcul:
    """Enregistre une valeur citable sous le nom de la fonction."""
    _CALCULS[fonction.__name__] = fonction
    return fonction


class Valeurs:
    """Les valeurs d'une année, calculées à la première lecture de ``v.nom``.

    Une valeur inconnue lève ``AttributeError`` avec les noms proches ; ``dir(v)`` liste
    toutes les valeurs (complétion dans JupyterLab).
    """

    def __init__(self, donnees: Donnees, annee: int, complet: Donnees | None = None) -> None:
        self._donnees = donnees
        self._annee = annee
        self._complet = complet if complet is not None else donnees
        self._cache: dict[str, Any] = {}

    def __getattr__(self, nom: str) -> Any:
        if nom.startswith("_"):
            raise AttributeError(nom)
        if nom not in _CALCULS:
            proches = difflib.get_close_matches(nom, _CALCULS, n=3)
            suggestion = f" ; noms proches : {', '.join(proches)}" if proches else ""
            raise AttributeError(f"valeur inconnue « {nom} »{suggestion}")
        if nom not in self._cache:
            source = self._complet if nom in _SUR_DONNEES_COMPLETES else self._donnees
            self._cache[nom] = _CALCULS[nom](source, self._annee)
        return self._cache[nom]

    def __dir__(self) -> list[str]:
        return sorted(_CALCULS)

    def toutes(self, faits: bool = False) -> dict[str, Any]:
        """Les valeurs de l'année (chiffres clés exportés) ; ``faits=True`` ajoute les faits des
        constats (:mod:`synthese_ihu.faits` : années, booléens, formes de séries)."""
        return {nom: getattr(self, nom) for nom in sorted(_CALCULS)
                if faits or nom not in FAITS}


def pour_section(
    section: str, donnees: Donnees, annee: int, complet: Donnees | None = None
) -> Valeurs:
    """Les valeurs citables par une section (toutes les sections partagent le même catalogue).

    ``donnees`` est la vue de l'année ; ``complet`` toutes les campagnes (réactualisations).
    """
    return Valeurs(donnees, annee, complet)


# --- outils -------------------------------------------------------------------------------------
def _meur(montant: float | None, libelle: str, periode: str) -> Valeur | None:
    return None if montant is None else Valeur(montant, "M€", 1, libelle, periode)


def _part(part: float | None, libelle: str, periode: str, decimales: int = 0) -> Valeur | None:
    return None if part is None else Valeur(part, "%", decimales, libelle, periode)


def _compte(n: float | None, libelle: str, periode: str) -> Valeur | None:
    return None if n is None else Valeur(n, "", 0, libelle, periode)


def _periodes(d: Donnees, annee: int):
    return ind.periodes_bibliometrie(d, annee)


def _texte_periode(p: ind.Periode) -> str:
    return f"{p.debut}-{p.fin}" if p.fin != p.debut else str(p.debut)


def _ref(d: Donnees) -> pd.DataFrame:
    return d.ihu


# --- programme ----------------------------------------------------------------------------------
@valeur
def nb_ihu_suivis(d: Donnees, annee: int) -> int:
    return ind.nombre_ihu_suivis(d, annee)


@valeur
def nb_ihu_finances(d: Donnees, annee: int) -> int:
    return int(d.dotations.loc[d.dotations["annee_engagement"] <= annee, "ihu"].nunique())


@valeur
def premiere_campagne(d: Donnees, annee: int) -> int:
    return int(d.campagnes["campagne"].min())


def _selection_suivante(d: Donnees, annee: int) -> pd.DataFrame:
    """IHU retenus l'année qui suit l'année cible (connus à la rédaction du rapport)."""
    ref = _ref(d)
    # premiere_annee_indicateurs est remplie par la première campagne reçue (chargement) :
    # un IHU retenu en annee + 1 n'est pas suivi en annee, qu'il ait déjà une campagne ou non.
    pas_suivi = ~(ref["premiere_annee_indicateurs"] <= annee).fillna(False).astype(bool)
    return ref.loc[(ref["annee_selection"] == annee + 1) & pas_suivi]


@valeur
def nb_ihu_selection_suivante(d: Donnees, annee: int) -> int | None:
    n = len(_selection_suivante(d, annee))
    return n or None


@valeur
def annee_selection_suivante(d: Donnees, annee: int) -> int:
    return annee + 1


@valeur
def appel_selection_suivante(d: Donnees, annee: int) -> str | None:
    appels = sorted(set(_selection_suivante(d, annee)["appel"].astype(str)))
    return ", ".join(appels) or None


def _annee_appel(d: Donnees, appel: str, annee: int) -> int | None:
    ref = _ref(d)
    selections = ref.loc[(ref["appel"] == appel) & (ref["annee_selection"] <= annee),
                         "annee_selection"]
    return None if selections.empty else int(selections.min())


@valeur
def annee_pia1(d: Donnees, annee: int) -> int | None:
    """Année de sélection des IHU du premier appel (IHU1, PIA1), lue dans le référentiel."""
    return _annee_appel(d, "IHU1", annee)


@valeur
def annee_pia3(d: Donnees, annee: int) -> int | None:
    """Année de sélection de l'IHU du deuxième appel (IHU2, PIA3)."""
    return _annee_appel(d, "IHU2", annee)


@valeur
def debut_finances(d: Donnees, annee: int) -> int:
    """Première année des versements et des dépenses suivis."""
    annees = d.versements["annee"]
    return int(annees.min()) if len(annees) else PREMIERE_ANNEE_FINANCES


@valeur
def debut_indicateurs(d: Donnees, annee: int) -> int:
    """Première année des indicateurs de suivi (et de la bibliométrie comptée)."""
    return PREMIERE_ANNEE


@valeur
def debut_cofinancements(d: Donnees, annee: int) -> int:
    """Première campagne qui recueille les cofinancements."""
    return PREMIERE_CAMPAGNE_COFINANCEMENTS


@valeur
def nb_ihu_pia1(d: Donnees, annee: int) -> int:
    return ind.nombre_ihu_selectionnes(d, annee_pia1(d, annee) or PREMIERE_ANNEE_FINANCES)


_MOIS = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
         "septembre", "octobre", "novembre", "décembre"]


@valeur
def nb_ihu_pia3(d: Donnees, annee: int) -> int | None:
    ref = _ref(d)
    return int(((ref["appel"] == "IHU2") & (ref["annee_selection"] <= annee)).sum()) or None


@valeur
def fin_pia3(d: Donnees, annee: int) -> str | None:
    ref = _ref(d)
    fins = ref.loc[ref["appel"] == "IHU2", "fin_financement"].dropna()
    if fins.empty:
        return None
    fin = pd.Timestamp(fins.max())
    return f"{fin.day} {_MOIS[fin.month]} {fin.year}"


# --- finances -----------------------------------------------------------------------------------
@valeur
def dotation_engagee(d: Donnees, annee: int) -> Valeur:
    return _meur(ind.dotation_engagee(d, annee), "Dotation engagée", f"2011-{annee}")


@valeur
def verse_cumul(d: Donnees, annee: int) -> Valeur:
    return _meur(ind.verse_cumul(d, annee), "Aide versée cumulée", f"2011-{annee}")


@valeur
def verse_annee(d: Donnees, annee: int) -> Valeur | None:
    """Aide versée dans l'année ; ``None`` si le fichier des versements n'a pas encore l'année."""
    if not (d.versements["annee"] == annee).any():
        return None
    return _meur(ind.verse_annee(d, annee), "Aide versée dans l'année", str(annee))


@valeur
def verse_cumul_part_dotation(d: Donnees, annee: int) -> Valeur | None:
    part = ind.verse_cumul_part_dotation(d, annee)
    return _part(part, "Aide versée / dotation engagée", f"2011-{annee}")


@valeur
def depenses_cumul(d: Donnees, annee: int) -> Valeur:
    return _meur(ind.depenses_cumul(d, annee), "Dépenses déclarées cumulées", f"2011-{annee}")


@valeur
def depenses_annee(d: Donnees, annee: int) -> Valeur:
    return _meur(ind.depenses_annee(d, annee), "Dépenses déclarées dans l'année", str(annee))


@valeur
def depenses_cumul_part_dotation(d: Donnees, annee: int) -> Valeur | None:
    part = ind.depenses_cumul_part_dotation(d, annee)
    return _part(part, "Dépenses déclarées des IHU dotés / leur dotation engagée",
                 f"2011-{annee}")


@valeur
def part_equipement_min(d: Donnees, annee: int) -> Valeur:
    return _part(float(ind.part_equipement_par_ihu(d, annee).min()), "", "")


@valeur
def part_equipement_max(d: Donnees, annee: int) -> Valeur:
    return _part(float(ind.part_equipement_par_ihu(d, annee).max()), "", "")


# --- recherche ----------------------------------------------------------------------------------
@valeur
def projets_annee(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_annee(d, "projets_recherche", annee), "Projets en cours",
                   str(annee))


def _fourchette_annee(indicateur: str, cote: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        f = ind.fourchette(ind.indicateur_par_ihu(d, indicateur, annee))
        return None if f is None else Valeur(getattr(f, cote))

    return calcul


def _fourchette_cumul(indicateur: str, cote: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        f = ind.fourchette(ind.indicateur_cumul_par_ihu(d, indicateur, annee))
        return None if f is None else Valeur(getattr(f, cote))

    return calcul


for _nom, _indicateur in [
    ("projets", "projets_recherche"),
    ("chercheurs_etrangers", "chercheurs_etrangers"),
    ("etudiants_double_cursus", "etudiants_double_cursus"),
    ("brevets_actifs", "brevets_actifs"),
    ("essais_cliniques", "essais_cliniques"),
]:
    for _cote in ("min", "max"):
        _CALCULS[f"{_nom}_{_cote}"] = _fourchette_annee(_indicateur, _cote)
for _nom, _indicateur in [
    ("chercheurs_etrangers_cumul", "chercheurs_etrangers"),
    ("brevets_cumul", "brevets_deposes"),
    ("recommandations_cumul", "recommandations"),
]:
    for _cote in ("min", "max"):
        _CALCULS[f"{_nom}_{_cote}"] = _fourchette_cumul(_indicateur, _cote)


@valeur
def articles_cumul(d: Donnees, annee: int) -> Valeur:
    """Articles du périmètre labellisé, de 2012 à la dernière année de l'export."""
    return _compte(ind.articles_cumul(d, annee), "Articles publiés",
                   f"2012-{ind.fin_bibliometrie(d, annee)}")


@valeur
def periodes(d: Donnees, annee: int) -> bool:
    return _periodes(d, annee) is not None


@valeur
def p1(d: Donnees, annee: int) -> str | None:
    p = _periodes(d, annee)
    return None if p is None else _texte_periode(p[0])


@valeur
def p2(d: Donnees, annee: int) -> str | None:
    p = _periodes(d, annee)
    return None if p is None else _texte_periode(p[1])


@valeur
def articles_evolution(d: Donnees, annee: int) -> Valeur | None:
    e = ind.articles_evolution(d, annee)
    return None if e is None else Valeur(e, "%+", 0, "Évolution des articles", p2(d, annee))


@valeur
def articles_evolution_cat_e(d: Donnees, annee: int) -> Valeur | None:
    evo = ind.articles_evolution_par_categorie(d, annee)
    return None if evo is None else Valeur(float(evo["E"]), "%+", 0, "Articles de catégorie E")


@valeur
def position_premier_dernier(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.position_premier_dernier(d, annee), "Premier ou dernier auteur",
                 p2(d, annee) or "")


@valeur
def position_deuxieme_avant_dernier(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.position_deuxieme_avant_dernier(d, annee), "Deuxième ou avant-dernier",
                 p2(d, annee) or "")


def _top(d: Donnees, annee: int, colonne: str) -> Valeur | None:
    tab = ind.top_cites_vs_france(d, annee)
    if tab is None or pd.isna(tab.loc["ensemble", colonne]):
        return None
    return Valeur(float(tab.loc["ensemble", colonne]), "%", 1)


@valeur
def part_top10_ihu(d: Donnees, annee: int) -> Valeur | None:
    return _top(d, annee, "top10_ihu")


@valeur
def part_top10_france(d: Donnees, annee: int) -> Valeur | None:
    return _top(d, annee, "top10_france")


@valeur
def part_top1_ihu(d: Donnees, annee: int) -> Valeur | None:
    return _top(d, annee, "top1_ihu")


@valeur
def part_top1_france(d: Donnees, annee: int) -> Valeur | None:
    return _top(d, annee, "top1_france")


@valeur
def remerciements(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.remerciements(d, annee), "Articles avec remerciements", p2(d, annee) or "")


# --- attractivité, formation --------------------------------------------------------------------
@valeur
def chercheurs_etrangers_annee(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_annee(d, "chercheurs_etrangers", annee),
                   "Chercheurs étrangers accueillis", str(annee))


@valeur
def chercheurs_etrangers_cumul(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_cumul(d, "chercheurs_etrangers", annee),
                   "Chercheurs étrangers accueillis (cumul)", f"2012-{annee}")


@valeur
def crise_sanitaire(d: Donnees, annee: int) -> bool:
    serie = ind.indicateur_serie(d, "chercheurs_etrangers", annee)
    return annee >= 2020 and 2019 in serie.index and serie[2020] < serie[2019]


@valeur
def etudiants_double_cursus_annee(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_annee(d, "etudiants_double_cursus", annee),
                   "Étudiants en double cursus", str(annee))


# --- valorisation -------------------------------------------------------------------------------
@valeur
def brevets_annee(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_annee(d, "brevets_deposes", annee), "Brevets déposés",
                   str(annee))


@valeur
def brevets_part_france(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.brevets_part_france(d, annee), "Part des dépôts France", str(annee), 1)


@valeur
def brevets_part_regions(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.brevets_part_regions(d, annee), "Part des dépôts des régions", str(annee), 1)


@valeur
def brevets_part_regions_domaines(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.brevets_part_regions_domaines(d, annee),
                 "Part des dépôts des régions dans les domaines des IHU", str(annee), 1)


@valeur
def nb_regions(d: Donnees, annee: int) -> int:
    return len(ind.regions_ihu_suivis(d, annee))


@valeur
def brevets_cumul(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_cumul(d, "brevets_deposes", annee), "Brevets déposés (cumul)",
                   f"2012-{annee}")


@valeur
def brevets_actifs(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_annee(d, "brevets_actifs", annee), "Brevets actifs", str(annee))


def _inpi(d: Donnees, annee: int, perimetre: str) -> pd.DataFrame:
    inpi = d.brevets_inpi
    return inpi.loc[(inpi["annee"] == annee) & (inpi["perimetre"] == perimetre)]


@valeur
def depots_france(d: Donnees, annee: int) -> Valeur | None:
    return _compte(ind.depots_brevets(d, annee), "Dépôts de brevets en France", str(annee))


def _source(tableau: pd.DataFrame, annee: int) -> TexteDonnees:
    lignes = tableau.loc[tableau["annee"] == annee, ["source"]].drop_duplicates()
    return TexteDonnees(" ; ".join(sorted(set(lignes["source"].astype(str)))))


def _estime(tableau: pd.DataFrame, annee: int) -> bool:
    return bool((tableau.loc[tableau["annee"] == annee, "statut"] == "estime").any())


@valeur
def source_inpi(d: Donnees, annee: int) -> TexteDonnees:
    return _source(d.brevets_inpi, annee)


@valeur
def source_essais(d: Donnees, annee: int) -> TexteDonnees:
    return _source(d.essais_france, annee)


@valeur
def source_creations(d: Donnees, annee: int) -> TexteDonnees:
    return _source(d.creations_entreprises, annee)


@valeur
def inpi_estime(d: Donnees, annee: int) -> bool:
    """Certaines valeurs de dépôts de brevets de l'année sont des estimations."""
    return _estime(d.brevets_inpi, annee)


@valeur
def essais_france_estime(d: Donnees, annee: int) -> bool:
    return _estime(d.essais_france, annee)


@valeur
def creations_estime(d: Donnees, annee: int) -> bool:
    return _estime(d.creations_entreprises, annee)


@valeur
def startups_annee(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.startups_annee(d, annee), "Start-up créées", str(annee))


@valeur
def startups_cumul(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.startups_cumul(d, annee), "Start-up créées (cumul)", f"2012-{annee}")


@valeur
def startups_actives_plus_3_ans(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.startups_actives_plus_3_ans(d, annee),
                   "Start-up de plus de trois ans actives", str(annee))


@valeur
def creations_france(d: Donnees, annee: int) -> Valeur | None:
    return _compte(ind.creations_entreprises(d, annee, "France"),
                   "Créations d'entreprises santé (France)", str(annee))


@valeur
def creations_regions(d: Donnees, annee: int) -> Valeur | None:
    return _compte(ind.creations_entreprises(d, annee, "regions_ihu"),
                   "Créations d'entreprises santé (régions des IHU)", str(annee))


# --- soin ---------------------------------------------------------------------------------------
@valeur
def recommandations_cumul(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_cumul(d, "recommandations", annee), "Recommandations (cumul)",
                   f"2012-{annee}")


@valeur
def essais_cliniques_annee(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_annee(d, "essais_cliniques", annee), "Essais cliniques en cours",
                   str(annee))


@valeur
def essais_cliniques_part_france(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.essais_cliniques_part_france(d, annee), "Part des essais en France",
                 str(annee), 1)


@valeur
def essais_france(d: Donnees, annee: int) -> Valeur | None:
    return _compte(ind.essais_france(d, annee), "Essais en cours en France", str(annee))


@valeur
def essais_france_academiques(d: Donnees, annee: int) -> Valeur | None:
    e = d.essais_france.loc[d.essais_france["annee"] == annee, "dont_promotion_academique"]
    return None if e.empty else Valeur(float(e.iloc[0]))


# --- cofinancements -----------------------------------------------------------------------------
@valeur
def cofinancements_cumul(d: Donnees, annee: int) -> Valeur | None:
    return _meur(ind.cofinancements_cumul(d, annee), "Cofinancements déclarés (cumul)",
                 f"2014-{annee}")


@valeur
def cofinancements_annee(d: Donnees, annee: int) -> Valeur | None:
    return _meur(ind.cofinancements_annee(d, annee), "Cofinancements déclarés dans l'année",
                 str(annee))


@valeur
def effet_levier(d: Donnees, annee: int) -> Valeur | None:
    return _part(ind.effet_levier(d, annee), "Effet levier", f"2014-{annee}")


def _levier(cote: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        par_ihu = ind.effet_levier_par_ihu(d, annee)
        if par_ihu is None or par_ihu.dropna().empty:
            return None
        return Valeur(float(getattr(par_ihu.dropna(), cote)()), "%")

    return calcul


_CALCULS["effet_levier_min"] = _levier("min")
_CALCULS["effet_levier_max"] = _levier("max")


def _origine(nom: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        parts = ind.cofinancements_par_origine(d, annee)
        return None if parts is None else Valeur(float(parts[nom]), "%")

    return calcul


for _o in ("publique_nationale", "privee", "europe_international"):
    _CALCULS[f"origine_{_o}"] = _origine(_o)


# --- faits marquants, annexe --------------------------------------------------------------------
@valeur
def faits_marquants(d: Donnees, annee: int) -> bool:
    """Vrai si l'édition ``annee`` a des faits marquants (``faits_marquants.csv``)."""
    return bool((d.faits_marquants["edition"] == annee).any())


@valeur
def faits_ihu3(d: Donnees, annee: int) -> bool:
    return bool(nb_ihu_selection_suivante(d, annee)) and not d.ihu_2023.empty


def revisions(d: Donnees, annee: int, seuil: float = SEUIL_REVISION) -> pd.DataFrame:
    """Valeurs réactualisées par une campagne ultérieure (``<= annee``), au-delà de ``seuil``.

    Rend un tableau sans nom d'IHU : bloc, année concernée, campagne d'origine, campagne qui
    réactualise, écart relatif.
    """
    lignes = []
    for bloc, tableau, cle, champ in [
        ("Dépenses", d.depenses, "nature", "montant_eur"),
        ("Indicateurs", d.indicateurs, "indicateur", "valeur"),
        ("Cofinancements", d.cofinancements, "origine", "montant_eur"),
    ]:
        t = tableau.loc[tableau["campagne"] <= annee]
        for _, groupe in t.groupby(["ihu", "annee", cle], observed=True):
            if len(groupe) < 2:
                continue
            groupe = groupe.sort_values("campagne")
            # une campagne qui reprend la valeur à l'identique ne réactualise rien
            valeurs = groupe[champ].astype("float64")
            groupe = groupe.loc[(valeurs != valeurs.shift()).to_numpy()]
            if len(groupe) < 2:
                continue
            ancien, nouveau = groupe.iloc[-2], groupe.iloc[-1]
            if float(ancien[champ]) == 0:
                continue
            ecart = float(nouveau[champ]) / float(ancien[champ]) - 1
            if abs(ecart) >= seuil:
                lignes.append({
                    "Bloc": bloc,
                    "Donnée": libelle_donnee(str(nouveau[cle])),
                    "Année": int(nouveau["annee"]),
                    "Campagne d'origine": int(ancien["campagne"]),
                    "Réactualisée en": int(nouveau["campagne"]),
                    "Écart": pourcentage(ecart, 1, signe=True),
                })
    colonnes = ["Bloc", "Donnée", "Année", "Campagne d'origine", "Réactualisée en", "Écart"]
    return pd.DataFrame(lignes, columns=colonnes).sort_values(
        ["Réactualisée en", "Bloc", "Donnée"], kind="stable"
    ).reset_index(drop=True)


# === Parité avec l'édition de référence, provenance (issue #15) =========================
# Des faits (nombres, dates, noms venus des données), pas des phrases : les phrases sont dans
# les carnets. Sources : data/raw/referentiel/appels.csv, referentiel/metadonnees.toml,
# contexte/references.toml (synthese_ihu.donnees.metadonnees).
_SUR_DONNEES_COMPLETES |= {"donnees_reconstruites", "nb_valeurs_publiees",
                           "nb_valeurs_reconstruites", "valeurs_reconstruites"}


def _liste(mots: list[str]) -> str:
    if len(mots) <= 1:
        return "".join(mots)
    return ", ".join(mots[:-1]) + " et " + mots[-1]


def _appel_pia1(d: Donnees) -> dict:
    return d.metadonnees.appels.get("IHU1", {})


@valeur
def annee_evaluation_pia1(d: Donnees, annee: int) -> int | None:
    """Année de l'évaluation des IHU du PIA1 (``referentiel/appels.csv``), si elle est passée."""
    a = _appel_pia1(d).get("annee_evaluation")
    return a if a is not None and a <= annee else None


@valeur
def instance_evaluation_pia1(d: Donnees, annee: int) -> TexteDonnees | None:
    instance = _appel_pia1(d).get("instance_evaluation")
    return None if instance is None else TexteDonnees(instance)


def _reference(d: Donnees, section: str, annee: int) -> dict | None:
    ref = d.metadonnees.references.get(section)
    return ref if ref is not None and ref.get("annee") == annee else None


def _date(jour) -> str:
    return f"{jour.day}{'er' if jour.day == 1 else ''} {_MOIS[jour.month]} {jour.year}"


@valeur
def essais_base_etudes(d: Donnees, annee: int) -> Valeur | None:
    ref = _reference(d, "essais_cliniques", annee)
    return None if ref is None else _compte(ref["etudes_repertoriees"],
                                            "Études répertoriées par ClinicalTrials.gov", "")


@valeur
def essais_base_pays(d: Donnees, annee: int) -> Valeur | None:
    ref = _reference(d, "essais_cliniques", annee)
    return None if ref is None else _compte(ref["pays"], "Pays des études répertoriées", "")


@valeur
def essais_base_source(d: Donnees, annee: int) -> str | None:
    ref = _reference(d, "essais_cliniques", annee)
    return None if ref is None else TexteDonnees(f"{ref['source']} ({ref['url']})")


@valeur
def essais_date_extraction(d: Donnees, annee: int) -> str | None:
    ref = _reference(d, "essais_cliniques", annee)
    return None if ref is None else _date(ref["date_extraction"])


@valeur
def essais_requete_pays(d: Donnees, annee: int) -> str | None:
    ref = _reference(d, "essais_cliniques", annee)
    return None if ref is None else TexteDonnees(ref["requete_pays"])


@valeur
def essais_requete_statuts(d: Donnees, annee: int) -> str | None:
    ref = _reference(d, "essais_cliniques", annee)
    return None if ref is None else TexteDonnees(" ou ".join(ref["requete_statuts"]))


@valeur
def essais_requete_debut_avant(d: Donnees, annee: int) -> str | None:
    ref = _reference(d, "essais_cliniques", annee)
    return None if ref is None else _date(ref["requete_debut_avant"])


@valeur
def observatoire_startups(d: Donnees, annee: int) -> str | None:
    ref = _reference(d, "startups", annee)
    return None if ref is None else TexteDonnees(ref["observatoire"])


@valeur
def annonce_observatoire(d: Donnees, annee: int) -> str | None:
    """« communiqué de presse de mars 2023 »."""
    ref = _reference(d, "startups", annee)
    if ref is None:
        return None
    an, mois = (int(x) for x in ref["date_annonce"].split("-"))
    return TexteDonnees(f"{ref['annonce']} de {_MOIS[mois]} {an}")


@valeur
def labels_startups(d: Donnees, annee: int) -> str | None:
    ref = _reference(d, "startups", annee)
    return None if ref is None else TexteDonnees(_liste([f"« {x} »" for x in ref["labels"]]))


def _vs_references(d: Donnees, annee: int):
    from synthese_ihu.figures.bibliometrie import evolution_vs_references

    return evolution_vs_references(d, annee)


@valeur
def nb_ihu_compares(d: Donnees, annee: int) -> int | None:
    tab = _vs_references(d, annee)
    return None if tab is None else len(tab)


@valeur
def nb_ihu_plus_vite_monde(d: Donnees, annee: int) -> int | None:
    """IHU dont la production croît plus vite que le monde dans leurs catégories WoS (la règle de
    la figure « écart à la France et au monde »)."""
    tab = _vs_references(d, annee)
    return None if tab is None else int(tab["plus_rapide_monde"].sum())


def _fourchette_reference(ref: str, cote: int) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        from synthese_ihu.figures.bibliometrie import fourchettes_references

        f = fourchettes_references(d, annee)
        return None if f is None else Valeur(f[ref][cote] / 100, "%+")

    return calcul


for _r in ("France", "Monde"):
    _CALCULS[f"croissance_{_r.lower()}_min"] = _fourchette_reference(_r, 0)
    _CALCULS[f"croissance_{_r.lower()}_max"] = _fourchette_reference(_r, 1)


@valeur
def donnees_reconstruites(d: Donnees, annee: int) -> bool:
    """Vrai si ``data/raw`` est le jeu de référence reconstruit (``metadonnees.toml``)."""
    return d.metadonnees.donnees_reconstruites


@valeur
def edition_publiee(d: Donnees, annee: int) -> int | None:
    return d.metadonnees.edition_publiee


@valeur
def source_publiee(d: Donnees, annee: int) -> str | None:
    return TexteDonnees(d.metadonnees.source_publiee) if d.metadonnees.source_publiee else None


_PROVENANCES: dict[tuple[int, int], tuple[Any, dict]] = {}


def _provenances(d: Donnees, annee: int) -> dict[str, tuple[str, str, str]]:
    """Valeur citée -> (provenance, libellé, texte imprimé), hors valeurs de provenance.

    Calculé une fois par jeu de données et année (trois valeurs le citent).
    """
    import weakref

    from synthese_ihu import publication

    cle = (id(d), annee)
    if cle in _PROVENANCES and _PROVENANCES[cle][0]() is d:
        return _PROVENANCES[cle][1]
    v = Valeurs(d.pour_annee(annee), annee, d)
    propres = {n: getattr(v, n) for n in _CALCULS if n not in _SUR_DONNEES_COMPLETES}
    resultat = {ligne["id"]: (ligne["provenance"], ligne["libelle"], ligne["texte"])
                for ligne in publication.chiffres_cles(propres, d.metadonnees, annee)}
    _PROVENANCES.clear()
    _PROVENANCES[cle] = (weakref.ref(d), resultat)
    return resultat


@valeur
def nb_valeurs_publiees(d: Donnees, annee: int) -> int:
    return sum(p == "publiee" for p, _, _ in _provenances(d, annee).values())


@valeur
def nb_valeurs_reconstruites(d: Donnees, annee: int) -> int:
    return sum(p == "reconstruite" for p, _, _ in _provenances(d, annee).values())


@valeur
def valeurs_reconstruites(d: Donnees, annee: int) -> Enumeration | None:
    """Libellés et formes imprimées des valeurs citées qui viennent du jeu reconstruit."""
    lignes = [(f"{libelle[:1].lower()}{libelle[1:]}", f"({texte})")
              for p, libelle, texte in _provenances(d, annee).values() if p == "reconstruite"]
    return Enumeration(lignes) if lignes else None


# Les faits des constats du récit s'enregistrent dans le même catalogue.
from synthese_ihu import faits as _faits  # noqa: E402, F401
# Faits de l'annexe des révisions (édition N face à N−1), même catalogue.
from synthese_ihu import revisions_faits as _revisions  # noqa: E402, F401
