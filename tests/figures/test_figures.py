"""Figures : données tracées, anonymisation, SVG stable et HTML, sur de petits tableaux."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from synthese_ihu import figures
from synthese_ihu.donnees import Donnees
from synthese_ihu.figures import (
    FIGURES,
    FigureIndisponible,
    donnees_figure,
    html_figure,
    svg_figure,
    svg_tableau,
)
from synthese_ihu.figures.anonymisation import COLONNES_IDENTITE, anonymiser, ordre_ihu
from synthese_ihu.figures.commun import periodes

CODES = {"ALPHA": "Institut Alphonse", "BRAVO": "Institut Bravissimo", "CHARL": "Charlie Santé",
         "DELTA": "Delta Cœur"}
NATURES = ("equipement_immobilier", "equipement_mobilier", "personnel", "fonctionnement")
INDICATEURS = ("projets_recherche", "chercheurs_etrangers", "etudiants_double_cursus",
               "brevets_deposes", "brevets_actifs", "recommandations", "essais_cliniques")
DERNIERE = 2018


def _jeu(graine: int = 7) -> Donnees:
    """Quatre IHU fictifs (DELTA suivi à partir de 2016), campagnes 2011-2018."""
    rng = np.random.default_rng(graine)
    codes = list(CODES)
    premiere = {"ALPHA": 2012, "BRAVO": 2012, "CHARL": 2012, "DELTA": 2016}
    ihu = pd.DataFrame({
        "ihu": codes, "nom": [CODES[c] for c in codes], "theme": "t", "ville": "Paris",
        "region": "r", "appel": ["IHU1", "IHU1", "IHU1", "IHU2"],
        "annee_selection": [2011, 2011, 2011, 2015],
        "premiere_annee_indicateurs": [premiere[c] for c in codes],
    })
    depenses, indicateurs, cof, vers, art, ref, campagnes = [], [], [], [], [], [], []
    n_art = 0
    for c in codes:
        for a in range(2011, DERNIERE + 1):
            campagnes.append((c, a, CODES[c], f"{c}_{a}.xlsx"))
            if a >= premiere[c] - 1:
                vers.append((c, a, float(rng.integers(1, 9)) * 1e6))
                for n in NATURES:
                    depenses.append((c, a, a, n, float(rng.integers(0, 5_000)) * 1e3))
            if a >= premiere[c]:
                for i in INDICATEURS:
                    indicateurs.append((c, a, a, i, int(rng.integers(1, 40))))
            if a >= 2014 and a >= premiere[c] - 1:
                for o in ("publique_nationale", "privee", "europe_international"):
                    cof.append((c, a, a, o, float(rng.integers(0, 3_000)) * 1e3))
            if a >= 2012:
                for _ in range(int(rng.integers(20, 40))):
                    n_art += 1
                    top1 = bool(rng.random() < 0.03)
                    art.append((f"A{n_art}", c, a, rng.choice(["A", "B", "C", "D", "E", "NC"]),
                                rng.choice(["1", "2", "3", "k", "PA", "DA"]), top1,
                                top1 or bool(rng.random() < 0.15), bool(rng.random() < 0.2)))
                for p, base in (("France", 2_000), ("Monde", 40_000)):
                    n = int(base * (1 + 0.03 * (a - 2012)) + rng.integers(0, 50))
                    ref.append((c, a, p, n, n // 100, n // 10))
    creations = {(c, k): int(rng.integers(2010, DERNIERE + 1)) for c in codes for k in range(3)}
    startups = [(c, campagne, f"Start {c} {k}", a, "active")  # chaque classeur : sa liste
                for (c, k), a in creations.items() for campagne in range(a, DERNIERE + 1)]
    return Donnees.depuis_tableaux(
        ihu=ihu,
        depenses=pd.DataFrame(depenses, columns=["ihu", "campagne", "annee", "nature",
                                                 "montant_eur"]),
        indicateurs=pd.DataFrame(indicateurs, columns=["ihu", "campagne", "annee",
                                                       "indicateur", "valeur"]),
        cofinancements=pd.DataFrame(cof, columns=["ihu", "campagne", "annee", "origine",
                                                  "montant_eur"]),
        versements=pd.DataFrame(vers, columns=["ihu", "annee", "montant_eur"]),
        repartition_previsionnelle=pd.DataFrame(
            [(c, n, 1e6 * (k + 1)) for c in codes for k, n in enumerate(NATURES)],
            columns=["ihu", "nature", "montant_eur"]),
        articles=pd.DataFrame(art, columns=["id_article", "ihu", "annee", "categorie",
                                            "position", "top1", "top10", "remerciement"]),
        references_wos=pd.DataFrame(ref, columns=["ihu", "annee", "perimetre", "articles",
                                                  "articles_top1", "articles_top10"]),
        essais_france=pd.DataFrame({"annee": range(2012, DERNIERE + 1),
                                    "essais_en_cours": range(5000, 5000 + 7 * 100, 100),
                                    "statut": "publie"}),
        startups=pd.DataFrame(startups, columns=["ihu", "campagne", "nom", "annee_creation",
                                                 "statut"]),
        campagnes=pd.DataFrame(campagnes, columns=["ihu", "campagne", "nom", "fichier"]),
    )


@pytest.fixture(scope="module")
def jeu() -> Donnees:
    return _jeu()


PAR_IHU = [i for i, f in FIGURES.items() if f.par_ihu]
IDENTITES = [*CODES, *CODES.values()]


def _figures_appelees(carnet) -> list[str]:
    """Identifiants passés à ``s.figure("…")`` dans les cellules de code d'un carnet source."""
    import nbformat

    nb = nbformat.read(carnet, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return re.findall(r"\.figure\(\s*[\"']([^\"']+)[\"']", code)


@pytest.mark.lent
def test_chaque_figure_dans_un_seul_carnet_celui_de_sa_section():
    from synthese_ihu.config import charger_configuration

    appels = {s.id: _figures_appelees(s.chemin) for s in charger_configuration().sections}
    toutes = [i for ids in appels.values() for i in ids]
    assert sorted(toutes) == sorted(FIGURES), "figure absente d'un carnet, en double ou inconnue"
    for id_figure, spec in FIGURES.items():
        assert id_figure in appels.get(spec.section, []), (
            f"{id_figure} : déclarée pour la section {spec.section!r}, affichée ailleurs")
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in FIGURES)


