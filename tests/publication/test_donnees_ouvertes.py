"""Écriture des CSV ouverts, schémas, chiffres clés, provenance et colophon, sur de petits cas."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from synthese_ihu import donnees_ouvertes as ouv
from synthese_ihu import provenance as prov
from synthese_ihu import publication as pub
from synthese_ihu.figures import FIGURES
from synthese_ihu.formatage import Valeur
from synthese_ihu.recit import Fragment

pytestmark = pytest.mark.rapide


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (0.1 + 0.2, "0.3"),
        (2.0, "2"),
        (-0.0, "0"),
        (-1e-9, "0"),
        (473.3, "473.3"),
        (1 / 3, "0.333333"),
        (np.float64(12.5), "12.5"),
        (np.int64(31639), "31639"),
        (7, "7"),
        (True, "true"),
        (np.bool_(False), "false"),
        (None, ""),
        (math.nan, ""),
        (pd.NA, ""),
        (date(2022, 1, 5), "2022-01-05"),
        (pd.Timestamp("2024-12-31"), "2024-12-31"),
        ("Top 1 %", "Top 1 %"),
    ],
)
def test_formater_cellule(valeur, attendu):
    assert ouv.formater_cellule(valeur) == attendu


def test_formater_cellule_refuse_l_infini():
    with pytest.raises(ValueError, match="infini"):
        ouv.formater_cellule(math.inf)


def test_ecrire_csv_conventions(tmp_path):
    cadre = pd.DataFrame({
        "annee": pd.Series([2021, 2022], dtype="int64"),
        "libelle": ["Équipement, mobilier", 'dit "x"'],
        "part_pct": [0.1 + 0.2, 2.0],
        "rang": pd.Series([1, pd.NA], dtype="Int64"),
    })
    chemin = ouv.ecrire_csv(cadre, tmp_path / "f.csv")
    octets = chemin.read_bytes()
    assert not octets.startswith(b"\xef\xbb\xbf") and b"\r" not in octets
    assert octets.decode("utf-8") == (
        "annee,libelle,part_pct,rang\n"
        '2021,"Équipement, mobilier",0.3,1\n'
        '2022,"dit ""x""",2,\n'
    )


def test_schema_figure_types_titres_et_validation_frictionless(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    cadre = pd.DataFrame({
        "rang": pd.Series([1, 2, pd.NA], dtype="Int64"),
        "groupe": ["IHU", "IHU", "Ensemble des IHU"],
        "effet_levier_pct": [12.25, 3.0, 7.5],
    })
    ouv.ecrire_csv(cadre, tmp_path / "x.csv")
    spec = FIGURES["effet_levier_ihu"]
    schema = ouv.schema_figure(spec, cadre)
    assert [(c["name"], c["type"]) for c in schema["fields"]] == [
        ("rang", "integer"), ("groupe", "string"), ("effet_levier_pct", "number")]
    # titres et descriptions sont ceux que la figure déclare
    assert [(c["title"], c["description"]) for c in schema["fields"]] == [
        (spec.colonne(c["name"]).titre, spec.colonne(c["name"]).description)
        for c in schema["fields"]]
    (tmp_path / "x.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    rapport = frictionless.validate(
        frictionless.Resource(path="x.csv", schema="x.schema.json", basepath=str(tmp_path))
    )
    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "message"])


def test_schema_figure_refuse_une_colonne_non_declaree():
    cadre = pd.DataFrame({"rang": [1], "ihu": ["x"], "effet_levier_pct": [1.0]})
    with pytest.raises(KeyError, match="effet_levier_ihu : colonne 'ihu' non déclarée"):
        ouv.schema_figure(FIGURES["effet_levier_ihu"], cadre)


def test_chiffres_cles_echelle_unite_et_libelles():
    valeurs = {
        "dotation_engagee": Valeur(473_300_000.0, "M€", 1, "Dotation engagée", "2011-2022"),
        "part": Valeur(0.0937, "%", 1, "Part des essais", "2022"),
        "evolution": Valeur(-0.1499, "%+", 0, "Évolution", "2018-2022"),
        "projets_annee": Valeur(1145, "", 0, "Projets en cours", "2022"),
        "projets_max": Valeur(512, "", 0, "Projets en cours : maximum par IHU", "2022"),
        "phrase": Fragment("du texte"),
        "absente": None,
        "annee": 2022,
        "nom": "texte",
    }
    lignes = {ligne["id"]: ligne for ligne in pub.chiffres_cles(valeurs)}
    assert list(lignes) == ["dotation_engagee", "evolution", "part", "projets_annee",
                            "projets_max"]
    assert lignes["dotation_engagee"]["valeur"] == "473.3"
    assert lignes["dotation_engagee"]["unite"] == "M€"
    assert lignes["dotation_engagee"]["texte"] == "473,3\u00a0M€"
    assert (lignes["part"]["valeur"], lignes["part"]["unite"]) == ("9.4", "%")
    assert (lignes["evolution"]["valeur"], lignes["evolution"]["unite"]) == ("-15", "%")
    assert lignes["projets_annee"]["unite"] == "nombre"
    assert lignes["projets_max"]["libelle"] == "Projets en cours : maximum par IHU"
    assert lignes["projets_max"]["periode"] == "2022"


