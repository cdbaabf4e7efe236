"""Le filet tient : une barre changée dans les données, un mot changé du récit font échouer nbval.

Chaque test fabrique le carnet de contrôle de la seule section touchée (valorisation) dans un
dossier temporaire, comme la suite le fait pour ``tests/golden/2022`` (:mod:`synthese_ihu.golden`),
puis lance nbval dans un sous-processus (``python -m pytest --nbval``) et vérifie qu'il échoue
sur exactement les cellules attendues, avec un message qui les montre.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from processus import executer

from synthese_ihu import chemins, execution, golden

pytestmark = pytest.mark.lent

SECTION = "valorisation"
CARNET = "06_valorisation.ipynb"
#: Classeur, IHU et valeur changée : brevets déposés en 2022 par FOReSIGHT.
CLASSEUR = Path("campagnes") / "2022" / "foresight_2022.xlsx"
AJOUT_BREVETS = 7
#: Cellules (identifiants du carnet source) qui montrent les brevets déposés en 2022.
CELLULES_BREVETS = {"valorisation-06", "valorisation-08"}  # récit chiffré, figure brevets_annee
#: Cellule de récit dont un mot change, et le mot.
CELLULE_RECIT = "valorisation-09"
MOT, NOUVEAU_MOT = "déclarent", "signalent"


def _controle(dossier: Path, carnet: Path | None = None) -> golden.Controle:
    carnets = {SECTION: carnet} if carnet is not None else None
    (controle,) = golden.ecrire_controles(
        golden.ANNEE_REFERENCE, dossier / "controle", carnets=carnets, sections=[SECTION]
    )
    assert controle.chemin is not None
    return controle


def _nbval(controle: golden.Controle, dossier: Path, donnees: Path | None = None):
    """Lance nbval seul sur le carnet de contrôle ; rend (code, sortie, cellules en échec)."""
    env = dict(os.environ)
    if donnees is not None:
        env[chemins.VARIABLE_DONNEES] = str(donnees)
    commande = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",
        str(controle.chemin),
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(dossier),
        "-o",
        "addopts=",
        "-q",
        "-rf",
        "--color=no",
    ]
    fini = executer(commande, cwd=dossier, env=env, timeout=600)
    sortie = fini.stdout + fini.stderr
    echecs = {int(n) for n in re.findall(rf"FAILED \S*{CARNET}::Cell (\d+)", sortie)}
    return fini.returncode, sortie, echecs


def _rang_nbval(controle: golden.Controle, ident: str) -> int:
    return next(n for n, (i, _) in controle.cellules.items() if i == ident)


def _bloc_echec(sortie: str, numero: int) -> str:
    """Le paragraphe de nbval pour la cellule ``numero`` (du titre au titre suivant)."""
    morceaux = re.split(r"\n_{5,} .*?_{5,}\n", sortie)
    return next(m for m in morceaux if f"Cell {numero}: Cell outputs differ" in m)


def test_une_barre_changee_fait_echouer_la_figure_et_le_chiffre(tmp_path: Path) -> None:
    donnees = tmp_path / "donnees"
    shutil.copytree(chemins.DONNEES_BRUTES, donnees / "raw")
    classeur = donnees / "raw" / CLASSEUR
    wb = openpyxl.load_workbook(classeur)
    feuille = wb["Indicateurs"]
    lignes = [
        ligne
        for ligne in feuille.iter_rows(min_row=2)
        if ligne[0].value == 2022 and ligne[1].value == "brevets_deposes"
    ]
    assert len(lignes) == 1
    lignes[0][2].value += AJOUT_BREVETS
    wb.save(classeur)

    controle = _controle(tmp_path)
    code, sortie, echecs = _nbval(controle, tmp_path, donnees)

    attendus = {_rang_nbval(controle, i) for i in CELLULES_BREVETS}
    assert code == 1, sortie
    assert echecs == attendus, sortie
    figure = _bloc_echec(sortie, _rang_nbval(controle, "valorisation-08"))
    assert 's.figure("brevets_annee")' in figure
    assert "mismatch 'text/html'" in figure
    recit = _bloc_echec(sortie, _rang_nbval(controle, "valorisation-06"))
    assert "mismatch 'text/markdown'" in recit
    assert "Les IHU ont déposé" in recit


def test_un_mot_du_recit_change_fait_echouer_cette_cellule(tmp_path: Path) -> None:
    source = json.loads((chemins.CARNETS / CARNET).read_text(encoding="utf-8"))
    (cellule,) = [c for c in source["cells"] if c.get("id") == CELLULE_RECIT]
    texte = "".join(cellule["source"])
    assert MOT in texte
    cellule["source"] = texte.replace(MOT, NOUVEAU_MOT, 1)
    copie = tmp_path / "source" / CARNET
    copie.parent.mkdir()
    copie.write_text(json.dumps(source, ensure_ascii=False, indent=1), encoding="utf-8")

    controle = _controle(tmp_path, copie)
    assert controle.ecarts == []  # une cellule de code : c'est nbval qui voit la différence
    code, sortie, echecs = _nbval(controle, tmp_path)

    numero = _rang_nbval(controle, CELLULE_RECIT)
    assert code == 1, sortie
    assert echecs == {numero}, sortie
    bloc = _bloc_echec(sortie, numero)
    assert f"Les IHU {NOUVEAU_MOT} également" in bloc  # la source de la cellule (Input)
    assert "mismatch 'text/markdown'" in bloc
    for mot in (MOT, NOUVEAU_MOT):  # le diff référence / nouvelle sortie
        assert re.search(rf"^ *[-+] Les IHU {mot}", bloc, re.MULTILINE), bloc


def test_markdown_modifie_ou_cellule_retiree_sont_des_ecarts_de_structure() -> None:
    source = execution.lire_source(chemins.CARNETS / CARNET)
    reference = execution.lire(golden.DOSSIER_GOLDEN / str(golden.ANNEE_REFERENCE) / CARNET)
    assert golden.ecarts_de_structure(source, reference, CARNET) == []

    markdown = next(c for c in source.cells if c.cell_type == "markdown")
    markdown.source = markdown.source.replace("Valorisation", "Valorisations")
    retiree = source.cells.pop(
        next(i for i, c in enumerate(source.cells) if c.id == "valorisation-10")
    )
    ecarts = golden.ecarts_de_structure(source, reference, CARNET)
    assert len(ecarts) == 2, ecarts
    assert f"id « {markdown.id} »" in ecarts[1] and "+## 2.4 Valorisations" in ecarts[1]
    assert f"id « {retiree.id} »" in ecarts[0] and "n'existe plus" in ecarts[0]


def test_nouvelle_cellule_de_code_sans_reference_echoue() -> None:
    source = execution.lire_source(chemins.CARNETS / CARNET)
    reference = execution.lire(golden.DOSSIER_GOLDEN / str(golden.ANNEE_REFERENCE) / CARNET)
    nouvelle = execution.nbformat.v4.new_code_cell("print('bonjour')", id="valorisation-nouvelle")
    source.cells.append(nouvelle)
    nb, cellules = golden.carnet_de_controle(source, reference, {"annee": 2022, "interne": False})
    derniere = nb.cells[-1]
    assert derniere.outputs[0]["text"] == golden.SORTIE_ABSENTE
    assert derniere.execution_count is not None  # sinon nbval ne comparerait pas
    assert cellules[max(cellules)][0] == "valorisation-nouvelle"
    ecarts = golden.ecarts_de_structure(source, reference, CARNET)
    assert any("absente du carnet de référence" in e for e in ecarts)
