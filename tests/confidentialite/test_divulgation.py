"""Contrôle de divulgation du paquet (:mod:`synthese_ihu.confidentialite.divulgation`) : les
séries par IHU déclarées par les figures ne se recoupent pas, et le contrôle sait refuser une
paire rattachable (l'ancienne figure « écart à la France et au monde »), en nommant la figure.

L'attaque, elle, sur les rapports construits : ``test_attaquant.py``.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from synthese_ihu import chemins, figures
from synthese_ihu.confidentialite import (
    RecoupementPossible,
    problemes_divulgation,
    verifier_publication,
)
from synthese_ihu.confidentialite.divulgation import SeriePubliee, liaisons
from synthese_ihu.figures.base import Mesure

ID_CROISSANCE = "croissance_ihu_france_monde"
#: L'écart au monde que la figure 9 publiait pour chaque IHU anonyme, à côté de l'écart à la
#: France : leur différence est croissance France − croissance monde des catégories nommées.
ECART_MONDE = Mesure(colonne="ecart_points", lignes={"reference": "Monde"},
                     propres={"croissance_articles": 1},
                     nominatives={"croissance_monde_categories": -1})


def _toutes_les_series() -> list[SeriePubliee]:
    return [SeriePubliee(i, m) for i, f in figures.FIGURES.items() for m in f.mesures]


@pytest.mark.rapide
def test_chaque_figure_par_ihu_declare_ses_series():
    sans = [i for i, f in figures.FIGURES.items() if f.par_ihu and not f.mesures]
    assert not sans, f"figures par IHU sans mesures déclarées : {sans}"
    for i, f in figures.FIGURES.items():
        for m in f.mesures:
            assert m.echelle in {"lineaire", "log"}, (i, m)
            assert m.propres, f"{i} : {m.nom()} sans grandeur propre (valeur nominative publiée)"
            f.colonne(m.colonne)  # colonne déclarée par la figure (KeyError sinon)


@pytest.mark.rapide
def test_toutes_les_series_du_registre_publiees_ensemble_ne_se_recoupent_pas():
    assert liaisons(_toutes_les_series()) == []


@pytest.mark.rapide
def test_la_paire_france_monde_de_la_figure_9_est_refusee():
    series = [*_toutes_les_series(), SeriePubliee(ID_CROISSANCE, ECART_MONDE)]
    trouvees = liaisons(series)
    assert len(trouvees) == 1, [str(t) for t in trouvees]
    message = str(trouvees[0])
    assert trouvees[0].figures == (ID_CROISSANCE,)
    assert message.startswith(f"{ID_CROISSANCE} : la différence")
    assert "ecart_points[reference=France]" in message
    assert "ecart_points[reference=Monde]" in message
    assert "croissance_france_categories, croissance_monde_categories" in message


@pytest.mark.rapide
def test_une_paire_entre_deux_figures_est_refusee():
    """La croissance propre d'un IHU publiée dans une autre figure : retranchée de l'écart à la
    France, elle donne la croissance France de ses catégories."""
    croissance = SeriePubliee("croissance_articles_ihu", Mesure(
        colonne="croissance_pct", propres={"croissance_articles": 1}))
    trouvees = liaisons([*_toutes_les_series(), croissance])
    assert [t.figures for t in trouvees] == [(ID_CROISSANCE, "croissance_articles_ihu")]
    # un rapport de parts (échelle log) : parts P1 et P2 d'un IHU et sa croissance propre
    rapport = SeriePubliee("croissance_log", Mesure(
        colonne="x", echelle="log", propres={"log_articles_P2": 1, "log_articles_P1": -1}))
    trouvees = liaisons([*_toutes_les_series(), rapport])
    assert trouvees and all("part_production_francaise" in t.figures for t in trouvees)
    assert "une combinaison linéaire" in str(trouvees[-1]) or "le rapport" in str(trouvees[-1])


@pytest.mark.rapide
def test_une_valeur_nominative_publiee_seule_est_refusee():
    seule = SeriePubliee("reference_par_ihu", Mesure(
        colonne="croissance_france", propres={},
        nominatives={"croissance_france_categories": 1}))
    assert [str(t).split(" :")[0] for t in liaisons([seule])] == ["reference_par_ihu"]


def _dossier(tmp_path):
    (tmp_path / "raw" / "referentiel").mkdir(parents=True)
    shutil.copy(chemins.DONNEES_BRUTES / "referentiel" / "ihu.csv",
                tmp_path / "raw" / "referentiel" / "ihu.csv")
    dossier = tmp_path / "rendu"
    (dossier / "donnees").mkdir(parents=True)
    return dossier


@pytest.mark.rapide
def test_le_controle_de_publication_refuse_la_paire_replantee(tmp_path):
    """Le CSV de la figure 9 republie l'écart au monde par IHU : la publication est refusée,
    le message nomme la figure ; déclarée, la série est refusée comme recoupement."""
    dossier = _dossier(tmp_path)
    csv = dossier / "donnees" / f"{ID_CROISSANCE}.csv"
    csv.write_text("rang,reference,ecart_points\n1,France,36\n2,France,30\n3,France,-6\n",
                   encoding="utf-8")
    verifier_publication(dossier, racine_donnees=tmp_path / "raw")  # une comparaison : permis
    csv.write_text("rang,reference,ecart_points\n1,France,36\n1,Monde,41\n2,France,30\n"
                   "2,Monde,22\n", encoding="utf-8")
    with pytest.raises(RecoupementPossible) as erreur:
        verifier_publication(dossier, racine_donnees=tmp_path / "raw")
    message = str(erreur.value)
    assert message.startswith("Publication refusée : 1 recoupement(s) possible(s)")
    assert f"{ID_CROISSANCE} : colonne ecart_points (ligne 3 du CSV)" in message
    # la figure déclare de nouveau l'écart au monde : la paire elle-même est nommée
    spec = figures.FIGURES[ID_CROISSANCE]
    plantees = {**figures.FIGURES, ID_CROISSANCE: replace(spec,
                                                          mesures=(*spec.mesures, ECART_MONDE))}
    problemes = [str(p) for p in problemes_divulgation(dossier, plantees)]
    assert len(problemes) == 1 and problemes[0].startswith(f"{ID_CROISSANCE} : la différence")


@pytest.mark.rapide
def test_une_agregat_sans_rang_reste_permis(tmp_path):
    dossier = _dossier(tmp_path)
    (dossier / "donnees" / "effet_levier_ihu.csv").write_text(
        "rang,groupe,effet_levier_pct\n1,IHU,325\n2,IHU,120\n,Ensemble des IHU,180\n",
        encoding="utf-8")
    assert problemes_divulgation(dossier) == []


@pytest.mark.rapide
def test_un_libelle_numerique_n_est_pas_une_serie(tmp_path):
    """2014 : les périodes d'une année (« 2012 », « 2014 ») sont des libellés (type ``string``
    du Table Schema), pas des séries non déclarées."""
    dossier = _dossier(tmp_path)
    csv = dossier / "donnees" / "part_production_francaise.csv"
    csv.write_text("rang,periode,libelle_periode,part_pct\n1,P1,2012,2.1\n1,P2,2014,2.3\n",
                   encoding="utf-8")
    schema = csv.with_name("part_production_francaise.schema.json")
    schema.write_text('{"fields": [{"name": "rang", "type": "integer"}, {"name": "periode", '
                      '"type": "string"}, {"name": "libelle_periode", "type": "string"}, '
                      '{"name": "part_pct", "type": "number"}]}', encoding="utf-8")
    assert problemes_divulgation(dossier) == []
    schema.unlink()  # sans schéma, « 2012 » ressemble à une valeur : refusée, nommée
    assert [p.colonne for p in problemes_divulgation(dossier)] == ["libelle_periode"]


@pytest.mark.rapide
def test_le_refus_traverse_les_processus_de_rendu():
    """Un rendu dans un autre processus renvoie l'erreur par pickle : elle se reconstruit (sinon
    le groupe de processus de la construction se dit « cassé » et l'année n'est pas nommée)."""
    import pickle
    from pathlib import Path

    from synthese_ihu.confidentialite.divulgation import SerieNonDeclaree

    erreur = RecoupementPossible(Path("/rendu"), [SerieNonDeclaree(ID_CROISSANCE, "x", 2)])
    copie = pickle.loads(pickle.dumps(erreur))
    assert type(copie) is RecoupementPossible and str(copie) == str(erreur)
