"""Remplacement d'une campagne : l'ingestion est arrêtée (``os._exit``) à chaque étape de la
mise en place, dans un processus enfant ; ``raw/`` garde l'ancienne campagne ou la nouvelle,
jamais aucune, et la reprise suivante annule ou termine, puis nettoie ``.ingestion/``.

L'arrêt est injecté par le crochet d'étape de :func:`remplacement.remplacer` (aucun minutage).
"""

from __future__ import annotations

import os
import shutil

import openpyxl
import outils_ingestion as _outils
import pytest
from outils_ingestion import ANNEE, copier_donnees, empreinte

from synthese_ihu.donnees import charger
from synthese_ihu.ingestion import ingerer, remplacement

existantes = _outils.existantes
racine_partagee = _outils.racine_partagee
modeles = _outils.modeles
remplis = _outils.remplis

# processus enfants arrêtés à chaque étape : de bout en bout, hors de `make test-unit` (< 1 min)
pytestmark = pytest.mark.lent

ARRET = 7


@pytest.fixture(scope="module")
def scenario(remplis, tmp_path_factory):
    """Copie de ``data/`` où la campagne 2023 d'ICAN (v1) est entrée et une v2 corrigée attend
    dans ``incoming/`` ; empreintes de ``raw/`` avant et après, étapes et résumé de référence."""
    base = copier_donnees(tmp_path_factory.mktemp("base"))
    entree = base / "incoming" / str(ANNEE)
    entree.mkdir(parents=True)
    shutil.copyfile(remplis["ican"], entree / "ican_2023.xlsx")
    ingerer(ANNEE, base)
    wb = openpyxl.load_workbook(entree / "ican_2023.xlsx")
    wb["Depenses"]["C6"] = wb["Depenses"]["C6"].value + 1000
    wb.save(entree / "ican_2023.xlsx")
    ancien = empreinte(base / "raw")
    donnees_v1 = charger(base / "raw")

    reference = tmp_path_factory.mktemp("reference") / "data"
    shutil.copytree(base, reference)
    etapes: list[str] = []
    bilan = ingerer(ANNEE, reference, existantes=donnees_v1, crochet=etapes.append)
    # première entrée de la campagne (aucune campagne 2023 avant) : même v2 reçue
    vierge = copier_donnees(tmp_path_factory.mktemp("vierge"))
    shutil.copytree(entree, vierge / "incoming" / str(ANNEE))
    premiere = tmp_path_factory.mktemp("premiere") / "data"
    shutil.copytree(vierge, premiere)
    etapes_premiere: list[str] = []
    ingerer(ANNEE, premiere, crochet=etapes_premiere.append)
    return {"base": base, "ancien": ancien, "nouveau": empreinte(reference / "raw"),
            "etapes": etapes, "lignes": bilan.lignes, "donnees": donnees_v1,
            "vierge": vierge, "sans": empreinte(vierge / "raw"),
            "avec": empreinte(premiere / "raw"), "etapes_premiere": etapes_premiere}


def _tuer_a(k: int):
    compte = [0]

    def crochet(etape: str) -> None:
        if compte[0] == k:
            os._exit(ARRET)
        compte[0] += 1
    return crochet


def _ingerer_puis_tuer(racine, k: int, donnees, echange: bool) -> int:
    pid = os.fork()
    if pid == 0:  # enfant : ingère, arrêté net à la k-ième étape
        try:
            remplacement.ECHANGE = echange
            ingerer(ANNEE, racine, existantes=donnees, crochet=_tuer_a(k))
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, statut = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(statut)


def test_etapes_connues(scenario):
    etapes = scenario["etapes"]
    assert etapes[:3] == ["copie", "journal", "en_place"] and etapes[-1] == "journal_supprime"
    assert "fait" in etapes and scenario["ancien"] != scenario["nouveau"]


