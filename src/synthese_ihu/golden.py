"""Carnets de référence (golden) et carnets de contrôle vérifiés par nbval.

``synthese-ihu golden [--annee 2022]`` (``make golden``) exécute toutes les sections pour l'année
de référence, sans cache, avec la construction du rapport (:func:`synthese_ihu.construction.
executer_sections`), et écrit les carnets exécutés dans ``tests/golden/<annee>/``, sans
métadonnées volatiles : le diff d'un carnet de référence ne montre que des nombres, du texte et
du SVG.

nbval compare les sorties d'un carnet avec celles qu'il contient : lancé sur le carnet de
référence lui-même, il ne verrait pas une modification du carnet SOURCE. Les tests vérifient donc
un *carnet de contrôle* (:func:`carnet_de_controle`) : le carnet source COURANT, paramétré comme
à la construction (cellule ``injected-parameters`` de papermill), dont chaque cellule de code
porte les sorties de la cellule de même identifiant du carnet de référence. nbval réexécute ce
carnet : une donnée, un mot du récit ou un calcul qui change une sortie fait échouer la cellule.
Les écarts de structure (cellule ajoutée ou retirée, Markdown modifié) sont décrits par
:func:`ecarts_de_structure`.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from synthese_ihu import chemins, execution, verrous

ANNEE_REFERENCE = 2022
DOSSIER_GOLDEN = chemins.RACINE / "tests" / "golden"
DOSSIER_CONTROLE = chemins.CONSTRUCTION / "nbval"

#: Sortie donnée à une cellule de code sans équivalent dans le carnet de référence : nbval la
#: compare à ce que la cellule produit, et échoue.
SORTIE_ABSENTE = (
    "[cellule absente du carnet de référence : après un changement voulu, lancer "
    "`make golden` et relire le diff]\n"
)


@dataclass
class Controle:
    """Un carnet de contrôle et ce qui le relie à sa section.

    Attributes
    ----------
    section : str
        Identifiant de la section.
    source : Path
        Carnet source (``notebooks/NN_section.ipynb``).
    golden : Path
        Carnet de référence (``tests/golden/<annee>/NN_section.ipynb``).
    chemin : Path or None
        Carnet de contrôle écrit (``None`` si le source ou la référence manque).
    ecarts : list of str
        Écarts de structure entre le source et la référence (vide si aucun).
    cellules : dict[int, tuple[str, int]]
        Rang nbval d'une cellule de code du carnet de contrôle (``Cell N``, à partir de 0) ->
        (identifiant de cellule, rang dans le carnet source à partir de 1 ; 0 pour la cellule
        de paramètres injectés).
    """

    section: str
    source: Path
    golden: Path
    chemin: Path | None = None
    ecarts: list[str] = field(default_factory=list)
    cellules: dict[int, tuple[str, int]] = field(default_factory=dict)


def _premiere_ligne(source: str) -> str:
    return execution._premiere_ligne(source)


def alleger(nb: NotebookNode) -> NotebookNode:
    """Ce qui reste d'un carnet exécuté dans sa version de référence.

    Les métadonnées volatiles sont déjà retirées par :func:`synthese_ihu.execution.nettoyer`
    (durées, horodatages, identifiants de noyau, numéros d'exécution renumérotés) ; restent ici
    la version exacte de Python (``language_info``), qui ne dit rien du rapport et changerait
    tous les carnets de référence à une mise à jour de l'interpréteur.
    """
    nb = copy.deepcopy(nb)
    info = nb.metadata.get("language_info")
    if info is not None:
        nb.metadata["language_info"] = {"name": info.get("name", "python")}
    return nb


def produire(
    annee: int = ANNEE_REFERENCE,
    dossier: Path | None = None,
    afficher=print,
) -> list[Path]:
    """Exécute toutes les sections pour ``annee`` (sans cache) et écrit les carnets de référence.

    Parameters
    ----------
    annee : int
        Année de référence.
    dossier : Path, optional
        Dossier racine des carnets de référence (``tests/golden`` par défaut) ; les carnets sont
        écrits dans ``<dossier>/<annee>/``, chacun de manière atomique. Un carnet de référence
        dont la section n'existe plus est supprimé.
    afficher : callable
        Sortie des messages de progression.

    Returns
    -------
    list of Path
        Carnets écrits, dans l'ordre des sections.

    Raises
    ------
    synthese_ihu.execution.ErreurSection
        Une section a échoué ; aucun carnet de référence n'est écrit.
    """
    from synthese_ihu import construction
    from synthese_ihu.config import charger_configuration, valider_parametres

    cible = Path(dossier or DOSSIER_GOLDEN) / str(annee)
    configuration = charger_configuration()
    parametres = valider_parametres({"annee": annee, "sans_cache": True}, configuration)
    # build/ et data/ verrouillés comme pour une construction : une seule écriture des carnets
    # de référence à la fois, aucune ingestion pendant qu'ils sont exécutés
    with (
        verrous.sous_verrous(chemins.CONSTRUCTION, chemins.DONNEES, afficher=afficher),
        tempfile.TemporaryDirectory(prefix="synthese-ihu-golden-") as travail,
    ):
        emplacements = construction.Emplacements(construction=Path(travail))
        carnets, _, _ = construction.executer_sections(
            parametres, configuration, emplacements, afficher=afficher
        )
        ecrits = []
        for section, nb in zip(configuration.sections, carnets, strict=True):
            ecrits.append(execution.ecrire(alleger(nb), cible / section.carnet))
        attendus = {s.carnet for s in configuration.sections}
        for perime in sorted(cible.glob("*.ipynb")):
            if perime.name not in attendus:
                perime.unlink()
                afficher(f"  ✗ {perime.name} supprimé (plus de section)")
    return ecrits


# --------------------------------------------------------------------------------------------
# Carnets de contrôle


def sections() -> list:
    """Les sections de ``synthese.toml``, dans leur ordre (:class:`synthese_ihu.config.Section`)."""
    from synthese_ihu.config import charger_configuration

    return list(charger_configuration().sections)


def _rangs_source(source: NotebookNode) -> dict[str, int]:
    return {c["id"]: rang for rang, c in enumerate(source.cells, start=1)}


def ecarts_de_structure(source: NotebookNode, golden: NotebookNode, nom: str) -> list[str]:
    """Écarts entre le carnet source courant et son carnet de référence, hors sorties.

    Une cellule du carnet de référence absente du source, une cellule nouvelle, un ordre changé
    ou une cellule Markdown modifiée sont des écarts (le code modifié l'est seulement si ses
    sorties changent : c'est nbval qui le voit).

    Parameters
    ----------
    source : NotebookNode
        Carnet source normalisé (:func:`synthese_ihu.execution.lire_source`).
    golden : NotebookNode
        Carnet de référence.
    nom : str
        Nom du carnet, pour les messages.

    Returns
    -------
    list of str
        Un message en français par écart, qui nomme la cellule (rang, identifiant, 1re ligne).
    """
    cellules_ref = [c for c in golden.cells if c["id"] != execution.ID_CELLULE_INJECTEE]
    ref = {c["id"]: (rang, c) for rang, c in enumerate(cellules_ref, start=1)}
    src = {c["id"]: (rang, c) for rang, c in enumerate(source.cells, start=1)}
    ecarts = []
    for ident, (rang, cellule) in ref.items():
        if ident not in src:
            ecarts.append(
                f"{nom} : la cellule n° {rang} du carnet de référence (id « {ident} », "
                f"« {_premiere_ligne(cellule.source)} ») n'existe plus dans le carnet source"
            )
    for ident, (rang, cellule) in src.items():
        if ident not in ref:
            ecarts.append(
                f"{nom} : la cellule n° {rang} du carnet source (id « {ident} », "
                f"« {_premiere_ligne(cellule.source)} ») est absente du carnet de référence"
            )
            continue
        _, attendue = ref[ident]
        if cellule.cell_type != attendue.cell_type:
            ecarts.append(
                f"{nom} : la cellule n° {rang} (id « {ident} ») est de type {cellule.cell_type}, "
                f"{attendue.cell_type} dans le carnet de référence"
            )
        elif cellule.cell_type != "code" and cellule.source != attendue.source:
            diff = "\n".join(
                difflib.unified_diff(
                    attendue.source.splitlines(),
                    cellule.source.splitlines(),
                    "référence",
                    "source",
                    lineterm="",
                )
            )
            ecarts.append(
                f"{nom} : la cellule n° {rang} (id « {ident} », {cellule.cell_type}) a changé :\n"
                f"{diff}"
            )
    communs_src = [i for i in src if i in ref]
    communs_ref = [i for i in ref if i in src]
    if communs_src != communs_ref:
        ecarts.append(f"{nom} : l'ordre des cellules a changé (référence : {communs_ref})")
    return ecarts


def carnet_de_controle(
    source: NotebookNode, golden: NotebookNode, parametres: dict
) -> tuple[NotebookNode, dict[int, tuple[str, int]]]:
    """Carnet source paramétré dont les cellules de code portent les sorties de référence.

    Parameters
    ----------
    source : NotebookNode
        Carnet source courant, normalisé (:func:`synthese_ihu.execution.lire_source`).
    golden : NotebookNode
        Carnet de référence.
    parametres : dict
        Paramètres injectés, les mêmes qu'à la construction
        (:meth:`synthese_ihu.config.Parametres.valeurs_carnet`).

    Returns
    -------
    carnet : NotebookNode
        Paramétré par papermill comme à la construction ; une cellule de code reçoit les sorties
        et le numéro d'exécution de la cellule de même ``id`` du carnet de référence, ou, sans
        équivalent, la sortie :data:`SORTIE_ABSENTE` (nbval échoue alors sur elle).
    cellules : dict[int, tuple[str, int]]
        Rang nbval (``Cell N``) -> (identifiant, rang dans le carnet source ; 0 pour la cellule
        de paramètres injectés).
    """
    nb = execution.parametrer(source, parametres)
    references = {c["id"]: c for c in golden.cells if c.cell_type == "code"}
    rangs = _rangs_source(source)
    cellules: dict[int, tuple[str, int]] = {}
    numero = 0
    for cellule in nb.cells:
        if cellule.cell_type != "code":
            continue
        reference = references.get(cellule["id"])
        if reference is not None:
            cellule["outputs"] = copy.deepcopy(reference.get("outputs", []))
            cellule["execution_count"] = reference.get("execution_count")
        else:
            cellule["outputs"] = [
                NotebookNode(output_type="stream", name="stdout", text=SORTIE_ABSENTE)
            ]
            cellule["execution_count"] = 1
        cellules[numero] = (cellule["id"], rangs.get(cellule["id"], 0))
        numero += 1
    nb.metadata.pop("papermill", None)
    nb.metadata["synthese_ihu"] = {"controle": True, **golden.metadata.get("synthese_ihu", {})}
    return nb, cellules


def ecrire_controles(
    annee: int = ANNEE_REFERENCE,
    destination: Path | None = None,
    *,
    golden: Path | None = None,
    carnets: dict[str, Path] | None = None,
    sections: list[str] | None = None,
) -> list[Controle]:
    """Écrit un carnet de contrôle par section qui a un carnet de référence.

    Parameters
    ----------
    annee : int
        Année de référence.
    destination : Path, optional
        Dossier des carnets de contrôle (``build/nbval/<annee>/`` par défaut).
    golden : Path, optional
        Dossier des carnets de référence de l'année (``tests/golden/<annee>/`` par défaut).
    carnets : dict[str, Path], optional
        Carnet source à utiliser pour certaines sections (tests : copie modifiée).
    sections : list of str, optional
        Sections à traiter (toutes par défaut).

    Returns
    -------
    list of Controle
        Un par section, dans l'ordre de ``synthese.toml``.
    """
    from synthese_ihu.config import charger_configuration, valider_parametres

    configuration = charger_configuration()
    # Exactement les paramètres que la construction injecte (année, variante publique…).
    parametres = valider_parametres({"annee": annee}, configuration, annees=[annee])
    valeurs = parametres.valeurs_carnet()
    destination = Path(destination or DOSSIER_CONTROLE / str(annee))
    golden = Path(golden or DOSSIER_GOLDEN / str(annee))
    carnets = carnets or {}
    controles = []
    for section in configuration.sections:
        if sections is not None and section.id not in sections:
            continue
        controle = Controle(
            section.id, Path(carnets.get(section.id, section.chemin)), golden / section.carnet
        )
        controles.append(controle)
        if not controle.golden.is_file():
            controle.ecarts.append(
                f"{section.carnet} : carnet de référence absent ({controle.golden}) ; "
                "lancer `make golden`"
            )
            continue
        source = execution.lire_source(controle.source)
        reference = execution.lire(controle.golden)
        controle.ecarts = ecarts_de_structure(source, reference, section.carnet)
        nb, controle.cellules = carnet_de_controle(source, reference, valeurs)
        controle.chemin = execution.ecrire(nb, destination / section.carnet)
    return controles


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``synthese-ihu golden``.

    Returns
    -------
    int
        0 si les carnets de référence sont écrits, 1 si une section a échoué.
    """
    p = argparse.ArgumentParser(
        prog="synthese-ihu golden",
        description="Réexécute toutes les sections (sans cache) et écrit les carnets de "
        "référence dans tests/golden/<année>/.",
    )
    p.add_argument("--annee", type=int, default=ANNEE_REFERENCE, help="année de référence")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    debut = time.perf_counter()
    print(f"Carnets de référence {args.annee} : exécution de toutes les sections", flush=True)
    try:
        ecrits = produire(args.annee, afficher=lambda m: print(m, flush=True))
    except execution.ErreurSection as exc:
        print(f"Échec : {exc}\nAucun carnet de référence n'a été modifié.", file=sys.stderr)
        return 1
    for chemin in ecrits:
        print(f"  → {chemin.relative_to(chemins.RACINE)}")
    duree = f"{time.perf_counter() - debut:.1f}".replace(".", ",")
    print(f"{len(ecrits)} carnets écrits en {duree} s ; relire le diff (git diff tests/golden).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
