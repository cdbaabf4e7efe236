"""Construction de plusieurs années (``--annee 2012-2013``) : mêmes octets qu'année par année.

Les rapports 2012 et 2013 sont construits une fois en mode plusieurs années (un groupe de noyaux,
rendus dans un processus de rendu qui prépare les deux années l'une après l'autre : données
chargées une seule fois), puis chacun seul ; tous les fichiers (HTML, PDF, données ouvertes)
doivent être identiques à l'octet.
"""

from __future__ import annotations

import pytest

from synthese_ihu import construction, publication

pytestmark = pytest.mark.e2e

ANNEES = (2012, 2013)


def _fichiers(dossier):
    return {
        p.relative_to(dossier).as_posix(): p.read_bytes()
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def sorties(tmp_path_factory):
    # Même version pour toutes les constructions (un commit pendant le test changerait le
    # colophon) : la provenance est relevée dans ce processus, y compris en mode plusieurs années.
    version = publication.version_code()
    ensemble = tmp_path_factory.mktemp("ensemble")
    seules = tmp_path_factory.mktemp("seules")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(publication, "version_code", lambda *a, **k: version)
        mp.setattr(construction, "PROCESSUS_RENDU", 1)  # les deux années dans le même processus
        plage = f"{ANNEES[0]}-{ANNEES[-1]}"
        assert construction.main(["--annee", plage, "--sortie", str(ensemble), "--sans-cache"]) == 0
        for annee in ANNEES:
            argv = ["--annee", str(annee), "--sortie", str(seules), "--sans-cache"]
            assert construction.main(argv) == 0
    return ensemble, seules


@pytest.mark.parametrize("annee", ANNEES)
def test_plusieurs_annees_identiques_a_l_octet(sorties, annee):
    ensemble, seules = (_fichiers(s / str(annee)) for s in sorties)
    nom = f"synthese-ihu-{annee}"
    assert {f"{nom}.html", f"{nom}.pdf", "donnees/datapackage.json"} <= set(ensemble)
    assert sorted(ensemble) == sorted(seules)
    differents = [f for f in ensemble if ensemble[f] != seules[f]]
    assert not differents, f"{annee} : fichiers différents en mode plusieurs années : {differents}"
