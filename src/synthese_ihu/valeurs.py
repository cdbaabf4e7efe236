"""Les valeurs que la narration cite : ``{v.nom}`` dans un ``%%recit``.

Chaque valeur est une petite fonction de la vue des données et de l'année cible, enregistrée par
:func:`valeur` ; :class:`Valeurs` les calcule à la demande (une section ne calcule que ce qu'elle
cite) et les garde. Une valeur est une :class:`~synthese_ihu.formatage.Valeur` (nombre mis en
forme), un :class:`~synthese_ihu.recit.Fragment` (formulation calculée), un entier (année,
effectif sans séparateur), un texte venu des données (échappé par le récit) ou ``None`` quand elle
n'existe pas pour l'année (le récit l'encadre alors de ``%%recit --si``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import pandas as pd

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import PREMIERE_ANNEE, PREMIERE_CAMPAGNE_COFINANCEMENTS
from synthese_ihu.formatage import Valeur, nombre, pourcentage
from synthese_ihu.libelles import libelle_donnee, libelle_region
from synthese_ihu.recit import Fragment, echapper
from synthese_ihu.redaction import decrire_serie, une_evolution

Calcul = Callable[[Donnees, int], Any]
_CALCULS: dict[str, Calcul] = {}
#: valeurs calculées sur toutes les campagnes (réactualisations), pas sur la vue de l'année
_SUR_DONNEES_COMPLETES = {
    "phrase_revisions", "nb_ihu_selection_suivante", "appel_selection_suivante", "faits_ihu3",
    "legende_appels", "annee_selection_suivante",
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

    def toutes(self) -> dict[str, Any]:
        """Toutes les valeurs de l'année (chiffres clés exportés, tests)."""
        return {nom: getattr(self, nom) for nom in sorted(_CALCULS)}


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
    return ind.periodes_comparaison(annee)


def _texte_periode(p: ind.Periode) -> str:
    return f"{p.debut}-{p.fin}" if p.fin != p.debut else str(p.debut)


def _liste(mots: list[str]) -> str:
    if len(mots) <= 1:
        return "".join(mots)
    return ", ".join(mots[:-1]) + " et " + mots[-1]


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
def appels_suivis(d: Donnees, annee: int) -> Fragment:
    ref = _ref(d)
    suivis = ref.loc[ref["ihu"].isin(ind.ihu_suivis(d, annee))]
    morceaux = []
    for (appel, selection), groupe in suivis.groupby(["appel", "annee_selection"], sort=True):
        n = len(groupe)
        morceaux.append(f"l'appel {appel} de {selection} ({n} IHU)")
    return Fragment(_liste(morceaux))


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


@valeur
def legende_appels(d: Donnees, annee: int) -> Fragment:
    libelles = {
        "IHU1": "IHU1 : premier appel, premier programme d'investissements d'avenir",
        "IHU2": "IHU2 : deuxième appel, troisième programme d'investissements d'avenir",
        "IHU3": "IHU3 : troisième appel, plan Innovation Santé 2030",
    }
    appels = sorted(set(_ref(d).loc[_ref(d)["annee_selection"] <= annee + 1, "appel"].astype(str)))
    return Fragment(" ; ".join(libelles.get(a, a) for a in appels))


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


@valeur
def devenir_pia1(d: Donnees, annee: int) -> Fragment:
    ref = _ref(d)
    fins = ref.loc[ref["appel"] == "IHU1", "fin_financement"].dropna()
    prolonges = d.dotations.loc[
        (d.dotations["tranche"] == "prolongation_2020") & (d.dotations["annee_engagement"] <= annee)
    ]
    if prolonges.empty or fins.empty:
        return Fragment("")
    fin = pd.Timestamp(fins.max())
    return Fragment(
        f", évalués par un jury international puis prolongés jusqu'au "
        f"{fin.day} {_MOIS[fin.month]} {fin.year}"
    )


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
    return _part(part, "Dépenses déclarées / dotation engagée", f"2011-{annee}")


@valeur
def phrase_nature(d: Donnees, annee: int) -> Fragment:
    t = ind.depenses_nature_tendance(d, annee)
    bascule = t.faits.get("annee_bascule")
    equipement = "l'équipement (investissements mobiliers et immobiliers)"
    if bascule is not None:
        personnel = ", au premier rang desquelles le personnel," if set(
            range(bascule, annee + 1)
        ) <= set(t.faits["personnel_premier"]) else ""
        return Fragment(
            f"Jusqu'en {bascule - 1}, {equipement} constituait le premier poste de dépenses ; "
            f"depuis {bascule}, les dépenses de fonctionnement{personnel} ont pris le relais, "
            "les principaux investissements immobiliers étant achevés."
        )
    if annee in t.faits.get("annees_equipement", []):
        return Fragment(f"En {annee}, {equipement} reste le premier poste de dépenses.")
    return Fragment(f"En {annee}, les dépenses de fonctionnement constituent le premier poste.")


