"""Aperçu HTML de la boucle d'édition : refait après une retouche, sans noyau pour du Markdown."""

from __future__ import annotations

import sys
import types

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from synthese_ihu import apercu, execution
from synthese_ihu.construction import Emplacements


@pytest.fixture
def projet(tmp_path, monkeypatch) -> Emplacements:
    """Un carnet d'une section, données et paquet jetables ; années 2012-2022."""
    faux = types.ModuleType("synthese_ihu.donnees")
    faux.annees_couvertes = lambda racine=None: list(range(2012, 2023))
    monkeypatch.setitem(sys.modules, "synthese_ihu.donnees", faux)
    carnets = tmp_path / "notebooks"
    carnets.mkdir()
    nb = new_notebook(
        cells=[
            new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}),
            new_markdown_cell("## Section d'essai"),
            new_code_cell(
                "from IPython.display import Markdown, display\n"
                "display(Markdown(f'valeur {annee * 10}'))"
            ),
            new_markdown_cell("Texte d'origine."),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Py", "language": "python"}
    nbformat.write(nb, str(carnets / "00_essai.ipynb"))
    (tmp_path / "synthese.toml").write_text(
        '[rapport]\ntitre = "Essai"\n'
        '[[sections]]\nid = "essai"\ncarnet = "00_essai.ipynb"\ntitre = "Essai"\n',
        encoding="utf-8",
    )
    for dossier in ("raw", "paquet", "rendu"):
        (tmp_path / dossier).mkdir()
    (tmp_path / "paquet" / "module.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "requirements.lock").write_text("pandas==3\n", encoding="utf-8")
    return Emplacements(
        configuration=tmp_path / "synthese.toml",
        carnets=carnets,
        construction=tmp_path / "build",
        rapports=tmp_path / "reports",
        donnees=tmp_path / "raw",
        paquet=tmp_path / "paquet",
        verrou=tmp_path / "requirements.lock",
        rendu=tmp_path / "rendu",
    )


@pytest.mark.lent
def test_apercu_refait_apres_retouche_markdown_sans_noyau(projet, monkeypatch):
    messages: list[str] = []
    html = apercu.reconstruire(2021, projet, afficher=messages.append)
    assert html == projet.construction / "2021" / "apercu" / "synthese-ihu-2021.html"
    texte = html.read_text(encoding="utf-8")
    assert "valeur 20210" in texte and "Texte d’origine." in texte  # typographie du rendu
    assert str(html) in messages[-1]
    assert not list(html.parent.glob("*.pdf")) and not projet.rapports.exists()

    carnet = projet.carnets / "00_essai.ipynb"
    avant = apercu.etat_carnets(projet)
    nb = nbformat.read(str(carnet), as_version=4)
    nb.cells[3].source = "Texte retouché."
    nbformat.write(nb, str(carnet))
    assert apercu.etat_carnets(projet) != avant

    async def interdit(self):
        raise AssertionError("un noyau a été démarré pour une retouche de Markdown")

    monkeypatch.setattr(execution.Noyau, "demarrer", interdit)
    apercu.reconstruire(2021, projet, afficher=messages.append)
    texte = html.read_text(encoding="utf-8")
    assert "Texte retouché." in texte and "Texte d’origine." not in texte
    assert "valeur 20210" in texte


@pytest.mark.rapide
def test_surveiller_refait_quand_un_carnet_change(projet, monkeypatch):
    appels: list[object] = []
    monkeypatch.setattr(apercu, "reconstruire", lambda *a, **k: appels.append(a))
    releves = iter([{"a": (1, 1)}, {"a": (1, 1)}, {"a": (2, 1)}, {"a": (2, 1)}])
    monkeypatch.setattr(apercu, "etat_carnets", lambda e: next(releves))
    apercu.surveiller(2021, projet, intervalle=0, afficher=lambda m: None, tours=3)
    assert len(appels) == 2  # la construction initiale, puis le carnet enregistré


@pytest.mark.rapide
def test_apercu_annee_refusee(projet):
    messages: list[str] = []
    apercu._tenter(1990, projet, messages.append)
    assert messages and messages[0].startswith("Erreur : ") and "1990" in messages[0]
