"""Faits du récit pour la recherche et la formation : forme des séries annuelles (projets,
chercheurs, étudiants, essais, articles), bibliométrie, concentration des étudiants.

Même catalogue que :mod:`synthese_ihu.faits` (``{v.nom}``, ``--si v.nom``) ; règles dans
:mod:`synthese_ihu.constats` et :mod:`synthese_ihu.indicateurs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from synthese_ihu import cadre, constats
from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.faits import _entrees
from synthese_ihu.formatage import Valeur
from synthese_ihu.valeurs.recherche import p2
from synthese_ihu.valeurs.registre import _CALCULS, FAITS, enregistrer, valeur

_AVANT = set(_CALCULS)


# --- recherche ----------------------------------------------------------------------------------
#: Ce que mesure chaque série dont les faits de forme sont cités (libellé des chiffres clés).
SERIES_FORMES = {
    "projets": "projets de recherche en cours",
    "chercheurs": "chercheurs étrangers accueillis",
    "etudiants": "étudiants en double cursus",
    "essais": "essais cliniques en cours",
    "articles": "articles publiés par les IHU",
}


def _long(table: pd.DataFrame) -> pd.DataFrame:
    """Tableau années × IHU en lignes (``ihu``, ``annee``, ``valeur``), cases vides omises."""
    t = table.rename_axis(index="annee", columns="ihu").reset_index()
    return t.melt(id_vars="annee", var_name="ihu", value_name="valeur").dropna()


def _valeurs_formes(libelle: str) -> dict[str, Callable[[constats.Forme], Valeur | None]]:
    """Faits chiffrés de la forme d'une série, chacun avec son libellé et sa période."""
    return {
        "pic": lambda f: Valeur(
            f.pic, libelle=f"{libelle} : point haut de la série", periode=str(f.pic_annee)
        ),
        "valeur_debut": lambda f: Valeur(
            f.valeur_debut, libelle=f"{libelle} : première année suivie", periode=str(f.debut)
        ),
        "repli_pire": lambda f: None if f.repli_pire is None else Valeur(
            f.repli_pire, "%+", libelle=f"{libelle} : plus forte baisse du repli",
            periode=f"{f.repli_pire_annee - 1}-{f.repli_pire_annee}",
        ),
        "variation_fin": lambda f: None if f.variation_fin is None else Valeur(
            f.variation_fin, "%+", libelle=f"{libelle} : évolution sur un an",
            periode=f"{f.fin - 1}-{f.fin}",
        ),
    }  # fmt: skip