@valeur
def phrase_prevision(d: Donnees, annee: int) -> Fragment:
    ecart = ind.ecart_repartition_previsionnelle(d, annee).dropna()
    if len(ecart) < 2:
        return Fragment("")
    recent = ecart.loc[ecart.index >= annee - 4]
    if recent.iloc[-1] < recent.iloc[0]:
        return Fragment(
            "La répartition observée se rapproche peu à peu de la répartition prévue sur la durée "
            "totale des projets (figures ci-après)."
        )
    return Fragment(
        "La répartition observée ne se rapproche pas, ces dernières années, de la répartition "
        "prévue sur la durée totale des projets (figures ci-après)."
    )


@valeur
def part_equipement_min(d: Donnees, annee: int) -> Valeur:
    return _part(float(ind.part_equipement_par_ihu(d, annee).min()), "", "")


@valeur
def part_equipement_max(d: Donnees, annee: int) -> Valeur:
    return _part(float(ind.part_equipement_par_ihu(d, annee).max()), "", "")


# --- recherche ----------------------------------------------------------------------------------
@valeur
def phrase_perimetre(d: Donnees, annee: int) -> Fragment:
    ref = _ref(d)
    suivis = ref.loc[ref["ihu"].isin(ind.ihu_suivis(d, annee))]
    debuts = sorted(int(x) for x in suivis["premiere_annee_indicateurs"].unique())
    morceaux = []
    for i, debut in enumerate(debuts):
        fin = debuts[i + 1] - 1 if i + 1 < len(debuts) else annee
        n = int((suivis["premiere_annee_indicateurs"] <= debut).sum())
        morceaux.append(f"{n} IHU de {debut} à {fin}" if fin > debut else f"{n} IHU en {debut}")
    texte = "Les données des indicateurs portent sur " + _liste(morceaux) + "."
    if len(debuts) > 1:
        texte += " La bibliométrie fait exception : elle remonte avant la labellisation."
    return Fragment(texte)


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
def projets_tendance(d: Donnees, annee: int) -> Fragment:
    serie = ind.indicateur_serie(d, "projets_recherche", annee)
    texte = decrire_serie(serie)
    t = ind.projets_tendance(d, annee)
    if t.verifiee and t.faits.get("ihu_ajoutes_pendant_plateau"):
        premieres = _ref(d).set_index("ihu")["premiere_annee_indicateurs"]
        debut = int(premieres[t.faits["ihu_ajoutes_pendant_plateau"][0]])
        texte += f", malgré l'ajout d'un IHU suivi depuis {debut}"
    return Fragment(texte)


@valeur
def definition_categories(d: Donnees, annee: int) -> Fragment:
    parts = ind.PARTS_CATEGORIES_REVUES
    morceaux = [
        f"{pourcentage(p)} en catégorie {c}" if i == 0 else f"{pourcentage(p)} en {c}"
        for i, (c, p) in enumerate(parts.items())
    ]
    return Fragment(_liste(morceaux) + f" (la catégorie {next(iter(parts))} réunit les revues "
                    "au plus fort facteur d'impact)")


@valeur
def articles_cumul(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.articles_cumul(d, annee), "Articles publiés", f"2012-{annee}")


@valeur
def phrase_perimetre_articles(d: Donnees, annee: int) -> Fragment:
    ref = _ref(d)
    suivis = ref.loc[ref["ihu"].isin(ind.ihu_suivis(d, annee))]
    # un IHU sans article dans l'export (nouvel IHU) n'entre pas dans le périmètre
    suivis = suivis.loc[suivis["ihu"].isin(set(d.articles["ihu"]))]
    morceaux = []
    for debut, groupe in suivis.groupby("premiere_annee_indicateurs", sort=True):
        periode = f"sur {int(debut)}-{annee}" if int(debut) < annee else f"en {annee}"
        morceaux.append(f"production de {len(groupe)} IHU {periode}")
    return Fragment(_liste(morceaux))


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
def definition_periodes(d: Donnees, annee: int) -> Fragment:
    p = _periodes(d, annee)
    if p is None:
        return Fragment(f"trop peu d'années de données en {annee} pour comparer deux périodes.")
    return Fragment(
        f"les cinq dernières années (au plus) contre les cinq précédentes, séparées d'une année : "
        f"{_texte_periode(p[1])} contre {_texte_periode(p[0])} pour l'édition {annee}."
    )


