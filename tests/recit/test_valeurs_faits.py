"""Le paquet rend des faits, les carnets écrivent les phrases.

Chaque valeur du catalogue (``{v.nom}``), pour plusieurs années, se met en forme en quatre mots au
plus ; seuls les textes lus dans les données (sources, noms de régions) sont exemptés. Et chaque
``{v.nom}`` ou ``--si v.nom`` d'un carnet désigne une valeur du catalogue.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from synthese_ihu.chemins import CARNETS
from synthese_ihu.recit import Enumeration, Fragment, TexteDonnees, options
from synthese_ihu.valeurs import Valeurs

MOTS_MAX = 4


def _prose(valeur) -> str | None:
    """Le texte de la valeur s'il est de la prose du paquet, ``None`` sinon."""
    if valeur is None or isinstance(valeur, bool | TexteDonnees | Enumeration):
        return None
    texte = str(valeur)
    if isinstance(valeur, Fragment) or len(texte.split()) > MOTS_MAX:
        return texte
    return None


@pytest.mark.lent
@pytest.mark.parametrize("annee", [2012, 2017, 2022])
def test_aucune_valeur_du_paquet_n_est_une_phrase(donnees, annee):
    valeurs = Valeurs(donnees.pour_annee(annee), annee, donnees).toutes(faits=True)
    assert len(valeurs) > 150
    phrases = {nom: t for nom, v in valeurs.items() if (t := _prose(v)) is not None}
    assert not phrases, f"valeurs rédigées par le paquet en {annee} : {phrases}"


@pytest.mark.rapide
def test_le_test_reconnait_une_phrase():
    assert _prose("Le nombre d'essais diminue chaque année") is not None
    assert _prose(Fragment("hausse")) is not None
    assert _prose("31 décembre 2024") is None
    assert _prose(TexteDonnees("INPI, Statistiques régionales des demandes de brevets")) is None


def _references_des_carnets() -> set[str]:
    noms = set()
    for chemin in sorted(CARNETS.glob("*.ipynb")):
        for cellule in nbformat.read(chemin, as_version=4).cells:
            source = cellule.source
            if cellule.cell_type != "code" or not source.startswith("%%recit"):
                continue
            premiere, _, corps = source.partition("\n")
            noms |= {c.reference for c in options(premiere[len("%%recit"):])}
            noms |= set(re.findall(r"\{(v\.\w+)\}", corps))
    return {n.removeprefix("v.") for n in noms if n.startswith("v.")}


@pytest.mark.rapide
def test_chaque_reference_des_carnets_existe(donnees):
    catalogue = set(dir(Valeurs(donnees.pour_annee(2022), 2022, donnees)))
    references = _references_des_carnets()
    assert len(references) > 100
    assert not references - catalogue, sorted(references - catalogue)
