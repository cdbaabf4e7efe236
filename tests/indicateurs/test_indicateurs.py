"""Indicateurs sur de petits tableaux construits dans le test."""

from __future__ import annotations

import pandas as pd
import pytest

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees

pytestmark = pytest.mark.rapide

REF = pd.DataFrame({
    "ihu": ["A", "B"], "nom": ["Alpha", "Beta"], "theme": ["t", "t"], "ville": ["Paris", "Bdx"],
    "region": ["Ile-de-France", "Nouvelle-Aquitaine"], "appel": ["IHU1", "IHU2"],
    "annee_selection": [2011, 2018], "premiere_annee_indicateurs": [2012, 2019],
    "fin_financement": pd.to_datetime(["2024-12-31", "2028-08-31"]),
})


def _vue(annee: int = 2022, **tableaux) -> Donnees:
    return Donnees.depuis_tableaux(annee=annee, ihu=REF, **tableaux)


def _indicateurs(lignes: list[tuple[str, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(lignes, columns=["ihu", "annee", "indicateur", "valeur"]).assign(
        campagne=lambda t: t["annee"])


def _articles(lignes: list[tuple]) -> pd.DataFrame:
    colonnes = ["ihu", "annee", "categorie", "position", "top1", "top10", "remerciement"]
    t = pd.DataFrame(lignes, columns=colonnes)
    t.insert(0, "id_article", [f"a{i}" for i in range(len(t))])
    return t


# --- outils -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("annee", "attendu"),
    [
        (2022, ((2012, 2016), (2018, 2022))),
        (2021, ((2013, 2016), (2018, 2021))),
        (2017, ((2013, 2014), (2016, 2017))),
        (2014, ((2012, 2012), (2014, 2014))),
        (2013, None),
        (2012, None),
    ],
)
def test_periodes_comparaison(annee, attendu):
    periodes = ind.periodes_comparaison(annee)
    if attendu is None:
        assert periodes is None
    else:
        assert [(p.debut, p.fin) for p in periodes] == list(attendu)
        assert periodes[1].fin == annee


@pytest.mark.parametrize(
    ("avant", "apres", "sens"),
    [(100, 120, "hausse"), (100, 85, "baisse"), (100, 104, "stable"), (100, 96, "stable"),
     (0, 3, "hausse"), (0, 0, "stable")],
)
def test_sens_variation(avant, apres, sens):
    assert ind.sens_variation(avant, apres) == sens


def test_tendance_serie_hausse_puis_plateau():
    serie = pd.Series([10, 20, 30, 100, 103, 98, 101], index=range(2012, 2019))
    forme = ind.tendance_serie(serie)
    assert forme.fin_hausse == 2015 and forme.plateau == [2016, 2017, 2018]
    assert forme.sens == "hausse" and forme.annees_baisse == [2017] and forme.pente > 0
    assert ind.tendance_serie(pd.Series([5.0], index=[2012])) is None
    descendante = ind.tendance_serie(pd.Series([9, 8, 4], index=[2012, 2013, 2014]))
    assert descendante.sens == "baisse" and descendante.fin_hausse is None


def test_fourchette():
    f = ind.fourchette(pd.Series({"A": 8, "B": 512, "C": 40}))
    assert (f.min, f.max, f.ihu_min, f.ihu_max) == (8, 512, "A", "B")
    assert ind.fourchette(pd.Series([], dtype=float)) is None


# --- finances -----------------------------------------------------------------------------------
def test_totaux_financiers_et_parts():
    d = _vue(
        dotations=pd.DataFrame({"ihu": ["A", "B"], "annee_engagement": [2011, 2018],
                                "tranche": ["initiale", "initiale"], "montant_eur": [800., 200.]}),
        versements=pd.DataFrame({"ihu": ["A", "A", "B"], "annee": [2011, 2022, 2022],
                                 "montant_eur": [300., 400., 150.]}),
        depenses=pd.DataFrame({"ihu": ["A", "A", "B"], "campagne": [2021, 2022, 2022],
                               "annee": [2021, 2022, 2022],
                               "nature": ["personnel", "personnel", "fonctionnement"],
                               "montant_eur": [100., 200., 40.]}),
    )
    assert ind.dotation_engagee(d) == 1000.0
    assert ind.verse_cumul(d) == 850.0 and ind.verse_annee(d) == 550.0
    assert ind.verse_cumul_part_dotation(d) == pytest.approx(0.85)
    assert ind.depenses_cumul(d) == 340.0 and ind.depenses_annee(d) == 240.0
    assert ind.depenses_cumul_part_dotation(d) == pytest.approx(0.34)
    assert ind.dotation_engagee(d, 2017) == 800.0 and ind.verse_cumul(d, 2021) == 300.0


def test_depenses_nature_tendance_bascule_et_rapprochement():
    lignes = []
    for annee, (immo, perso, fonct) in {2017: (90, 10, 5), 2018: (80, 30, 5),
                                        2019: (10, 60, 20), 2020: (5, 80, 20)}.items():
        for nature, montant in (("equipement_immobilier", immo), ("personnel", perso),
                                ("fonctionnement", fonct)):
            lignes.append({"ihu": "A", "campagne": annee, "annee": annee, "nature": nature,
                           "montant_eur": float(montant)})
    prev = pd.DataFrame({"ihu": ["A", "A", "A"],
                         "nature": ["equipement_immobilier", "personnel", "fonctionnement"],
                         "montant_eur": [30., 50., 20.]})
    d = _vue(2020, depenses=pd.DataFrame(lignes), repartition_previsionnelle=prev)
    t = ind.depenses_nature_tendance(d)
    assert t.verifiee and t.sens == "hausse"
    assert t.faits["annee_bascule"] == 2019
    assert t.faits["annees_equipement"] == [2017, 2018]
    assert t.faits["personnel_premier"] == [2019, 2020]
    # sans bascule (équipement toujours premier), l'énoncé ne tient plus
    d2 = _vue(2018, depenses=pd.DataFrame(lignes[:6]), repartition_previsionnelle=prev)
    assert not ind.depenses_nature_tendance(d2).verifiee


def test_part_equipement_par_ihu():
    dep = pd.DataFrame({"ihu": ["A", "A", "B"], "campagne": [2022] * 3, "annee": [2022] * 3,
                        "nature": ["equipement_mobilier", "personnel", "personnel"],
                        "montant_eur": [75., 25., 10.]})
    d = _vue(depenses=dep)
    assert ind.part_equipement_par_ihu(d).to_dict() == {"A": 0.75, "B": 0.0}
    assert ind.depenses_nature_par_ihu_tendance(d).verifiee


# --- indicateurs de campagne --------------------------------------------------------------------
def test_indicateur_annee_cumul_fourchette_et_perimetre_labellise():
    d = _vue(indicateurs=_indicateurs([
        ("A", 2012, "brevets_deposes", 3), ("A", 2022, "brevets_deposes", 5),
        ("B", 2018, "brevets_deposes", 100),  # avant labellisation de B : hors périmètre
        ("B", 2022, "brevets_deposes", 2), ("A", 2022, "projets_recherche", 9),
    ]))
    assert ind.indicateur_annee(d, "brevets_deposes") == 7
    assert ind.indicateur_cumul(d, "brevets_deposes") == 10
    assert ind.indicateur_cumul_par_ihu(d, "brevets_deposes").to_dict() == {"A": 8, "B": 2}
    f = ind.fourchette(ind.indicateur_par_ihu(d, "projets_recherche"))
    assert (f.min, f.max) == (0, 9)  # B suivi sans valeur déclarée : 0
    assert ind.indicateur_serie(d, "brevets_deposes").loc[2018] == 0


def test_projets_tendance():
    valeurs = {2012: 100, 2013: 200, 2014: 300, 2015: 400, 2016: 500, 2017: 600, 2018: 1000,
               2019: 1020, 2020: 990, 2021: 1040, 2022: 1010}
    d = _vue(indicateurs=_indicateurs([("A", a, "projets_recherche", v)
                                       for a, v in valeurs.items()]))
    t = ind.projets_tendance(d)
    assert t.verifiee and t.sens == "stable"
    assert t.faits["fin_hausse"] == 2018 and t.faits["plateau"] == [2019, 2020, 2021, 2022]
    assert t.faits["ihu_ajoutes_pendant_plateau"] == ["B"]
    valeurs[2021] = 1200  # sortie de plateau
    d2 = _vue(indicateurs=_indicateurs([("A", a, "projets_recherche", v)
                                        for a, v in valeurs.items()]))
    assert not ind.projets_tendance(d2).verifiee


@pytest.mark.parametrize(
    ("serie", "verifiee"),
    [([100, 40, 30, 35], True), ([100, 40, 30, 60], True), ([100, 40, 45, 50], False)],
)
def test_chercheurs_etrangers_tendance(serie, verifiee):
    lignes = [("A", 2019 + i, "chercheurs_etrangers", v) for i, v in enumerate(serie)]
    t = ind.chercheurs_etrangers_tendance(_vue(indicateurs=_indicateurs(lignes)))
    assert t.verifiee is verifiee


def test_etudiants_tendance_deux_ihu():
    e = "etudiants_double_cursus"
    lignes = [("A", 2019, e, 10), ("A", 2021, e, 50), ("B", 2019, e, 5), ("B", 2021, e, 8)]
    t = ind.etudiants_tendance(_vue(indicateurs=_indicateurs(lignes)))
    assert t.verifiee and t.faits["deux_ihu"] == ["A", "B"]
    assert ind.etudiants_tendance(_vue(indicateurs=_indicateurs(lignes)), 2022, 2019, 2021,
                                  part_min=1.01).verifiee is False


def test_essais_cliniques_tendance_et_part_france():
    lignes = [("A", 2020, "essais_cliniques", 300), ("A", 2021, "essais_cliniques", 250),
              ("A", 2022, "essais_cliniques", 200)]
    france = pd.DataFrame({"annee": [2020, 2021, 2022], "essais_en_cours": [1000, 1500, 2000],
                           "statut": ["publie"] * 3})
    d = _vue(indicateurs=_indicateurs(lignes), essais_france=france)
    assert ind.essais_cliniques_part_france(d) == pytest.approx(0.1)
    t = ind.essais_cliniques_tendance(d)
    assert t.verifiee and t.sens == "baisse"
    france.loc[2, "essais_en_cours"] = 1400
    assert not ind.essais_cliniques_tendance(_vue(indicateurs=_indicateurs(lignes),
                                                  essais_france=france)).verifiee


# --- bibliométrie -------------------------------------------------------------------------------
def test_articles_perimetre_labellise_evolution_positions():
    art = _articles([
        ("A", 2012, "A", "1", False, True, False),
        ("A", 2013, "E", "k", False, False, False),
        ("B", 2014, "B", "k", False, False, False),  # avant labellisation de B
        ("A", 2018, "A", "DA", True, True, True),
        ("A", 2020, "B", "k", False, False, False),
        ("B", 2021, "A", "2", False, True, False),
        ("B", 2022, "C", "1", False, False, True),
        ("A", 2011, "A", "1", False, False, False),  # avant 2012
    ])
    d = _vue(articles=art)
    assert ind.articles_cumul(d) == 6
    assert ind.articles_evolution(d) == pytest.approx(4 / 2 - 1)
    par_cat = ind.articles_evolution_par_categorie(d)
    assert par_cat["A"] == pytest.approx(1.0) and par_cat["E"] == pytest.approx(-1.0)
    assert ind.position_premier_dernier(d) == pytest.approx(0.5)
    assert ind.position_deuxieme_avant_dernier(d) == pytest.approx(0.25)
    assert ind.remerciements(d) == pytest.approx(0.5)
    t = ind.position_tendance(d)
    assert t.faits["delta_total"] == 2 and not t.verifiee  # Δk = 0
    assert ind.articles_evolution(d, 2013) is None and ind.remerciements(d, 2012) is None


def test_evolution_et_part_france_par_ihu():
    art = _articles([("A", a, "A", "k", False, False, False) for a in [2012, 2018, 2019]]
                    + [("B", a, "A", "k", False, False, False) for a in [2013, 2014, 2020]])
    wos = pd.DataFrame({
        "ihu": ["A", "A", "B", "B"], "annee": [2012, 2020, 2012, 2020],
        "perimetre": ["France"] * 4, "articles": [100, 150, 100, 300],
        "articles_top1": [1, 1, 1, 1], "articles_top10": [10, 10, 10, 10],
    })
    d = _vue(articles=art, references_wos=wos)
    tab = ind.evolution_vs_france(d)
    assert tab.loc["A", "croissance_ihu"] == pytest.approx(1.0)
    assert tab.loc["A", "croissance_france"] == pytest.approx(0.5)
    assert tab.loc["B", "croissance_ihu"] == pytest.approx(-0.5)  # toute la production de B
    assert ind.evolution_vs_france_tendance(d).faits["moins_rapides"] == ["B"]
    assert ind.evolution_vs_france_tendance(d).verifiee
    parts = ind.part_france(d)
    assert parts.loc["A", "part_p1"] == pytest.approx(0.01)
    assert parts.loc["A", "part_p2"] == pytest.approx(2 / 150)
    assert ind.part_france_tendance(d).verifiee


def test_top_cites_tendance_et_vs_france():
    lignes = []
    for annee, n in zip(range(2012, 2023), [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 2], strict=True):
        lignes += [("A", annee, "A", "k", True, True, False)] * n
        lignes += [("A", annee, "A", "k", False, False, False)] * 10
    d = _vue(articles=_articles(lignes), references_wos=pd.DataFrame({
        "ihu": ["A"], "annee": [2020], "perimetre": ["France"], "articles": [1000],
        "articles_top1": [10], "articles_top10": [100]}))
    t = ind.top_cites_tendance(d)
    assert t.verifiee and t.faits["pentes"]["top10"] > 0
    tab = ind.top_cites_vs_france(d)
    assert tab.loc["ensemble", "top10_france"] == pytest.approx(0.1)
    assert tab.loc["A", "top10_ihu"] > 0.1
    # B, suivi mais absent de l'export (IHU entrant), n'est pas comparé : le texte le dit à part
    assert ind.ihu_bibliometrie(d) == ["A"] and "B" not in tab.index
    assert ind.top_cites_vs_france_tendance(d).verifiee


# --- valorisation, cofinancements, contexte ------------------------------------------------------
def test_startups():
    s = pd.DataFrame({"ihu": ["A"] * 4, "campagne": [2022] * 4, "nom": list("wxyz"),
                      "annee_creation": [2010, 2019, 2020, 2022],
                      "statut": ["active", "active", "active", "cessee"]})
    d = _vue(startups=s)
    assert ind.startups_annee(d) == 1
    assert ind.startups_cumul(d) == 3
    assert ind.startups_actives_plus_3_ans(d) == 2


def test_brevets_parts_contexte():
    inpi = pd.DataFrame({
        "annee": [2022] * 5,
        "territoire": ["France", "Ile-de-France", "Nouvelle-Aquitaine", "Ile-de-France",
                       "Nouvelle-Aquitaine"],
        "perimetre": ["tous_domaines"] * 3 + ["domaines_ihu"] * 2,
        "depots": [1000, 80, 20, 8, 2], "statut": ["publie"] * 5,
    })
    d = _vue(brevets_inpi=inpi, indicateurs=_indicateurs([("A", 2022, "brevets_deposes", 4)]))
    assert ind.brevets_part_france(d) == pytest.approx(0.004)
    assert ind.brevets_part_regions(d) == pytest.approx(0.04)
    assert ind.brevets_part_regions_domaines(d) == pytest.approx(0.4)
    assert ind.brevets_part_france(d, 2021) is None


def test_cofinancements_effet_levier_origines_declarants():
    cof = pd.DataFrame({
        "ihu": ["A", "A", "A", "B"], "campagne": [2014, 2021, 2022, 2022],
        "annee": [2014, 2021, 2022, 2022],
        "origine": ["privee", "publique_nationale", "privee", "europe_international"],
        "montant_eur": [100., 200., 100., 100.],
    })
    vers = pd.DataFrame({"ihu": ["A", "B"], "annee": [2012, 2019], "montant_eur": [400., 50.]})
    d = _vue(cofinancements=cof, versements=vers)
    assert ind.cofinancements_cumul(d) == 500.0 and ind.cofinancements_annee(d) == 200.0
    assert ind.effet_levier(d) == pytest.approx(500 / 450)
    assert ind.effet_levier_par_ihu(d).to_dict() == {"A": 1.0, "B": 2.0}
    assert ind.cofinancements_par_origine(d).to_dict() == pytest.approx(
        {"publique_nationale": 0.4, "privee": 0.4, "europe_international": 0.2})
    t = ind.cofinancements_declarants_tendance(d)
    assert t.verifiee and ("A", 2015) in t.faits["lacunes"]
    assert ("B", 2015) not in t.faits["lacunes"]  # B pas encore suivi
    assert ind.cofinancements_cumul(d, 2013) is None and ind.effet_levier(d, 2013) is None
    assert not ind.cofinancements_declarants_tendance(d, 2021).verifiee  # B muet en 2021


def test_annee_cible_obligatoire():
    d = Donnees.depuis_tableaux(ihu=REF)
    with pytest.raises(ValueError, match="année cible"):
        ind.verse_cumul(d)
    assert ind.verse_cumul(d, 2022) == 0.0