@valeur
def articles_evolution(d: Donnees, annee: int) -> Valeur | None:
    e = ind.articles_evolution(d, annee)
    return None if e is None else Valeur(e, "%+", 0, "Évolution des articles", p2(d, annee))


@valeur
def articles_sens(d: Donnees, annee: int) -> Fragment | None:
    p = _periodes(d, annee)
    if p is None:
        return None
    art = ind.articles_par_annee(d, annee)
    return une_evolution(float(art.loc[p[0].annees].sum()), float(art.loc[p[1].annees].sum()))


@valeur
def phrase_categories(d: Donnees, annee: int) -> Fragment | None:
    evo = ind.articles_evolution_par_categorie(d, annee)
    if evo is None:
        return None
    evo = evo.dropna()
    baisses = [c for c, x in evo.items() if x < 0]
    if not baisses:
        return Fragment("La hausse touche toutes les catégories de revues.")
    if len(baisses) == len(evo):
        return Fragment("Toutes les catégories de revues sont en recul.")
    detail = _liste([f"{c} ({pourcentage(evo[c], signe=True)})" for c in baisses])
    categorie = "la catégorie" if len(baisses) == 1 else "les catégories"
    return Fragment(
        f"Toutes les catégories progressent, plus ou moins nettement, à l'exception de "
        f"{categorie} {detail}."
    )


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


@valeur
def phrase_positions(d: Donnees, annee: int) -> Fragment | None:
    t = ind.position_tendance(d, annee)
    if not t.faits:
        return None
    delta = t.faits["delta_par_position"]
    if t.faits["delta_total"] <= 0:
        return Fragment(f"Le nombre d'articles ne progresse pas par rapport à {p1(d, annee)}.")
    principale = str(delta.idxmax())
    if principale == "k" and t.verifiee:
        return Fragment(
            f"Par rapport à {p1(d, annee)}, la hausse de la production tient surtout aux articles "
            "où l'IHU figure en position intermédiaire (k), signe d'une participation accrue à "
            "des travaux conduits par des équipes extérieures à l'IHU."
        )
    return Fragment(
        f"Par rapport à {p1(d, annee)}, la hausse de la production tient d'abord aux articles "
        f"dont la meilleure position est « {principale} »."
    )


@valeur
def phrase_croissance_france(d: Donnees, annee: int) -> Fragment | None:
    tab = ind.evolution_vs_france(d, annee)
    if tab is None or tab["plus_rapide"].isna().any():
        return None
    n, total = int(tab["plus_rapide"].astype(bool).sum()), len(tab)
    quantite = "tous les IHU" if n == total else f"{n} IHU sur {total}"
    return Fragment(
        f"Entre {p1(d, annee)} et {p2(d, annee)}, la production d'articles de {quantite} "
        "progresse plus vite que celle de la France dans des domaines de recherche comparables, "
        "parfois bien plus vite (figure ci-après, qui rappelle aussi la tendance mondiale)."
    )


@valeur
def phrase_part_france(d: Donnees, annee: int) -> Fragment | None:
    tab = ind.part_france(d, annee)
    if tab is None or tab["hausse"].isna().any():
        return None
    n, total = int(tab["hausse"].astype(bool).sum()), len(tab)
    if n == total:
        quantite, reste = "pour tous les IHU", ""
    else:
        quantite = f"pour {n} IHU sur {total}"
        recul = f"{total - n} IHU" if total - n > 1 else "un IHU"
        reste = f" ; elle recule pour {recul}"
    return Fragment(
        f"Rapportée à l'ensemble des publications françaises de ses domaines (catégories WoS "
        f"ci-dessus), la part de chaque IHU augmente légèrement entre {p1(d, annee)} et "
        f"{p2(d, annee)} {quantite}{reste}."
    )


