"""La magie %%recit : références remplies, erreurs claires, textes des données échappés."""

from types import SimpleNamespace

import pytest

from synthese_ihu.formatage import Valeur
from synthese_ihu.recit import ErreurRecit, Fragment, echapper, remplir

pytestmark = pytest.mark.unit

ESPACE = {
    "annee": 2022,
    "v": SimpleNamespace(
        verse=Valeur(401_100_000, "M€", 1), sens=Fragment("une **hausse**"), absente=None
    ),
    "nom_startup": "<script>alert(1)</script> *Bio_Tech*",
}


def test_references_remplies_a_la_francaise():
    texte = remplir("Au 31/12/{annee}, {v.verse} versés : {v.sens}.", ESPACE)
    assert texte == "Au 31/12/2022, 401,1\u00a0M€ versés : une **hausse**."


def test_reference_inconnue_est_une_erreur_qui_la_nomme():
    with pytest.raises(ErreurRecit, match=r"v\.inconnue"):
        remplir("{v.inconnue}", ESPACE)
    with pytest.raises(ErreurRecit, match="« w » n'existe pas"):
        remplir("{w.x}", ESPACE)


def test_valeur_absente_est_une_erreur_pas_un_blanc():
    with pytest.raises(ErreurRecit, match="absente"):
        remplir("{v.absente}", ESPACE)


def test_texte_des_donnees_echappe():
    texte = remplir("{nom_startup}", ESPACE)
    assert "<script>" not in texte
    assert "&lt;script&gt;" in texte
    assert r"\*Bio\_Tech\*" in texte


def test_nombre_brut_refuse():
    with pytest.raises(ErreurRecit, match="float"):
        remplir("{x}", {"x": 3.5})


def test_echapper_les_caracteres_de_controle():
    assert echapper("a & b [lien](x) #titre") == r"a &amp; b \[lien\](x) \#titre"
