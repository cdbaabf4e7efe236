"""Statut des valeurs (:mod:`synthese_ihu.statuts`) : les mots « certaines / ces valeurs sont
des estimations » suivent le statut des valeurs imprimées ; chaque point estimé est marqué dans
sa figure (hachures, légende) et publié avec son statut ; l'annexe ne liste comme jamais
publiées que des valeurs que l'agence n'a pas imprimées (relu dans ``published_figures.yaml``).

Chaque règle a son cas planté : une valeur de référence estimée, un point estimé tracé sans
statut, une valeur publiée retirée de ``valeurs_publiees``.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from synthese_ihu import figures, publication, statuts
from synthese_ihu.figures import StatutManquant
from synthese_ihu.valeurs import Valeurs

#: Cellule de l'annexe qui liste les valeurs « jamais publiées ».
CELLULE_ANNEXE = "10_annexe_methode.ipynb, cellule annexe_metho-08-publiees"
ESSAIS = "essais_cliniques_annee"


# --- mots du statut -----------------------------------------------------------------------------
@pytest.mark.rapide
def test_etendue():
    assert statuts.etendue([]) == statuts.AUCUNE
    assert statuts.etendue(["publie", "publie"]) == statuts.AUCUNE
    assert statuts.etendue(["publie", "estime"]) == statuts.CERTAINES
    assert statuts.etendue(["estime", "estime"]) == statuts.TOUTES


def _avec_statut(donnees, tableau: str, masque, statut: str):
    """Copie de ``donnees`` dont les lignes ``masque`` de ``tableau`` ont ``statut``."""
    t = getattr(donnees, tableau).copy()
    t.loc[masque(t), "statut"] = statut
    return replace(donnees, **{tableau: t})


@pytest.mark.rapide
def test_certaines_valeurs_de_reference_seulement_si_certaines_imprimees(donnees):
    """2022 : la seule ligne INPI estimée (France, domaines des IHU) n'est pas imprimée : ni
    « certaines » ni « ces » ; 2021 : toutes estimées ; plantée : une région estimée."""
    v = Valeurs(donnees.pour_annee(2022), 2022, donnees)
    assert "estime" in set(donnees.brevets_inpi.loc[donnees.brevets_inpi["annee"] == 2022,
                                                    "statut"])
    assert (v.inpi_estimees_en_partie, v.inpi_estimees) == (False, False)
    # la source citée est celle des lignes imprimées, pas celle de la ligne estimée
    assert "INPI" in v.source_inpi and "estimation" not in v.source_inpi
    v21 = Valeurs(donnees.pour_annee(2021), 2021, donnees)
    assert (v21.inpi_estimees_en_partie, v21.inpi_estimees) == (False, True)
    plantee = _avec_statut(donnees, "brevets_inpi", lambda t: (t["annee"] == 2022) & (
        t["territoire"] == "Grand Est") & (t["perimetre"] == "tous_domaines"), "estime")
    v = Valeurs(plantee.pour_annee(2022), 2022, plantee)
    assert (v.inpi_estimees_en_partie, v.inpi_estimees) == (True, False), (
        "06_valorisation.ipynb, cellule valorisation-07-estimation : « Certaines de ces valeurs "
        "de référence sont des estimations » attendu")


@pytest.mark.rapide
def test_essais_france_une_ligne_jamais_certaines(donnees):
    plantee = _avec_statut(donnees, "essais_france", lambda t: t["annee"] == 2022, "estime")
    v = Valeurs(plantee.pour_annee(2022), 2022, plantee)
    assert v.essais_france_estimees is True
    assert Valeurs(donnees.pour_annee(2022), 2022, donnees).essais_france_estimees is False


# --- points estimés dans les figures --------------------------------------------------------------
@pytest.mark.lent
def test_chaque_figure_publie_le_statut_de_ses_points(donnees):
    for ident in figures.FIGURES:
        cadre = figures.donnees_figure(ident, donnees, 2022)
        if cadre.empty:
            continue
        assert "statut" in cadre.columns, ident
        assert set(cadre["statut"]) <= set(statuts.STATUTS), (ident, set(cadre["statut"]))
    essais = figures.donnees_figure(ESSAIS, donnees, 2022)
    france = essais.loc[essais["serie"] == "France"].set_index("annee")["statut"]
    source = donnees.essais_france.set_index("annee")["statut"].reindex(france.index)
    assert france.astype(str).tolist() == source.astype(str).tolist()


@pytest.mark.lent
def test_point_estime_hachure_et_dans_la_legende(donnees):
    """Planté : l'année 2022 des essais en France devient une estimation ; la figure la
    hachure, sa légende (texte et entrée) le dit, le CSV la marque ``estime``."""
    plantee = _avec_statut(donnees, "essais_france", lambda t: t["annee"] == 2022, "estime")
    cadre = figures.donnees_figure(ESSAIS, plantee, 2022)
    ligne = cadre.loc[(cadre["serie"] == "France") & (cadre["annee"] == 2022)]
    assert ligne["statut"].tolist() == ["estime"]
    legende, _ = figures.legende_figure(ESSAIS, plantee, 2022)
    assert "estimations hachurées : 2012–2022" in legende
    assert "estimations hachurées : 2012–2021" in figures.legende_figure(ESSAIS, donnees,
                                                                       2022)[0]
    svg = figures.svg_figure(ESSAIS, donnees, 2022)
    assert "<pattern" in svg and "Estimation" in svg
    # sans point estimé (tout publié) : ni hachure ni entrée de légende
    publiee = _avec_statut(donnees, "essais_france", lambda t: t["annee"] > 0, "publie")
    svg = figures.svg_figure(ESSAIS, publiee, 2022)
    assert "<pattern" not in svg and "Estimation" not in svg
    assert "hachurées" not in figures.legende_figure(ESSAIS, publiee, 2022)[0]


@pytest.mark.rapide
def test_point_de_contexte_trace_sans_statut_refuse(donnees, monkeypatch):
    """Planté : la figure des essais rendue comme avant (sans statut) : refusée, nommée."""
    spec = figures.FIGURES[ESSAIS]

    def sans_statut(d, ctx, interne=False):
        return spec.donnees(d, ctx, interne).drop(columns="statut")

    monkeypatch.setitem(figures.FIGURES, ESSAIS, replace(spec, donnees=sans_statut))
    with pytest.raises(StatutManquant, match=f"figure {ESSAIS} .*essais_france.*sans colonne "
                                             "statut"):
        figures.donnees_figure(ESSAIS, donnees, 2022)


# --- valeurs « jamais publiées » de l'annexe ------------------------------------------------------
def _nombres_publies(chiffres_publies: dict) -> set[tuple[float, str, bool]]:
    """(nombre, unité, signé) imprimés par l'agence dans l'édition publiée
    (``published_figures.yaml``) : valeurs, bornes, et pourcentages cités dans les textes (parts
    de revues A à E) ; une évolution est signée (« +20 % »), une part ne l'est pas."""
    nombres: set[tuple[float, str, bool]] = set()
    for rubrique in chiffres_publies.values():
        for entree in rubrique if isinstance(rubrique, list) else ():
            if not isinstance(entree, dict):
                continue
            unite = {"M€": "M€", "%": "%"}.get(entree.get("unit", ""), "nombre")
            signe = -1 if entree.get("sign") == "-" else 1
            if "value" in entree:
                nombres.add((round(signe * float(entree["value"]), 1), unite, "sign" in entree))
            for borne in ("min", "max"):
                if borne in entree:
                    nombres.add((float(entree[borne]), unite, False))
            for pct in re.findall(r"(\d+(?:\.\d+)?)\s?%", entree.get("text", "")):
                nombres.add((float(pct), "%", False))
    return nombres