@valeur
def phrase_top_cites(d: Donnees, annee: int) -> Fragment:
    t = ind.top_cites_tendance(d, annee)
    pentes = t.faits.get("pentes", {})
    if not pentes:
        return Fragment("La série des articles les plus cités est encore trop courte pour dégager "
                        "une tendance.")
    hausse = all(p is not None and p > 0 for p in pentes.values())
    texte = ("Le nombre d'articles parmi les 1 % et les 10 % les plus cités au monde tend à "
             "augmenter au fil du temps." if hausse else
             "Le nombre d'articles parmi les 1 % et les 10 % les plus cités au monde ne "
             "progresse pas au fil du temps.")
    if all(t.faits.get("baisse_derniere_annee", {}).values()):
        texte += (f" Le recul observé en {annee} est habituel : les articles les plus récents "
                  "n'ont pas encore eu le temps d'être cités.")
    return Fragment(texte)


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
def phrase_top_vs_france(d: Donnees, annee: int) -> Fragment | None:
    t = ind.top_cites_vs_france_tendance(d, annee)
    tab = t.faits.get("tableau")
    if tab is None:
        return None
    ens = tab.loc["ensemble"]
    if ens["top10_ihu"] > ens["top10_france"]:
        sous = t.faits.get("ihu_top10_sous_france", [])
        detail = ("pour chacun des IHU" if not sous else
                  f"pour {len(tab) - 1 - len(sous)} IHU sur {len(tab) - 1}")
        return Fragment(f"La proportion d'articles très cités est globalement plus élevée dans "
                        f"les IHU qu'en France, et {detail} pour le top 10 %.")
    return Fragment("La proportion d'articles très cités n'est pas plus élevée dans les IHU "
                    "qu'en France.")


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


def _dernieres_annees(serie: pd.Series, annee: int, n: int = 4) -> pd.Series:
    return serie.loc[serie.index >= max(int(serie.index.min()), annee - n)]


@valeur
def chercheurs_etrangers_tendance(d: Donnees, annee: int) -> Fragment:
    serie = ind.indicateur_serie(d, "chercheurs_etrangers", annee)
    return decrire_serie(_dernieres_annees(serie, annee))


@valeur
def crise_sanitaire(d: Donnees, annee: int) -> bool:
    serie = ind.indicateur_serie(d, "chercheurs_etrangers", annee)
    return annee >= 2020 and 2019 in serie.index and serie[2020] < serie[2019]


@valeur
def etudiants_double_cursus_annee(d: Donnees, annee: int) -> Valeur:
    return _compte(ind.indicateur_annee(d, "etudiants_double_cursus", annee),
                   "Étudiants en double cursus", str(annee))


@valeur
def etudiants_tendance(d: Donnees, annee: int) -> Fragment:
    serie = ind.indicateur_serie(d, "etudiants_double_cursus", annee)
    return decrire_serie(_dernieres_annees(serie, annee))


@valeur
def phrase_concentration(d: Donnees, annee: int) -> Fragment | None:
    t = ind.etudiants_tendance(d, annee)
    if not t.verifiee:
        return None
    return Fragment(
        f"La hausse observée entre {t.faits['debut']} et {t.faits['fin']} est portée pour "
        f"l'essentiel ({pourcentage(t.faits['part_deux_ihu'])}) par deux IHU."
    )


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


def _depots_regions(d: Donnees, annee: int, perimetre: str) -> Fragment:
    lignes = _inpi(d, annee, perimetre).set_index("territoire")["depots"]
    regions = ind.regions_ihu_suivis(d, annee)
    return Fragment(_liste([f"{echapper(libelle_region(r))} {nombre(float(lignes[r]))}"
                            for r in sorted(regions)
                            if r in lignes.index]))


@valeur
def depots_regions(d: Donnees, annee: int) -> Fragment:
    return _depots_regions(d, annee, "tous_domaines")


@valeur
def depots_regions_domaines(d: Donnees, annee: int) -> Fragment:
    return _depots_regions(d, annee, "domaines_ihu")


def _source(tableau: pd.DataFrame, annee: int) -> str:
    lignes = tableau.loc[tableau["annee"] == annee, ["source", "statut"]].drop_duplicates()
    sources = sorted(set(lignes["source"].astype(str)))
    texte = " ; ".join(sources)
    if (lignes["statut"] == "estime").any():
        texte += " (certaines valeurs sont des estimations)"
    return texte


@valeur
def source_inpi(d: Donnees, annee: int) -> str:
    return _source(d.brevets_inpi, annee)


@valeur
def source_essais(d: Donnees, annee: int) -> str:
    return _source(d.essais_france, annee)


@valeur
def source_creations(d: Donnees, annee: int) -> str:
    return _source(d.creations_entreprises, annee)


