"""Confidentialité du rapport public : aucun nom ni code d'IHU à côté d'une valeur par IHU.

L'analyse est celle du paquet (:mod:`synthese_ihu.confidentialite`), que la construction passe
sur chaque rapport public avant de le mettre en place ; ces tests la passent sur les rapports
2012-2022 construits une fois par session, vérifient qu'elle sait échouer (HTML, SVG, PDF, CSV
falsifiés : un nom à côté d'une valeur) et qu'une fuite plantée dans une copie des données fait
refuser la construction, sans rien publier.

Hors de l'analyse des fichiers (sur les données, ici) : **ordres des figures par IHU**
(:func:`synthese_ihu.figures.ordres_ihu`, clés de tri réellement utilisées relevées pendant le
calcul) — deux figures ne partagent le même ordre que si leurs valeurs l'imposent ; les
**séries rapprochables d'une liste nominative** sont dans ``test_series_nominatives.py``.
"""

from __future__ import annotations

import base64
import csv
import itertools
import shutil

import pandas as pd
import pytest

from synthese_ihu import chemins, figures
from synthese_ihu.confidentialite import (
    Reperes,
    analyser_csv_nominatif,
    analyser_dossier,
    analyser_html,
    analyser_pdf,
    analyser_texte,
    figures_par_ihu,
    reperes_du_referentiel,
)
from synthese_ihu.figures import anonymisation

ANNEES = list(range(2012, 2023))  # comme conftest.ANNEES (rapports_publics)
PAR_IHU = figures_par_ihu()


# --------------------------------------------------------------------------------------------
# Ordres des figures par IHU


def cles_de_tri(donnees, annee: int, monkeypatch) -> dict[str, tuple[pd.Series, bool]]:
    """Clé de tri réellement utilisée par chaque figure par IHU (relevée pendant le calcul)."""
    releves: dict[str, tuple[pd.Series, bool]] = {}
    original = anonymisation.ordre_ihu

    def espion(valeurs, id_figure, *, croissant):
        releves[id_figure] = (valeurs.copy(), croissant)
        return original(valeurs, id_figure, croissant=croissant)

    monkeypatch.setattr(anonymisation, "ordre_ihu", espion)
    for id_figure, spec in figures.FIGURES.items():
        if spec.par_ihu:
            figures.donnees_figure(id_figure, donnees, annee, interne=True)
    return releves


def ordres_communs_non_imposes(ordres: dict[str, tuple[str, ...]],
                               cles: dict[str, tuple[pd.Series, bool]]) -> list[str]:
    """Paires de figures au même ordre alors qu'un ex æquo laissait le choix ; ordres incohérents.

    Returns
    -------
    list of str
        Un message par problème (vide si tout va bien).
    """
    problemes = []
    for id_figure, ordre in ordres.items():
        valeurs, croissant = cles[id_figure]
        suite = pd.to_numeric(valeurs.reindex(list(ordre)), errors="coerce").round(9)
        connues = suite.dropna().to_numpy()
        pas = (connues[1:] - connues[:-1]) if croissant else (connues[:-1] - connues[1:])
        if (pas < 0).any() or suite.iloc[: len(connues)].isna().any():
            problemes.append(f"{id_figure} : l'ordre ne suit pas la clé de tri de la figure")

    def ex_aequo(id_figure: str) -> bool:
        valeurs = pd.to_numeric(cles[id_figure][0], errors="coerce").round(9)
        return bool(valeurs.duplicated().any() or valeurs.isna().sum() > 1)

    for a, b in itertools.combinations(sorted(ordres), 2):
        if ordres[a] == ordres[b] and (ex_aequo(a) or ex_aequo(b)):
            problemes.append(f"{a} et {b} : même ordre des IHU sans que leurs valeurs l'imposent")
    return problemes


@pytest.fixture(scope="module")
def reperes() -> Reperes:
    return reperes_du_referentiel()



# --------------------------------------------------------------------------------------------
# Tests de bout en bout


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_rapport_public_analyse_sans_angle_mort(rapports_publics, reperes, donnees, annee):
    # La construction a passé ce rapport à confidentialite.verifier_publication (même
    # analyse_dossier) avant de le publier, et refuse une fuite (voir
    # test_la_construction_refuse_une_fuite_plantee_dans_les_donnees) : le rapport existe, donc
    # l'analyse n'a rien trouvé ; la refaire ici coûterait une seconde par année pour rien.
    dossier = rapports_publics[annee]
    # le contrôle ne passe pas à vide : HTML, PDF, et chaque figure par IHU de l'année est là
    html = dossier / f"synthese-ihu-{annee}.html"
    assert html.is_file() and html.with_suffix(".pdf").is_file()
    analyse = analyser_html(html.read_text(encoding="utf-8"), html.name, reperes, PAR_IHU)
    attendues = {i for i in PAR_IHU if not figures.donnees_figure(i, donnees, annee).empty}
    assert attendues <= analyse.figures_vues, attendues - analyse.figures_vues
    assert any("ICAN" in t for t in analyse.autorises)  # le tableau des IHU est bien reconnu


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_ordres_des_figures_par_ihu_distincts(donnees, annee, monkeypatch):
    vue = donnees.pour_annee(annee)
    ordres = figures.ordres_ihu(vue, annee)
    cles = cles_de_tri(vue, annee, monkeypatch)
    assert set(ordres) <= set(cles)
    problemes = ordres_communs_non_imposes(ordres, cles)
    assert not problemes, "\n".join(problemes)