def _forme_faits(prefixe: str, serie: Callable[[Donnees, int], pd.Series],
                 par_ihu: Callable[[Donnees, int], pd.DataFrame]) -> None:
    """Enregistre les faits de forme d'une série annuelle : ``<prefixe>_pic``… ; ``par_ihu``
    donne ses lignes par IHU (``ihu``, ``annee``, ``valeur``) pour le périmètre constant."""

    def fait(lire: Callable[[constats.Forme], Any]) -> Callable[[Donnees, int], Any]:
        def calcul(d: Donnees, annee: int) -> Any:
            f = constats.forme(serie(d, annee))
            return None if f is None else lire(f)

        return calcul

    def champ_brut(champ: str, conversion: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def lire(f: constats.Forme) -> Any:
            brut = getattr(f, champ)
            return None if brut is None else conversion(brut)

        return lire

    for champ, lire in _valeurs_formes(SERIES_FORMES[prefixe]).items():
        enregistrer(f"{prefixe}_{champ}", fait(lire))
    for champ, conv in [("pic_annee", int), ("baisse_depuis", int),
                        ("hausse_depuis", int), ("repli_debut", int), ("repli_fin", int),
                        ("repli_pire_annee", int),
                        ("hausse_legere", bool)]:
        enregistrer(f"{prefixe}_{champ}", fait(champ_brut(champ, conv)))

    def pic_entree(d: Donnees, annee: int) -> bool:
        """Le maximum tombe l'année d'une entrée d'IHU, et les entrants l'expliquent."""
        f = constats.forme(serie(d, annee))
        return (f is not None and f.pic_annee in dict(_entrees(d, annee))
                and cadre.entrants_expliquent(par_ihu(d, annee), f.pic_annee))

    def hausse_continue(d: Donnees, annee: int) -> bool | None:
        """Hausse chaque année, y compris à périmètre constant (pas seulement par les
        entrants)."""
        f = constats.forme(serie(d, annee))
        if f is None:
            return None
        return f.hausse_continue and cadre.hausse_chaque_annee_constante(
            par_ihu(d, annee), f.debut + 1, f.fin)

    enregistrer(f"{prefixe}_hausse_continue", hausse_continue)

    def constante(champ: str) -> Callable[[Donnees, int], Any]:
        def calcul(d: Donnees, annee: int) -> Any:
            e = cadre.evolutions(par_ihu(d, annee))
            if annee not in e.index or not e.loc[annee, "apport"] > 0:
                return None  # pas d'entrant en N : rien à dire du périmètre constant
            avant, apres = e.loc[annee, "avant"], e.loc[annee, "apres"]
            return {"hausse_par_entrants": bool(e.loc[annee, "total"] > avant >= apres),
                    "constant_avant": Valeur(avant), "constant_apres": Valeur(apres),
                    "apport_entrants": Valeur(e.loc[annee, "apport"])}[champ]

        return calcul

    for champ in ("hausse_par_entrants", "constant_avant", "constant_apres", "apport_entrants"):
        enregistrer(f"{prefixe}_{champ}", constante(champ))

    def repli_un_an(d: Donnees, annee: int) -> bool:
        f = constats.forme(serie(d, annee))
        return f is not None and f.repli_debut is not None and f.repli_debut == f.repli_fin

    def reprise_un_an(d: Donnees, annee: int) -> bool:
        f = constats.forme(serie(d, annee))
        return f is not None and f.hausse_depuis is not None and f.hausse_depuis == f.fin

    enregistrer(f"{prefixe}_pic_entree", pic_entree)
    enregistrer(f"{prefixe}_repli_un_an", repli_un_an)
    def baisse_un_an(d: Donnees, annee: int) -> bool:
        f = constats.forme(serie(d, annee))
        return f is not None and f.baisse_depuis is not None and f.baisse_depuis == f.fin

    enregistrer(f"{prefixe}_reprise_un_an", reprise_un_an)
    enregistrer(f"{prefixe}_baisse_un_an", baisse_un_an)


for _prefixe, _indicateur in [("projets", "projets_recherche"),
                              ("chercheurs", "chercheurs_etrangers"),
                              ("etudiants", "etudiants_double_cursus"),
                              ("essais", "essais_cliniques")]:
    _forme_faits(_prefixe, lambda d, a, i=_indicateur: ind.indicateur_serie(d, i, a),
                 lambda d, a, i=_indicateur: _long(ind.indicateur_par_ihu_et_annee(d, i, a)))
_forme_faits("articles", lambda d, a: ind.articles_par_annee(d, a),
             lambda d, a: ind.articles_labellises(d, a).groupby(["ihu", "annee"]).size()
             .rename("valeur").reset_index())


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
    enregistrer(
        f"part_revues_{_cat.lower()}",
        lambda d, a, c=_cat, p=_part: Valeur(
            p, "%", libelle=f"part des revues de la catégorie {c} dans chaque discipline (SAMPRA)"
        ),
    )


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
def articles_perimetre_change(d: Donnees, annee: int) -> bool:
    """Des IHU suivis en P2 ne l'étaient pas au début de P1 : l'évolution publiée mêle deux
    périmètres, le récit ajoute celle à périmètre constant."""
    return (ind.periodes_bibliometrie(d, annee) is not None
            and len(ind.ihu_perimetre_constant(d, annee)) < len(ind.ihu_bibliometrie(d, annee)))


@valeur
def nb_ihu_perimetre_constant(d: Donnees, annee: int) -> int:
    return len(ind.ihu_perimetre_constant(d, annee))


@valeur
def articles_evolution_constante(d: Donnees, annee: int) -> Valeur | None:
    e = ind.articles_evolution_constante(d, annee)
    return None if e is None else Valeur(e, "%+", 0, "Évolution des articles à périmètre "
                                         "constant", p2(d, annee))


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
    if c is None:
        return None
    return Valeur(
        float(_evolution_categories(d, annee)[c]),
        "%+",
        libelle=f"évolution des articles des IHU dans les revues de la catégorie {c}",
        periode=p2(d, annee) or "",
    )


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


enregistrer("nb_ihu_plus_rapides", _compte_ihu(ind.evolution_vs_france, "plus_rapide", True))
enregistrer("nb_ihu_moins_rapides", _compte_ihu(ind.evolution_vs_france, "plus_rapide", False))
enregistrer("nb_ihu_part_hausse", _compte_ihu(ind.part_france, "hausse", True))
enregistrer("nb_ihu_part_recul", _compte_ihu(ind.part_france, "hausse", False))


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
    faits = ind.etudiants_tendance(d, annee).faits
    part = faits.get("part_deux_ihu")
    return None if part is None else Valeur(
        part, "%", libelle="part de la hausse des étudiants en double cursus portée par deux IHU",
        periode=f"{faits['debut']}-{faits['fin']}",
    )  # fmt: skip


@valeur
def fiabilisation_bibliometrie(d: Donnees, annee: int) -> int | None:
    """Année du travail de fiabilisation de l'export (couverture déclarée), si elle est passée :
    l'édition 2012 ne cite pas un travail « conduit depuis 2019 »."""
    c = d.metadonnees.couvertures.get("articles")
    f = None if c is None else c.fiabilisation
    return f if f is not None and f <= annee else None


@valeur
def bibliometrie_avant_labellisation(d: Donnees, annee: int) -> bool:
    """L'export compte des articles d'un IHU suivi antérieurs à sa première année de suivi."""
    premiere = d.ihu.set_index("ihu")["premiere_annee_indicateurs"]
    art = d.articles.loc[d.articles["ihu"].isin(ind.ihu_suivis(d, annee))]
    return bool((art["annee"] < art["ihu"].map(premiere).astype("Float64")).fillna(False).any())


FAITS.update(set(_CALCULS) - _AVANT)