@valeur
def phrase_startups_annee(d: Donnees, annee: int) -> Fragment:
    n = ind.startups_annee(d, annee)
    if n == 0:
        return Fragment(f"Aucune start-up n'a été créée en {annee}.")
    if n == 1:
        return Fragment(f"Les IHU ont déclaré la création d'une start-up en {annee}.")
    return Fragment(f"Les IHU ont déclaré la création de {nombre(n)} start-up en {annee}.")


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
def note_nouvel_ihu(d: Donnees, annee: int) -> str | None:
    ref = _ref(d)
    nouveaux = ref.loc[(ref["premiere_annee_indicateurs"] > 2012)
                       & (ref["premiere_annee_indicateurs"] <= annee)]
    if nouveaux.empty:
        return None
    morceaux = [
        (f"un IHU supplémentaire est suivi depuis {int(debut)}" if n == 1
         else f"{n} IHU supplémentaires sont suivis depuis {int(debut)}")
        for debut, n in nouveaux.groupby("premiere_annee_indicateurs").size().items()
    ]
    return f"Pour mémoire : {_liste(morceaux)}, sans antériorité."


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


@valeur
def phrase_essais(d: Donnees, annee: int) -> Fragment | None:
    serie = ind.indicateur_serie(d, "essais_cliniques", annee)
    france = d.essais_france.set_index("annee")["essais_en_cours"].sort_index()
    # première année d'une baisse ininterrompue jusqu'à l'année cible
    debut = annee
    while debut - 1 in serie.index and serie[debut] < serie[debut - 1]:
        debut -= 1
    if debut == annee or debut - 1 < 2012:
        return None
    annees = range(debut, annee + 1)
    hausse_fr = all(a in france.index and a - 1 in france.index and france[a] > france[a - 1]
                    for a in annees)
    fin = ", alors qu'il augmente chaque année en France sur la même période" if hausse_fr else ""
    return Fragment(f"Le nombre d'essais cliniques en cours dans les IHU diminue chaque année "
                    f"depuis {debut - 1}{fin}.")


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


@valeur
def phrase_declarants(d: Donnees, annee: int) -> Fragment | None:
    t = ind.cofinancements_declarants_tendance(d, annee)
    if not t.faits:
        return None
    n, total = len(t.faits["declarants"]), ind.nombre_ihu_suivis(d, annee)
    if t.faits["lacunes"]:
        debut = "Certains IHU ne transmettent aucun cofinancement certaines années"
    else:
        debut = "Chaque IHU a déclaré des cofinancements chaque année"
    if n == total:
        return Fragment(f"{debut} ; les {total} IHU déclarent des cofinancements en {annee}.")
    return Fragment(f"{debut} ; {n} IHU sur {total} déclarent des cofinancements en {annee}.")


# --- faits marquants, annexe --------------------------------------------------------------------
@valeur
def faits_marquants(d: Donnees, annee: int) -> bool:
    """Vrai si l'édition ``annee`` a des faits marquants (``faits_marquants.csv``)."""
    return bool((d.faits_marquants["edition"] == annee).any())


@valeur
def faits_ihu3(d: Donnees, annee: int) -> bool:
    return bool(nb_ihu_selection_suivante(d, annee)) and not d.ihu_2023.empty


@valeur
def provenance(d: Donnees, annee: int) -> Fragment:
    return Fragment(
        "Les valeurs par IHU sont confidentielles et ne sont jamais publiées : seules des sommes, "
        "des parts et des fourchettes sans nom figurent dans ce rapport. Le jeu de données "
        "livré avec l'outil est **reconstruit** : ses séries par IHU sont fictives, calibrées pour "
        "que chaque agrégat publié de l'édition 2022 ressorte tel qu'imprimé ; les chiffres de "
        "contexte marqués « estimation » ne sont pas des valeurs publiées."
    )


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


@valeur
def phrase_revisions(d: Donnees, annee: int) -> Fragment:
    n = len(revisions(d, annee))
    seuil = pourcentage(SEUIL_REVISION)
    if n == 0:
        return Fragment(f"Aucune valeur n'a été réactualisée de plus de {seuil} par une campagne "
                        "ultérieure.")
    return Fragment(
        f"Une campagne peut corriger une année passée ; la valeur la plus récente est retenue. "
        f"{nombre(n)} réactualisation{'s' if n > 1 else ''} de plus de {seuil} "
        f"{'ont' if n > 1 else 'a'} été appliquée{'s' if n > 1 else ''} (sans nom d'IHU) :"
    )