# --------------------------------------------------------------------------------------------
# L'analyse sait échouer (unitaires, sans construction)

_HTML_PROPRE = """<html><head><title>Synthèse 2022</title></head><body>
<h1 id="sec-presentation-de-l-action">Présentation</h1>
<p>Ce document porte sur les 7 IHU suivis en 2022, à mi-parcours pour certains.</p>
<p>Parmi eux, ICAN et Méditerranée Infection.</p>
<table class="tableau"><caption>Les IHU, leur ville et leur appel à projets</caption>
<tr><th>IHU</th><th>Appel</th></tr><tr><td>ICAN</td><td>IHU1</td></tr>
<tr><td>Mix Surg</td><td>IHU1</td></tr></table>
<h1 id="sec-1-suivi">1. Suivi</h1>
<p>Les IHU ont déclaré 28,5 M€ de dépenses.</p>
<figure class="figure" id="figure-effet_levier_ihu" data-figure="effet_levier_ihu">
<svg role="img" aria-label="Barres par IHU anonyme : de 55 % à 325 %">
<g id="effet_levier_ihu-text_1">
<text>IHU (ordre propre à cette figure)</text><text>325 %</text></g></svg>
<figcaption>Effet levier par IHU (anonyme).</figcaption></figure>
</body></html>"""


@pytest.fixture
def reperes_essai() -> Reperes:
    return Reperes(noms=("ICAN", "ican", "Méditerranée Infection", "mi", "Mix Surg", "mixsurg"),
                   villes=("Marseille",))


@pytest.mark.rapide
def test_analyse_html_propre_sans_fuite(reperes_essai):
    analyse = analyser_html(_HTML_PROPRE, "essai.html", reperes_essai, PAR_IHU)
    assert analyse.fuites == []
    assert "effet_levier_ihu" in analyse.figures_vues
    assert len(analyse.autorises) == 3  # le paragraphe du préambule et deux lignes du tableau


@pytest.mark.rapide
@pytest.mark.parametrize(
    "avant, apres, lieu",
    [
        ("<text>325 %</text>", "<text>ican</text><text>325 %</text>", "figure par IHU"),
        ('aria-label="Barres par IHU anonyme', 'aria-label="ICAN en tête, barres par IHU',
         "aria-label"),
        ('id="effet_levier_ihu-text_1"', 'id="effet_levier_ihu-barre-mi"', "<g id>"),
        ("Effet levier par IHU (anonyme).", "Effet levier : Marseille en tête.", "figure par IHU"),
        ("<p>Les IHU ont déclaré 28,5 M€", "<p>Mix Surg a déclaré 28,5 M€", "hors des blocs"),
        ("<td>ICAN</td><td>IHU1</td>", "<td>ICAN</td><td>IHU1</td><td>325 %</td>", "chiffré"),
        ("Parmi eux, ICAN", "Parmi eux, ICAN (12 brevets)", "chiffré"),
        ("<title>Synthèse 2022</title>", "<title>Synthèse 2022 ICAN</title>", "<title>"),
        ("Les IHU, leur ville", "Les IHU, leurs brevets", "hors des blocs"),
        ('<svg role="img"', '<img alt="x" src="data:image/svg+xml;base64,'
         + base64.b64encode(b"<svg><text>mixsurg 12 %</text></svg>").decode() + '"><svg role="img"',
         "data:"),
    ],
)
def test_analyse_html_signale_un_nom_a_cote_d_une_valeur(reperes_essai, avant, apres, lieu):
    assert avant in _HTML_PROPRE
    doctore = _HTML_PROPRE.replace(avant, apres, 1)
    fuites = analyser_html(doctore, "essai.html", reperes_essai, PAR_IHU).fuites
    assert fuites, f"fuite non signalée : {apres}"
    assert any(lieu in f.lieu or lieu in f.fichier for f in fuites), list(map(str, fuites))


