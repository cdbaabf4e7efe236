"""Le lecteur de ``attaquant.py`` ne rattache aucune barre anonyme à un IHU nommé, sur les
rapports publics 2012-2022 et sur le 2023 entré par ingestion ; il y parvient (et le contrôle de
publication refuse) quand on replante la paire de l'ancienne figure 9 (écart à la France et au
monde pour le même IHU anonyme)."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from attaquant import (
    Serie,
    attaquer,
    paires_d_une_figure,
    paires_de_deux_figures,
    periodes_publiees,
    rattachements_forces,
    series_nominatives,
    series_publiees,
)
from constructions import ANNEES

from synthese_ihu.donnees import charger

ID_CROISSANCE = "croissance_ihu_france_monde"


def _vue(annee: int, racine=None):
    return charger(None if racine is None else racine / "raw").pour_annee(annee)


# --- le lecteur sait rattacher -----------------------------------------------------------------
@pytest.mark.rapide
def test_rattachements_forces():
    # la barre 2 n'a qu'un nom possible, ce qui force la 1 et la 3
    candidats = {1: {"a", "b"}, 2: {"b"}, 3: {"a", "c"}}
    assert rattachements_forces(candidats) == {1: "a", 2: "b", 3: "c"}
    # deux appariements complets : aucun nom forcé
    assert rattachements_forces({1: {"a", "b"}, 2: {"a", "b"}}) == {}
    # pas d'appariement complet : rien n'est prouvé
    assert rattachements_forces({1: {"a"}, 2: {"a"}}) == {}


def _nominatives(n: int = 7) -> dict[str, pd.Series]:
    rng = np.random.default_rng(3)
    noms = [f"ihu{i}" for i in range(n)]
    return {"croissance_France": pd.Series(rng.uniform(5, 60, n), index=noms),
            "croissance_Monde": pd.Series(rng.uniform(5, 60, n), index=noms)}


@pytest.mark.rapide
def test_paire_plantee_dans_une_figure_rattachee():
    """Écarts à la France et au monde pour le même rang : leur différence donne les noms."""
    nominatives = _nominatives()
    propre = pd.Series(np.random.default_rng(4).uniform(0, 90, 7), index=nominatives[
        "croissance_France"].index)
    rangs = {nom: r for r, nom in enumerate(propre.sort_values().index, start=1)}
    france = Serie("f9.France", "f9", {rangs[i]: round(propre[i] - nominatives[
        "croissance_France"][i]) for i in propre.index}, 0.5)
    monde = Serie("f9.Monde", "f9", {rangs[i]: round(propre[i] - nominatives[
        "croissance_Monde"][i]) for i in propre.index}, 0.5)
    assert paires_d_une_figure([france], nominatives) == []
    trouves = paires_d_une_figure([france, monde], nominatives)
    assert trouves and all(t.figures == ("f9",) for t in trouves)


@pytest.mark.rapide
def test_paire_plantee_entre_deux_figures_rattachee():
    """La croissance propre dans une figure, l'écart à la France dans une autre (rangs
    différents) : le lecteur apparie les deux figures et les noms à la fois."""
    nominatives = _nominatives()
    index = nominatives["croissance_France"].index
    propre = pd.Series(np.random.default_rng(5).uniform(0, 90, 7), index=index)
    ecart = propre - nominatives["croissance_France"]
    rangs_a = {nom: r for r, nom in enumerate(ecart.sort_values().index, start=1)}
    rangs_b = {nom: r for r, nom in enumerate(propre.sort_values().index, start=1)}
    a = Serie("fa.ecart", "fa", {rangs_a[i]: round(ecart[i], 1) for i in index}, 0.05)
    b = Serie("fb.croissance", "fb", {rangs_b[i]: round(propre[i], 1) for i in index}, 0.05)
    trouves = paires_de_deux_figures([a, b], {"croissance_France": nominatives[
        "croissance_France"]})
    assert trouves and trouves[0].figures == ("fa", "fb")
    assert "rang" in trouves[0].detail


# --- rapports publics --------------------------------------------------------------------------
def _attaque(dossier, vue):
    trouves = attaquer(dossier, vue.references_wos, len(vue.ihu))
    assert not trouves, "barres anonymes rattachées à un nom :\n" + "\n".join(map(str, trouves))
    return series_publiees(dossier)


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_aucun_ihu_rattache_dans_les_rapports_publics(rapports_publics, annee):
    vue = _vue(annee)
    series = _attaque(rapports_publics[annee], vue)
    assert series, "aucune figure par IHU publiée : l'attaque passerait à vide"
    if periodes_publiees(rapports_publics[annee]) is not None:
        assert series_nominatives(vue.references_wos, periodes_publiees(
            rapports_publics[annee])), "aucune série nominative : l'attaque passerait à vide"


@pytest.mark.lent
def test_aucun_ihu_rattache_dans_le_2023_ingere(rapport_2023_ingere):
    r = rapport_2023_ingere
    vue = _vue(r.annee, r.donnees)
    assert len(vue.ihu) == 19
    assert _attaque(r.dossier, vue)


@pytest.mark.lent
def test_la_paire_de_la_figure_9_replantee_est_rattachee_et_refusee(rapport_2022_construit,
                                                                    tmp_path):
    """Copie du rapport 2022 où le CSV de la figure 9 republie l'écart au monde de chaque IHU
    (calculé comme avant) : le lecteur rattache des barres, et le contrôle de publication
    refuse la copie en nommant la figure."""
    from synthese_ihu import figures
    from synthese_ihu.confidentialite import RecoupementPossible, verifier_publication
    from synthese_ihu.donnees_ouvertes import ecrire_csv
    from synthese_ihu.figures.bibliometrie_impact import evolution_vs_references

    copie = tmp_path / "2022"
    shutil.copytree(rapport_2022_construit, copie)
    donnees = charger()
    interne = figures.donnees_figure(ID_CROISSANCE, donnees, 2022, interne=True)
    tableau = evolution_vs_references(donnees, 2022)
    ecart = 100 * (tableau["croissance_ihu"] - tableau["croissance_monde"])
    monde = interne.assign(reference="Monde",
                           ecart_points=interne["ihu"].map(ecart).round(0).astype(float))
    plantee = (pd.concat([interne, monde]).sort_values(["rang", "reference"], kind="mergesort")
               .drop(columns="ihu"))
    ecrire_csv(plantee, copie / "donnees" / f"{ID_CROISSANCE}.csv")

    vue = _vue(2022)
    trouves = attaquer(copie, vue.references_wos, len(vue.ihu))
    assert any(t.figures == (ID_CROISSANCE,) for t in trouves), [str(t) for t in trouves]
    with pytest.raises(RecoupementPossible) as erreur:
        verifier_publication(copie)
    assert ID_CROISSANCE in str(erreur.value)
