"""La date d'édition n'est jamais antérieure à un événement ou à une source que l'édition cite.

La règle est :func:`synthese_ihu.edition.verifier_date_edition`, celle que ``synthese-ihu
construire`` appelle avant toute exécution. Cas réel (l'édition 2022 raconte MEDITWIN, présenté
le 11 décembre 2023) et cas plantés (fait marquant tardif, date d'annonce au mois, édition sans
date configurée).
"""

from __future__ import annotations

import pytest
from test_config import TOML_VALIDE, ecrire_config

from synthese_ihu import chemins
from synthese_ihu.config import charger_configuration
from synthese_ihu.edition import (
    ErreurDateEdition,
    date_edition,
    dates_citees,
    verifier_date_edition,
)

pytestmark = pytest.mark.rapide

ENTETE = "edition,ordre,titre,texte,date,source,tableau\n"


def _configuration(dossier, date: str | None):
    texte = TOML_VALIDE
    if date is not None:
        texte = texte.replace('nom_fichier = "synthese-ihu-{annee}"',
                              'nom_fichier = "synthese-ihu-{annee}"\n'
                              f'[rapport.dates_edition]\n"2022" = "{date}"')
    return charger_configuration(ecrire_config(dossier, texte), dossier)


def _donnees(dossier, faits: str = "", references: str = ""):
    racine = dossier / "raw"
    (racine / "faits_marquants").mkdir(parents=True)
    (racine / "contexte").mkdir()
    (racine / "faits_marquants" / "faits_marquants.csv").write_text(ENTETE + faits,
                                                                     encoding="utf-8")
    (racine / "contexte" / "references.toml").write_text(references, encoding="utf-8")
    return racine


def test_l_edition_2022_du_projet_est_datee_apres_tout_ce_qu_elle_cite():
    configuration = charger_configuration()
    citees = dates_citees(chemins.DONNEES_BRUTES, 2022)
    assert any(c.jour.isoformat() == "2023-12-11" for c in citees)  # MEDITWIN
    verifier_date_edition(configuration, 2022, chemins.DONNEES_BRUTES)
    assert date_edition(configuration, 2022) >= max(c.jour for c in citees)


def test_juin_2023_est_refuse_pour_l_edition_2022_du_projet(tmp_path):
    with pytest.raises(ErreurDateEdition) as erreur:
        verifier_date_edition(_configuration(tmp_path, "2023-06-30"), 2022,
                              chemins.DONNEES_BRUTES)
    message = str(erreur.value)
    assert "2023-06-30" in message and "2023-12-11" in message  # les deux dates
    assert "faits_marquants.csv, ligne 3" in message and "MEDITWIN" in message


def test_un_fait_marquant_plante_apres_la_date_est_refuse(tmp_path):
    racine = _donnees(tmp_path, '2022,1,Annonce,"Texte",2024-02-01,Source,\n'
                                '2021,1,Autre édition,"Texte",2030-01-01,Source,\n')
    with pytest.raises(ErreurDateEdition, match="2024-02-01.*ligne 2.*Annonce"):
        verifier_date_edition(_configuration(tmp_path, "2024-01-15"), 2022, racine)
    verifier_date_edition(_configuration(tmp_path, "2024-02-01"), 2022, racine)  # même jour


def test_une_date_au_mois_se_compare_au_mois(tmp_path):
    references = '[startups]\nannee = 2022\ndate_annonce = "2024-01"\n'
    racine = _donnees(tmp_path, references=references)
    verifier_date_edition(_configuration(tmp_path, "2024-01-02"), 2022, racine)
    with pytest.raises(ErreurDateEdition, match=r"2024-01 \(contexte/references.toml, "
                                                r"\[startups\] date_annonce\)"):
        verifier_date_edition(_configuration(tmp_path, "2023-12-31"), 2022, racine)


def test_sans_date_configuree_l_annee_suivante_est_comparee(tmp_path):
    racine = _donnees(tmp_path, references="[essais]\nannee = 2022\n"
                                           "date_extraction = 2024-03-01\n")
    with pytest.raises(ErreurDateEdition, match="aucune .édition datée de 2023."):
        verifier_date_edition(_configuration(tmp_path, None), 2022, racine)
    verifier_date_edition(_configuration(tmp_path, None), 2023, racine)  # autre année citée
