"""Faits des constats du récit : années, booléens, comptes que les carnets citent ou testent.

Chaque fait s'enregistre dans le catalogue de :mod:`synthese_ihu.valeurs` (``{v.nom}``,
``%%recit --si v.nom``) ; les règles qui les décident sont dans :mod:`synthese_ihu.constats` et
:mod:`synthese_ihu.indicateurs`. Aucun fait n'est une phrase : le carnet écrit la phrase, choisit
la variante (``--si``/``--sauf``) et l'accord (``--si v.n == 1``). Ce module : programme,
périmètre, finances, valorisation, soin, cofinancements, annexe ; la recherche et la formation
(formes des séries, bibliométrie) sont dans :mod:`synthese_ihu.faits_recherche`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from synthese_ihu import constats
from synthese_ihu import indicateurs as ind
from synthese_ihu.cadre import fin_source
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.libelles import libelle_region
from synthese_ihu.recit import Enumeration
from synthese_ihu.valeurs.programme import _annee_appel
from synthese_ihu.valeurs.registre import _CALCULS, _MOIS, FAITS, PERIODES, enregistrer, valeur

_AVANT = set(_CALCULS)



# --- programme, périmètre -----------------------------------------------------------------------


def _suivis_appel(appel: str) -> Callable[[Donnees, int], int | None]:
    def calcul(d: Donnees, annee: int) -> int | None:
        ref = d.ihu
        n = int((ref["ihu"].isin(ind.ihu_suivis(d, annee)) & (ref["appel"] == appel)).sum())
        return n or None

    return calcul


def _appel_connu(appel: str) -> Callable[[Donnees, int], bool]:
    def calcul(d: Donnees, annee: int) -> bool:
        ref = d.ihu
        return bool(((ref["appel"] == appel) & (ref["annee_selection"] <= annee + 1)).any())

    return calcul


for _appel in ("IHU1", "IHU2", "IHU3"):
    enregistrer(f"nb_suivis_{_appel.lower()}", _suivis_appel(_appel))
    enregistrer(f"appel_{_appel.lower()}_connu", _appel_connu(_appel), complet=True)


@valeur
def annee_ihu3(d: Donnees, annee: int) -> int | None:
    """Année de sélection des IHU du troisième appel (IHU3), si elle est passée."""
    return _annee_appel(d, "IHU3", annee)


@valeur
def fin_prolongation_pia1(d: Donnees, annee: int) -> str | None:
    """Date de fin des IHU1 prolongés (« 31 décembre 2024 ») ; ``None`` avant la prolongation."""
    fins = d.ihu.loc[d.ihu["appel"] == "IHU1", "fin_financement"].dropna()
    prolonges = d.dotations.loc[(d.dotations["tranche"] == "prolongation_2020")
                                & (d.dotations["annee_engagement"] <= annee)]
    if prolonges.empty or fins.empty:
        return None
    fin = pd.Timestamp(fins.max())
    return f"{fin.day} {_MOIS[fin.month]} {fin.year}"


def _entrees(d: Donnees, annee: int) -> list[tuple[int, int]]:
    return list(constats.entrees(d.ihu.set_index("ihu")["premiere_annee_indicateurs"],
                                 annee).items())


@valeur
def nb_ihu_premiere_annee(d: Donnees, annee: int) -> int:
    """IHU suivis dès la première année d'indicateurs."""
    prem = d.ihu["premiere_annee_indicateurs"].dropna()
    return int((prem == prem.min()).sum()) if len(prem) else 0


@valeur
def perimetre_change(d: Donnees, annee: int) -> bool:
    """Vrai si des IHU sont entrés dans le décompte après la première année."""
    return bool(_entrees(d, annee))


def _entree(rang: int, champ: int) -> Callable[[Donnees, int], int | None]:
    def calcul(d: Donnees, annee: int) -> int | None:
        e = _entrees(d, annee)
        return e[rang][champ] if len(e) > rang else None

    return calcul


for _rang in (0, 1):
    enregistrer(f"annee_entree_{_rang + 1}", _entree(_rang, 0))
    enregistrer(f"nb_entres_{_rang + 1}", _entree(_rang, 1))


