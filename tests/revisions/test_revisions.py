"""Révisions d'une édition à la suivante (#17) : changements, chiffres révisés, annexe, note.

Sur les données de référence (la réactualisation entrée avec la campagne 2022 : classeur
``imagine_2022.xlsx``, dépenses de fonctionnement 2021) et sur une copie où une valeur 2021 de
plus est réactualisée par un autre classeur 2022. Les attendus sont relus dans les classeurs
(openpyxl) et recalculés ici sur les tableaux, pas avec les fonctions testées.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from synthese_ihu.chemins import CARNETS, DONNEES_BRUTES
from synthese_ihu.donnees import charger
from synthese_ihu.revisions import comparer
from synthese_ihu.revisions_faits import tableau_public
from synthese_ihu.revisions_note import Note

pytestmark = pytest.mark.lent


def _ligne_du_classeur(chemin: Path, feuille: str, annee: int, cle: str, colonne: str) -> tuple:
    """(numéro de ligne du tableur, valeur) de la ligne ``annee``/``cle`` d'une feuille."""
    ws = openpyxl.load_workbook(chemin, read_only=True)[feuille]
    lignes = list(ws.iter_rows(values_only=True))
    entete = list(lignes[0])
    for numero, ligne in enumerate(lignes[1:], start=2):
        if ligne[entete.index("annee")] == annee and ligne[entete.index(colonne)] == cle:
            return numero, ligne[entete.index(list(entete)[-1])]
    raise AssertionError(f"{chemin.name} : pas de ligne {annee} {cle}")


def _sans_nom(tableau: pd.DataFrame, donnees) -> None:
    texte = " ".join(tableau.astype(str).to_numpy().ravel()).lower() + " ".join(tableau.columns)
    for code, nom in zip(donnees.ihu["ihu"], donnees.ihu["nom"], strict=True):
        assert f"{code}_" not in texte and nom.lower() not in texte, (code, texte)
    assert ".xlsx" not in texte and "campagnes/" not in texte


@pytest.fixture(scope="module")
def comparaison_2022(donnees):
    return comparer(donnees, 2022, DONNEES_BRUTES, faits=True)


def test_la_reactualisation_2022_est_situee(comparaison_2022):
    (c,) = comparaison_2022.changements
    chemin = DONNEES_BRUTES / "campagnes" / "2022" / "imagine_2022.xlsx"
    ligne, valeur = _ligne_du_classeur(chemin, "Depenses", 2021, "fonctionnement", "nature")
    ancienne = _ligne_du_classeur(
        chemin.parents[1] / "2021" / "imagine_2021.xlsx",
        "Depenses",
        2021,
        "fonctionnement",
        "nature",
    )[1]
    assert (c.nature, c.ihu, c.fichier, c.feuille, c.ligne) == (
        "reactualisation",
        "imagine",
        "campagnes/2022/imagine_2022.xlsx",
        "Depenses",
        ligne,
    )
    assert (c.ancienne, c.nouvelle, c.campagne_origine) == (ancienne, valeur, 2021)


def test_chiffres_2021_publies_puis_revises(comparaison_2022, donnees):
    revises = comparaison_2022.revises.set_index("id")
    assert set(revises.index) == {"depenses_annee", "depenses_cumul"}
    # recalcul direct : dépenses 2011-2021 des IHU, campagnes <= 2021 puis <= 2022
    d = donnees.depenses
    for campagnes, colonne in [(2021, "publie"), (2022, "revise_texte")]:
        t = d.loc[(d["campagne"] <= campagnes) & (d["annee"] <= 2021)]
        t = t.sort_values("campagne", kind="stable").drop_duplicates(
            ["ihu", "annee", "nature"], keep="last"
        )
        cumul = t["montant_eur"].sum() / 1e6
        annee = t.loc[t["annee"] == 2021, "montant_eur"].sum() / 1e6
        for nom, montant in [("depenses_cumul", cumul), ("depenses_annee", annee)]:
            texte = revises.at[nom, colonne].replace("M€", "").replace(",", ".")
            imprime = float("".join(texte.split()).replace("\u202f", ""))
            assert abs(imprime - montant) <= 0.05 + 1e-9, (nom, colonne, imprime, montant)
    assert comparaison_2022.causes == {"depenses_annee": [0], "depenses_cumul": [0]}
    assert len(comparaison_2022.chiffres) > 50  # tous les chiffres clés de 2021 sont comparés


def test_annexe_publique_sans_ihu_ni_classeur(comparaison_2022, donnees):
    tableau = tableau_public(comparaison_2022)
    assert list(tableau.columns) == [
        "Valeur",
        "Période",
        "Édition 2021, données d'alors",
        "Édition 2021, données de 2022",
        "Cause",
    ]
    assert set(tableau["Cause"]) == {"valeur réactualisée (dépenses — fonctionnement 2021)"}
    _sans_nom(tableau, donnees)


