"""Faits des constats du récit : années, booléens, comptes que les carnets citent ou testent.

Chaque fait s'enregistre dans le catalogue de :mod:`synthese_ihu.valeurs` (``{v.nom}``,
``%%recit --si v.nom``) ; les règles qui les décident sont dans :mod:`synthese_ihu.constats` et
:mod:`synthese_ihu.indicateurs`. Aucun fait n'est une phrase : le carnet écrit la phrase, choisit
la variante (``--si``/``--sauf``) et l'accord (``--si v.n == 1``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from synthese_ihu import constats
from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.recit import Enumeration
from synthese_ihu.valeurs import (
    _CALCULS,
    _MOIS,
    FAITS,
    SEUIL_REVISION,
    _annee_appel,
    revisions,
    valeur,
)

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
    _CALCULS[f"nb_suivis_{_appel.lower()}"] = _suivis_appel(_appel)
    _CALCULS[f"appel_{_appel.lower()}_connu"] = _appel_connu(_appel)


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
    _CALCULS[f"annee_entree_{_rang + 1}"] = _entree(_rang, 0)
    _CALCULS[f"nb_entres_{_rang + 1}"] = _entree(_rang, 1)


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
    """Années d'indicateurs de la première (2012) à l'année cible."""
    return annee - ind.PREMIERE_ANNEE + 1


@valeur
def nb_annees_bibliometrie(d: Donnees, annee: int) -> int:
    """Années d'articles comptées, de 2012 à la fin de l'export."""
    return ind.fin_bibliometrie(d, annee) - ind.PREMIERE_ANNEE + 1


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
def nb_ihu_depenses(d: Donnees, annee: int) -> int:
    return len(ind.ihu_declarant_depenses(d, annee))


@valeur
def perimetres_finances_differents(d: Donnees, annee: int) -> bool:
    """Des IHU déclarent des dépenses sans dotation au fichier de l'agence."""
    return set(ind.ihu_declarant_depenses(d, annee)) != set(ind.ihu_dotes(d, annee))


@valeur
def nb_ihu_sans_dotation(d: Donnees, annee: int) -> int:
    """IHU qui déclarent des dépenses sans dotation au fichier de l'agence."""
    return len(set(ind.ihu_declarant_depenses(d, annee)) - set(ind.ihu_dotes(d, annee)))


@valeur
def depenses_cumul_dotes(d: Donnees, annee: int) -> Valeur:
    return Valeur(ind.depenses_cumul_dotes(d, annee), "M€", 1,
                  "Dépenses déclarées cumulées des IHU dotés", f"2011-{annee}")


@valeur
def fin_versements(d: Donnees, annee: int) -> int | None:
    """Dernière année du fichier des versements de l'agence (au plus N)."""
    a = d.versements["annee"]
    return min(annee, int(a.max())) if len(a) else None