@valeur
def fin_entree_1(d: Donnees, annee: int) -> int | None:
    """Dernière année avant la deuxième entrée (ou l'année cible) : fin du 2e périmètre."""
    e = _entrees(d, annee)
    if not e:
        return None
    return e[1][0] - 1 if len(e) > 1 else annee


@valeur
def avant_entree_1(d: Donnees, annee: int) -> int | None:
    """Dernière année du premier périmètre (veille de la première entrée)."""
    e = _entrees(d, annee)
    return e[0][0] - 1 if e else None


@valeur
def nb_ihu_apres_entree_1(d: Donnees, annee: int) -> int | None:
    e = _entrees(d, annee)
    return nb_ihu_premiere_annee(d, annee) + e[0][1] if e else None


@valeur
def avant_entree_2(d: Donnees, annee: int) -> int | None:
    e = _entrees(d, annee)
    return e[1][0] - 1 if len(e) > 1 else None


@valeur
def nb_ihu_apres_entree_2(d: Donnees, annee: int) -> int | None:
    e = _entrees(d, annee)
    return nb_ihu_premiere_annee(d, annee) + e[0][1] + e[1][1] if len(e) > 1 else None


@valeur
def nb_ihu_deja_suivis(d: Donnees, annee: int) -> int:
    """IHU suivis l'année précédente et l'année cible (périmètre constant de N-1 à N)."""
    return len(set(ind.ihu_suivis(d, annee - 1)) & set(ind.ihu_suivis(d, annee)))


@valeur
def entree_1_cette_annee(d: Donnees, annee: int) -> bool:
    """La première entrée d'IHU dans le décompte a lieu l'année cible."""
    e = _entrees(d, annee)
    return len(e) == 1 and e[0][0] == annee


@valeur
def entree_2_cette_annee(d: Donnees, annee: int) -> bool:
    """La deuxième entrée d'IHU dans le décompte a lieu l'année cible."""
    e = _entrees(d, annee)
    return len(e) > 1 and e[1][0] == annee


@valeur
def nb_annees_suivi(d: Donnees, annee: int) -> int:
    """Années d'indicateurs, de la première (``[periodes]``) à l'année cible."""
    return annee - PERIODES.premiere_annee_indicateurs + 1


@valeur
def nb_annees_bibliometrie(d: Donnees, annee: int) -> int:
    """Années d'articles comptées, de la première année d'indicateurs à la fin de l'export."""
    return ind.fin_bibliometrie(d, annee) - PERIODES.premiere_annee_indicateurs + 1


# --- finances -----------------------------------------------------------------------------------
@valeur
def bascule_fonctionnement(d: Donnees, annee: int) -> int | None:
    """Première année où le fonctionnement l'emporte (l'équipement l'emportant avant)."""
    return ind.depenses_nature_tendance(d, annee).faits.get("annee_bascule")


@valeur
def derniere_annee_equipement(d: Donnees, annee: int) -> int | None:
    b = bascule_fonctionnement(d, annee)
    return None if b is None else b - 1


@valeur
def personnel_premier_depuis_bascule(d: Donnees, annee: int) -> bool:
    t = ind.depenses_nature_tendance(d, annee)
    b = t.faits.get("annee_bascule")
    return b is not None and set(range(b, annee + 1)) <= set(t.faits["personnel_premier"])


@valeur
def equipement_premier(d: Donnees, annee: int) -> bool:
    """L'équipement est le premier poste de l'année cible."""
    return annee in ind.depenses_nature_tendance(d, annee).faits.get("annees_equipement", [])


def _rapprochement(d: Donnees, annee: int) -> bool | None:
    ecart = ind.ecart_repartition_previsionnelle(d, annee).dropna()
    if len(ecart) < 2:
        return None
    recent = ecart.loc[ecart.index >= annee - 4]
    return bool(recent.iloc[-1] < recent.iloc[0])


