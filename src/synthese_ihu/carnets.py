"""Carnets de section : lecture, paramétrage papermill, nettoyage, fusion, écriture stable.

Un carnet exécuté est reconstruit à partir du carnet SOURCE courant et des sorties de ses cellules
de code (:func:`fusionner`) : c'est la même fonction qui sert après une exécution et après une
lecture du cache, si bien qu'un carnet servi par le cache est identique octet pour octet à un
carnet exécuté, et qu'une cellule Markdown modifiée n'exige jamais de noyau. Le résultat ne dépend
pas du noyau qui a exécuté un carnet : numéros d'exécution renumérotés, métadonnées volatiles
retirées, identifiants de cellules fixes (:func:`nettoyer`).
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

ETIQUETTE_INJECTEE = "injected-parameters"
ETIQUETTE_PARAMETRES = "parameters"
ID_CELLULE_INJECTEE = "parametres-injectes"
NOM_NOYAU = "python3"

# Métadonnées volatiles : durées, horodatages, identifiants de noyau.
_METADONNEES_CELLULE_VOLATILES = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime")
_METADONNEES_CARNET_VOLATILES = ("widgets",)
# Les avertissements et tracebacks nomment le fichier de la cellule, /tmp/ipykernel_<pid>/<n>.py :
# le pid du noyau est retiré pour que la sortie ne dépende pas du noyau qui a servi.
_DOSSIER_CELLULES = re.compile(r"ipykernel_[0-9]+")


def lire_source(chemin: Path | str) -> NotebookNode:
    """Lit un carnet source (nbformat 4) ; les cellules sans identifiant en reçoivent un fixe."""
    nb = nbformat.read(str(chemin), as_version=4)
    return normaliser_source(nb)


def normaliser_source(nb: NotebookNode) -> NotebookNode:
    """Donne à chaque cellule sans ``id`` un identifiant déterministe (``cellule-<rang>``)."""
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 5))
    vus: set[str] = set()
    for rang, cellule in enumerate(nb.cells):
        ident = cellule.get("id")
        if not ident or ident in vus:
            ident = f"cellule-{rang}"
        cellule["id"] = ident
        vus.add(ident)
    return nb


def parametrer(source: NotebookNode, parametres: dict[str, Any]) -> NotebookNode:
    """Injecte les paramètres avec papermill (cellule ``injected-parameters``).

    Parameters
    ----------
    source : NotebookNode
        Carnet source (non modifié).
    parametres : dict
        Paramètres, par exemple ``{"annee": 2022}``.

    Returns
    -------
    NotebookNode
        Copie paramétrée ; la cellule injectée a un identifiant fixe.
    """
    from papermill.parameterize import parameterize_notebook  # ≈ 0,5 s : seulement si besoin

    nb = copy.deepcopy(source)
    # papermill exige une liste « tags » sur chaque cellule et ses métadonnées de carnet.
    nb.metadata.setdefault(
        "papermill", {"default_parameters": {}, "parameters": {}, "environment_variables": {}}
    )
    for cellule in nb.cells:
        cellule.metadata.setdefault("tags", [])
    nb.metadata.setdefault("kernelspec", {"name": NOM_NOYAU, "language": "python"})
    langage = (
        nb.metadata.get("language_info", {}).get("name")
        or nb.metadata["kernelspec"].get("language")
        or "python"
    )
    nb = parameterize_notebook(nb, dict(parametres), kernel_name=NOM_NOYAU, language=langage)
    for cellule in nb.cells:
        if ETIQUETTE_INJECTEE in cellule.metadata.get("tags", []):
            cellule["id"] = ID_CELLULE_INJECTEE
    return nb


def nettoyer(nb: NotebookNode) -> NotebookNode:
    """Retire les métadonnées volatiles et renumérote les exécutions (1, 2, 3…).

    Durées et horodatages (nbclient, papermill), identifiants de noyau et numéros d'exécution
    dépendant du noyau qui a servi disparaissent : deux exécutions des mêmes entrées donnent les
    mêmes octets.
    """
    nb = copy.deepcopy(nb)
    for cle in _METADONNEES_CARNET_VOLATILES:
        nb.metadata.pop(cle, None)
    if "papermill" in nb.metadata:
        nb.metadata["papermill"] = {"parameters": nb.metadata["papermill"].get("parameters", {})}
    compteur = 0
    for cellule in nb.cells:
        for cle in _METADONNEES_CELLULE_VOLATILES:
            cellule.metadata.pop(cle, None)
        if cellule.cell_type != "code":
            continue
        if cellule.get("execution_count") is not None:
            compteur += 1
            cellule["execution_count"] = compteur
        for sortie in cellule.get("outputs", []):
            if sortie.get("output_type") == "stream":
                sortie["text"] = _DOSSIER_CELLULES.sub("ipykernel", sortie["text"])
            elif sortie.get("output_type") == "error":
                sortie["traceback"] = [
                    _DOSSIER_CELLULES.sub("ipykernel", t) for t in sortie.get("traceback", [])
                ]
            if sortie.get("output_type") == "execute_result":
                sortie["execution_count"] = cellule.get("execution_count")
            sortie.get("metadata", {}).pop("execution", None)
    return nb


def _cellules_de_code(nb: NotebookNode) -> list[NotebookNode]:
    return [
        c
        for c in nb.cells
        if c.cell_type == "code" and ETIQUETTE_INJECTEE not in c.metadata.get("tags", [])
    ]


def fusionner(source: NotebookNode, execute: NotebookNode) -> NotebookNode:
    """Reconstruit le carnet exécuté à partir du source COURANT et des sorties d'une exécution.

    Les cellules Markdown/brutes et toutes les métadonnées de cellule viennent du source ; les
    sorties et numéros d'exécution des cellules de code viennent de ``execute`` ; la cellule de
    paramètres injectés est placée où papermill la place (après la cellule ``parameters``, sinon
    en tête).

    Raises
    ------
    ValueError
        Si les cellules de code des deux carnets ne correspondent pas (même nombre, même source).
    """
    source = normaliser_source(source)
    code_execute = _cellules_de_code(execute)
    code_source = [c for c in source.cells if c.cell_type == "code"]
    if [c.source for c in code_source] != [c.source for c in code_execute]:
        raise ValueError("les cellules de code du carnet exécuté ne correspondent pas au source")
    injectee = next(
        (c for c in execute.cells if ETIQUETTE_INJECTEE in c.metadata.get("tags", [])), None
    )
    rang_parametres = next(
        (
            i
            for i, c in enumerate(source.cells)
            if ETIQUETTE_PARAMETRES in c.metadata.get("tags", [])
        ),
        -1,
    )
    cellules: list[NotebookNode] = []
    if injectee is not None and rang_parametres < 0:
        cellules.append(copy.deepcopy(injectee))
    sorties = iter(code_execute)
    for rang, cellule in enumerate(source.cells):
        cellule = copy.deepcopy(cellule)
        if cellule.cell_type == "code":
            e = next(sorties)
            cellule["outputs"] = copy.deepcopy(e.get("outputs", []))
            cellule["execution_count"] = e.get("execution_count")
        cellules.append(cellule)
        if rang == rang_parametres and injectee is not None:
            cellules.append(copy.deepcopy(injectee))
    resultat = copy.deepcopy(source)
    resultat.cells = cellules
    for cle in ("language_info", "papermill", "synthese_ihu"):
        if cle in execute.metadata:
            resultat.metadata[cle] = copy.deepcopy(execute.metadata[cle])
    return nettoyer(resultat)


def marquer(nb: NotebookNode, section: Any, annee: int) -> NotebookNode:
    """Note dans le carnet exécuté sa section (identifiant, titre) et l'année (pour le rendu)."""
    nb.metadata["synthese_ihu"] = {"section": section.id, "titre": section.titre, "annee": annee}
    return nb