@pytest.mark.lent
@pytest.mark.parametrize("id_figure", list(FIGURES))
def test_colonnes_du_tableau_declarees_decrites_et_avec_unite(jeu, id_figure):
    """Le CSV publié d'une figure est décrit par la figure elle-même : chaque colonne du tableau
    est déclarée, dans l'ordre, avec un titre, une description, et une unité si elle est
    numérique, puis le statut de chaque point ; une figure par IHU déclare sa précision."""
    spec = FIGURES[id_figure]
    cadre = donnees_figure(id_figure, jeu, DERNIERE)
    assert not cadre.empty
    # toute figure finit par le statut de ses points (publié, reconstruit, estimé)
    assert list(map(str, cadre.columns)) == [c.nom for c in spec.colonnes] + ["statut"]
    for colonne in (*spec.colonnes, spec.colonne("statut")):
        assert colonne.titre and colonne.description.endswith("."), colonne
        if pd.api.types.is_numeric_dtype(cadre[colonne.nom]):
            assert colonne.unite, f"{id_figure} : colonne numérique {colonne.nom} sans unité"
    assert (spec.decimales is not None) == spec.par_ihu


@pytest.mark.parametrize(("annee", "attendu"), [
    (2012, None), (2013, None), (2014, ((2012, 2012), (2014, 2014))),
    (2016, ((2012, 2013), (2015, 2016))),
    (2022, ((2012, 2016), (2018, 2022))), (2030, ((2020, 2024), (2026, 2030))),
])
@pytest.mark.rapide
def test_periodes(annee, attendu):
    assert periodes(annee) == attendu


@pytest.mark.rapide
def test_ordre_ihu_trie_sur_la_valeur_et_departage_par_figure():
    valeurs = pd.Series({"A": 3.0, "B": 1.0, "C": 2.0})
    assert list(ordre_ihu(valeurs, "x", croissant=True).index) == ["B", "C", "A"]
    assert list(ordre_ihu(valeurs, "x", croissant=False).index) == ["A", "C", "B"]
    egales = pd.Series(1.0, index=[f"I{k}" for k in range(8)])
    ordres = {tuple(ordre_ihu(egales, f"figure_{k}", croissant=True).index) for k in range(6)}
    assert len(ordres) > 1  # ex æquo : l'ordre dépend de la figure
    assert tuple(ordre_ihu(egales, "f", croissant=True).index) == tuple(
        ordre_ihu(egales.iloc[::-1], "f", croissant=True).index)  # pas de l'ordre d'entrée


