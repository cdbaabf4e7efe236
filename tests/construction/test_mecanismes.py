"""Interrupteurs des mécanismes mesurés par le banc."""

import pytest

from synthese_ihu import mecanismes

pytestmark = pytest.mark.rapide


def test_actif_par_defaut_et_desactive_par_la_variable():
    assert mecanismes.actif("cache_rendu", {})
    env = {mecanismes.VARIABLE: " cache_rendu , noyaux_reutilises"}
    assert not mecanismes.actif("cache_rendu", env)
    assert mecanismes.actif("cache_execution", env)


def test_nom_inconnu_refuse():
    with pytest.raises(mecanismes.MecanismeInconnu, match="cache_rendus"):
        mecanismes.desactives({mecanismes.VARIABLE: "cache_rendus"})
    with pytest.raises(mecanismes.MecanismeInconnu):
        mecanismes.actif("turbo", {})
