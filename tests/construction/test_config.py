"""Configuration (synthese.toml) et paramètres de construction : refus avant toute exécution."""

from __future__ import annotations

import pytest
from config_jetable import TOML_VALIDE, ecrire_config

from synthese_ihu import config
from synthese_ihu.config import (
    ErreurConfiguration,
    ErreurParametres,
    charger_configuration,
    valider_annee,
    valider_annees,
    valider_construction,
    valider_parametres,
)

pytestmark = pytest.mark.rapide

#: Années couvertes passées en paramètre (au lieu de lire data/raw).
ANNEES = range(2012, 2023)


def test_configuration_valide_sections_dans_l_ordre(tmp_path):
    conf = charger_configuration(ecrire_config(tmp_path), tmp_path)
    assert conf.ids == ("ouverture", "recherche")
    assert conf.section("recherche").chemin == tmp_path / "03_recherche.ipynb"
    assert conf.rapport.annee_defaut == 2022


def test_configuration_du_projet_n_a_que_des_cles_connues(tmp_path):
    import tomllib

    brut = tomllib.loads(config.FICHIER_CONFIGURATION.read_text(encoding="utf-8"))
    for section in brut["sections"]:  # les carnets réels ne sont pas l'objet de ce test
        (tmp_path / section["carnet"]).write_text("{}", encoding="utf-8")
    conf = charger_configuration(config.FICHIER_CONFIGURATION, tmp_path)
    assert conf.ids[0] == "ouverture" and len(conf.ids) == len(set(conf.ids))


@pytest.mark.parametrize(
    "remplacer, cle",
    [
        ('titre = "Synthèse"', 'titre = "Synthèse"\ncouleur = "bleu"'),
        ('titre = "Présentation"', 'titre = "Présentation"\nordre = 1'),
        ("[rapport]", 'version = 2\n[rapport]'),
    ],
    ids=["rapport", "section", "racine"],
)
def test_cle_inconnue_refusee_en_nommant_cle_et_fichier(tmp_path, remplacer, cle):
    fichier = ecrire_config(tmp_path, TOML_VALIDE.replace(remplacer, cle, 1))
    nom = cle.split("\n")[-1].split(" =")[0] if "[rapport]" not in cle else "version"
    with pytest.raises(ErreurConfiguration) as exc:
        charger_configuration(fichier, tmp_path)
    assert f"« {nom} »" in str(exc.value)
    assert str(fichier) in str(exc.value)


def test_identifiant_en_double_refuse(tmp_path):
    fichier = ecrire_config(tmp_path, TOML_VALIDE.replace('"recherche"', '"ouverture"'))
    with pytest.raises(ErreurConfiguration, match="double « ouverture »"):
        charger_configuration(fichier, tmp_path)


def test_carnet_absent_refuse(tmp_path):
    fichier = ecrire_config(tmp_path, TOML_VALIDE.replace("03_recherche", "99_absent"))
    with pytest.raises(ErreurConfiguration, match="carnet introuvable.*recherche"):
        charger_configuration(fichier, tmp_path)


def test_cle_obligatoire_absente_refusee(tmp_path):
    fichier = ecrire_config(tmp_path, TOML_VALIDE.replace('titre = "2.1 Recherche"', ""))
    with pytest.raises(ErreurConfiguration, match="« titre » absente"):
        charger_configuration(fichier, tmp_path)


@pytest.mark.parametrize("valeur", [2022, "2022", " 2013 "])
def test_annee_valide(valeur):
    assert valider_annee(valeur, ANNEES) == int(str(valeur).strip())


@pytest.mark.parametrize("valeur", ["2022a", 2022.5, 2022.0, True, None, "", "20 22", "-2022"])
def test_annee_mal_ecrite_refusee(valeur):
    with pytest.raises(ErreurParametres, match="année invalide"):
        valider_annee(valeur, ANNEES)


@pytest.mark.parametrize("valeur", [2011, 2023, "1999"])
def test_annee_non_couverte_refusee(valeur):
    with pytest.raises(ErreurParametres, match="non couverte.*2012 à 2022"):
        valider_annee(valeur, ANNEES)


def test_donnees_illisibles_refusent_l_annee(tmp_path):
    def annees_couvertes():
        raise FileNotFoundError("data/raw vide")

    conf = charger_configuration(ecrire_config(tmp_path), tmp_path)
    with pytest.raises(ErreurParametres, match="années couvertes.*data/raw vide"):
        valider_parametres({"annee": 2022}, conf, annees_couvertes)
    with pytest.raises(ErreurParametres, match="années couvertes.*data/raw vide"):
        valider_construction({"annee": "2021-2022"}, conf, annees_couvertes)


def test_parametres_valides(tmp_path):
    conf = charger_configuration(ecrire_config(tmp_path), tmp_path)
    p = valider_parametres({"annee": "2020", "sections": "recherche,ouverture"}, conf, ANNEES)
    assert (p.annee, p.sections, p.partiel, p.interne) == (
        2020,
        ("ouverture", "recherche"),
        False,
        False,
    )
    assert valider_parametres({}, conf, ANNEES).annee == 2022  # annee_defaut
    partiel = valider_parametres({"annee": 2021, "sections": ["recherche"], "interne": True},
                                 conf, ANNEES)
    assert partiel.partiel and partiel.interne and partiel.sections == ("recherche",)
    assert partiel.valeurs_carnet() == {"annee": 2021, "interne": True}


