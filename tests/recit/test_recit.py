"""La magie %%recit : références remplies, erreurs claires, textes des données échappés."""

from types import SimpleNamespace

import pytest

from synthese_ihu.formatage import Valeur
from synthese_ihu.recit import (
    Enumeration,
    ErreurRecit,
    Fragment,
    echapper,
    faits_cites,
    options,
    remplir,
)

pytestmark = pytest.mark.rapide

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


def test_conditions_et_comparaisons():
    conditions = options("--si v.n == 1 --sauf v.absente --si v.vrai")
    assert [str(c) for c in conditions] == ["--si v.n == 1", "--sauf v.absente", "--si v.vrai"]
    assert conditions[0].vraie(1) and not conditions[0].vraie(2)
    assert not conditions[0].vraie(None)  # une valeur absente ne vérifie aucune comparaison
    assert conditions[1].vraie(None) and not conditions[1].vraie(3)
    assert options("--si v.x > 1")[0].vraie(Valeur(1500))
    with pytest.raises(ErreurRecit, match="attend un nombre"):
        options("--si v.x ==")
    with pytest.raises(ErreurRecit, match="inconnue"):
        options("--quand v.x")


def test_faits_cites_en_metadonnees():
    espace = {"annee": 2022, "v": SimpleNamespace(depuis=2020, n=Valeur(690), france=True)}
    faits = faits_cites("Depuis {v.depuis}, {v.n} essais.", options("--si v.france"), espace)
    assert faits["faits"] == {"v.depuis": 2020, "v.n": 690.0}
    assert faits["conditions"] == [{"condition": "--si v.france", "reference": "v.france",
                                    "valeur": True}]


def test_enumeration_des_donnees_echappee():
    e = Enumeration([("Île-de-France", Valeur(4611)), ("<b>X</b>", Valeur(3))])
    assert str(e) == "Île-de-France 4\u202f611 et &lt;b&gt;X&lt;/b&gt; 3"
    assert remplir("{e}", {"e": e}) == str(e)