@pytest.mark.rapide
def test_analyse_dossier_signale_pdf_csv_et_noms_de_fichiers(tmp_path, reperes_essai):
    from synthese_ihu.rendu import html_vers_pdf

    dossier = tmp_path / "2022"
    (dossier / "donnees").mkdir(parents=True)
    (dossier / "synthese-ihu-2022.html").write_text(_HTML_PROPRE, encoding="utf-8")
    (dossier / "synthese-ihu-2022.pdf").write_bytes(html_vers_pdf(_HTML_PROPRE))
    with (dossier / "donnees" / "effet_levier_ihu.csv").open("w", encoding="utf-8") as f:
        csv.writer(f).writerows([["rang", "effet_levier_pct"], [1, 325.0]])
    assert analyser_dossier(dossier, reperes_essai, PAR_IHU) == []

    # un PDF où une graduation nomme un IHU, un CSV avec une colonne d'identité, un fichier nommé
    fuite_svg = _HTML_PROPRE.replace("<text>325 %</text>", "<text>ican</text><text>325 %</text>")
    (dossier / "synthese-ihu-2022.pdf").write_bytes(html_vers_pdf(fuite_svg))
    with (dossier / "donnees" / "effet_levier_ihu.csv").open("w", encoding="utf-8") as f:
        csv.writer(f).writerows([["rang", "ihu", "effet_levier_pct"], [1, "mi", 325.0]])
    (dossier / "donnees" / "mixsurg.csv").write_text("a\n1\n", encoding="utf-8")
    lieux = {(f.fichier, f.lieu.split(",")[0]) for f in
             analyser_dossier(dossier, reperes_essai, PAR_IHU)}
    assert ("synthese-ihu-2022.pdf", "texte du PDF") in lieux
    assert ("donnees/effet_levier_ihu.csv", "ligne 2") in lieux
    assert ("donnees/mixsurg.csv", "nom de fichier") in lieux


@pytest.mark.rapide
def test_provenance_sans_taille_des_classeurs(reperes_essai):
    empreinte = "ab" * 32
    propre = f"chemin,sha256\ncampagnes/2022/mi_2022.xlsx,{empreinte}\n"
    assert analyser_texte("donnees/provenance.csv", propre, reperes_essai) == []
    avec_taille = f"chemin,sha256,octets\ncampagnes/2022/mi_2022.xlsx,{empreinte},18734\n"
    assert analyser_texte("donnees/provenance.csv", avec_taille, reperes_essai)
    assert analyser_texte("donnees/autre.csv", propre, reperes_essai)


@pytest.mark.rapide
def test_analyse_pdf_ligne_chiffree_et_metadonnees(tmp_path, reperes_essai):
    from synthese_ihu.rendu import html_vers_pdf

    page = "<html><head><title>Rapport ICAN</title></head><body><p>ICAN : 325 %</p></body></html>"
    chemin = tmp_path / "r.pdf"
    chemin.write_bytes(html_vers_pdf(page))
    lieux = {f.lieu.split(",")[-1].strip() for f in analyser_pdf(chemin, reperes_essai, [])}
    assert {"ligne chiffrée", "texte du PDF", "métadonnée /Title"} <= lieux


@pytest.mark.rapide
def test_ordres_communs_signales_seulement_s_ils_ne_sont_pas_imposes():
    abc = ("a", "b", "c")
    distinctes = (pd.Series({"a": 3.0, "b": 2.0, "c": 1.0}), False)
    autres = (pd.Series({"a": 30.0, "b": 20.0, "c": 10.0}), False)
    ex_aequo = (pd.Series({"a": 1.0, "b": 1.0, "c": 0.0}), False)
    # valeurs sans ex æquo des deux côtés : l'ordre commun est imposé
    assert ordres_communs_non_imposes({"f": abc, "g": abc}, {"f": distinctes, "g": autres}) == []
    # un ex æquo laissait le choix : l'ordre commun est une fuite
    problemes = ordres_communs_non_imposes({"f": abc, "g": abc}, {"f": distinctes, "g": ex_aequo})
    assert problemes == ["f et g : même ordre des IHU sans que leurs valeurs l'imposent"]
    # un ordre qui ne suit pas sa propre clé
    assert ordres_communs_non_imposes({"f": ("c", "b", "a")}, {"f": distinctes})


@pytest.mark.rapide
def test_reperes_mots_entiers(reperes_essai):
    assert reperes_essai.chercher("à mi-parcours, minimum, Mixité") == []
    assert reperes_essai.chercher("barre-mi", identifiant=True) == ["mi"]
    assert reperes_essai.chercher("Méditerranée\u00a0Infection et MIXSURG") == [
        "Méditerranée\u00a0Infection", "MIXSURG"]
    reels = reperes_du_referentiel()
    assert {"ICAN", "mi", "Mix Surg", "Méditerranée Infection"} <= set(reels.noms)
    assert "Marseille" in reels.villes and "Paris" not in reels.villes