@pytest.mark.parametrize(
    "options, message",
    [
        ({"annee": 2022, "couleur": "bleu"}, "option.*inconnue.*couleur"),
        ({"annee": 2022, "sections": "recherche,inconnue"}, "section.*inconnue.*inconnue"),
        ({"annee": 2022, "interne": "oui"}, "interne.*vrai ou faux"),
        ({"annee": "2022; rm -rf /"}, "année invalide"),
    ],
)
def test_parametres_refuses(tmp_path, options, message):
    conf = charger_configuration(ecrire_config(tmp_path), tmp_path)
    with pytest.raises(ErreurParametres, match=message):
        valider_parametres(options, conf, ANNEES)


@pytest.mark.parametrize(
    "valeur, attendu",
    [
        ("2012-2022", tuple(range(2012, 2023))),
        (" 2015 - 2016 ", (2015, 2016)),
        ("2020-2020", (2020,)),
        ("2022", (2022,)),
        (2019, (2019,)),
    ],
)
def test_plage_d_annees_valide(valeur, attendu):
    assert valider_annees(valeur, ANNEES) == attendu


@pytest.mark.parametrize(
    "valeur, message",
    [
        ("2022-2012", r"plage d'années décroissante : 2022-2012 \(écrire 2012-2022\)"),
        ("2011-2013", r"plage 2011-2013 : année\(s\) 2011 non couverte\(s\).*2012 à 2022"),
        ("2021-2023", r"année\(s\) 2023 non couverte"),
        ("abc", "année invalide : 'abc'"),
        ("2012-abc", "plage d'années invalide"),
        ("2012-2013-2014", "plage d'années invalide"),
        ("-2013", "plage d'années invalide"),
        ("2012,2013", "année invalide"),
    ],
)
def test_plage_d_annees_refusee(valeur, message):
    with pytest.raises(ErreurParametres, match=message):
        valider_annees(valeur, ANNEES)


def test_construction_de_plusieurs_annees_validee_d_un_coup(tmp_path):
    conf = charger_configuration(ecrire_config(tmp_path), tmp_path)
    liste = valider_construction({"annee": "2020-2022", "interne": True}, conf, ANNEES)
    assert [(p.annee, p.interne, p.partiel) for p in liste] == [
        (2020, True, False),
        (2021, True, False),
        (2022, True, False),
    ]
    assert [p.annee for p in valider_construction({"annee": "2021"}, conf, ANNEES)] == [2021]
    assert [p.annee for p in valider_construction({}, conf, ANNEES)] == [2022]  # annee_defaut
    with pytest.raises(ErreurParametres, match="une seule année"):
        valider_construction({"annee": "2020-2021", "sections": "recherche"}, conf, ANNEES)
    with pytest.raises(ErreurParametres, match="option.*inconnue.*couleur"):
        valider_construction({"annee": "2020-2021", "couleur": "bleu"}, conf, ANNEES)


def test_couverture_organisme_action_et_dates_d_edition(tmp_path):
    texte = TOML_VALIDE.replace(
        'nom_fichier = "synthese-ihu-{annee}"',
        'nom_fichier = "synthese-ihu-{annee}"\norganisme = "Agence"\n'
        '[rapport.dates_edition]\n"2022" = "2023-06-30"',
    )
    conf = charger_configuration(ecrire_config(tmp_path, texte), tmp_path)
    assert conf.rapport.organisme == "Agence"
    assert conf.rapport.dates_edition == ((2022, "2023-06-30"),)


@pytest.mark.parametrize(
    "ligne, motif",
    [
        ('"2022" = "30/06/2023"', "« 2022 » = '30/06/2023' : date AAAA-MM-JJ"),
        ('"2022" = "2023-02-30"', "date AAAA-MM-JJ"),
        ('"22" = "2023-06-30"', "clé « 22 » : année à 4 chiffres"),
    ],
)
def test_date_d_edition_invalide_refusee(tmp_path, ligne, motif):
    texte = TOML_VALIDE.replace(
        'nom_fichier = "synthese-ihu-{annee}"',
        f'nom_fichier = "synthese-ihu-{{annee}}"\n[rapport.dates_edition]\n{ligne}',
    )
    with pytest.raises(ErreurConfiguration, match=motif):
        charger_configuration(ecrire_config(tmp_path, texte), tmp_path)


PERIODES = """
[periodes]
premiere_annee_finances = 2011
premiere_annee_indicateurs = 2012
premiere_campagne_cofinancements = 2014
"""


def test_periodes_de_l_edition_lues_dans_la_configuration(tmp_path):
    conf = charger_configuration(ecrire_config(tmp_path, TOML_VALIDE + PERIODES), tmp_path)
    p = conf.periodes
    assert (p.finances(2022), p.indicateurs(2022), p.cofinancements(2019)) == (
        "2011-2022", "2012-2022", "2014-2019")
    assert charger_configuration(ecrire_config(tmp_path), tmp_path).periodes is None
    # celles du paquet : une seule source pour tous les modules
    assert config.periodes() == charger_configuration().periodes


@pytest.mark.parametrize("remplacer, motif", [
    (("2014", "2014\nderniere = 2030"), "clé.*inconnue.*derniere"),
    (("= 2012", '= "2012"'), "premiere_annee_indicateurs.*doit être une année"),
    (("= 2011", "= 2013"), "premiere_annee_finances <= premiere_annee_indicateurs"),
])
def test_periodes_invalides_refusees(tmp_path, remplacer, motif):
    texte = TOML_VALIDE + PERIODES.replace(*remplacer)
    with pytest.raises(ErreurConfiguration, match=motif):
        charger_configuration(ecrire_config(tmp_path, texte), tmp_path)