@pytest.mark.rapide
def test_anonymiser_retire_identite_et_numerote():
    cadre = pd.DataFrame({"ihu": ["A", "B"], "nom": ["x", "y"], "v": [1.0, 2.0]})
    sortie = anonymiser(cadre, cadre.set_index("ihu")["v"], "f", croissant=False)
    assert list(sortie.columns) == ["rang", "v"]
    assert list(sortie["rang"]) == [1, 2] and list(sortie["v"]) == [2.0, 1.0]
    interne = anonymiser(cadre, cadre.set_index("ihu")["v"], "f", croissant=False, interne=True)
    assert list(interne["ihu"]) == ["B", "A"]


@pytest.mark.lent
@pytest.mark.parametrize("id_figure", list(FIGURES))
def test_chaque_figure_se_rend(jeu, id_figure):
    cadre = donnees_figure(id_figure, jeu, DERNIERE)
    assert not cadre.empty
    html = html_figure(id_figure, jeu, DERNIERE)
    assert html.startswith(f'<figure class="figure" id="figure-{id_figure}" '
                           f'data-figure="{id_figure}"><svg ')
    assert re.search(r'<svg [^>]*role="img" aria-label="[^"]+">', html)
    assert html.endswith("</svg><figcaption><span class=\"figure-numero\"></span>"
                         + html.split('<span class="figure-numero"></span>')[1])
    assert html.endswith("</figcaption></figure>")
    assert "<?xml" not in html and "DOCTYPE" not in html


@pytest.mark.lent
@pytest.mark.parametrize("id_figure", list(FIGURES))
def test_svg_stable_et_identifiants_prefixes(jeu, id_figure):
    svg = svg_figure(id_figure, jeu, DERNIERE)
    assert svg == svg_figure(id_figure, jeu, DERNIERE)
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith(f"{id_figure}-") for i in ids)
    refs = re.findall(r'url\(#([^)]+)\)', svg) + re.findall(r'href="#([^"]+)"', svg)
    assert all(r.startswith(f"{id_figure}-") for r in refs)
    assert set(refs) <= set(ids)
    assert "dc:date" not in svg.lower() and "font-family" not in svg or "DejaVu Sans" in svg


@pytest.mark.lent
@pytest.mark.parametrize("id_figure", PAR_IHU)
def test_figures_par_ihu_anonymes(jeu, id_figure):
    cadre = donnees_figure(id_figure, jeu, DERNIERE)
    assert not set(COLONNES_IDENTITE) & set(cadre.columns)
    valeurs = " ".join(str(v) for v in cadre.to_numpy().ravel())
    svg = svg_figure(id_figure, jeu, DERNIERE)
    html = html_figure(id_figure, jeu, DERNIERE)
    for identite in IDENTITES:
        assert identite.lower() not in valeurs.lower()
        assert identite.lower() not in svg.lower()
        assert identite.lower() not in html.lower()
    rangs = cadre["rang"].dropna().astype(int)
    assert sorted(rangs.unique()) == list(range(1, rangs.nunique() + 1))
    # en interne, le code revient (pilotage de l'agence)
    interne = donnees_figure(id_figure, jeu, DERNIERE, interne=True)
    assert "ihu" in interne.columns


@pytest.mark.rapide
def test_ordres_differents_entre_figures(jeu):
    ordres = figures.ordres_ihu(jeu, DERNIERE)
    assert set(ordres) == set(PAR_IHU)
    assert all(sorted(o) == sorted(CODES) for o in ordres.values())
    assert len(set(ordres.values())) > 1


@pytest.mark.rapide
def test_figure_par_ihu_triee_sur_sa_valeur(jeu):
    cadre = donnees_figure("effet_levier_ihu", jeu, DERNIERE)
    ihu = cadre.loc[cadre["groupe"] == "IHU"].sort_values("rang")
    assert ihu["effet_levier_pct"].is_monotonic_decreasing
    cadre = donnees_figure("part_production_francaise", jeu, DERNIERE)
    p2 = cadre.loc[cadre["periode"] == "P2"].sort_values("rang")
    assert p2["part_pct"].is_monotonic_increasing


