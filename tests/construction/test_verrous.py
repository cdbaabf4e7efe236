"""Un écrivain à la fois : verrou de ``build/``, verrou partagé des données, courses concurrentes.

Politique (:mod:`synthese_ihu.verrous`) : une seconde construction sur le même ``build/``
attend (une ligne) ; une ingestion est refusée pendant une construction, une construction
attend la fin d'une ingestion. Deux constructions lancées ensemble sur deux racines de données
publient chacune un rapport tiré de SA racine, jamais un mélange.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from course_concurrente import carnet, construire_2022, emplacements
from processus import arreter, lancer
from projet_jetable import projet_jetable

from synthese_ihu import apercu, construction, verrous
from synthese_ihu.ingestion import ingerer, remplacement

TESTS = Path(__file__).resolve().parents[1]


def _attendre(condition, delai: float = 10.0) -> bool:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _dans_un_fil(verrou) -> tuple[threading.Thread, list[str], threading.Event]:
    """Prend ``verrou(afficher=...)`` dans un autre fil ; ses lignes et l'instant où il l'a."""
    lignes: list[str] = []
    pris = threading.Event()

    def prendre() -> None:
        with verrou(afficher=lignes.append):
            pris.set()

    fil = threading.Thread(target=prendre, daemon=True)
    fil.start()
    return fil, lignes, pris


@pytest.mark.rapide
def test_une_seconde_construction_attend_en_le_disant(tmp_path):
    build = tmp_path / "build"
    with verrous.verrou_construction(build):
        fil, lignes, pris = _dans_un_fil(lambda **k: verrous.verrou_construction(build, **k))
        assert _attendre(lambda: lignes), "la seconde construction n'a rien dit"
        assert not pris.is_set()
        assert len(lignes) == 1 and lignes[0].startswith("Une autre construction utilise ")
        assert f"pid {os.getpid()}, depuis " in lignes[0] and lignes[0].endswith("attente…")
    fil.join(10)
    assert pris.is_set()


@pytest.mark.rapide
def test_le_meme_fil_reprend_son_verrou(tmp_path):
    with (
        verrous.sous_verrous(tmp_path / "build", tmp_path),
        verrous.sous_verrous(tmp_path / "build", tmp_path),
    ):
        pass  # l'aperçu qui se reconstruit reprend le verrou qu'il tient, sans s'attendre
    with verrous.verrou_construction(tmp_path / "build"):
        pass


@pytest.mark.rapide
def test_une_ingestion_est_refusee_pendant_une_construction(tmp_path):
    with verrous.verrou_donnees(tmp_path):
        with pytest.raises(remplacement.IngestionEnCours, match="une construction lit"):
            ingerer(2023, tmp_path)
    with remplacement.verrou(tmp_path):  # libre ensuite
        pass


@pytest.mark.rapide
def test_deux_constructions_lisent_ensemble_et_attendent_l_ingestion(tmp_path):
    with verrous.verrou_donnees(tmp_path):
        fil, lignes, pris = _dans_un_fil(lambda **k: verrous.verrou_donnees(tmp_path, **k))
        assert pris.wait(10) and not lignes  # lecteurs partagés : pas d'attente
    fil.join(10)
    with remplacement.verrou(tmp_path):
        fil, lignes, pris = _dans_un_fil(lambda **k: verrous.verrou_donnees(tmp_path, **k))
        assert _attendre(lambda: lignes) and not pris.is_set()
        assert lignes == [
            f"Une ingestion modifie {tmp_path}/ : attente de sa fin avant de lire les données…"
        ]
    fil.join(10)
    assert pris.is_set()


@pytest.mark.rapide
def test_restes_d_une_course_morte_supprimes_sous_le_verrou(tmp_path):
    build = tmp_path / "build"
    restes = [
        build / "2022" / "rendu-public.tmp-4321-0a1b2c3d" / "synthese-ihu-2022.html",
        build / "2022" / "rendu-public.tmp" / "synthese-ihu-2022.pdf",
        build / "cache" / "publication" / "abc.tmp-4321" / "faits.json",
        build / "cache" / "carnets" / ".abc.ipynb.4321.tmp",
    ]
    gardes = [
        build / "2022" / "rendu-public" / "synthese-ihu-2022.html",
        build / "cache" / "carnets" / "abc.ipynb",
        build / "cache" / "publication" / "abc" / "faits.json",
    ]
    for chemin in restes + gardes:
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_text("x", encoding="utf-8")
    with verrous.verrou_construction(build):
        assert all(p.exists() for p in gardes)
        assert not any(p.exists() for p in restes)
        assert not (build / "2022" / "rendu-public.tmp-4321-0a1b2c3d").exists()


def _projet(tmp_path: Path) -> construction.Emplacements:
    (tmp_path / "projet").mkdir()
    return projet_jetable(tmp_path / "projet", carnet())


def _racine(tmp_path: Path, nom: str) -> Path:
    racine = tmp_path / f"donnees-{nom}"
    (racine / "raw").mkdir(parents=True)
    (racine / "raw" / "marque.txt").write_text(f"racine-{nom}", encoding="utf-8")
    return racine


@pytest.mark.lent
def test_deux_constructions_ensemble_sur_deux_racines_jamais_de_melange(tmp_path):
    """Même ``build/``, deux racines (``SYNTHESE_IHU_DONNEES``), lancées ensemble : deux
    rapports justes, la seconde ayant attendu la première (une ligne), jamais un mélange."""
    _projet(tmp_path)
    rdv = tmp_path / "rendez-vous"
    rdv.mkdir()
    processus = {}
    for nom, autre in (("a", "b"), ("b", "a")):
        racine = _racine(tmp_path, nom)
        env = {**os.environ, "SYNTHESE_IHU_DONNEES": str(racine), "PYTHONPATH": str(TESTS)}
        argv = [str(tmp_path / "projet"), str(racine), str(tmp_path / f"reports-{nom}"), str(rdv)]
        processus[nom] = lancer(
            [sys.executable, "-m", "course_concurrente", *argv, nom, autre],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    try:
        sorties = {nom: p.communicate(timeout=180)[0].decode() for nom, p in processus.items()}
    finally:
        for p in processus.values():
            arreter(p)  # rien ne reste vivant, même en échec
    for nom, p in processus.items():
        assert p.returncode == 0, f"{nom} : {sorties[nom]}"
    journaux = {nom: (rdv / f"{nom}.log").read_text(encoding="utf-8") for nom in processus}
    assert sum("Une autre construction utilise" in j for j in journaux.values()) == 1, journaux
    for nom in processus:
        rapport = tmp_path / f"reports-{nom}" / "2022"
        html = (rapport / "synthese-ihu-2022.html").read_text(encoding="utf-8")
        csv = (rapport / "donnees" / "provenance.csv").read_text(encoding="utf-8")
        # moteur de rendu, noyau du carnet et données ouvertes : tous de la même racine
        assert html.startswith(f"rendu racine-{nom}\n") and f"carnet racine-{nom}" in html, html
        assert csv == f"racine\nracine-{nom}\n"
        assert sorted(p.name for p in rapport.parent.iterdir()) == ["2022"]
    assert not list((tmp_path / "projet" / "build").glob("*/rendu-*.tmp*"))


@pytest.mark.lent
def test_une_construction_attend_la_fin_d_une_ingestion(tmp_path, monkeypatch):
    _projet(tmp_path)
    racine = _racine(tmp_path, "seule")
    lieux = emplacements(tmp_path / "projet", racine, tmp_path / "reports")
    tenu, fin_ingestion, lignes = threading.Event(), threading.Event(), []

    def ingestion() -> None:
        with remplacement.verrou(racine):
            tenu.set()
            fin_ingestion.wait(10)

    fil = threading.Thread(target=ingestion, daemon=True)
    fil.start()
    assert tenu.wait(10)

    def afficher(ligne: str) -> None:
        lignes.append(ligne)
        if ligne.startswith("Une ingestion modifie"):
            fin_ingestion.set()  # l'ingestion se termine une fois la construction en attente

    def rendre(carnets, annee, dossier, interne=False, **options):
        chemin = Path(dossier) / f"synthese-ihu-{annee}.html"
        chemin.write_text("rendu", encoding="utf-8")
        return {"html": chemin}

    monkeypatch.setenv("SYNTHESE_IHU_DONNEES", str(racine))  # lue par le noyau du carnet
    bilan = construire_2022(lieux, rendre, afficher=afficher)
    fil.join(10)
    assert lignes[0] == (
        f"Une ingestion modifie {racine}/ : attente de sa fin avant de lire les données…"
    ), lignes
    assert not bilan.echecs and (tmp_path / "reports" / "2022" / "synthese-ihu-2022.html").is_file()


@pytest.mark.lent
def test_l_apercu_tient_les_verrous_pendant_qu_il_se_refait_jamais_au_repos(tmp_path, monkeypatch):
    lieux = _projet(tmp_path)
    (lieux.donnees / "marque.txt").write_text("racine-projet", encoding="utf-8")
    monkeypatch.setenv("SYNTHESE_IHU_DONNEES", str(lieux.donnees.parent))
    vus: list[str] = []

    def afficher(_ligne: str) -> None:  # pendant la reconstruction : une ingestion essaie
        try:
            with remplacement.verrou(lieux.donnees.parent):
                vus.append("libre")
        except remplacement.IngestionEnCours:
            vus.append("tenu")

    ap = apercu.Apercu(2022, lieux, annees=range(2012, 2023), afficher=afficher)
    try:
        html = ap.construire()
        assert html.is_file()
        assert vus and set(vus) == {"tenu"}, vus
        # au repos (noyaux vivants gardés) : ni build/ ni les données ne sont tenus
        with verrous.si_morte(lieux.construction / verrous.FICHIER) as libre:
            assert libre
        with remplacement.verrou(lieux.donnees.parent):
            pass
    finally:
        ap.fermer()
