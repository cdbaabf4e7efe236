"""Chaque chiffre publié de l'édition 2022 ressort des données de référence, à la précision
imprimée.

Un test par élément de ``data/reference/published_figures.yaml`` (identifiant = ``id`` du YAML) ;
la table :data:`CALCULS` relie chaque identifiant à son calcul par les fonctions de
:mod:`synthese_ihu.indicateurs`. Un élément sans calcul fait échouer son test.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import yaml

from synthese_ihu import indicateurs as ind
from synthese_ihu.chemins import DONNEES
from synthese_ihu.donnees import Donnees

pytestmark = pytest.mark.rapide

REFERENCE = DONNEES / "reference" / "published_figures.yaml"
ANNEE = 2022
SECTIONS = ["finance", "research", "attractiveness", "training", "valorisation", "care",
            "cofinancing", "context"]

Calcul = Callable[[Donnees, int], Any]


def _ind(nom: str, cumul: bool = False) -> Calcul:
    if cumul:
        return lambda d, n: ind.indicateur_cumul(d, nom, n)
    return lambda d, n: ind.indicateur_annee(d, nom, n)


def _fourchette(nom: str, cumul: bool = False) -> Calcul:
    if cumul:
        return lambda d, n: ind.fourchette(ind.indicateur_cumul_par_ihu(d, nom, n))
    return lambda d, n: ind.fourchette(ind.indicateur_par_ihu(d, nom, n))


def _element(calcul: Calcul, cle: str) -> Calcul:
    """Élément ``cle`` d'une série calculée (``None`` si la série n'existe pas encore)."""

    def extraire(d: Donnees, n: int) -> Any:
        serie = calcul(d, n)
        return None if serie is None else serie.get(cle)

    return extraire


def _origine(origine: str) -> Calcul:
    return _element(ind.cofinancements_par_origine, origine)


def _categories_revues(d: Donnees, n: int) -> ind.Tendance:
    """Catégories de revues : parts de la méthode et catégories présentes dans l'export."""
    presentes = set(d.articles["categorie"].astype(str))
    attendues = set(ind.PARTS_CATEGORIES_REVUES) | {"NC"}
    return ind.Tendance("stable", presentes == attendues, {"parts": ind.PARTS_CATEGORIES_REVUES})


#: identifiant du YAML -> calcul (vue de l'année, année) ; le type de comparaison suit ``kind``.
CALCULS: dict[str, Calcul] = {
    # programme
    "ihu_selected_2011": lambda d, n: ind.nombre_ihu_selectionnes(d, 2011),
    "ihu_selected_2018": lambda d, n: ind.nombre_ihu_selectionnes(d, 2018),
    # les lignes du tableau que les faits marquants montrent après leur paragraphe
    "ihu_selected_2023": lambda d, n: len(d.tableaux["ihu_selectionnes"]),
    "ihu_followed": ind.nombre_ihu_suivis,
    # finance
    "dotation_engagee": ind.dotation_engagee,
    "verse_cumul": ind.verse_cumul,
    "verse_cumul_part_dotation": ind.verse_cumul_part_dotation,
    "verse_annee": ind.verse_annee,
    "depenses_cumul": ind.depenses_cumul,
    "depenses_cumul_part_dotation": ind.depenses_cumul_part_dotation,
    "depenses_annee": ind.depenses_annee,
    "depenses_nature": ind.depenses_nature_tendance,
    "depenses_nature_par_ihu": ind.depenses_nature_par_ihu_tendance,
    # research
    "projets_annee": _ind("projets_recherche"),
    "projets_annee_range": _fourchette("projets_recherche"),
    "projets_tendance": ind.projets_tendance,
    "articles_cumul": ind.articles_cumul,
    "articles_evolution": ind.articles_evolution,
    "articles_evolution_cat_e": _element(ind.articles_evolution_par_categorie, "E"),
    "position_premier_dernier": ind.position_premier_dernier,
    "position_deuxieme_avant_dernier": ind.position_deuxieme_avant_dernier,
    "position_tendance": ind.position_tendance,
    "evolution_vs_france": ind.evolution_vs_france_tendance,
    "part_france": ind.part_france_tendance,
    "top_cites": ind.top_cites_tendance,
    "top_cites_vs_france": ind.top_cites_vs_france_tendance,
    "remerciements": ind.remerciements,
    "categories_revues": _categories_revues,
    # attractiveness
    "chercheurs_etrangers_annee": _ind("chercheurs_etrangers"),
    "chercheurs_etrangers_annee_range": _fourchette("chercheurs_etrangers"),
    "chercheurs_etrangers_cumul": _ind("chercheurs_etrangers", cumul=True),
    "chercheurs_etrangers_cumul_range": _fourchette("chercheurs_etrangers", cumul=True),
    "chercheurs_etrangers_tendance": ind.chercheurs_etrangers_tendance,
    # training
    "etudiants_double_cursus_annee": _ind("etudiants_double_cursus"),
    "etudiants_double_cursus_range": _fourchette("etudiants_double_cursus"),
    "etudiants_tendance": ind.etudiants_tendance,
    # valorisation
    "brevets_annee": _ind("brevets_deposes"),
    "brevets_part_france": ind.brevets_part_france,
    "brevets_part_regions": ind.brevets_part_regions,
    "brevets_part_regions_domaines": ind.brevets_part_regions_domaines,
    "brevets_cumul": _ind("brevets_deposes", cumul=True),
    "brevets_cumul_range": _fourchette("brevets_deposes", cumul=True),
    "brevets_actifs": _ind("brevets_actifs"),
    "brevets_actifs_range": _fourchette("brevets_actifs"),
    "startups_annee": ind.startups_annee,
    "startups_cumul": ind.startups_cumul,
    "startups_actives_plus_3_ans": ind.startups_actives_plus_3_ans,
    # care
    "recommandations_cumul": _ind("recommandations", cumul=True),
    "recommandations_cumul_range": _fourchette("recommandations", cumul=True),
    "essais_cliniques_annee": _ind("essais_cliniques"),
    "essais_cliniques_range": _fourchette("essais_cliniques"),
    "essais_cliniques_part_france": ind.essais_cliniques_part_france,
    "essais_cliniques_tendance": ind.essais_cliniques_tendance,
    # cofinancing
    "cofinancements_cumul": ind.cofinancements_cumul,
    "cofinancements_annee": ind.cofinancements_annee,
    "effet_levier": ind.effet_levier,
    "effet_levier_range": lambda d, n: ind.fourchette(ind.effet_levier_par_ihu(d, n)),
    "origine_publique_nationale": _origine("publique_nationale"),
    "origine_privee": _origine("privee"),
    "origine_europe_international": _origine("europe_international"),
    "cofinancements_declarants": ind.cofinancements_declarants_tendance,
    # context
    "creations_entreprises_sante_france": lambda d, n: ind.creations_entreprises(d, n, "France"),
    "creations_entreprises_sante_regions": lambda d, n: ind.creations_entreprises(
        d, n, "regions_ihu"),
}


