"""Typographie française du rendu : cas ordinaires, cas piégeux, idempotence, HTML."""

from __future__ import annotations

import pytest

from synthese_ihu.rendu.typographie import corriger, corriger_html

pytestmark = pytest.mark.rapide

FINE, INS = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        ("Note : la suite", f"Note{INS}: la suite"),
        ("Note: la suite", f"Note{INS}: la suite"),
        ("un ; deux", f"un{FINE}; deux"),
        ("Vraiment ? Oui !", f"Vraiment{FINE}? Oui{FINE}!"),
        ("Quoi ?!", f"Quoi{FINE}?!"),
        ("« citation »", f"«{INS}citation{INS}»"),
        ("«citation»", f"«{INS}citation{INS}»"),
        ("l'IHU d'aujourd'hui", "l’IHU d’aujourd’hui"),
        ("de 2012-2016", "de 2012–2016"),
        ("entre 2012-2016 et 2018-2022, puis", "entre 2012–2016 et 2018–2022, puis"),
        ("fin 2018-2022.", "fin 2018–2022."),
        ("fichier 2018-2022.csv", "fichier 2018-2022.csv"),
        ("baisse de -15 %", f"baisse de −15{INS}%"),
        ("(-3,5 M€)", f"(−3,5{INS}M€)"),
        ("473,3 M€", f"473,3{INS}M€"),
        # Ne pas toucher :
        ("Il est 14:30.", "Il est 14:30."),
        ("un rapport de 3:1", "un rapport de 3:1"),
        ("a;b", "a;b"),
        ("synthese-ihu-2022", "synthese-ihu-2022"),
        ("le 2022-12-01", "le 2022-12-01"),
        ("IHU-2012", "IHU-2012"),
        ("5-10 ans", "5-10 ans"),
        ("'cité'", "'cité'"),
        ("", ""),
    ],
)
def test_corriger(brut, attendu):
    assert corriger(brut) == attendu


@pytest.mark.parametrize(
    "url",
    [
        "https://www.data.gouv.fr/fr/datasets/?q=ihu&page=2",
        "http://exemple.fr:8080/a;b",
        "mailto:contact@agence.fr",
        "data/raw/contexte/publications_france.csv",
        "donnees/datapackage.json",
    ],
)
def test_les_url_et_chemins_restent_intacts(url):
    assert corriger(f"voir {url} ; fin") == f"voir {url}{FINE}; fin"
    assert url in corriger(f"Source : {url}")


@pytest.mark.parametrize(
    "texte",
    [
        "Note : l'IHU ; -15 % de 2012-2016 « ici » ! ?",
        "Texte des données : l'IHU « MI » (Marseille) ; 2019-2021 : -2 %.",
    ],
)
def test_idempotent(texte):
    une = corriger(texte)
    assert corriger(une) == une


def test_texte_deja_juste_inchange():
    juste = f"Déjà{INS}: l’IHU{FINE}; «{INS}ok{INS}» 2012–2016, −15{INS}%"
    assert corriger(juste) == juste


def test_contexte_des_noeuds_voisins():
    assert corriger(" : suite", avant="e") == f"{INS}: suite"
    assert corriger("Note", apres=":") == "Note"  # l'espace s'insère au début du nœud suivant
    assert corriger(": suite", avant="e") == f"{INS}: suite"
    assert corriger("x", avant="«") == f"{INS}x"


def test_html_noeuds_attributs_et_code():
    brut = (
        "<p><strong>Note</strong>: l'IHU <em>x</em> ; <code>a : b ; 'c'</code> "
        '<a href="https://x.fr/?a=1">https://x.fr/?a=1</a> : fin &amp; suite.</p>'
        "<img alt=\"l'IHU : 3\">"
    )
    sortie = corriger_html(brut)
    assert f"<strong>Note</strong>{INS}: l’IHU <em>x</em>{FINE}; " in sortie
    assert "<code>a : b ; 'c'</code>" in sortie
    assert '<a href="https://x.fr/?a=1">https://x.fr/?a=1</a>' in sortie
    assert f"</a>{INS}: fin &amp; suite." in sortie
    assert f'alt="l’IHU{INS}: 3"' in sortie


def test_html_svg_texte_seul():
    svg = (
        '<svg role="img" aria-label="Baisse de -3 % : l\'IHU"><style>a:hover{x:1}</style>'
        '<path d="M -1 2 L 3 -4"/><text x="-1" y="2">2012-2016 : l\'an</text></svg>'
    )
    sortie = corriger_html(svg)
    assert '<path d="M -1 2 L 3 -4"/>' in sortie
    assert "<style>a:hover{x:1}</style>" in sortie
    assert f"<text x=\"-1\" y=\"2\">2012–2016{INS}: l’an</text>" in sortie
    assert f'aria-label="Baisse de −3{INS}%{INS}: l’IHU"' in sortie


def test_html_ne_franchit_pas_les_blocs():
    assert corriger_html("<p>fin</p><p>: début</p>") == "<p>fin</p><p>: début</p>"


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("extraction du 25/09/2023", "extraction du 25\u00a0septembre\u00a02023"),
        ("le 01/12/2022 :", "le 1er\u00a0décembre\u00a02022\u00a0:"),
        ("Édition de juin 2023", "Édition de juin\u00a02023"),
        ("le 11 décembre 2023", "le 11\u00a0décembre\u00a02023"),
        ("https://x.fr/25/09/2023 et data/raw/a.csv", "https://x.fr/25/09/2023 et data/raw/a.csv"),
        ("13/45/2023", "13/45/2023"),
    ],
)
def test_une_seule_forme_de_date_jamais_coupee(texte, attendu):
    assert corriger(texte) == attendu


def test_un_intervalle_d_annees_tient_sur_une_ligne_hors_svg_et_titre():
    page = ("<html><head><title>Synthèse 2011-2022</title></head><body>"
            "<p>de 2018-2022 et <b>2012–2016</b></p><svg><text>2012-2016</text></svg></body>"
            "</html>")
    compose = corriger_html(page)
    assert "<title>Synthèse 2011–2022</title>" in compose
    assert '<p>de <span class="insecable">2018–2022</span> et <b><span class="insecable">' \
           '2012–2016</span></b></p>' in compose
    assert "<text>2012–2016</text>" in compose
    assert corriger_html(compose) == compose  # idempotent