def listees_a_tort(lignes: list[dict], chiffres_publies: dict) -> list[str]:
    """Valeurs que l'annexe dirait jamais publiées alors que l'agence a imprimé leur chiffre."""
    publies = _nombres_publies(chiffres_publies)
    return [f"{CELLULE_ANNEXE} : « {ligne['libelle']} ({ligne['texte']}) » listée comme jamais "
            f"publiée ({ligne['id']}), or l'agence a imprimé ce chiffre"
            for ligne in lignes
            if ligne["provenance"] == publication.RECONSTRUITE
            and (round(float(ligne["valeur"]), 1), ligne["unite"],
                 ligne["texte"][:1] in "+-\u2212") in publies]


@pytest.mark.rapide
def test_listees_a_tort_trouve_un_chiffre_publie(chiffres_publies):
    ligne = {"id": "etudiants_pic", "libelle": "étudiants en double cursus : point haut de la "
             "série", "valeur": "197", "unite": "nombre", "texte": "197",
             "provenance": publication.RECONSTRUITE}
    messages = listees_a_tort([ligne], chiffres_publies)
    assert messages == [f"{CELLULE_ANNEXE} : « étudiants en double cursus : point haut de la "
                        "série (197) » listée comme jamais publiée (etudiants_pic), or l'agence "
                        "a imprimé ce chiffre"]
    assert listees_a_tort([{**ligne, "provenance": publication.PUBLIEE}], chiffres_publies) == []
    part_e = {**ligne, "id": "part_revues_e", "valeur": "25", "unite": "%"}
    assert listees_a_tort([part_e], chiffres_publies)