def _donnees(tmp_path):
    racine = tmp_path / "raw"
    for chemin, texte in {
        "agence/dotations.csv": "ihu,montant_eur\na,1\n",
        "campagnes/2021/a_2021.xlsx": "x",
        "campagnes/2022/a_2022.xlsx": "y",
        "campagnes/2023/a_2023.xlsx": "z",
        "contexte/essais.csv": "annee,valeur,statut\n2021,1,estime\n2022,2,publie\n",
        ".cache/ignore": "pas une donnée",
    }.items():
        (racine / chemin).parent.mkdir(parents=True, exist_ok=True)
        (racine / chemin).write_text(texte, encoding="utf-8")
    return racine


def test_provenance_campagnes_de_l_annee_et_empreinte(tmp_path):
    racine = _donnees(tmp_path)
    p = prov.relever_provenance(racine, 2022, racine_code=tmp_path)
    assert [f.chemin for f in p.fichiers] == [
        "agence/dotations.csv", "campagnes/2021/a_2021.xlsx", "campagnes/2022/a_2022.xlsx",
        "contexte/essais.csv"]
    manifeste = "".join(
        f"{hashlib.sha256((racine / f.chemin).read_bytes()).hexdigest()}  {f.chemin}\n"
        for f in p.fichiers
    )
    assert p.empreinte_donnees == hashlib.sha256(manifeste.encode()).hexdigest()
    assert p.contexte == (("essais.csv", 1, 0, 1),)
    assert p.version.startswith("paquet ") or p.version == "inconnue"  # hors dépôt git
    assert prov.relever_provenance(racine, 2021, racine_code=tmp_path).empreinte() != p.empreinte()


def test_colophon_pour_le_lecteur_echappe_et_sans_liste_de_fichiers(tmp_path):
    p = prov.relever_provenance(_donnees(tmp_path), 2022, racine_code=tmp_path)
    p = prov.Provenance(p.annee, p.interne, "<v1>", p.fichiers, p.contexte)
    html = pub.colophon_html(p, donnees_ouvertes=True, organisme="Agence <A>",
                             edition="de janvier 2024", contact="Agence, 1 rue X – https://a.fr")
    assert html.startswith('<section class="colophon" id="colophon"')
    assert "Agence &lt;A&gt;" in html and "<A>" not in html
    # Pour le lecteur : éditeur, date d'édition, contact, comment citer ; la version du code et
    # l'empreinte des données sont dans les données ouvertes (datapackage.json, provenance.csv).
    assert "<dt>Éditeur</dt>" in html and "édition de janvier 2024" in html
    assert "<dt>Contact</dt><dd>Agence, 1 rue X – https://a.fr</dd>" in html
    assert "<dt>Pour citer ce rapport</dt>" in html
    assert p.empreinte_donnees not in html and "v1" not in html and "SHA" not in html
    # Le détail fichier par fichier reste dans provenance.csv, jamais dans le rapport.
    assert all(f.sha256[:12] not in html and f.chemin not in html for f in p.fichiers)
    assert "donnees/" in html and "provenance.csv" in html
    assert "Campagnes de suivi 2021 à 2022 (2 classeurs déposés" in html
    assert "Essais cliniques" not in html and "essais (2022 : 1 valeur publiée)" in html
    assert "reconstruit" in html and "Licence" not in html and "Contact" not in pub.colophon_html(p)
    assert "réactualis" not in html.split("Méthode")[0]  # racontées en annexe seulement
    assert "donnees/" not in pub.colophon_html(p)
    assert "reconstruit" not in pub.colophon_html(p, reconstruit=False)
    avec_licence = pub.colophon_html(p, licence="Licence Ouverte 2.0",
                                     licence_url="https://www.etalab.gouv.fr/licence-ouverte")
    assert '<a href="https://www.etalab.gouv.fr/licence-ouverte">Licence Ouverte 2.0</a>' in (
        avec_licence)


def test_la_version_du_programme_va_dans_datapackage(tmp_path):
    (tmp_path / "datapackage.json").write_text('{"name": "x", "resources": []}\n',
                                               encoding="utf-8")
    ouv.inscrire_version(tmp_path, "abc1234-dirty")
    paquet = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert paquet["programme"] == {"nom": "synthese-ihu", "version": "abc1234-dirty"}
    assert paquet["name"] == "x"