# --- recherche ----------------------------------------------------------------------------------
def _forme_faits(prefixe: str, serie: Callable[[Donnees, int], pd.Series]) -> None:
    """Enregistre les faits de forme d'une série annuelle : ``<prefixe>_pic``…"""

    def fait(champ: str, conversion: Callable[[Any], Any]) -> Callable[[Donnees, int], Any]:
        def calcul(d: Donnees, annee: int) -> Any:
            f = constats.forme(serie(d, annee))
            brut = None if f is None else getattr(f, champ)
            return None if brut is None else conversion(brut)

        return calcul

    for champ, conv in [("pic", lambda x: Valeur(x)), ("pic_annee", int),
                        ("valeur_debut", lambda x: Valeur(x)), ("hausse_continue", bool),
                        ("baisse_depuis", int), ("hausse_depuis", int), ("repli_debut", int),
                        ("repli_fin", int), ("hausse_legere", bool),
                        ("variation_fin", lambda x: Valeur(x, "%+"))]:
        _CALCULS[f"{prefixe}_{champ}"] = fait(champ, conv)

    def pic_entree(d: Donnees, annee: int) -> bool:
        f = constats.forme(serie(d, annee))
        return f is not None and f.pic_annee in dict(_entrees(d, annee))

    def repli_un_an(d: Donnees, annee: int) -> bool:
        f = constats.forme(serie(d, annee))
        return f is not None and f.repli_debut is not None and f.repli_debut == f.repli_fin

    def reprise_un_an(d: Donnees, annee: int) -> bool:
        f = constats.forme(serie(d, annee))
        return f is not None and f.hausse_depuis is not None and f.hausse_depuis == f.fin

    _CALCULS[f"{prefixe}_pic_entree"] = pic_entree
    _CALCULS[f"{prefixe}_repli_un_an"] = repli_un_an
    def baisse_un_an(d: Donnees, annee: int) -> bool:
        f = constats.forme(serie(d, annee))
        return f is not None and f.baisse_depuis is not None and f.baisse_depuis == f.fin

    _CALCULS[f"{prefixe}_reprise_un_an"] = reprise_un_an
    _CALCULS[f"{prefixe}_baisse_un_an"] = baisse_un_an


for _prefixe, _indicateur in [("projets", "projets_recherche"),
                              ("chercheurs", "chercheurs_etrangers"),
                              ("etudiants", "etudiants_double_cursus"),
                              ("essais", "essais_cliniques")]:
    _forme_faits(_prefixe, lambda d, a, i=_indicateur: ind.indicateur_serie(d, i, a))
_forme_faits("articles", lambda d, a: ind.articles_par_annee(d, a))


@valeur
def projets_fin_hausse(d: Donnees, annee: int) -> int | None:
    """Hausse chaque année jusqu'à cette année, plateau (±5 %) ensuite : règle des projets."""
    return ind.projets_tendance(d, annee).faits["fin_hausse"]


@valeur
def projets_nb_entres_plateau(d: Donnees, annee: int) -> int | None:
    """Nombre d'IHU entrés dans le décompte pendant le plateau des projets."""
    return len(ind.projets_tendance(d, annee).faits.get("ihu_ajoutes_pendant_plateau")) or None


@valeur
def projets_entree_plateau(d: Donnees, annee: int) -> int | None:
    """Année où un IHU est entré dans le décompte pendant le plateau des projets."""
    t = ind.projets_tendance(d, annee)
    ajoutes = t.faits.get("ihu_ajoutes_pendant_plateau")
    if not ajoutes:
        return None
    return int(d.ihu.set_index("ihu")["premiere_annee_indicateurs"][ajoutes[0]])


for _cat, _part in ind.PARTS_CATEGORIES_REVUES.items():
    _CALCULS[f"part_revues_{_cat.lower()}"] = lambda d, a, p=_part: Valeur(p, "%")


@valeur
def fin_bibliometrie(d: Donnees, annee: int) -> int:
    """Dernière année couverte par l'export bibliométrique (au plus N)."""
    return ind.fin_bibliometrie(d, annee)


@valeur
def bibliometrie_incomplete(d: Donnees, annee: int) -> bool:
    """L'export bibliométrique s'arrête avant l'année cible."""
    return ind.fin_bibliometrie(d, annee) < annee


@valeur
def nb_ihu_articles(d: Donnees, annee: int) -> int:
    """IHU suivis présents dans l'export bibliométrique."""
    return len(ind.ihu_bibliometrie(d, annee))


@valeur
def nb_ihu_hors_export(d: Donnees, annee: int) -> int:
    """IHU suivis qui n'ont encore aucun article dans l'export bibliométrique."""
    return ind.nombre_ihu_suivis(d, annee) - len(ind.ihu_bibliometrie(d, annee))


@valeur
def articles_hausse(d: Donnees, annee: int) -> bool | None:
    e = ind.articles_evolution(d, annee)
    return None if e is None else e > 0


