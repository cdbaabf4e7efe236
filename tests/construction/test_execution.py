"""Exécution des carnets : année injectée, noyaux réutilisés sans fuite d'état, échecs nommés."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from synthese_ihu import execution
from synthese_ihu.execution import ErreurSection, Tache


def carnet(*cellules) -> nbformat.NotebookNode:
    """Carnet de test : une cellule ``parameters`` (annee = 2000) puis les cellules données."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Titre"),
            new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}),
            *cellules,
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return execution.normaliser_source(nb)


def carnet_annee():
    return carnet(new_code_cell("print(f'rapport {annee}')\nannee * 2"))


def carnet_qui_leve():
    return carnet(
        new_code_cell("x = 1"),
        new_markdown_cell("texte"),
        new_code_cell("\n# vérification\nraise ValueError(f'pas de données pour {annee}')"),
        new_code_cell("print('jamais')"),
    )


def carnet_pollueur(verrou):
    """Laisse derrière lui tout ce qu'un carnet peut laisser dans un noyau réutilisé.

    Tant que le fichier ``verrou`` existe (60 s au plus), il attend : son noyau reste occupé, le
    carnet suivant part forcément sur un autre noyau.
    """
    return carnet(
        new_code_cell(
            "import pathlib, time\n"
            f"fin, verrou = time.monotonic() + 60, pathlib.Path({str(verrou)!r})\n"
            "while verrou.exists() and time.monotonic() < fin:\n"
            "    time.sleep(0.02)"
        ),
        new_code_cell(
            "import os, sys, random, warnings\n"
            "import matplotlib\n"
            "secret = 42\n"
            "os.chdir('/')\n"
            "sys.path.insert(0, '/pollution')\n"
            "os.environ['POLLUTION'] = '1'\n"
            "warnings.simplefilter('error')\n"
            "matplotlib.rcParams['lines.linewidth'] = 9\n"
            "random.seed(123)\n"
            "1 + 1"
        ),
    )


def carnet_temoin():
    """Décrit l'état du noyau vu par un carnet : identique dans un noyau neuf ou réutilisé."""
    return carnet(
        new_code_cell(
            "import os, sys, random, warnings\n"
            "import matplotlib\n"
            "print('secret' in dir(), os.path.basename(os.getcwd()))\n"
            "print('/pollution' in sys.path, 'POLLUTION' in os.environ)\n"
            "print(matplotlib.rcParams['lines.linewidth'], round(random.random(), 6))\n"
            "warnings.warn('simple avertissement')\n"
            "annee"
        )
    )


def taches(tmp_path, **carnets):
    return [
        Tache(nom, f"{nom}.ipynb", nb, {"annee": 2021}, tmp_path, rang)
        for rang, (nom, nb) in enumerate(carnets.items())
    ]


def final(resultat) -> bytes:
    return execution.en_octets(
        execution.fusionner(resultat.tache.source, execution.nettoyer(resultat.carnet))
    )


@pytest.mark.lent
def test_annee_injectee_et_carnet_stable(tmp_path):
    t = taches(tmp_path, annee=carnet_annee())
    [r1] = execution.executer(t)
    [r2] = execution.executer(t)
    assert final(r1) == final(r2)  # mêmes entrées, mêmes octets
    nb = nbformat.reads(final(r1).decode(), as_version=4)
    injectee = nb.cells[2]
    assert injectee.metadata.tags == ["injected-parameters"] and "annee = 2021" in injectee.source
    assert injectee.id == execution.ID_CELLULE_INJECTEE
    sorties = nb.cells[3].outputs
    assert sorties[0].text == "rapport 2021\n"
    assert sorties[1].data["text/plain"] == "4042"
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2, 3]
    assert sorties[1].execution_count == 3
    texte = json.dumps(nb)
    for volatil in ("execution", "start_time", "end_time", "duration", "kernel_id", "widgets"):
        assert f'"{volatil}"' not in texte
    assert nb.metadata.papermill == {"parameters": {"annee": 2021}}


@pytest.mark.lent
def test_resultat_independant_du_noyau_et_de_l_ordre(tmp_path):
    verrou = tmp_path / "verrou"
    pollueur, temoin = carnet_pollueur(verrou), carnet_temoin()
    # témoin exécuté APRÈS le pollueur dans le même noyau…
    meme_noyau = execution.executer(
        taches(tmp_path, pollueur=pollueur, temoin=temoin), travailleurs=1
    )
    # … puis seul, dans un noyau neuf, et en parallèle : le pollueur retient son noyau jusqu'au
    # début du témoin, qui part donc sur l'autre, quel que soit le noyau prêt le premier
    [seul] = execution.executer(taches(tmp_path, temoin=temoin), travailleurs=1)
    verrou.touch()
    liberer = execution.Progression(
        debut=lambda tache, noyau: tache.section == "temoin" and verrou.unlink()
    )
    paralleles = execution.executer(
        taches(tmp_path, pollueur=pollueur, temoin=temoin), travailleurs=2, progression=liberer
    )
    assert {r.noyau for r in meme_noyau} == {1}
    assert {r.noyau for r in paralleles} == {1, 2}
    assert final(meme_noyau[1]) == final(seul) == final(paralleles[1])
    sortie = nbformat.reads(final(seul).decode(), as_version=4).cells[3].outputs
    texte = "".join(o.get("text", "") for o in sortie)
    assert f"False {tmp_path.name}\nFalse False\n" in texte  # aucune fuite du pollueur
    assert final(meme_noyau[0]) == final(paralleles[0])


