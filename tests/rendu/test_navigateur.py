"""Le HTML publié dans un vrai navigateur : Chromium (paquet Debian) piloté par Playwright.

Une page, chargée une fois : axe-core (WCAG 2.1 A et AA) sans violation, aucune erreur de
console, aucune requête hors du fichier, pas de défilement horizontal sur un téléphone (390 px),
titres sans saut, cellules d'en-tête avec portée, lien d'évitement, liens vers le PDF et les
données ouvertes qui mènent à des fichiers présents.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.lent

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ETIQUETTES_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def navigateur():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium absent ({CHROMIUM}) : lancer scripts/paquets-systeme.sh en root")
    with sync_playwright() as p:
        navigateur = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield navigateur
        navigateur.close()


@pytest.fixture(scope="module")
def page(navigateur, rapport_2022_construit):
    """La page du rapport à 1280 px, avec ses messages de console et ses requêtes."""
    page = navigateur.new_page(viewport={"width": 1280, "height": 900})
    page.journal = {"console": [], "requetes": [], "erreurs": []}
    page.on("console", lambda m: page.journal["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: page.journal["erreurs"].append(str(e)))
    page.on("request", lambda r: page.journal["requetes"].append(r.url))
    page.goto((rapport_2022_construit / "synthese-ihu-2022.html").resolve().as_uri())
    page.wait_for_load_state("load")
    yield page
    page.close()


def test_axe_wcag21_aa_sans_violation(page):
    from axe_playwright_python.sync_playwright import Axe

    resultat = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ETIQUETTES_WCAG}}
    )
    assert resultat.violations_count == 0, resultat.generate_report()


def test_ni_erreur_de_console_ni_requete_hors_du_fichier(page):
    erreurs = [t for genre, t in page.journal["console"] if genre in ("error", "warning")]
    assert not erreurs and not page.journal["erreurs"], erreurs + page.journal["erreurs"]
    hors = [u for u in page.journal["requetes"] if not u.startswith(("file:", "data:"))]
    assert page.journal["requetes"] and not hors, hors


def test_titres_sans_saut_et_en_tetes_avec_portee(page):
    niveaux = page.eval_on_selector_all(
        "h1, h2, h3, h4, h5, h6", "els => els.map(e => Number(e.tagName[1]))"
    )
    sauts = [(a, b) for a, b in zip(niveaux, niveaux[1:], strict=False) if b > a + 1]
    assert niveaux[0] == 1 and not sauts, sauts
    sans_portee = page.eval_on_selector_all("th:not([scope])", "els => els.length")
    assert page.eval_on_selector_all("th", "els => els.length") > 0 and sans_portee == 0


def test_lien_d_evitement_et_focus_visible(page):
    page.keyboard.press("Tab")
    actif = page.evaluate(
        "() => [document.activeElement.getAttribute('href'), "
        "getComputedStyle(document.activeElement).outlineStyle, "
        "document.activeElement.getBoundingClientRect().top]"
    )
    assert actif[0] == "#contenu" and actif[1] != "none" and actif[2] >= 0, actif
    assert page.eval_on_selector("#contenu", "e => e.tagName") == "MAIN"


def test_liens_vers_le_pdf_et_les_donnees_a_l_ecran(page, rapport_2022_construit):
    liens = page.eval_on_selector_all(
        "nav.telechargements a", "els => els.map(e => [e.getAttribute('href'), e.offsetHeight])"
    )
    cibles = {href for href, hauteur in liens if hauteur > 0}
    assert cibles == {"synthese-ihu-2022.pdf", "donnees/datapackage.json"}
    for href in cibles:
        assert (rapport_2022_construit / href).is_file(), href
    page.emulate_media(media="print")
    try:
        caches = page.eval_on_selector_all(
            "nav.telechargements a", "els => els.every(e => e.offsetHeight === 0)"
        )
    finally:
        page.emulate_media(media="screen")
    assert caches


def test_pas_de_defilement_horizontal_a_390_px(navigateur, rapport_2022_construit):
    page = navigateur.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto((rapport_2022_construit / "synthese-ihu-2022.html").resolve().as_uri())
        largeurs = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert largeurs[0] <= largeurs[1], largeurs
        # Un tableau plus large que l'écran défile dans sa propre boîte, jamais la page.
        debordants = page.eval_on_selector_all(
            "table",
            "els => els.filter(t => t.scrollWidth > t.parentElement.clientWidth + 1 && "
            "!['auto', 'scroll'].includes(getComputedStyle(t.parentElement).overflowX)).length",
        )
        assert debordants == 0
    finally:
        page.close()
