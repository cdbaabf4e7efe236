"""Valeurs des indicateurs de recherche (carnet 03) : projets, articles, périodes comparées,
positions d'auteur, articles très cités, comparaison aux références France et monde."""

from __future__ import annotations

import pandas as pd

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.formatage import Valeur
from synthese_ihu.valeurs.registre import (
    EXTREMES,
    PERIODES,
    Calcul,
    compte,
    enregistrer,
    enregistrer_fourchettes,
    part,
    periode_de,
    valeur,
)

PROJETS = "Projets en cours"


@valeur
def projets_annee(d: Donnees, annee: int) -> Valeur:
    return compte(ind.indicateur_annee(d, "projets_recherche", annee), PROJETS, str(annee))


enregistrer_fourchettes("projets", "projets_recherche", PROJETS)


@valeur
def articles_cumul(d: Donnees, annee: int) -> Valeur:
    """Articles du périmètre labellisé, de la première année d'indicateurs à la dernière année
    de l'export."""
    return compte(
        ind.articles_cumul(d, annee),
        "Articles publiés",
        PERIODES.indicateurs(ind.fin_bibliometrie(d, annee)),
    )


def _texte_periode(p: ind.Periode) -> str:
    return f"{p.debut}-{p.fin}" if p.fin != p.debut else str(p.debut)


@valeur
def periodes(d: Donnees, annee: int) -> bool:
    return ind.periodes_bibliometrie(d, annee) is not None


@valeur
def p1(d: Donnees, annee: int) -> str | None:
    p = ind.periodes_bibliometrie(d, annee)
    return None if p is None else _texte_periode(p[0])


@valeur
def p2(d: Donnees, annee: int) -> str | None:
    p = ind.periodes_bibliometrie(d, annee)
    return None if p is None else _texte_periode(p[1])


@valeur
def articles_evolution(d: Donnees, annee: int) -> Valeur | None:
    e = ind.articles_evolution(d, annee)
    return None if e is None else Valeur(e, "%+", 0, "Évolution des articles", p2(d, annee))


def _periode_comparee(d: Donnees, annee: int) -> str:
    """Période des valeurs bibliométriques rapportées à l'évolution des articles."""
    return periode_de(articles_evolution(d, annee))


@valeur
def articles_evolution_cat_e(d: Donnees, annee: int) -> Valeur | None:
    evo = ind.articles_evolution_par_categorie(d, annee)
    return (
        None
        if evo is None
        else Valeur(
            float(evo["E"]),
            "%+",
            0,
            "Évolution des articles de catégorie E",
            _periode_comparee(d, annee),
        )
    )


@valeur
def position_premier_dernier(d: Donnees, annee: int) -> Valeur | None:
    return part(
        ind.position_premier_dernier(d, annee), "Premier ou dernier auteur", p2(d, annee) or ""
    )


@valeur
def position_deuxieme_avant_dernier(d: Donnees, annee: int) -> Valeur | None:
    return part(
        ind.position_deuxieme_avant_dernier(d, annee),
        "Deuxième ou avant-dernier",
        p2(d, annee) or "",
    )


def _top(colonne: str, libelle: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        tab = ind.top_cites_vs_france(d, annee)
        if tab is None or pd.isna(tab.loc["ensemble", colonne]):
            return None
        return Valeur(
            float(tab.loc["ensemble", colonne]), "%", 1, libelle, _periode_comparee(d, annee)
        )

    return calcul


for _colonne, _libelle in [
    ("top10_ihu", "Part des articles des IHU parmi les 10 % les plus cités au monde"),
    ("top10_france", "Part des articles français (domaines des IHU) parmi les 10 % les plus cités"),
    ("top1_ihu", "Part des articles des IHU parmi les 1 % les plus cités au monde"),
    ("top1_france", "Part des articles français (domaines des IHU) parmi les 1 % les plus cités"),
]:
    enregistrer(f"part_{_colonne}", _top(_colonne, _libelle))


@valeur
def remerciements(d: Donnees, annee: int) -> Valeur | None:
    return part(ind.remerciements(d, annee), "Articles avec remerciements", p2(d, annee) or "")


def _vs_references(d: Donnees, annee: int):
    from synthese_ihu.figures.bibliometrie_impact import evolution_vs_references

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


def _fourchette_reference(ref: str, cote: str, libelle: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        from synthese_ihu.figures.bibliometrie_impact import fourchettes_references

        f = fourchettes_references(d, annee)
        rang = list(EXTREMES).index(cote)
        return (
            None
            if f is None
            else Valeur(
                f[ref][rang] / 100,
                "%+",
                0,
                f"{libelle} : {EXTREMES[cote]}",
                _periode_comparee(d, annee),
            )
        )

    return calcul


for _r, _libelle in [
    ("France", "Évolution des articles français dans les catégories WoS d'un IHU"),
    ("Monde", "Évolution des articles du monde dans les catégories WoS d'un IHU"),
]:
    for _cote in EXTREMES:
        enregistrer(f"croissance_{_r.lower()}_{_cote}", _fourchette_reference(_r, _cote, _libelle))