@pytest.mark.lent
def test_echec_nomme_section_cellule_et_erreur(tmp_path):
    conserves = []
    progression = execution.Progression(
        echec=lambda tache, nb: conserves.append((tache.section, nb))
    )
    with pytest.raises(ErreurSection) as exc:
        execution.executer(
            taches(tmp_path, recherche=carnet_qui_leve(), annee=carnet_annee()),
            progression=progression,
        )
    e = exc.value
    assert (e.section, e.index, e.premiere_ligne) == ("recherche", 5, "# vérification")
    assert (e.ename, e.evalue) == ("ValueError", "pas de données pour 2021")
    message = str(e)
    assert "« recherche »" in message and "cellule n° 5" in message
    assert "ValueError: pas de données pour 2021" in message
    assert "Traceback" not in message
    # carnet conservé avec la trace complète, arrêté à la cellule fautive (l'autre carnet, s'il
    # tournait encore, est interrompu et conservé aussi : cela dépend de la charge de la machine)
    [nb] = [carnet for section, carnet in conserves if section == "recherche"]
    assert nb.cells[5].outputs[-1].output_type == "error"
    assert nb.cells[6].outputs == []


@pytest.mark.rapide
def test_fusion_recopie_le_markdown_courant_et_place_les_parametres():
    source = carnet_annee()
    execute = execution.parametrer(source, {"annee": 2022})
    execute.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
    execute.cells[3].execution_count = 7
    source.cells[0].source = "# Titre corrigé"
    nb = execution.fusionner(source, execute)
    assert nb.cells[0].source == "# Titre corrigé"
    assert nb.cells[2].metadata.tags == ["injected-parameters"]
    assert nb.cells[3].outputs[0].text == "x\n" and nb.cells[3].execution_count == 1
    assert "papermill" not in nb.cells[3].metadata


@pytest.mark.rapide
def test_fusion_sans_cellule_parameters_injecte_en_tete():
    source = execution.normaliser_source(new_notebook(cells=[new_code_cell("annee")]))
    nb = execution.fusionner(source, execution.parametrer(source, {"annee": 2022}))
    assert nb.cells[0].metadata.tags == ["injected-parameters"] and nb.cells[1].source == "annee"


@pytest.mark.rapide
def test_fusion_refuse_un_code_different():
    source = carnet_annee()
    execute = execution.parametrer(source, {"annee": 2022})
    source.cells[2].source = "annee * 3"
    with pytest.raises(ValueError, match="ne correspondent pas"):
        execution.fusionner(source, execute)


@pytest.mark.rapide
def test_cellules_sans_identifiant_recoivent_un_identifiant_fixe():
    nb = new_notebook(cells=[new_code_cell("a"), new_code_cell("b")])
    nb.nbformat_minor = 4
    for c in nb.cells:
        del c["id"]
    assert [c.id for c in execution.normaliser_source(nb).cells] == ["cellule-0", "cellule-1"]


@pytest.mark.lent
def test_echec_interrompt_les_autres_carnets(tmp_path):
    import time

    lent = carnet(new_code_cell("import time\ntime.sleep(60)"))
    debut = time.perf_counter()
    with pytest.raises(ErreurSection) as exc:
        execution.executer(taches(tmp_path, lent=lent, recherche=carnet_qui_leve()))
    assert exc.value.section == "recherche"
    assert time.perf_counter() - debut < 30  # le carnet lent a été interrompu


@pytest.mark.lent
def test_noyaux_reutilises_ou_neufs_selon_le_mecanisme(tmp_path, monkeypatch):
    """Réutilisé, un noyau garde les modules importés ; désactivé, chaque carnet a un noyau neuf."""
    premier = carnet(new_code_cell("import sys, json\nsys.modules['_marque_essai'] = json"))
    second = carnet(new_code_cell("import sys\n'_marque_essai' in sys.modules"))

    def module_garde() -> str:
        _, r = execution.executer(taches(tmp_path, premier=premier, second=second), travailleurs=1)
        return r.carnet.cells[-1].outputs[0].data["text/plain"]

    monkeypatch.delenv("SYNTHESE_IHU_SANS", raising=False)
    assert module_garde() == "True"
    monkeypatch.setenv("SYNTHESE_IHU_SANS", "noyaux_reutilises")
    assert module_garde() == "False"