@valeur
def articles_baisse(d: Donnees, annee: int) -> bool | None:
    e = ind.articles_evolution(d, annee)
    return None if e is None else e < 0


def _evolution_categories(d: Donnees, annee: int) -> pd.Series | None:
    evo = ind.articles_evolution_par_categorie(d, annee)
    return None if evo is None else evo.dropna()


@valeur
def nb_categories(d: Donnees, annee: int) -> int | None:
    evo = _evolution_categories(d, annee)
    return None if evo is None else len(evo)


@valeur
def nb_categories_baisse(d: Donnees, annee: int) -> int | None:
    evo = _evolution_categories(d, annee)
    return None if evo is None else int((evo < 0).sum())


@valeur
def categorie_baisse(d: Donnees, annee: int) -> str | None:
    """La catégorie en recul quand elle est seule (``"E"``)."""
    evo = _evolution_categories(d, annee)
    if evo is None or int((evo < 0).sum()) != 1:
        return None
    return str(evo.index[evo < 0][0])


@valeur
def categorie_baisse_evolution(d: Donnees, annee: int) -> Valeur | None:
    c = categorie_baisse(d, annee)
    return None if c is None else Valeur(float(_evolution_categories(d, annee)[c]), "%+")


@valeur
def hausse_surtout_k(d: Donnees, annee: int) -> bool:
    """La hausse des articles de P1 à P2 vient pour plus de moitié de la position k."""
    return ind.position_tendance(d, annee).verifiee


@valeur
def position_principale(d: Donnees, annee: int) -> str | None:
    """Position d'auteur qui gagne le plus d'articles de P1 à P2 (si la production augmente)."""
    t = ind.position_tendance(d, annee)
    if not t.faits or t.faits["delta_total"] <= 0:
        return None
    return str(t.faits["delta_par_position"].idxmax())


def _compte_ihu(table: Callable, colonne: str, vrai: bool) -> Callable[[Donnees, int], Any]:
    def calcul(d: Donnees, annee: int) -> int | None:
        tab = table(d, annee)
        if tab is None or tab[colonne].isna().any():
            return None
        sauf = constats.nombre_sauf(tab[colonne])
        return len(tab) - sauf if vrai else sauf

    return calcul


_CALCULS["nb_ihu_plus_rapides"] = _compte_ihu(ind.evolution_vs_france, "plus_rapide", True)
_CALCULS["nb_ihu_moins_rapides"] = _compte_ihu(ind.evolution_vs_france, "plus_rapide", False)
_CALCULS["nb_ihu_part_hausse"] = _compte_ihu(ind.part_france, "hausse", True)
_CALCULS["nb_ihu_part_recul"] = _compte_ihu(ind.part_france, "hausse", False)


@valeur
def comparaison_france(d: Donnees, annee: int) -> bool:
    """La croissance de chaque IHU se compare à celle de la France (deux périodes couvertes)."""
    tab = ind.evolution_vs_france(d, annee)
    return tab is not None and not tab["plus_rapide"].isna().any()


@valeur
def comparaison_part_france(d: Donnees, annee: int) -> bool:
    tab = ind.part_france(d, annee)
    return tab is not None and not tab["hausse"].isna().any()


@valeur
def nb_ihu_compares(d: Donnees, annee: int) -> int | None:
    tab = ind.evolution_vs_france(d, annee)
    return None if tab is None else len(tab)


@valeur
def top_cites_en_hausse(d: Donnees, annee: int) -> bool | None:
    """Pente positive des articles top 1 % et top 10 % jusqu'à l'avant-dernière année."""
    pentes = ind.top_cites_tendance(d, annee).faits.get("pentes")
    return None if not pentes else all(p is not None and p > 0 for p in pentes.values())


@valeur
def top_cites_sans_hausse(d: Donnees, annee: int) -> bool | None:
    h = top_cites_en_hausse(d, annee)
    return None if h is None else not h


