"""Interrupteurs des mécanismes mesurés par le banc."""

import pytest

from synthese_ihu import mecanismes

pytestmark = pytest.mark.rapide


def test_actif_par_defaut_et_desactive_par_la_variable():
    assert mecanismes.actif("cache_publication", {})
    env = {mecanismes.VARIABLE: " cache_publication , noyaux_reutilises"}
    assert not mecanismes.actif("cache_publication", env)
    assert mecanismes.actif("cache_execution", env)


def test_nom_inconnu_refuse():
    with pytest.raises(mecanismes.MecanismeInconnu, match="cache_rendu"):
        mecanismes.desactives({mecanismes.VARIABLE: "cache_rendu"})  # retiré
    with pytest.raises(mecanismes.MecanismeInconnu):
        mecanismes.actif("turbo", {})
