"""Construction reproductible, données ouvertes valides et anonymes, colophon en dernière page.

Le rapport public 2022 de la session (construction de plusieurs années, dossier de construction
neuf : ``rapports_publics``) et une construction de 2022 seule, sans cache (tout réexécuté,
données ouvertes et rendu refaits), dans d'autres dossiers : chaque fichier (HTML, PDF, CSV,
JSON) doit être identique à l'octet. Une troisième construction, cache de la deuxième permis,
réutilise le rendu et publie encore ``donnees/``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from constructions import construire
from pypdf import PdfReader

from synthese_ihu import chemins
from synthese_ihu.figures import FIGURES

pytestmark = pytest.mark.lent

ANNEE = 2022
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre")


def _fichiers(dossier: Path) -> dict[str, bytes]:
    return {
        p.relative_to(dossier).as_posix(): p.read_bytes()
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def constructions(rapports_publics, tmp_path_factory) -> dict[str, Path]:
    """« a » : le rapport 2022 de la session (jamais reconstruit ici) ; « b » : 2022 seul, sans
    cache ; « c » : 2022 seul, cache de « b » permis (même dossier de construction)."""
    construction = tmp_path_factory.mktemp("construction")
    dossiers = {"a": rapports_publics[ANNEE]}
    for nom, options in (("b", ["--sans-cache"]), ("c", [])):
        sortie = tmp_path_factory.mktemp(f"rapport-{nom}")
        resultat = construire(ANNEE, sortie, construction, *options)
        assert resultat.returncode == 0, resultat.stdout[-3000:] + resultat.stderr[-3000:]
        dossiers[nom] = sortie / str(ANNEE)
    return dossiers


@pytest.fixture(scope="module")
def rapport(constructions) -> Path:
    return constructions["a"]


def test_deux_constructions_identiques_a_l_octet(constructions):
    a, b = _fichiers(constructions["a"]), _fichiers(constructions["b"])
    assert {"synthese-ihu-2022.html", "synthese-ihu-2022.pdf", "donnees/datapackage.json",
            "donnees/chiffres_cles.csv", "donnees/provenance.csv"} <= set(a)
    assert sorted(a) == sorted(b)
    differents = [nom for nom in a if a[nom] != b[nom]]
    assert not differents, f"fichiers différents d'une construction à l'autre : {differents}"


def test_reconstruction_en_cache_garde_les_donnees(constructions):
    assert _fichiers(constructions["c"]) == _fichiers(constructions["a"])


def test_pdf_sans_date(rapport):
    pdf = (rapport / "synthese-ihu-2022.pdf").read_bytes()
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf


def test_le_paquet_de_donnees_est_valide(rapport):
    frictionless = pytest.importorskip("frictionless")
    paquet = rapport / "donnees" / "datapackage.json"
    rapport_validation = frictionless.validate(str(paquet))
    assert rapport_validation.valid, rapport_validation.flatten(
        ["taskNumber", "rowNumber", "fieldName", "type", "message"])
    ressources = json.loads(paquet.read_text(encoding="utf-8"))["resources"]
    noms = {r["name"] for r in ressources}
    assert {"chiffres_cles", "provenance"} <= noms
    for r in ressources:  # chaque CSV a son schéma, chaque colonne un titre et une description
        schema = json.loads((rapport / "donnees" / r["schema"]).read_text(encoding="utf-8"))
        for champ in schema["fields"]:
            assert champ["title"] != champ["name"] or champ["name"] == "id", (r["name"], champ)
            assert champ["description"], (r["name"], champ["name"])


def test_conventions_des_csv(rapport):
    for chemin in sorted((rapport / "donnees").glob("*.csv")):
        octets = chemin.read_bytes()
        assert not octets.startswith(b"\xef\xbb\xbf"), chemin.name
        assert b"\r" not in octets and octets.endswith(b"\n"), chemin.name
        texte = octets.decode("utf-8")
        assert not re.search(r"\d\.\d*0000000\d|\d\.\d*9999999\d", texte), chemin.name
        lignes = list(csv.reader(texte.splitlines()))
        assert len({len(ligne) for ligne in lignes}) == 1, chemin.name


def test_chaque_figure_renvoie_a_son_csv(rapport):
    html = (rapport / "synthese-ihu-2022.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="figure"[^>]*data-figure="([^"]+)"', html)
    liens = re.findall(r'href="(donnees/[^"]+\.csv)"', html)
    assert figures and len(liens) == len(figures)
    for lien in liens:
        assert (rapport / lien).is_file(), lien
    assert {Path(lien).stem for lien in liens} == set(figures)
    for ident in FIGURES:  # un CSV sans figure dans le rapport serait une donnée non relue
        if (rapport / "donnees" / f"{ident}.csv").exists():
            assert ident in figures, ident


def test_donnees_par_ihu_anonymes(rapport):
    with (chemins.DONNEES_BRUTES / "referentiel" / "ihu.csv").open(encoding="utf-8") as f:
        referentiel = list(csv.DictReader(f))
    identites = {r["ihu"] for r in referentiel} | {r["nom"] for r in referentiel}
    motif = re.compile(
        r"(?<![\w-])(" + "|".join(sorted(map(re.escape, identites), key=len, reverse=True))
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    for chemin in sorted((rapport / "donnees").glob("*.csv")):
        if chemin.name == "provenance.csv":  # chemins des classeurs, aucune valeur
            continue
        with chemin.open(encoding="utf-8") as f:
            lignes = list(csv.reader(f))
        if chemin.stem == "carte_ihu":  # figure nominative : noms et lieux, aucune valeur
            # statut : mot du statut des points (publie, reconstruit), jamais une valeur
            assert set(lignes[0]) <= {"nom", "ville", "region", "appel", "groupe", "latitude",
                                      "longitude", "statut"}, lignes[0]
            assert {ligne[lignes[0].index("statut")] for ligne in lignes[1:]} <= {
                "publie", "reconstruit", "estime"}
            continue
        assert not {"ihu", "nom"} & set(lignes[0]), chemin.name
        if chemin.stem in FIGURES and FIGURES[chemin.stem].par_ihu:
            assert "rang" in lignes[0], chemin.name
        for ligne in lignes[1:]:
            for cellule in ligne:
                assert not motif.search(cellule), (chemin.name, cellule)


def test_le_colophon_du_lecteur_est_sur_la_derniere_page(rapport):
    """La dernière page : qui publie, quand, qui contacter, licence, comment citer, où sont les
    données et la méthode ; la provenance technique est dans ``donnees/``, pas dans le PDF."""
    from synthese_ihu import config
    from synthese_ihu.edition import date_edition

    configuration = config.charger_configuration()
    pdf = PdfReader(rapport / "synthese-ihu-2022.pdf")
    derniere = re.sub(r"\s+", " ", pdf.pages[-1].extract_text())
    avant = re.sub(r"\s+", "", pdf.pages[-2].extract_text())
    assert "Colophon" in derniere and "Colophon" not in avant  # une page, la dernière
    assert configuration.rapport.organisme in derniere
    mois = date_edition(configuration, ANNEE)
    assert f"édition de {MOIS[mois.month - 1]} {mois.year}" in derniere
    assert configuration.publication.contact[:30] in derniere
    assert configuration.publication.licence in derniere and "Pour citer ce rapport" in derniere
    assert "reconstruit" in derniere and "provenance.csv" in derniere
    assert "Méthode et sources" in derniere
    paquet = json.loads((rapport / "donnees" / "datapackage.json").read_text(encoding="utf-8"))
    empreinte = next(r for r in paquet["resources"] if r["name"] == "provenance")["description"]
    empreinte = re.search(r"[0-9a-f]{64}", empreinte).group(0)
    version = paquet["programme"]["version"]
    assert version and version not in derniere and empreinte not in derniere.replace(" ", "")
    with (rapport / "donnees" / "provenance.csv").open(encoding="utf-8") as f:
        fichiers = list(csv.DictReader(f))
    assert len(fichiers) == sum(1 for p in chemins.DONNEES_BRUTES.rglob("*") if p.is_file())
    # Empreintes fichier par fichier : dans provenance.csv seulement, pas dans le rapport.
    texte = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    assert not [ligne["chemin"] for ligne in fichiers if ligne["sha256"][:12] in texte]
    html = (rapport / "synthese-ihu-2022.html").read_text(encoding="utf-8")
    assert html.rindex('id="colophon"') > html.rindex("<figure")


def test_licence_et_provenance_des_chiffres_cles(rapport):
    """La licence de ``[publication]`` est déclarée ; chaque chiffre clé dit s'il est publié par
    l'agence ou reconstruit, d'après ``referentiel/metadonnees.toml`` (jeu reconstruit)."""
    from synthese_ihu import config

    conf = config.charger_configuration().publication
    paquet = json.loads((rapport / "donnees" / "datapackage.json").read_text(encoding="utf-8"))
    assert paquet["licenses"] == [{"title": conf.licence, "path": conf.licence_url}]
    assert "reconstruit" in paquet["description"]
    with (rapport / "donnees" / "chiffres_cles.csv").open(encoding="utf-8") as f:
        lignes = {ligne["id"]: ligne["provenance"] for ligne in csv.DictReader(f)}
    assert lignes["dotation_engagee"] == "publiee"
    assert lignes["part_top10_ihu"] == "reconstruite"
    assert set(lignes.values()) == {"publiee", "reconstruite"}