def finaliser(
    source: NotebookNode, execute: NotebookNode, *, section: Any = None, annee: int | None = None
) -> NotebookNode:
    """Carnet exécuté final : :func:`fusionner`, puis :func:`marquer` si la section est connue."""
    nb = fusionner(source, execute)
    return nb if section is None else marquer(nb, section, annee)


def en_octets(nb: NotebookNode) -> bytes:
    """Sérialisation canonique d'un carnet (clés triées, indentation 1), celle de papermill.

    Mêmes octets que ``papermill.iorw.write_ipynb`` (``nbformat.writes``, sans fin de ligne
    ajoutée) : un carnet écrit par ``papermill --engine synthese-ihu`` est identique à celui de
    ``build/<N>/carnets/``.
    """
    return nbformat.writes(nb).encode("utf-8")


def ecrire(nb: NotebookNode, chemin: Path) -> Path:
    """Écrit un carnet de manière atomique (fichier voisin puis renommage)."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    provisoire = chemin.with_name(f".{chemin.name}.{os.getpid()}.tmp")
    provisoire.write_bytes(en_octets(nb))
    os.replace(provisoire, chemin)
    return chemin


def lire(chemin: Path) -> NotebookNode:
    """Lit un carnet exécuté écrit par :func:`ecrire`."""
    return nbformat.reads(chemin.read_text(encoding="utf-8"), as_version=4)


def _premiere_ligne(source: str) -> str:
    for ligne in source.splitlines():
        if ligne.strip():
            ligne = ligne.strip()
            return ligne if len(ligne) <= 80 else ligne[:77] + "…"
    return ""


def canonique(valeur: Any) -> bytes:
    """JSON canonique (pour les empreintes)."""
    return json.dumps(valeur, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
