"""Données ouvertes : un texte venu d'un classeur qui commence par ``=``, ``+``, ``-`` ou ``@``
est neutralisé dans le CSV (injection de formule), par la fonction qui écrit les CSV publiés."""

from __future__ import annotations

import csv
import io

import pytest

from synthese_ihu.donnees_ouvertes import texte_csv

pytestmark = pytest.mark.rapide


@pytest.mark.parametrize("texte, ecrit", [
    ('=HYPERLINK("http://x";"clic")', "'=HYPERLINK(\"http://x\";\"clic\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SOMME(A1:A9)", "'@SOMME(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("-15 %", "-15 %"),  # un nombre écrit n'est pas une formule
    ("+3", "+3"),
    ("Start-up « Cardiotech »", "Start-up « Cardiotech »"),
])
def test_texte_neutralise(texte, ecrit):
    lignes = list(csv.reader(io.StringIO(texte_csv(["nom"], [[texte]]))))
    assert lignes == [["nom"], [ecrit]]


def test_nombres_intacts():
    assert texte_csv(["v"], [[-15], [-0.5]]) == "v\n-15\n-0.5\n"