@valeur
def top_cites_serie_courte(d: Donnees, annee: int) -> bool:
    """Moins de trois années d'articles : pas de tendance des articles les plus cités."""
    return top_cites_en_hausse(d, annee) is None


@valeur
def top_cites_recul_final(d: Donnees, annee: int) -> bool:
    """Top 1 % et top 10 % reculent la dernière année couverte (recul de citation attendu)."""
    baisse = ind.top_cites_tendance(d, annee).faits.get("baisse_derniere_annee")
    return bool(baisse) and all(baisse.values())


@valeur
def top10_ihu_au_dessus(d: Donnees, annee: int) -> bool | None:
    tab = ind.top_cites_vs_france(d, annee)
    if tab is None or tab.loc["ensemble"].isna().any():
        return None
    return bool(tab.loc["ensemble", "top10_ihu"] > tab.loc["ensemble", "top10_france"])


@valeur
def nb_ihu_top10_sous_france(d: Donnees, annee: int) -> int | None:
    t = ind.top_cites_vs_france_tendance(d, annee)
    if t.faits.get("tableau") is None or "ihu_top10_sous_france" not in t.faits:
        return None
    return len(t.faits["ihu_top10_sous_france"])


# --- formation ----------------------------------------------------------------------------------
@valeur
def etudiants_concentration(d: Donnees, annee: int) -> bool:
    """La hausse de N-3 à N-1 vient pour au moins 80 % de deux IHU."""
    return ind.etudiants_tendance(d, annee).verifiee


@valeur
def etudiants_concentration_debut(d: Donnees, annee: int) -> int | None:
    return ind.etudiants_tendance(d, annee).faits.get("debut")


@valeur
def etudiants_concentration_fin(d: Donnees, annee: int) -> int | None:
    return ind.etudiants_tendance(d, annee).faits.get("fin")


@valeur
def etudiants_concentration_part(d: Donnees, annee: int) -> Valeur | None:
    part = ind.etudiants_tendance(d, annee).faits.get("part_deux_ihu")
    return None if part is None else Valeur(part, "%")


# --- valorisation -------------------------------------------------------------------------------
def _depots_regions(d: Donnees, annee: int, perimetre: str) -> Enumeration:
    inpi = d.brevets_inpi
    lignes = inpi.loc[(inpi["annee"] == annee) & (inpi["perimetre"] == perimetre)]
    lignes = lignes.set_index("territoire")["depots"]
    return Enumeration((r, Valeur(float(lignes[r]))) for r in ind.regions_ihu_suivis(d, annee)
                       if r in lignes.index)


@valeur
def depots_regions(d: Donnees, annee: int) -> Enumeration:
    """Dépôts de brevets de chaque région des IHU (noms lus dans les données)."""
    return _depots_regions(d, annee, "tous_domaines")


@valeur
def depots_regions_domaines(d: Donnees, annee: int) -> Enumeration:
    return _depots_regions(d, annee, "domaines_ihu")


def _fin_contexte(tableau: str) -> Callable[[Donnees, int], int | None]:
    def calcul(d: Donnees, annee: int) -> int | None:
        a = getattr(d, tableau)["annee"]
        return min(annee, int(a.max())) if len(a) else None

    return calcul


for _nom, _tableau in [("fin_inpi", "brevets_inpi"), ("fin_essais_france", "essais_france"),
                       ("fin_creations", "creations_entreprises")]:
    _CALCULS[_nom] = _fin_contexte(_tableau)


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


# --- annexe -------------------------------------------------------------------------------------
@valeur
def nb_revisions(d: Donnees, annee: int) -> int:
    """Réactualisations de plus de :data:`SEUIL_REVISION` appliquées (toutes campagnes <= N)."""
    return len(revisions(d, annee))


@valeur
def seuil_revision(d: Donnees, annee: int) -> Valeur:
    return Valeur(SEUIL_REVISION, "%")


FAITS.update(set(_CALCULS) - _AVANT)
