"""Makefile : YEAR, INTERNAL et SUJET sont des données, jamais collées dans le shell.

``make`` est lancé pour de vrai, avec ``BIN`` pointé sur un dossier de scripts qui notent leurs
arguments (aucune construction) et ``-o .venv/.installe`` (l'environnement n'est jamais refait).
Un paramètre refusé doit arrêter ``make`` avant tout appel : le script n'est pas appelé.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.lent

RACINE = Path(__file__).resolve().parents[2]


@pytest.fixture
def bin_enregistreur(tmp_path) -> Path:
    """``synthese-ihu`` et ``python`` d'essai : écrivent leurs arguments dans ``appels``."""
    dossier = tmp_path / "bin"
    dossier.mkdir()
    for nom in ("synthese-ihu", "python"):
        script = dossier / nom
        script.write_text(
            f"#!/bin/sh\nprintf '%s\\n' {nom} \"$@\" >> {tmp_path / 'appels'}\n", encoding="utf-8"
        )
        script.chmod(0o755)
    return dossier


def make(bin_enregistreur: Path, cible: str, **variables: str) -> subprocess.CompletedProcess:
    """``make <cible> BIN=… VAR=valeur…`` dans le dépôt, sans refaire l'environnement."""
    env = {k: v for k, v in os.environ.items() if k not in ("YEAR", "INTERNAL", "SUJET")}
    commande = ["make", "-s", "-o", ".venv/.installe", cible, f"BIN={bin_enregistreur}"]
    commande += [f"{nom}={valeur}" for nom, valeur in variables.items()]
    return subprocess.run(commande, cwd=RACINE, env=env, capture_output=True, text=True)


def appels(bin_enregistreur: Path) -> list[str]:
    fichier = bin_enregistreur.parent / "appels"
    return fichier.read_text(encoding="utf-8").splitlines() if fichier.exists() else []


@pytest.mark.parametrize(
    "cible", ["report", "reports-all", "template", "ingest", "revue", "preview"]
)
@pytest.mark.parametrize(
    "annee",
    [
        "2022; touch {tmp}/pirate",
        "2022 --sortie {tmp}/ailleurs",
        "$(shell touch {tmp}/pirate)",
        "`touch {tmp}/pirate`",
        "2022\ntouch {tmp}/pirate",
        "22",
        "",
    ],
)
def test_annee_qui_n_est_pas_une_annee_ne_lance_rien(bin_enregistreur, tmp_path, cible, annee):
    resultat = make(bin_enregistreur, cible, YEAR=annee.format(tmp=tmp_path))
    assert resultat.returncode != 0
    assert appels(bin_enregistreur) == []  # ni Python ni la commande : arrêt avant
    assert not (tmp_path / "pirate").exists() and not (tmp_path / "ailleurs").exists()
    assert "YEAR doit être une année de quatre chiffres" in resultat.stderr
    assert "rien n'a été lancé" in resultat.stderr


@pytest.mark.parametrize(
    ("interne", "option"),
    [("", []), ("0", []), ("non", []), ("false", []), ("1", ["--interne"]), ("oui", ["--interne"])],
)
def test_internal_est_un_oui_non(bin_enregistreur, interne, option):
    resultat = make(bin_enregistreur, "report", YEAR="2019", INTERNAL=interne)
    assert resultat.returncode == 0, resultat.stderr
    assert appels(bin_enregistreur) == ["synthese-ihu", "construire", "--annee", "2019", *option]


def test_internal_inconnu_refuse_et_annees_passees_entieres(bin_enregistreur, tmp_path):
    resultat = make(bin_enregistreur, "report", INTERNAL="peut-être; touch {tmp}/pirate")
    assert resultat.returncode != 0 and "INTERNAL est un oui/non" in resultat.stderr
    assert appels(bin_enregistreur) == [] and not (tmp_path / "pirate").exists()
    assert make(bin_enregistreur, "reports-all", YEAR="2020").returncode == 0
    assert make(bin_enregistreur, "preview", YEAR="2021").returncode == 0
    assert appels(bin_enregistreur) == [
        *("synthese-ihu", "construire", "--annee", "2012-2020"),
        *("synthese-ihu", "apercu", "--annee", "2021"),
    ]


def test_sujet_refuse_s_il_ne_nomme_pas_un_dossier_de_tests(bin_enregistreur, tmp_path):
    resultat = make(bin_enregistreur, "test-unit", SUJET=f"recit; touch {tmp_path}/pirate")
    assert resultat.returncode != 0 and "SUJET doit nommer un dossier" in resultat.stderr
    assert appels(bin_enregistreur) == [] and not (tmp_path / "pirate").exists()
    assert make(bin_enregistreur, "test-unit", SUJET="recit").returncode == 0
    assert appels(bin_enregistreur) == [
        "python", "-m", "pytest", "-n", "logical", "-m", "rapide", "tests/recit"]


def test_aide_liste_les_cibles_et_leurs_parametres(bin_enregistreur):
    aide = re.sub(r"\x1b\[[0-9;]*m", "", make(bin_enregistreur, "help").stdout)
    for cible in ("report", "reports-all", "template", "ingest", "revue", "preview", "test"):
        assert re.search(rf"^ +{cible} +\S", aide, re.MULTILINE), cible
    assert "parametres-annee" not in aide
