"""Fixtures partagées (petit jeu de données, données de référence, rapports construits) et
marques de coût.

Chaque test porte exactement une marque de coût : ``rapide`` (``make test-unit``, moins d'une
minute en tout) ou ``lent``. Les dossiers, eux, suivent le sujet (``recit/``, ``rendu/``…).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from constructions import (
    ANNEES,
    Rapport,
    construire_2023,
    construire_annees,
    rapport_2023,
    rapports_annees,
)
from outils_donnees import (
    CLASSEURS_MINIMAUX,
    CSV_MINIMAUX,
    Lignes,
    declarer_couvertures,
    ecrire_classeur,
    ecrire_csv,
    feuilles_campagne,
)
from partage import une_fois

from synthese_ihu.chemins import DONNEES, DONNEES_BRUTES

#: Marques de coût : une et une seule par test (voir pyproject.toml, [tool.pytest.ini_options]).
COUTS = ("rapide", "lent")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Refuse la session si un test n'a pas exactement une marque de coût (avant la sélection
    ``-m`` : un test sans marque serait sinon absent de ``make test-unit`` sans que rien ne le
    dise)."""
    fautifs = []
    for item in items:
        couts = [m.name for m in item.iter_markers() if m.name in COUTS]
        if len(couts) != 1:
            fautifs.append(f"  {item.nodeid} : {', '.join(couts) or 'aucune'}")
    if fautifs:
        raise pytest.UsageError(
            "chaque test porte exactement une marque de coût "
            f"({' ou '.join(COUTS)}) ; à corriger :\n" + "\n".join(fautifs)
        )


@pytest.fixture(scope="session", autouse=True)
def dossier_courant_neutre(tmp_path_factory):
    """Chaque session tourne dans un dossier vide à elle, quel que soit le dossier d'où pytest a
    été lancé : un test qui dépendrait du dossier courant (chemin relatif, ``import tests.…``,
    message qui montre les chemins relatifs au dossier courant) échoue partout, pas seulement
    hors de la racine du projet."""
    avant = Path.cwd()
    neutre = tmp_path_factory.mktemp("dossier-courant")
    os.chdir(neutre)
    yield neutre
    os.chdir(avant)


@pytest.fixture
def fabrique_racine(tmp_path: Path) -> Callable[..., Path]:
    """Fabrique un petit ``data/raw`` valide ; ``modifier`` altère fichiers et feuilles.

    ``fabrique_racine(csv={chemin: lignes}, classeurs={(ihu, annee): feuilles})`` remplace les
    fichiers indiqués (``None`` : fichier omis).
    """

    def fabriquer(csv: dict[str, Lignes | None] | None = None,
                  classeurs: dict[tuple[str, int], dict[str, Lignes] | None] | None = None,
                  couvertures: bool = True) -> Path:
        racine = tmp_path / "raw"
        fichiers = {**CSV_MINIMAUX, **(csv or {})}
        for relatif, lignes in fichiers.items():
            if lignes is not None:
                ecrire_csv(racine / relatif, lignes)
        if couvertures:
            declarer_couvertures(racine, fichiers)
        tous = {cle: feuilles_campagne(*cle) for cle in CLASSEURS_MINIMAUX}
        tous.update(classeurs or {})
        for (ihu, annee), feuilles in tous.items():
            if feuilles is not None:
                ecrire_classeur(racine / "campagnes" / str(annee) / f"{ihu}_{annee}.xlsx",
                                feuilles)
        return racine

    return fabriquer


# --- données de référence (data/raw) ------------------------------------------------------------
@pytest.fixture(scope="session")
def donnees():
    """Toutes les données de ``data/raw`` (chargées une fois par session)."""
    from synthese_ihu.donnees import charger

    if not (DONNEES_BRUTES / "campagnes").is_dir():
        pytest.fail(f"données de référence absentes : {DONNEES_BRUTES} (lancer `make data`)")
    return charger()


@pytest.fixture(scope="session")
def chiffres_publies() -> dict:
    """``data/reference/published_figures.yaml`` (copie du dépôt)."""
    import yaml

    with (DONNEES / "reference" / "published_figures.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


# --- rapports construits, partagés par la session -------------------------------------------
@pytest.fixture(scope="session")
def racine_publique(constructions_publiques) -> Path:
    """Racine (``--sortie``) où les rapports publics de la session sont construits."""
    return constructions_publiques[ANNEES[0]].dossier.parent


@pytest.fixture(scope="session")
def constructions_publiques(tmp_path_factory) -> dict[int, Rapport]:
    """Le rapport public de chaque année 2012-2022, construit une fois par session.

    Une construction de plusieurs années (un groupe de deux noyaux, rendus sur deux processus :
    elle occupe les deux cœurs), faite par le premier processus de test qui en a besoin ; les
    autres attendent et lisent les mêmes rapports (:func:`partage.une_fois`). Partagé par les
    tests de confidentialité, de rendu et de vérité du récit.
    """
    return une_fois(
        tmp_path_factory, "rapports-publics",
        lambda d: construire_annees(d / "rapports", d / "construction"),
        lambda d: rapports_annees(d / "rapports", d / "construction"),
    )


@pytest.fixture(scope="session")
def rapports_publics(constructions_publiques) -> dict[int, Path]:
    """``{annee: <racine>/<annee>/}`` des rapports publics 2012-2022."""
    return {annee: r.dossier for annee, r in constructions_publiques.items()}


@pytest.fixture(scope="session")
def rapport_2022_construit(rapports_publics) -> Path:
    """Dossier du rapport public 2022 (HTML, PDF, ``donnees/``) des constructions de la session."""
    return rapports_publics[2022]


@pytest.fixture(scope="session")
def rapport_2023_ingere(tmp_path_factory) -> Rapport:
    """Le rapport 2023 d'une campagne entrée par modèles et ingestion (copie des données),
    construit une fois par session (:func:`partage.une_fois`)."""
    return une_fois(tmp_path_factory, "campagne-2023", construire_2023, rapport_2023)