@pytest.fixture(scope="module")
def propres_2022(donnees):
    from synthese_ihu.valeurs.registre import _CALCULS, SUR_DONNEES_COMPLETES

    v = Valeurs(donnees.pour_annee(2022), 2022, donnees)
    return {n: getattr(v, n) for n in _CALCULS if n not in SUR_DONNEES_COMPLETES}


@pytest.mark.lent
def test_annexe_2022_ne_liste_aucun_chiffre_publie(donnees, chiffres_publies, propres_2022):
    lignes = publication.chiffres_cles(propres_2022, donnees.metadonnees, 2022)
    assert not listees_a_tort(lignes, chiffres_publies), "\n".join(
        listees_a_tort(lignes, chiffres_publies))
    reconstruites = [ligne["id"] for ligne in lignes
                     if ligne["provenance"] == publication.RECONSTRUITE]
    assert reconstruites, "aucune valeur reconstruite : le contrôle passerait à vide"
    # planté : le point haut des étudiants (197, le chiffre 2022 publié) retiré des valeurs
    # publiées : l'annexe le dirait jamais publié
    meta = replace(donnees.metadonnees,
                   valeurs_publiees=donnees.metadonnees.valeurs_publiees - {"etudiants_pic"})
    messages = listees_a_tort(publication.chiffres_cles(propres_2022, meta, 2022),
                              chiffres_publies)
    assert len(messages) == 1 and "(197)" in messages[0] and CELLULE_ANNEXE in messages[0]


@pytest.mark.lent
def test_annexe_compte_les_valeurs_reconstruites_imprimees(donnees):
    """L'annexe compte ce qu'elle liste, et ne liste que des valeurs imprimées : le point haut
    des projets (1 160), qu'aucun récit 2022 n'affiche, n'y est pas ; le 197 publié non plus
    (l'exactitude, relue dans les carnets exécutés : ``tests/recit/test_imprimees.py``)."""
    v = Valeurs(donnees.pour_annee(2022), 2022, donnees)
    assert v.nb_valeurs_reconstruites == len(v.valeurs_reconstruites) > 0
    texte = str(v.valeurs_reconstruites)
    assert "projets de recherche en cours : point haut" not in texte
    assert "(197)" not in texte and "396,4" not in texte
    assert v.nb_valeurs_publiees > 0


# --- date de la source de chaque fichier de contexte ----------------------------------------------
def _racine_contexte(tmp_path, references: str):
    racine = tmp_path / "raw"
    (racine / "contexte").mkdir(parents=True)
    (racine / "contexte" / "brevets_inpi.csv").write_text("annee,statut\n2022,publie\n",
                                                         encoding="utf-8")
    (racine / "contexte" / "references.toml").write_text(references, encoding="utf-8")
    return racine


@pytest.mark.rapide
def test_source_de_contexte_datee(tmp_path):
    from synthese_ihu.donnees.metadonnees import date_source, lire_metadonnees

    m = lire_metadonnees(_racine_contexte(
        tmp_path, '[brevets_inpi]\nannee = 2022\ndate_publication = "2023-11"\n'))
    assert date_source(m, "brevets_inpi") == ("publication", "2023-11")
    assert date_source(m, "essais_cliniques_france") is None


@pytest.mark.rapide
@pytest.mark.parametrize(("references", "attendu"), [
    ("", r"contexte/brevets_inpi.csv.*source sans date : déclarer dans "
         r"contexte/references.toml une section \[brevets_inpi\] avec annee et "
         r"date_publication"),
    ('[brevets_inpi]\nannee = 2022\ndate_publication = "novembre 2023"\n',
     r"date AAAA-MM attendue dans \[brevets_inpi\], trouvé « novembre 2023 »"),
])
def test_source_de_contexte_sans_date_refusee(tmp_path, references, attendu):
    from synthese_ihu.donnees.erreurs import ErreurDonnees
    from synthese_ihu.donnees.metadonnees import lire_metadonnees

    with pytest.raises(ErreurDonnees, match=attendu):
        lire_metadonnees(_racine_contexte(tmp_path, references))