@valeur
def prevision_depuis(d: Donnees, annee: int) -> int | None:
    """Première année de la fenêtre (cinq ans au plus) où l'on compare les répartitions."""
    ecart = ind.ecart_repartition_previsionnelle(d, annee).dropna()
    return None if len(ecart) < 2 else int(ecart.loc[ecart.index >= annee - 4].index.min())


@valeur
def prevision_se_rapproche(d: Donnees, annee: int) -> bool | None:
    """La répartition cumulée se rapproche de la prévisionnelle sur les cinq dernières années."""
    return _rapprochement(d, annee)


@valeur
def prevision_s_eloigne(d: Donnees, annee: int) -> bool | None:
    r = _rapprochement(d, annee)
    return None if r is None else not r


@valeur
def nb_ihu_dotes(d: Donnees, annee: int) -> int:
    return len(ind.ihu_dotes(d, annee))


@valeur
def nb_ihu_verses(d: Donnees, annee: int) -> int:
    """IHU qui ont reçu au moins un versement (jusqu'à la fin des versements connus)."""
    return len(ind.ihu_verses(d, annee))


@valeur
def nb_ihu_dotes_sans_versement(d: Donnees, annee: int) -> int:
    """IHU dotés qui n'ont encore reçu aucun versement (retenus dans l'année)."""
    return len(set(ind.ihu_dotes(d, annee)) - set(ind.ihu_verses(d, annee)))


@valeur
def nb_ihu_depenses(d: Donnees, annee: int) -> int:
    return len(ind.ihu_declarant_depenses(d, annee))


@valeur
def perimetres_finances_differents(d: Donnees, annee: int) -> bool:
    """Les dépenses déclarées, la dotation et la part des dépenses dans la dotation n'ont pas le
    même cadre : IHU déclarant sans dotation ou doté sans versement ni dépense, ou fichier des
    dotations arrêté avant N (:func:`synthese_ihu.indicateurs.cadre_dotation`)."""
    cadre = ind.cadre_dotation(d, annee)
    return (cadre.fin != annee or set(ind.ihu_dotes(d, annee)) != cadre.perimetre
            or set(ind.ihu_declarant_depenses(d, annee)) != cadre.perimetre)


@valeur
def nb_ihu_sans_dotation(d: Donnees, annee: int) -> int:
    """IHU qui déclarent des dépenses sans dotation au fichier de l'agence."""
    return len(set(ind.ihu_declarant_depenses(d, annee)) - set(ind.ihu_dotes(d, annee)))


@valeur
def nb_ihu_dotes_hors_cadre(d: Donnees, annee: int) -> int:
    """IHU dotés qui n'ont encore ni versement ni dépense déclarée (retenus dans l'année)."""
    return len(set(ind.ihu_dotes(d, annee)) - ind.cadre_dotation(d, annee).perimetre)


@valeur
def depenses_hors_cadre(d: Donnees, annee: int) -> bool:
    """Des dépenses déclarées sortent du cadre de la part dépensée (IHU sans dotation ou sans
    versement, ou années après la fin du fichier des dotations)."""
    cadre = ind.cadre_dotation(d, annee)
    return cadre.fin < annee or set(ind.ihu_declarant_depenses(d, annee)) != cadre.perimetre


@valeur
def nb_ihu_cadre_dotation(d: Donnees, annee: int) -> int:
    """IHU à la fois dotés, financés et déclarant des dépenses (cadre de la part dépensée)."""
    return len(ind.cadre_dotation(d, annee).perimetre)


@valeur
def fin_cadre_dotation(d: Donnees, annee: int) -> int:
    """Dernière année du cadre de la part dépensée (fin du fichier des dotations, au plus N)."""
    return ind.cadre_dotation(d, annee).fin


@valeur
def cadre_dotation_arrete(d: Donnees, annee: int) -> bool:
    """Le fichier des dotations s'arrête avant N : la part dépensée porte sur un an antérieur."""
    return ind.cadre_dotation(d, annee).fin < annee


@valeur
def depenses_cumul_dotes(d: Donnees, annee: int) -> Valeur:
    return Valeur(ind.depenses_cumul_dotes(d, annee), "M€", 1,
                  "Dépenses déclarées cumulées des IHU dotés et financés",
                  PERIODES.finances(ind.cadre_dotation(d, annee).fin))


