"""Valeurs imprimées par une édition (:mod:`synthese_ihu.imprimees`) : l'annexe ne compte et ne
liste comme jamais publiées que les valeurs que le lecteur lit ; la clé de cache de l'annexe
suit les récits des autres sections."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from synthese_ihu import imprimees, publication
from synthese_ihu.config import charger_configuration
from synthese_ihu.formatage import Valeur


def _carnet(chemin, sources: list[str]):
    cellules = [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "outputs": [],
                 "execution_count": None, "source": s} for i, s in enumerate(sources)]
    chemin.write_text(json.dumps({"cells": cellules, "metadata": {}, "nbformat": 4,
                                  "nbformat_minor": 5}), encoding="utf-8")
    return chemin


@pytest.mark.rapide
def test_seuls_les_recits_affiches_comptent(tmp_path):
    carnet = _carnet(tmp_path / "a.ipynb", [
        "%%recit\nEn {annee}, {v.a} brevets.",
        "%%recit --si v.b\nCe récit n'est pas affiché : {v.c}.",
        "%%recit --sauf v.b\nCelui-ci l'est : {v.d}.",
        "%%recit --si v.n > 1\n{v.e} start-up.",
        "%%recit --si v.compte\nL'annexe : {v.compte} valeurs.",
        "x = 1  # {v.z} n'est pas un récit",
    ])
    v = SimpleNamespace(a=Valeur(3, "", 0), b=False, c=1, d=2, n=Valeur(2, "", 0), e=4,
                        compte=7)
    assert imprimees.valeurs_imprimees(v, 2022, [carnet], sauf=["compte"]) == {"a", "d", "e"}
    v.b = True
    assert imprimees.valeurs_imprimees(v, 2022, [carnet], sauf=["compte"]) == {"a", "c", "e"}


@pytest.mark.rapide
def test_empreinte_suit_les_recits_seulement(tmp_path):
    carnet = _carnet(tmp_path / "a.ipynb", ["%%recit\n{v.a}", "x = 1"])
    avant = imprimees.empreinte_recits([carnet])
    _carnet(carnet, ["%%recit\n{v.a}", "x = 2"])
    assert imprimees.empreinte_recits([carnet]) == avant
    _carnet(carnet, ["%%recit --si v.b\n{v.a}", "x = 2"])
    assert imprimees.empreinte_recits([carnet]) != avant


@pytest.mark.rapide
def test_l_annexe_depend_des_recits():
    sections = {s.id: s for s in charger_configuration().sections}
    assert sections["annexe_methode"].depend_des_recits
    assert not sections["recherche"].depend_des_recits


@pytest.mark.lent
def test_annexe_2022_liste_exactement_les_valeurs_imprimees_reconstruites(
        constructions_publiques, donnees):
    """Relu dans les carnets exécutés du rapport 2022 : les valeurs citées par les récits
    affichés, leur provenance, et la liste que l'annexe imprime."""
    carnets = constructions_publiques[2022].carnets
    citees: dict[str, object] = {}
    liste_annexe = None
    for chemin in sorted(carnets.glob("*.ipynb")):
        for cellule in json.loads(chemin.read_text(encoding="utf-8"))["cells"]:
            for sortie in cellule.get("outputs", []):
                meta = sortie.get("metadata", {}).get("synthese_recit")
                if meta is None:
                    continue
                for nom, valeur in meta["faits"].items():
                    if nom == "v.valeurs_reconstruites":
                        liste_annexe = valeur
                    elif nom.startswith("v."):
                        citees[nom[2:]] = valeur
    assert liste_annexe, "l'annexe 2022 n'imprime pas la liste des valeurs reconstruites"
    from synthese_ihu.valeurs import Valeurs

    v = Valeurs(donnees.pour_annee(2022), 2022, donnees)
    reconstruites = sorted(
        n for n in citees if isinstance(getattr(v, n), Valeur)
        and publication.provenance_valeur(n, donnees.metadonnees, 2022)
        == publication.RECONSTRUITE)
    assert reconstruites and v.nb_valeurs_reconstruites == len(reconstruites), reconstruites
    for nom in reconstruites:
        assert f"({getattr(v, nom)})" in liste_annexe, nom
    assert "(197)" not in liste_annexe and "396,4" not in liste_annexe