@pytest.mark.rapide
def test_carte_nominative_autorisee_sans_nombre(reperes_essai):
    carte = ('<figure class="figure" id="figure-carte_ihu" data-figure="carte_ihu">'
             '<svg role="img" aria-label="Carte : Marseille, Méditerranée Infection ; Paris, ICAN">'
             '<text>Marseille : Méditerranée Infection</text><text>IHU suivis en 2022</text>'
             "</svg><figcaption>Implantation des IHU, édition 2022.</figcaption></figure>")
    analyse = analyser_html(carte, "essai.html", reperes_essai, PAR_IHU)
    assert analyse.fuites == []
    assert any("Méditerranée Infection" in t for t in analyse.autorises)
    chiffree = carte.replace("<text>Marseille : Méditerranée Infection</text>",
                             "<text>Méditerranée Infection : 325 %</text>")
    assert analyser_html(chiffree, "essai.html", reperes_essai, PAR_IHU).fuites
    alt_chiffre = carte.replace("Paris, ICAN", "Paris, ICAN (12 brevets)")
    assert analyser_html(alt_chiffre, "essai.html", reperes_essai, PAR_IHU).fuites


@pytest.mark.rapide
def test_csv_de_la_carte_sans_valeur():
    villes = {"Marseille": (43.3, 5.37)}
    propre = "nom,ville,region,appel,groupe,latitude,longitude\n" \
             "Méditerranée Infection,Marseille,PACA,IHU1,suivi,43.3,5.37\n"
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", propre, villes) == []
    avec_valeur = propre.replace("longitude\n", "longitude,brevets\n").replace("5.37\n",
                                                                               "5.37,12\n")
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", avec_valeur, villes)
    deplace = propre.replace("43.3,5.37", "43.3,5.38")  # un nombre qui n'est pas la ville
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", deplace, villes)
    statut = propre.replace("longitude\n", "longitude,statut\n").replace("5.37\n", "5.37,publie\n")
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", statut, villes) == []
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", statut.replace("publie", "ICAN 12"),
                                  villes)


# --------------------------------------------------------------------------------------------
# La construction refuse de publier une fuite


@pytest.mark.rapide
def test_verifier_publication_nomme_fichier_et_valeur(tmp_path):
    from synthese_ihu.confidentialite import FuiteConfidentielle, verifier_publication

    (tmp_path / "raw" / "referentiel").mkdir(parents=True)
    shutil.copy(chemins.DONNEES_BRUTES / "referentiel" / "ihu.csv",
                tmp_path / "raw" / "referentiel" / "ihu.csv")
    dossier = tmp_path / "rendu"
    (dossier / "donnees").mkdir(parents=True)
    (dossier / "donnees" / "effet_levier_ihu.csv").write_text(
        "rang,effet_levier_pct\n1,325\n", encoding="utf-8")
    verifier_publication(dossier, racine_donnees=tmp_path / "raw")  # propre : rien à dire
    (dossier / "donnees" / "effet_levier_ihu.csv").write_text(
        "rang,effet_levier_pct\nICAN,325\n", encoding="utf-8")
    with pytest.raises(FuiteConfidentielle) as erreur:
        verifier_publication(dossier, racine_donnees=tmp_path / "raw")
    message = str(erreur.value)
    assert message.startswith("Publication refusée : 1 fuite(s)")
    assert "donnees/effet_levier_ihu.csv [ligne 2] ICAN : « ICAN,325 »" in message


@pytest.mark.lent
def test_la_construction_refuse_une_fuite_plantee_dans_les_donnees(tmp_path,
                                                                   construire_rapport):
    """Un fait marquant qui cite la valeur d'un IHU nommé : la construction échoue, en
    français, en nommant le fichier et la valeur, et rien n'est publié."""
    racine = tmp_path / "donnees"
    shutil.copytree(chemins.DONNEES_BRUTES, racine / "raw")
    fichier = racine / "raw" / "faits_marquants" / "faits_marquants.csv"
    with fichier.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            [2022, 9, "Brevets", "ICAN a déposé 12 brevets en 2022.", "2023-01-15",
             "Rapport de l'IHU", ""])
    sortie = tmp_path / "rapports"
    resultat = construire_rapport(2022, sortie, tmp_path / "build", "--sections",
                                  "faits_marquants", donnees=racine)
    assert resultat.returncode == 1, resultat.stdout + resultat.stderr
    assert "Publication refusée" in resultat.stderr, resultat.stderr
    assert "synthese-ihu-2022.html" in resultat.stderr and "ICAN" in resultat.stderr
    assert "12 brevets" in resultat.stderr
    assert "Le rapport précédent n'a pas été modifié." in resultat.stderr
    assert not (sortie / "2022").exists()