@valeur
def fin_versements(d: Donnees, annee: int) -> int | None:
    """Dernière année des versements de l'agence (couverture déclarée, au plus N)."""
    return fin_source(d, "versements", annee) if len(d.versements) else None


# --- valorisation -------------------------------------------------------------------------------
def _depots_regions(d: Donnees, annee: int, perimetre: str) -> Enumeration:
    inpi = d.brevets_inpi
    lignes = inpi.loc[(inpi["annee"] == annee) & (inpi["perimetre"] == perimetre)]
    lignes = lignes.set_index("territoire")["depots"]
    return Enumeration((libelle_region(r), Valeur(float(lignes[r])))
                       for r in ind.regions_ihu_suivis(d, annee) if r in lignes.index)


@valeur
def depots_regions(d: Donnees, annee: int) -> Enumeration:
    """Dépôts de brevets de chaque région des IHU (noms lus dans les données)."""
    return _depots_regions(d, annee, "tous_domaines")


@valeur
def depots_regions_domaines(d: Donnees, annee: int) -> Enumeration:
    return _depots_regions(d, annee, "domaines_ihu")


def _fin_contexte(tableau: str) -> Callable[[Donnees, int], int | None]:
    def calcul(d: Donnees, annee: int) -> int | None:
        return fin_source(d, tableau, annee) if len(getattr(d, tableau)) else None

    return calcul


for _nom, _tableau in [("fin_inpi", "brevets_inpi"), ("fin_essais_france", "essais_france"),
                       ("fin_creations", "creations_entreprises")]:
    enregistrer(_nom, _fin_contexte(_tableau))


# --- soin ---------------------------------------------------------------------------------------
@valeur
def essais_france_hausse(d: Donnees, annee: int) -> bool | None:
    """En France, hausse chaque année sur la période de baisse des IHU (depuis Y)."""
    t = ind.essais_cliniques_tendance(d, annee)
    return None if t.faits["depuis"] is None else bool(t.faits["hausse_france"])


# --- cofinancements -----------------------------------------------------------------------------
@valeur
def cofinancements_lacunes(d: Donnees, annee: int) -> bool | None:
    """Certains IHU n'ont rien déclaré certaines années antérieures."""
    t = ind.cofinancements_declarants_tendance(d, annee)
    return None if not t.faits else bool(t.faits["lacunes"])


@valeur
def nb_ihu_sans_cofinancement(d: Donnees, annee: int) -> int | None:
    """IHU suivis sans cofinancement déclaré pour l'année cible."""
    t = ind.cofinancements_declarants_tendance(d, annee)
    return None if not t.faits else len(t.faits["non_declarants"])


@valeur
def nb_ihu_declarants_cofinancements(d: Donnees, annee: int) -> int | None:
    t = ind.cofinancements_declarants_tendance(d, annee)
    return None if not t.faits else len(t.faits["declarants"])


@valeur
def nb_ihu_levier(d: Donnees, annee: int) -> int:
    """IHU qui ont reçu l'aide : périmètre de l'effet levier."""
    return len(ind.cadre_levier(d, annee).perimetre)


@valeur
def fin_levier(d: Donnees, annee: int) -> int:
    """Dernière année de l'effet levier (fin des versements connus, au plus N)."""
    return ind.cadre_levier(d, annee).fin


@valeur
def levier_cadre_reduit(d: Donnees, annee: int) -> bool:
    """L'effet levier ne porte pas sur tous les IHU suivis jusqu'à N : IHU sans aide versée, ou
    versements arrêtés avant N."""
    cadre = ind.cadre_levier(d, annee)
    return cadre.fin < annee or not set(ind.ihu_suivis(d, annee)) <= cadre.perimetre


FAITS.update(set(_CALCULS) - _AVANT)

# Faits de la recherche et de la formation (séries, bibliométrie), même catalogue.
from synthese_ihu import faits_recherche as _recherche  # noqa: E402, F401