def elements_publies() -> list[dict]:
    """Tous les éléments du YAML : sections de chiffres, puis comptes du programme."""
    publie = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    elements = [dict(e, section=s) for s in SECTIONS for e in publie[s]]
    elements += [{"id": cle, "kind": "total", "value": valeur, "section": "programme"}
                 for cle, valeur in publie["programme"].items()]
    return elements


def decimales(valeur: float | int) -> int:
    """Décimales imprimées d'une valeur publiée : 473.3 -> 1, 33 -> 0, 0.4 -> 1."""
    if isinstance(valeur, int):
        return 0
    return len(repr(valeur).partition(".")[2])


def arrondi(valeur: float, nb: int) -> Decimal:
    """Arrondi à la française (demi vers le haut) à ``nb`` décimales."""
    return Decimal(repr(float(valeur))).quantize(Decimal(1).scaleb(-nb), rounding=ROUND_HALF_UP)


def _echelle(element: dict) -> float:
    return {"M€": 1e-6, "%": 100.0}.get(element.get("unit", ""), 1.0)


def verifier(element: dict, d: Donnees, annee: int = ANNEE) -> None:
    """Vérifie un élément publié sur la vue ``d`` ; lève AssertionError s'il ne ressort pas.

    Utilisée aussi par ``test_alteration.py`` pour montrer que le filet peut échouer.
    """
    ident, genre = element["id"], element["kind"]
    if ident not in CALCULS:
        pytest.fail(f"« {ident} » ({genre}) n'a pas de calcul dans CALCULS : l'ajouter")
    resultat = CALCULS[ident](d, annee)
    assert resultat is not None, f"{ident} : pas de valeur calculée pour {annee}"
    if genre == "trend" or (genre == "context" and "value" not in element):
        assert isinstance(resultat, ind.Tendance), f"{ident} : une Tendance est attendue"
        assert resultat.verifiee, f"{ident} : « {element['text']} » faux ; faits {resultat.faits}"
        return
    echelle = _echelle(element)
    if genre == "range":
        assert isinstance(resultat, ind.Fourchette)
        obtenu = (arrondi(resultat.min * echelle, 0), arrondi(resultat.max * echelle, 0))
        attendu = (Decimal(element["min"]), Decimal(element["max"]))
        assert obtenu == attendu, f"{ident} : fourchette {obtenu} au lieu de {attendu}"
        return
    publie = element["value"] * (-1 if element.get("sign") == "-" else 1)
    nb = decimales(element["value"])
    obtenu = arrondi(resultat * echelle, nb)
    assert obtenu == arrondi(publie, nb), (
        f"{ident} : {obtenu} au lieu de {publie} {element.get('unit', '')} "
        f"(valeur brute {resultat!r})"
    )


ELEMENTS = elements_publies()


@pytest.fixture(scope="module")
def vue(donnees) -> Donnees:
    return donnees.pour_annee(ANNEE)


@pytest.mark.parametrize("element", ELEMENTS, ids=[e["id"] for e in ELEMENTS])
def test_chiffre_publie(element, vue):
    verifier(element, vue)


def test_chaque_calcul_correspond_a_un_element_publie():
    assert set(CALCULS) == {e["id"] for e in ELEMENTS}