@pytest.mark.parametrize("echange", [True, False], ids=["echange_atomique", "deux_renommages"])
def test_arret_a_chaque_etape(scenario, tmp_path, monkeypatch, echange):
    monkeypatch.setattr(remplacement, "ECHANGE", echange)
    etapes = list(scenario["etapes"])
    if not echange:
        etapes.insert(etapes.index("en_place"), "mise_de_cote")
    for k, etape in enumerate(etapes):
        racine = tmp_path / f"arret{k}"
        shutil.copytree(scenario["base"], racine)
        assert _ingerer_puis_tuer(racine, k, scenario["donnees"], echange) == ARRET, etape
        apres_arret = empreinte(racine / "raw")
        acquise = k >= etapes.index("fait")
        if echange or etape != "mise_de_cote":
            # à tout instant : l'ancienne ou la nouvelle campagne, jamais aucune
            attendu = scenario["nouveau"] if k >= etapes.index("en_place") else scenario["ancien"]
            assert apres_arret == attendu, f"arrêt à l'étape {k} ({etape})"
        else:  # repli sans échange atomique : l'ancienne est de côté, la reprise la remet
            assert not (racine / "raw" / "campagnes" / str(ANNEE)).exists()
        with remplacement.verrou(racine):
            message = remplacement.reprendre(racine)
        assert message is not None
        assert empreinte(racine / "raw") == (scenario["nouveau"] if acquise
                                             else scenario["ancien"]), etape
        assert not (racine / ".ingestion").exists(), etape
        shutil.rmtree(racine)


def test_arret_a_chaque_etape_d_une_premiere_entree(scenario, tmp_path):
    """Aucune campagne de l'année avant : après un arrêt, elle est absente ou complète."""
    etapes = scenario["etapes_premiere"]
    donnees = charger(scenario["vierge"] / "raw")
    for k, etape in enumerate(etapes):
        racine = tmp_path / f"arret{k}"
        shutil.copytree(scenario["vierge"], racine)
        assert _ingerer_puis_tuer(racine, k, donnees, True) == ARRET, etape
        attendu = scenario["avec"] if k >= etapes.index("en_place") else scenario["sans"]
        assert empreinte(racine / "raw") == attendu, etape
        with remplacement.verrou(racine):
            remplacement.reprendre(racine)
        acquise = k >= etapes.index("fait")
        assert empreinte(racine / "raw") == (scenario["avec"] if acquise else scenario["sans"])
        assert not (racine / ".ingestion").exists(), etape
        shutil.rmtree(racine)


def test_reprise_rapporte_les_reactualisations_contre_la_derniere_campagne(scenario, tmp_path):
    """Arrêt après la mise en place, avant la validation : la reprise annule, et la nouvelle
    ingestion rapporte les mêmes réactualisations que l'ingestion jamais interrompue."""
    racine = tmp_path / "data"
    shutil.copytree(scenario["base"], racine)
    k = scenario["etapes"].index("en_place")
    assert _ingerer_puis_tuer(racine, k, scenario["donnees"], True) == ARRET
    bilan = ingerer(ANNEE, racine)
    assert "annulée" in bilan.reprise
    assert bilan.change and bilan.remplace
    assert bilan.lignes == scenario["lignes"]
    assert "1 réactualisée(s)" in "\n".join(bilan.lignes)
    assert empreinte(racine / "raw") == scenario["nouveau"]


def test_reprise_apres_validation_termine_et_rend_le_resume(scenario, tmp_path):
    racine = tmp_path / "data"
    shutil.copytree(scenario["base"], racine)
    k = scenario["etapes"].index("fait") + 1
    assert _ingerer_puis_tuer(racine, k, scenario["donnees"], True) == ARRET
    bilan = ingerer(ANNEE, racine)
    assert "terminée" in bilan.reprise and scenario["lignes"][0] in bilan.reprise
    assert not bilan.change
    assert empreinte(racine / "raw") == scenario["nouveau"]
    assert not (racine / ".ingestion").exists()


def test_restes_d_une_preparation_tuee_nettoyes(scenario, tmp_path):
    racine = tmp_path / "data"
    shutil.copytree(scenario["base"], racine)
    reste = racine / ".ingestion" / "2023-0123456789ab" / "nouveau"
    reste.mkdir(parents=True)
    (reste / "ican_2023.xlsx").write_bytes(b"moitie")
    bilan = ingerer(ANNEE, racine, existantes=scenario["donnees"])
    assert bilan.reprise.startswith("Restes d'une ingestion interrompue supprimés")
    assert not (racine / ".ingestion").exists()
    assert empreinte(racine / "raw") == scenario["nouveau"]


def test_une_seule_ingestion_a_la_fois(scenario, tmp_path):
    racine = tmp_path / "data"
    shutil.copytree(scenario["base"], racine)
    with remplacement.verrou(racine), pytest.raises(remplacement.IngestionEnCours,
                                                    match="une autre ingestion est en cours"):
        ingerer(ANNEE, racine, existantes=scenario["donnees"])
    assert empreinte(racine / "raw") == scenario["ancien"]