def test_note_constats_retournes_2021_2022(comparaison_2022, donnees):
    note = Note(
        2022,
        comparaison_2022,
        dict(zip(donnees.ihu["ihu"], donnees.ihu["nom"], strict=True)),
        CARNETS,
    )
    changements = note.changements()
    assert changements.loc[0, "Classeur"] == "campagnes/2022/imagine_2022.xlsx"
    assert changements.loc[0, "IHU"].startswith("Imagine")
    constats = note.constats().set_index("Fait")
    # la série des chercheurs étrangers : recul depuis 2020 en 2021, reprise en 2022
    i = donnees.pour_annee(2022).indicateurs
    serie = i.loc[i["indicateur"] == "chercheurs_etrangers"].groupby("annee")["valeur"].sum()
    assert serie[2022] > serie[2021] < serie[2020]
    assert constats.loc["chercheurs_baisse_depuis", "Changement"] == "retourné"
    assert constats.loc["chercheurs_baisse_depuis", "Édition 2021"] == "2020"
    assert constats.loc["chercheurs_baisse_depuis", "Édition 2022"] == "—"
    assert "04_attractivite" in constats.loc["chercheurs_baisse_depuis", "Paragraphes"]
    phrases = note.phrases()
    nombres = phrases["Nombres (publié → révisé → édition N)"].str.replace("\xa0", " ")
    assert nombres.str.contains("depenses_cumul : 368 M€ → 367,9 M€ → ", regex=False).any()


def test_premiere_edition_sans_precedente(donnees):
    c = comparer(donnees, 2012, DONNEES_BRUTES)
    assert c.precedente is None and c.changements == [] and c.revises.empty


def test_une_reactualisation_de_plus(tmp_path, monkeypatch, donnees):
    """Copie des données : le classeur 2022 d'un autre IHU réactualise ses brevets 2021."""
    from synthese_ihu import chemins
    from synthese_ihu.valeurs import Valeurs

    racine = Path(shutil.copytree(DONNEES_BRUTES, tmp_path / "raw"))
    i = donnees.indicateurs
    avant = i.loc[
        (i["ihu"] == "icm")
        & (i["annee"] == 2021)
        & (i["campagne"] == 2021)
        & (i["indicateur"] == "brevets_deposes"),
        "valeur",
    ].item()
    chemin = racine / "campagnes" / "2022" / "icm_2022.xlsx"
    classeur = openpyxl.load_workbook(chemin)
    feuille = classeur["Indicateurs"]
    entete = [c.value for c in feuille[1]]
    ligne = {"annee": 2021, "indicateur": "brevets_deposes", "valeur": int(avant) + 40}
    feuille.append([ligne.get(c) for c in entete])
    numero = feuille.max_row
    classeur.save(chemin)

    complet = charger(racine)
    c = comparer(complet, 2022, racine, faits=True)
    nouveau = [x for x in c.changements if x.ihu == "icm"]
    assert [(x.fichier, x.feuille, x.ligne, x.ancienne, x.nouvelle) for x in nouveau] == [
        ("campagnes/2022/icm_2022.xlsx", "Indicateurs", numero, avant, avant + 40)
    ]
    rang = c.changements.index(nouveau[0])
    par_brevets = {n for n, r in c.causes.items() if rang in r}
    assert {"brevets_annee", "brevets_cumul"} <= par_brevets
    assert par_brevets == set(c.revises["id"]) - {"depenses_annee", "depenses_cumul"}
    assert all(n.startswith("brevets") for n in par_brevets)
    # annexe publique : la ligne et sa cause, sans nom ; faits du récit de l'annexe
    tableau = tableau_public(c).set_index("Valeur")
    assert len(tableau) == 2 + len(par_brevets)
    assert tableau["Cause"].str.contains("indicateurs — brevets déposés 2021").sum() == len(
        par_brevets
    )
    _sans_nom(tableau, complet)
    monkeypatch.setattr(chemins, "DONNEES_BRUTES", racine)
    v = Valeurs(complet.pour_annee(2022), 2022, complet)
    n = len(tableau)
    assert (v.edition_precedente, v.nb_valeurs_revisees, v.nb_chiffres_revises) == (2021, 2, n)
    assert v.nb_chiffres_inchanges == v.nb_chiffres_precedente - n
    # note : classeur et ligne nommés
    note = Note(2022, c, dict(zip(complet.ihu["ihu"], complet.ihu["nom"], strict=True)), CARNETS)
    lignes = note.changements().set_index("Classeur")
    assert lignes.loc["campagnes/2022/icm_2022.xlsx", "Feuille, ligne"] == (
        f"Indicateurs, ligne {numero}"
    )
    assert "brevets" in lignes.loc["campagnes/2022/icm_2022.xlsx", "Chiffres clés révisés"].lower()


def test_extraction_figee_comparee(tmp_path, donnees):
    """Une extraction figée pour 2021 (versements) différente de la courante : cause « source »."""
    racine = Path(shutil.copytree(DONNEES_BRUTES, tmp_path / "raw"))
    fige = racine / "millesimes" / "2021" / "agence"
    fige.mkdir(parents=True)
    versements = pd.read_csv(racine / "agence" / "versements.csv", dtype=str)
    premiere = versements.index[versements["annee"] == "2021"][0]
    montant = int(float(versements.loc[premiere, "montant_eur"]))
    versements.loc[premiere, "montant_eur"] = str(montant + 9_000_000)
    versements.to_csv(fige / "versements.csv", index=False)
    c = comparer(charger(racine), 2022, racine)
    sources = [x for x in c.changements if x.nature == "source"]
    assert [x.cle for x in sources] == ["versements"]
    assert c.sources["agence/versements.csv"] and not c.sources["bibliometrie/sampra_articles.csv"]
    rang = c.changements.index(sources[0])
    assert "verse_cumul" in {n for n, r in c.causes.items() if rang in r}
    publie = c.chiffres.set_index("id").loc["verse_cumul", "publie"]
    revise = c.chiffres.set_index("id").loc["verse_cumul", "revise_texte"]
    assert publie != revise
