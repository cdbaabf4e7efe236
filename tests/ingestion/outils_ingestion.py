"""Outils et fixtures des tests d'ingestion : copies de ``data/``, classeurs modèles remplis.

Pas de ``conftest.py`` ici (un second module ``conftest`` masquerait celui de ``tests/``) :
chaque module de test reprend les fixtures par affectation.

Aucun test n'écrit dans le vrai ``data/`` : chaque test qui ingère travaille sur sa copie.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from fabrique import remplir

from synthese_ihu.chemins import DONNEES
from synthese_ihu.donnees import charger
from synthese_ihu.ingestion import ecrire_modeles

ANNEE = 2023


def copier_donnees(destination: Path) -> Path:
    """Copie ``data/raw`` et ``data/reference`` dans ``destination`` ; rend la racine copiée."""
    if not (DONNEES / "raw" / "campagnes").is_dir():
        pytest.fail(f"données de référence absentes : {DONNEES / 'raw'} (lancer `make data`)")
    shutil.copytree(DONNEES / "raw", destination / "raw")
    shutil.copytree(DONNEES / "reference", destination / "reference")
    return destination


def empreinte(dossier: Path) -> str:
    """sha256 de l'arborescence (chemins relatifs et octets de chaque fichier)."""
    h = hashlib.sha256()
    for chemin in sorted(p for p in dossier.rglob("*")):
        h.update(chemin.relative_to(dossier).as_posix().encode() + b"\0")
        if chemin.is_file():
            h.update(hashlib.sha256(chemin.read_bytes()).digest())
    return h.hexdigest()


#: valeurs des fixtures de session, partagées par tous les modules qui les reprennent (chaque
#: module enregistre sa propre copie de la fixture : sans ce partage, chacun refaisait la copie
#: de data/, le chargement et les 19 classeurs remplis)
_PARTAGE: dict[str, object] = {}


def _une_fois(cle: str, calculer):
    if cle not in _PARTAGE:
        _PARTAGE[cle] = calculer()
    return _PARTAGE[cle]


@pytest.fixture(scope="session")
def racine_partagee(tmp_path_factory) -> Path:
    """Copie de ``data/`` en lecture seule pour les tests qui n'ingèrent rien avec succès."""
    return _une_fois("racine", lambda: copier_donnees(tmp_path_factory.mktemp("donnees")))


@pytest.fixture(scope="session")
def existantes(racine_partagee):
    """Données de la copie partagée, chargées une fois."""
    return _une_fois("existantes", lambda: charger(racine_partagee / "raw"))


@pytest.fixture(scope="session")
def modeles(racine_partagee, existantes, tmp_path_factory) -> dict[str, Path]:
    """Classeurs modèles 2023 de tous les IHU attendus : code -> fichier."""
    def ecrire() -> dict[str, Path]:
        sortie = tmp_path_factory.mktemp("modeles")
        ecrits = ecrire_modeles(ANNEE, racine_partagee, sortie, donnees=existantes)
        return {p.stem.rsplit("_", 1)[0]: p for p in ecrits}
    return _une_fois("modeles", ecrire)


@pytest.fixture(scope="session")
def remplis(modeles, tmp_path_factory) -> dict[str, Path]:
    """Les modèles remplis comme le ferait chaque IHU (valides) : code -> fichier."""
    def remplir_tous() -> dict[str, Path]:
        dossier = tmp_path_factory.mktemp("remplis")
        return {ihu: remplir(m, dossier / m.name, ANNEE) for ihu, m in modeles.items()}
    return _une_fois("remplis", remplir_tous)


@pytest.fixture
def racine(tmp_path) -> Path:
    """Copie de ``data/`` propre au test (pour les ingestions qui écrivent)."""
    return copier_donnees(tmp_path / "data")
