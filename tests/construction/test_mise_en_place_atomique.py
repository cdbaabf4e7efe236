"""Mise en place atomique : ``publier`` est arrêté (``os._exit``) à chaque étape, dans un
processus enfant ; ``reports/<annee>`` est à tout instant l'ancien rapport ou le nouveau, jamais
aucun, et la mise en place suivante ne laisse aucun reste. Les dossiers d'une course vivante ne
sont jamais supprimés.

L'arrêt est injecté par le crochet d'étape de :func:`mise_en_place.publier` (aucun minutage).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from synthese_ihu import mise_en_place, verrous

ARRET = 7
ANCIEN = {"synthese-ihu-2022.html": "ancien rapport", "donnees/a.csv": "x\n1\n"}
NOUVEAU = {
    "synthese-ihu-2022.html": "nouveau rapport",
    "synthese-ihu-2022.pdf": "%PDF nouveau",
    "donnees/a.csv": "x\n2\n",
    "donnees/datapackage.json": "{}",
}


def _ecrire(dossier: Path, fichiers: dict[str, str]) -> Path:
    for nom, texte in fichiers.items():
        (dossier / nom).parent.mkdir(parents=True, exist_ok=True)
        (dossier / nom).write_text(texte, encoding="utf-8")
    return dossier


def _contenu(dossier: Path) -> dict[str, str] | None:
    if not dossier.is_dir():
        return None
    return {
        p.relative_to(dossier).as_posix(): p.read_text(encoding="utf-8")
        for p in dossier.rglob("*")
        if p.is_file()
    }


def _scene(tmp_path: Path, ancien: bool) -> tuple[Path, Path]:
    source = _ecrire(tmp_path / "rendu", NOUVEAU)
    destination = tmp_path / "reports" / "2022"
    destination.mkdir(parents=True)
    if ancien:
        _ecrire(destination, ANCIEN)
    else:
        destination.rmdir()
    return source, destination


def _etapes(tmp_path: Path, ancien: bool, echanger=None) -> list[str]:
    source, destination = _scene(tmp_path, ancien)
    etapes: list[str] = []
    options = {} if echanger is None else {"echanger": echanger}
    assert mise_en_place.publier(source, destination, crochet=etapes.append, **options)
    return etapes


def _publier_puis_tuer(source: Path, destination: Path, k: int, echanger=None) -> int:
    pid = os.fork()
    if pid == 0:  # enfant : publie, arrêté net à la k-ième étape
        compte = [0]

        def crochet(_etape: str) -> None:
            if compte[0] == k:
                os._exit(ARRET)
            compte[0] += 1

        try:
            options = {} if echanger is None else {"echanger": echanger}
            mise_en_place.publier(source, destination, crochet=crochet, **options)
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, statut = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(statut)


def _jamais_d_echange(_a: Path, _b: Path) -> bool:
    return False


@pytest.mark.rapide
def test_etapes_de_publier(tmp_path):
    etapes = _etapes(tmp_path, ancien=True)
    assert etapes[0] == "verrou" and etapes[-1] == "fin"
    assert etapes.count("copie") == len(NOUVEAU) and etapes.count("suppression") == 3
    assert etapes.index("copie_faite") + 1 == etapes.index("en_place")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["2022"]


@pytest.mark.lent
@pytest.mark.parametrize(
    "ancien, echanger",
    [(True, None), (False, None), (True, _jamais_d_echange)],
    ids=["remplacement", "premiere_publication", "repli_deux_renommages"],
)
def test_arret_a_chaque_etape_puis_course_suivante(tmp_path, ancien, echanger):
    etapes = _etapes(tmp_path / "reference", ancien, echanger)
    attendu_avant = ANCIEN if ancien else None
    for k, etape in enumerate(etapes):
        source, destination = _scene(tmp_path / f"arret{k}", ancien)
        assert _publier_puis_tuer(source, destination, k, echanger) == ARRET, etape
        apres_arret = _contenu(destination)
        if etape == "mise_de_cote":  # repli sans échange : l'ancien est de côté
            assert apres_arret is None
        else:  # à tout instant : l'ancien rapport ou le nouveau, jamais aucun ni un mélange
            attendu = NOUVEAU if k >= etapes.index("en_place") else attendu_avant
            assert apres_arret == attendu, f"arrêt à l'étape {k} ({etape})"
        # la course suivante (autre rendu) : restes de la course morte supprimés, ancien remis
        suivante = _ecrire(tmp_path / f"suivante{k}", {"synthese-ihu-2022.html": "suivant"})
        assert mise_en_place.publier(suivante, destination)
        assert _contenu(destination) == {"synthese-ihu-2022.html": "suivant"}, etape
        assert sorted(p.name for p in destination.parent.iterdir()) == ["2022"], etape


@pytest.mark.lent
def test_repli_la_reprise_remet_l_ancien_rapport_de_cote(tmp_path):
    source, destination = _scene(tmp_path, ancien=True)
    k = _etapes(tmp_path / "reference", True, _jamais_d_echange).index("mise_de_cote")
    assert _publier_puis_tuer(source, destination, k, _jamais_d_echange) == ARRET
    assert not destination.exists()
    mise_en_place.nettoyer(destination.parent)
    assert _contenu(destination) == ANCIEN
    assert sorted(p.name for p in destination.parent.iterdir()) == ["2022"]


@pytest.mark.rapide
def test_les_dossiers_d_une_course_vivante_ne_sont_jamais_supprimes(tmp_path):
    reports = tmp_path / "reports"
    _ecrire(reports / "2022", ANCIEN)
    vivant = _ecrire(reports / ".2022.nouveau-99-0a0b0c0d", {"a.html": "en cours"})
    morts = [  # restes d'une course tuée (pid seul : nommés comme avant les jetons)
        _ecrire(reports / ".2022.nouveau-1234", {"a.html": ""}),
        _ecrire(reports / ".2021.ancien-1234", {"a.html": "ancien"}),
    ]
    verrou = reports / ".2022.verrou-99-0a0b0c0d"
    with verrous.course(verrou):
        with verrous.si_morte(verrou) as morte:
            assert not morte
        source = _ecrire(tmp_path / "rendu", NOUVEAU)
        assert mise_en_place.publier(source, reports / "2022")
        assert _contenu(vivant) == {"a.html": "en cours"} and verrou.exists()
        assert not any(p.exists() for p in morts)
    assert not verrou.exists()
    with verrous.si_morte(verrou) as morte:
        assert morte
    assert mise_en_place.nettoyer(reports) == [vivant]  # la course est finie : reste supprimé
    assert sorted(p.name for p in reports.iterdir()) == ["2021", "2022"]
    assert _contenu(reports / "2021") == {"a.html": "ancien"}  # ancien remis : aucun en place


@pytest.mark.rapide
def test_disque_plein_pendant_la_copie_ne_laisse_rien(tmp_path):
    source, destination = _scene(tmp_path, ancien=True)

    def plein(etape: str) -> None:
        if etape == "copie":
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        mise_en_place.publier(source, destination, crochet=plein)
    assert _contenu(destination) == ANCIEN
    assert sorted(p.name for p in destination.parent.iterdir()) == ["2022"]
