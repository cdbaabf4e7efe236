"""Règles du cadre d'une valeur (périmètre, couverture) sur de petits tableaux, et cas plantés :
périmètre mêlé, source arrêtée tôt, couverture non déclarée, série qui ne monte que par les
entrants, parts qui ne font pas 100."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pandas as pd
import pytest
from outils_donnees import CSV_MINIMAUX

from synthese_ihu import cadre
from synthese_ihu import indicateurs as ind
from synthese_ihu.cadre import Cadre, ErreurCadre, Mesure
from synthese_ihu.donnees import Donnees, charger
from synthese_ihu.donnees.erreurs import ErreurDonnees
from synthese_ihu.donnees.metadonnees import Couverture, Metadonnees
from synthese_ihu.figures.precision import parts_arrondies

pytestmark = pytest.mark.rapide

SIX = frozenset("abcdef")


def test_rapport_de_meme_cadre():
    c = Cadre(SIX, 2022)
    assert cadre.rapport(Mesure("dépenses", 50, c), Mesure("dotation", 200, c)) == 0.25


def test_perimetre_mele_arrete_et_nomme_les_deux_valeurs():
    dep = Mesure("dépenses des IHU suivis", 275, Cadre(SIX, 2018))
    dot = Mesure("dotation engagée", 399, Cadre(SIX | {"g"}, 2018))
    with pytest.raises(ErreurCadre) as exc:
        cadre.rapport(dep, dot)
    message = str(exc.value)
    assert "« dépenses des IHU suivis » (6 IHU" in message
    assert "« dotation engagée » (7 IHU" in message and "cadre commun (6 IHU" in message


def test_source_arretee_tot_arrete_le_ratio():
    cof = Mesure("cofinancements", 300, Cadre(SIX, 2023))
    aide = Mesure("aide versée", 200, Cadre(SIX, 2022))
    with pytest.raises(ErreurCadre, match=r"jusqu'en 2023.*jusqu'en 2022"):
        cadre.rapport(cof, aide)
    assert cadre.commun(cof.cadre, aide.cadre) == Cadre(SIX, 2022)


def _finances() -> Donnees:
    """Six IHU dotés et payés ; un septième doté l'année cible, sans versement ni dépense ;
    un huitième qui déclare des dépenses sans dotation."""
    dot = pd.DataFrame({"ihu": [*SIX, "g"], "annee_engagement": [2011] * 6 + [2018],
                        "tranche": "initiale", "montant_eur": [100.0] * 6 + [400.0]})
    ver = pd.DataFrame({"ihu": list(SIX), "annee": 2015, "montant_eur": 50.0})
    dep = pd.DataFrame({"ihu": [*SIX, "h"], "annee": 2018, "nature": "personnel",
                        "montant_eur": 40.0, "campagne": 2018})
    return Donnees.depuis_tableaux(annee=2018, dotations=dot, versements=ver, depenses=dep)


def test_part_depensee_sur_le_cadre_commun():
    d = _finances()
    assert ind.cadre_dotation(d, 2018) == Cadre(SIX, 2018)
    # 6 × 40 / 6 × 100 : ni la dotation du nouvel IHU, ni les dépenses de l'IHU sans dotation
    assert ind.depenses_cumul_part_dotation(d, 2018) == pytest.approx(0.4)
    assert ind.dotation_engagee(d, 2018) == 1000.0


def test_effet_levier_sur_les_ihu_payes_et_les_versements_connus():
    ver = pd.DataFrame({"ihu": ["a", "b"], "annee": 2022, "montant_eur": 100.0})
    cof = pd.DataFrame({"ihu": ["a", "b", "c", "a"], "annee": [2022, 2022, 2023, 2023],
                        "origine": "privee", "montant_eur": [50.0, 50.0, 500.0, 900.0],
                        "campagne": 2023})
    d = Donnees.depuis_tableaux(annee=2023, versements=ver, cofinancements=cof)
    assert ind.cadre_levier(d, 2023) == Cadre(frozenset("ab"), 2023)  # rien de déclaré
    versements = Couverture("versements", "versements de l'agence", 2011, 2022)
    d = dataclasses.replace(d, metadonnees=Metadonnees(
        couvertures=MappingProxyType({"versements": versements})))
    assert ind.cadre_levier(d, 2023) == Cadre(frozenset("ab"), 2022)
    # ni « c » (aucune aide), ni les cofinancements de 2023 (versements connus jusqu'en 2022)
    assert ind.effet_levier(d, 2023) == pytest.approx(0.5)


def _par_ihu(valeurs: dict[str, dict[int, float]]) -> pd.DataFrame:
    return pd.DataFrame([(i, a, v) for i, serie in valeurs.items() for a, v in serie.items()],
                        columns=["ihu", "annee", "valeur"])


def test_hausse_due_aux_seuls_entrants_n_est_pas_une_hausse():
    # anciens : 197 puis 190 ; 12 entrants en 2023 : le total monte, pas le périmètre constant
    serie = _par_ihu({"anciens": {2021: 180, 2022: 197, 2023: 190},
                      "entrants": {2023: 60}})
    total = serie.groupby("annee")["valeur"].sum()
    assert (total.diff().dropna() > 0).all()
    assert not cadre.hausse_chaque_annee_constante(serie, 2022, 2023)
    assert cadre.hausse_chaque_annee_constante(serie, 2022, 2022)
    e = cadre.evolutions(serie)
    assert e.loc[2023, ["avant", "apres", "apport"]].tolist() == [197, 190, 60]


def test_pic_explique_par_les_entrants_seulement_s_ils_le_font():
    un_sur_180 = _par_ihu({"anciens": {2018: 170, 2019: 179, 2020: 150}, "entrant": {2019: 1,
                                                                                  2020: 1}})
    assert not cadre.entrants_expliquent(un_sur_180, 2019)
    decisif = _par_ihu({"anciens": {2018: 170, 2019: 160, 2020: 150}, "entrant": {2019: 30,
                                                                               2020: 30}})
    assert cadre.entrants_expliquent(decisif, 2019)


def test_parts_d_un_tout_font_100():
    # 43 + 43 + 15 = 101 en arrondi séparé (2018) ; 100 par plus forts restes
    parts = [0.4251, 0.4251, 0.1498]
    assert sum(round(100 * p) for p in parts) == 101
    assert parts_arrondies(parts).sum() == 100


def test_source_sans_couverture_refusee_en_disant_quoi_declarer(fabrique_racine):
    with pytest.raises(ErreurDonnees) as exc:
        charger(fabrique_racine(couvertures=False))
    message = str(exc.value)
    assert "agence/versements.csv : couverture non déclarée : ajouter dans " \
           "referentiel/metadonnees.toml une table [couverture.versements]" in message
    assert "contexte/references.toml une table [couverture.essais_france]" in message


def test_couverture_dementie_par_les_donnees_refusee(fabrique_racine):
    racine = fabrique_racine()
    chemin = racine / "referentiel" / "metadonnees.toml"
    chemin.write_text(chemin.read_text(encoding="utf-8").replace(
        "[couverture.articles]\nlibelle = \"articles\"\npremiere_annee = 2015\n"
        "derniere_annee = 2020", "[couverture.articles]\nlibelle = \"articles\"\n"
        "premiere_annee = 2015\nderniere_annee = 2021"), encoding="utf-8")
    with pytest.raises(ErreurDonnees, match=r"\[couverture.articles\] déclare 2015-2021, mais "
                       r"bibliometrie/sampra_articles.csv couvre 2015-2020"):
        charger(racine)


def test_couverture_declaree_ancre_la_fin_d_une_source(fabrique_racine):
    d = charger(fabrique_racine())
    fin = max(int(ligne[2]) for ligne in CSV_MINIMAUX["bibliometrie/sampra_articles.csv"][1:])
    assert cadre.fin_source(d, "articles", 2022) == fin == 2020
    assert cadre.source_arretee(d, "articles", 2022)
    assert not cadre.source_arretee(d, "versements", 2022)


def test_annee_nue_posterieure_a_l_edition():
    assert cadre.annees_posterieures("Un travail conduit depuis 2019 a nettement", 2018) == [
        "Un travail conduit depuis 2019 a nettement"]
    # dates avec leur mois, noms qui portent une année, intervalles et années passées : permis
    permis = ("prolongés jusqu'au 31 décembre 2024 ; extraction du 25 septembre 2023 ; juin "
              "2023 ; France 2030 ; l'édition 2022 ; de 2012 à 2018 ; 2011-2022")
    assert cadre.annees_posterieures(permis, 2018) == []


def test_la_carte_montre_chaque_ihu_du_tableau_de_l_edition():
    """Un IHU retenu en N, suivi à partir de N + 1 (FOReSIGHT en 2018) : le tableau des IHU le
    liste, la carte le situe aussi (groupe des IHU retenus)."""
    from synthese_ihu.figures.carte import donnees_carte
    from synthese_ihu.figures.commun import contexte

    ref = pd.DataFrame({"ihu": ["a", "g"], "nom": ["Alpha", "Gamma"], "ville": "Paris",
                        "region": "Ile-de-France", "appel": ["IHU1", "IHU2"],
                        "annee_selection": [2011, 2018],
                        "premiere_annee_indicateurs": [2012, 2019]})
    d = Donnees.depuis_tableaux(annee=2018, ihu=ref)
    tableau = set(ind.ihu_de_l_edition(d.ihu, 2018)["nom"])
    carte = donnees_carte(d, contexte(2018))
    assert tableau == {"Alpha", "Gamma"} and set(carte["nom"]) == tableau
    assert dict(zip(carte["nom"], carte["groupe"], strict=True)) == {"Alpha": "suivi",
                                                                     "Gamma": "annonce"}
