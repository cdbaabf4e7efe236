"""Mise en forme française des nombres (babel)."""

import pytest

from synthese_ihu.formatage import Valeur, millions_euros, nombre, pourcentage

pytestmark = pytest.mark.rapide

FINE = "\u202f"
INSEC = "\u00a0"


@pytest.mark.parametrize(
    ("appel", "attendu"),
    [
        (lambda: nombre(31639), f"31{FINE}639"),
        (lambda: nombre(1145), f"1{FINE}145"),
        (lambda: nombre(2.0, 1), "2"),
        (lambda: millions_euros(473_300_000), f"473,3{INSEC}M€"),
        (lambda: millions_euros(33_000_000), f"33{INSEC}M€"),
        (lambda: millions_euros(28_460_000), f"28,5{INSEC}M€"),
        (lambda: pourcentage(0.094, 1), f"9,4{INSEC}%"),
        (lambda: pourcentage(0.8474), f"85{INSEC}%"),
        (lambda: pourcentage(1.267), f"127{INSEC}%"),
        (lambda: pourcentage(0.2, signe=True), f"+20{INSEC}%"),
        (lambda: pourcentage(-0.15, signe=True), f"-15{INSEC}%"),
    ],
)
def test_forme_francaise(appel, attendu):
    assert appel() == attendu


def test_valeur_s_ecrit_selon_son_unite():
    assert str(Valeur(401_100_000, "M€", 1)) == f"401,1{INSEC}M€"
    assert f"{Valeur(0.13, '%')}" == f"13{INSEC}%"
    assert str(Valeur(31639)) == f"31{FINE}639"


@pytest.mark.parametrize("mauvais", ["12", None, True, float("nan")])
def test_refuse_ce_qui_n_est_pas_un_nombre(mauvais):
    with pytest.raises((TypeError, ValueError)):
        nombre(mauvais)


def test_unite_inconnue_refusee():
    with pytest.raises(ValueError, match="unité inconnue"):
        Valeur(3, "k€")


def test_format_explicite_refuse():
    with pytest.raises(ValueError, match="non pris en charge"):
        format(Valeur(3), ".2f")
