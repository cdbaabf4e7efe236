"""Construction de plusieurs années : mêmes octets qu'année par année.

Les rapports publics de la session (:func:`tests.constructions.construire_annees`) sont construits
en une fois (``--annee 2012-2022`` : un groupe de noyaux, deux processus de rendu qui préparent
chacun plusieurs années, données chargées une fois par processus) ; 2012, première édition (sans
édition précédente), est construit ici seul, sans cache : tous les fichiers (HTML, PDF, données
ouvertes) doivent être identiques à l'octet. 2022, dernière, l'est par ``test_reproductible.py``.
"""

from __future__ import annotations

import pytest

from synthese_ihu import cli

pytestmark = pytest.mark.lent

ANNEES = (2012,)


def _fichiers(dossier):
    return {
        p.relative_to(dossier).as_posix(): p.read_bytes()
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def sorties(rapports_publics, tmp_path_factory):
    seules = tmp_path_factory.mktemp("seules")
    for annee in ANNEES:
        argv = ["--annee", str(annee), "--sortie", str(seules), "--sans-cache"]
        assert cli.construire(argv) == 0
    return rapports_publics[ANNEES[0]].parent, seules


@pytest.mark.parametrize("annee", ANNEES)
def test_plusieurs_annees_identiques_a_l_octet(sorties, annee):
    ensemble, seules = (_fichiers(s / str(annee)) for s in sorties)
    nom = f"synthese-ihu-{annee}"
    assert {f"{nom}.html", f"{nom}.pdf", "donnees/datapackage.json"} <= set(ensemble)
    assert sorted(ensemble) == sorted(seules)
    differents = [f for f in ensemble if ensemble[f] != seules[f]]
    assert not differents, f"{annee} : fichiers différents en mode plusieurs années : {differents}"