@pytest.mark.rapide
def test_donnees_exactes_petits_cas(jeu):
    dep = donnees_figure("depenses_nature_annee", jeu, DERNIERE)
    attendu = jeu.depenses.loc[jeu.depenses["annee"] == 2015, "montant_eur"].sum() / 1e6
    assert dep.loc[dep["annee"] == 2015, "montant_meur"].sum() == pytest.approx(attendu, abs=1e-2)
    assert dep["annee"].max() == DERNIERE and dep["annee"].min() == 2011
    proj = donnees_figure("projets_annee", jeu, DERNIERE)
    assert list(proj["ihu_suivis"]) == [3, 3, 3, 3, 4, 4, 4]
    cof = donnees_figure("cofinancements_annee", jeu, DERNIERE)
    assert cof["annee"].min() == 2014
    evo = donnees_figure("evolution_categories", jeu, DERNIERE)
    assert list(evo["categorie"]) == ["A", "B", "C", "D", "E", "NC", "Ensemble"]


@pytest.mark.rapide
def test_series_arretees_a_l_annee_cible(jeu):
    for id_figure in ("depenses_nature_annee", "projets_annee", "articles_categorie_annee",
                      "startups_annee", "essais_cliniques_annee"):
        assert donnees_figure(id_figure, jeu, 2015)["annee"].max() == 2015


@pytest.mark.lent
@pytest.mark.parametrize("annee", [2012, 2013])
def test_sans_donnees_avis_court(jeu, annee):
    for id_figure in ("evolution_categories", "croissance_ihu_france_monde",
                      "cofinancements_annee", "effet_levier_ihu"):
        assert donnees_figure(id_figure, jeu, annee).empty
        html = html_figure(id_figure, jeu, annee)
        assert html.startswith('<p class="figure-absente">') and str(annee) in html
        with pytest.raises(FigureIndisponible):
            svg_figure(id_figure, jeu, annee)


@pytest.mark.rapide
def test_echappement_legende_et_alt():
    cadre = pd.DataFrame({"annee": [2014, 2015], "montant_meur": [1.0, 2.0]})
    svg = svg_tableau("cofinancements_annee", cadre, 2015)
    assert 'aria-label="Barres des cofinancements' in svg
    html = figures.rendu.html_de("x", "<svg></svg>", "a < b & \"c\"")
    assert "a &lt; b &amp; &quot;c&quot;" in html


@pytest.mark.rapide
def test_nombres_a_la_francaise_sur_les_axes():
    cadre = pd.DataFrame({"annee": range(2012, 2016), "projets": [900, 1100, 1250, 1300],
                          "ihu_suivis": [6, 6, 7, 7]})
    svg = svg_tableau("projets_annee", cadre, 2015)
    assert "1\u202f250" in svg  # étiquette de barre
    assert "7 IHU suivis" in svg
    assert re.search(r">1\u202f[0-9]{3}<", svg)  # graduation
    assert ">2014<" in svg  # années sans séparateur


@pytest.mark.lent
def test_svg_identique_d_un_processus_a_l_autre(tmp_path):
    """Même tableau, autre processus (autre PYTHONHASHSEED) : même SVG à l'octet près."""
    script = (
        "import sys, pandas as pd\n"
        "from synthese_ihu.figures import svg_tableau\n"
        "cadre = pd.DataFrame({'annee': [2014, 2015, 2016], 'montant_meur': [1.5, 2.0, 0.5]})\n"
        "sys.stdout.write(svg_tableau('cofinancements_annee', cadre, 2016))\n"
    )
    sorties = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": graine}).stdout
        for graine in ("1", "2")
    ]
    cadre = pd.DataFrame({"annee": [2014, 2015, 2016], "montant_meur": [1.5, 2.0, 0.5]})
    assert sorties[0] == sorties[1] == svg_tableau("cofinancements_annee", cadre, 2016)
    assert not re.search(r"[ \t]$", sorties[0], re.M)


@pytest.mark.lent
def test_meme_svg_pour_deux_jeux_identiques():
    assert svg_figure("repartition_nature_ihu", _jeu(), DERNIERE) == svg_figure(
        "repartition_nature_ihu", _jeu(), DERNIERE)
