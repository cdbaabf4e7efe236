"""Moteur papermill « synthese-ihu » : papermill exécute une section comme la construction."""

from __future__ import annotations

import nbformat
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from projet_jetable import ANNEES, projet_jetable

from synthese_ihu import construction, execution
from synthese_ihu.config import ErreurParametres, charger_configuration, valider_parametres
from synthese_ihu.construction import Emplacements

pytestmark = pytest.mark.lent


@pytest.fixture
def projet(tmp_path) -> Emplacements:
    """Une section d'essai (paramètres, Markdown, avertissement, affichage) ; dossiers jetables."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Essai"),
            new_code_cell("annee = 2000\ninterne = True", metadata={"tags": ["parameters"]}),
            new_code_cell(
                "import os, warnings\n"
                "from IPython.display import Markdown, display\n"
                "warnings.warn('attention')\n"
                "dossier = os.path.basename(os.getcwd())\n"
                "display(Markdown(f'valeur {annee * 10} {interne} {dossier}'))"
            ),
            new_markdown_cell("Texte."),
            new_code_cell("annee + 1"),
        ]
    )
    return projet_jetable(tmp_path, nb, "Section d'essai")


def par_papermill(projet, source, sortie, parametres):
    """``papermill.execute_notebook`` avec le moteur du projet, sur le projet jetable."""
    return papermill.execute_notebook(
        source,
        sortie,
        parameters=parametres,
        engine_name=execution.NOM_MOTEUR,
        progress_bar=False,
        configuration=projet.configuration,
        annees=ANNEES,
    )


def test_papermill_avec_le_moteur_ecrit_le_carnet_de_la_construction(projet, tmp_path):
    source = projet.carnets / "00_essai.ipynb"
    sortie = tmp_path / "papermill.ipynb"
    par_papermill(projet, source, sortie, {"annee": 2019})
    configuration = charger_configuration(projet.configuration, projet.carnets)
    parametres = valider_parametres({"annee": 2019}, configuration, ANNEES)
    construction.executer_sections(parametres, configuration, projet, afficher=lambda m: None)
    construit = projet.construction / "2019" / "carnets" / "00_essai.ipynb"
    assert sortie.read_bytes() == construit.read_bytes()
    nb = nbformat.reads(sortie.read_text(encoding="utf-8"), as_version=4)
    # injection de la construction (interne compris), carnet nettoyé, section notée
    assert nb.cells[2].source == "# Parameters\nannee = 2019\ninterne = False\n"
    assert nb.cells[3].outputs[-1].data["text/markdown"] == "valeur 20190 False notebooks"
    assert nb.metadata.papermill == {"parameters": {"annee": 2019, "interne": False}}
    section = {"section": "essai", "titre": "Section d'essai", "annee": 2019}
    assert nb.metadata.synthese_ihu == section
    assert "start_time" not in sortie.read_text(encoding="utf-8")


def test_papermill_refuse_un_parametre_inconnu(projet, tmp_path):
    with pytest.raises(ErreurParametres, match="inconnu"):
        par_papermill(
            projet,
            projet.carnets / "00_essai.ipynb",
            tmp_path / "sortie.ipynb",
            {"annee": 2019, "anne": 2020},
        )


def test_papermill_nomme_la_cellule_en_echec(projet, tmp_path):
    chemin = projet.carnets / "00_essai.ipynb"
    nb = nbformat.read(str(chemin), as_version=4)
    nb.cells[4].source = "raise ValueError(f'rien pour {annee}')"
    nbformat.write(nb, str(chemin))
    with pytest.raises(execution.ErreurSection) as exc:
        par_papermill(projet, chemin, None, {"annee": 2019})
    e = exc.value
    assert (e.section, e.index, e.ename, e.evalue) == ("essai", 5, "ValueError", "rien pour 2019")
