"""Exécution des carnets : paramétrage papermill, noyaux réutilisés, carnets exécutés stables.

Un lot de carnets est exécuté par un petit nombre de noyaux (deux par défaut, un par cœur) ; chaque
noyau exécute plusieurs carnets l'un après l'autre et est remis à neuf entre deux (voir
:mod:`synthese_ihu._noyau`) : les modules déjà importés le restent, c'est ce qui fait gagner le
démarrage du noyau et les imports. Le résultat ne dépend pas du noyau qui a exécuté un carnet :
numéros d'exécution renumérotés, métadonnées volatiles retirées, identifiants de cellules fixes.

Un carnet exécuté est reconstruit à partir du carnet SOURCE courant et des sorties de ses cellules
de code (:func:`fusionner`) : c'est la même fonction qui sert après une exécution et après une
lecture du cache, si bien qu'un carnet servi par le cache est identique octet pour octet à un
carnet exécuté, et qu'une cellule Markdown modifiée n'exige jamais de noyau.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import os
import re
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from synthese_ihu import _noyau

ETIQUETTE_INJECTEE = "injected-parameters"
ETIQUETTE_PARAMETRES = "parameters"
ID_CELLULE_INJECTEE = "parametres-injectes"
NOM_NOYAU = "python3"
DELAI_CELLULE = 1800  # secondes
DELAI_DEMARRAGE = 120

# Métadonnées volatiles : durées, horodatages, identifiants de noyau.
_METADONNEES_CELLULE_VOLATILES = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime")
_METADONNEES_CARNET_VOLATILES = ("widgets",)
# Les avertissements et tracebacks nomment le fichier de la cellule, /tmp/ipykernel_<pid>/<n>.py :
# le pid du noyau est retiré pour que la sortie ne dépende pas du noyau qui a servi.
_DOSSIER_CELLULES = re.compile(r"ipykernel_[0-9]+")


class ErreurSection(Exception):
    """Une section a échoué ; le message nomme la section, la cellule et l'erreur.

    Attributes
    ----------
    section : str
        Identifiant de la section.
    carnet : str
        Nom du fichier du carnet source.
    index : int or None
        Rang de la cellule en échec dans le carnet SOURCE (à partir de 1), ``None`` si l'échec
        n'est pas dans une cellule (démarrage du noyau…).
    premiere_ligne : str
        Première ligne non vide du source de la cellule.
    ename, evalue : str
        Nom et message de l'erreur.
    conserve : Path or None
        Carnet exécuté conservé pour le débogage (traceback complet dedans).
    """

    def __init__(
        self,
        section: str,
        carnet: str,
        index: int | None,
        premiere_ligne: str,
        ename: str,
        evalue: str,
        conserve: Path | None = None,
    ) -> None:
        self.section = section
        self.carnet = carnet
        self.index = index
        self.premiere_ligne = premiere_ligne
        self.ename = ename
        self.evalue = evalue
        self.conserve = conserve
        super().__init__(self.message())

    def message(self) -> str:
        """Message destiné à l'utilisateur (français, sans traceback)."""
        if self.index is None:
            ou = "hors cellule"
        else:
            ou = f"cellule n° {self.index} « {self.premiere_ligne} »"
        texte = (
            f"la section « {self.section} » ({self.carnet}) a échoué, {ou} : "
            f"{self.ename}: {self.evalue}"
        )
        if self.conserve is not None:
            texte += f"\n  carnet exécuté conservé (traceback complet) : {self.conserve}"
        return texte

    def __str__(self) -> str:
        return self.message()


@dataclass
class Tache:
    """Un carnet à exécuter.

    Attributes
    ----------
    section : str
        Identifiant de la section.
    carnet : str
        Nom du fichier source (pour les messages).
    source : NotebookNode
        Carnet source (sans paramètres injectés).
    parametres : dict
        Paramètres à injecter.
    dossier : Path
        Dossier courant du noyau pendant ce carnet (celui du carnet source).
    rang : int
        Ordre de passage (croissant).
    groupe : Any
        Rapport auquel appartient le carnet (l'année, en construction de plusieurs années) :
        avec :func:`executer_groupes`, un échec n'arrête que son groupe.
    """

    section: str
    carnet: str
    source: NotebookNode
    parametres: dict[str, Any]
    dossier: Path
    rang: int = 0
    groupe: Any = None


@dataclass
class Resultat:
    """Carnet exécuté (sorties brutes, avant fusion) et mesures."""

    tache: Tache
    carnet: NotebookNode
    duree: float
    noyau: int


@dataclass
class Progression:
    """Rappels de progression (tous facultatifs)."""

    debut: Callable[[Tache, int], None] = field(default=lambda tache, noyau: None)
    fin: Callable[[Resultat], None] = field(default=lambda resultat: None)
    echec: Callable[[Tache, NotebookNode], None] = field(default=lambda tache, carnet: None)


# --------------------------------------------------------------------------------------------
# Lecture, paramétrage, normalisation, fusion, écriture


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


def en_octets(nb: NotebookNode) -> bytes:
    """Sérialisation canonique (clés triées, indentation 1, fin de ligne) d'un carnet."""
    return (nbformat.writes(nb) + "\n").encode("utf-8")


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


def _rang_source(nb: NotebookNode, index: int) -> int:
    """Rang (à partir de 1) dans le carnet source d'une cellule du carnet paramétré."""
    avant = nb.cells[:index]
    injectees = sum(ETIQUETTE_INJECTEE in c.metadata.get("tags", []) for c in avant)
    return index - injectees + 1


# --------------------------------------------------------------------------------------------
# Noyaux réutilisés


class Noyau:
    """Un noyau IPython qui exécute plusieurs carnets l'un après l'autre.

    Parameters
    ----------
    numero : int
        Numéro du noyau (pour les messages).
    dossier : Path
        Dossier courant initial (celui des carnets).
    nom_noyau : str
        Nom du kernelspec.
    """

    def __init__(self, numero: int, dossier: Path, nom_noyau: str = NOM_NOYAU) -> None:
        self.numero = numero
        self.dossier = Path(dossier)
        self.nom_noyau = nom_noyau
        self.km = None
        self.kc = None
        self.language_info: dict[str, Any] = {}
        self.carnets_executes = 0
        self._ipc: str | None = None
        self.en_cours = False  # vrai pendant l'exécution des cellules d'un carnet
        self.sain = True  # faux après un échec hors cellule (noyau mort, délai dépassé…)

    async def demarrer(self) -> None:
        """Démarre le noyau, installe l'outil de remise à neuf et photographie l'état initial."""
        from jupyter_client.manager import AsyncKernelManager

        # Transport IPC (sockets Unix dans un dossier temporaire) : pas de port TCP ouvert, et
        # pas d'avertissement « Kernel is running over TCP without encryption ».
        self._ipc = tempfile.mkdtemp(prefix="synthese-ihu-noyau-")
        self.km = AsyncKernelManager(
            kernel_name=self.nom_noyau, transport="ipc", ip=os.path.join(self._ipc, "k")
        )
        env = dict(os.environ)
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # pas d'avertissement du débogueur
        await self.km.start_kernel(
            cwd=str(self.dossier),
            env=env,
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=DELAI_DEMARRAGE)
        reponse = await self.kc.kernel_info(reply=True, timeout=DELAI_DEMARRAGE)
        self.language_info = reponse["content"].get("language_info", {})
        installation = (
            "import sys as _s, types as _t\n"
            "_m = _t.ModuleType('_synthese_ihu_noyau')\n"
            f"exec(compile({inspect.getsource(_noyau)!r}, '_synthese_ihu_noyau', 'exec'),"
            " _m.__dict__)\n"
            "_s.modules['_synthese_ihu_noyau'] = _m\n"
            f"_m.preparer({str(self.dossier)!r})\n"
            "del _s, _t, _m\n"
        )
        await self._silencieux(installation)

    async def _silencieux(self, code: str) -> None:
        erreurs: list[str] = []

        def collecter(msg: dict) -> None:
            if msg["msg_type"] == "error":
                erreurs.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        reponse = await self.kc.execute_interactive(
            code, store_history=False, output_hook=collecter, timeout=DELAI_DEMARRAGE
        )
        if reponse["content"]["status"] != "ok" or erreurs:
            detail = "; ".join(erreurs) or reponse["content"].get("evalue", "")
            raise RuntimeError(f"remise à neuf du noyau {self.numero} impossible : {detail}")

    async def reinitialiser(self, dossier: Path) -> None:
        """Remet le noyau à neuf (espace de noms, figures, réglages) avant un carnet."""
        await self._silencieux(
            "import _synthese_ihu_noyau as _n\n"
            f"_n._ETAT['dossier'] = {str(dossier)!r}\n"
            "_n.reinitialiser(get_ipython())\n"
        )

    async def executer(self, tache: Tache, progression: Progression) -> Resultat:
        """Exécute un carnet paramétré ; lève :class:`ErreurSection` à la première erreur."""
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError

        nb = parametrer(tache.source, tache.parametres)
        nb.metadata["language_info"] = copy.deepcopy(self.language_info)
        debut = time.perf_counter()
        index = None
        try:
            await self.reinitialiser(tache.dossier)
            client = NotebookClient(
                nb,
                km=self.km,
                kernel_name=self.nom_noyau,
                timeout=DELAI_CELLULE,
                record_timing=False,
                coalesce_streams=True,
                resources={"metadata": {"path": str(tache.dossier)}},
            )
            client.kc = self.kc
            client.reset_execution_trackers()
            self.en_cours = True
            for index, cellule in enumerate(nb.cells):
                await client.async_execute_cell(
                    cellule, index, execution_count=client.code_cells_executed + 1
                )
            self.en_cours = False
        except (CellExecutionError, DeadKernelError, RuntimeError, TimeoutError) as exc:
            self.en_cours = False
            self.carnets_executes += 1
            progression.echec(tache, nb)
            if isinstance(exc, CellExecutionError):
                ename, evalue = exc.ename, exc.evalue
            else:
                self.sain = False
                ename, evalue = type(exc).__name__, str(exc)
            cellule = nb.cells[index] if index is not None else None
            raise ErreurSection(
                tache.section,
                tache.carnet,
                _rang_source(nb, index) if cellule is not None else None,
                _premiere_ligne(cellule.source) if cellule is not None else "",
                ename,
                evalue,
            ) from None
        self.carnets_executes += 1
        return Resultat(tache, nb, time.perf_counter() - debut, self.numero)

    async def arreter(self) -> None:
        """Arrête le noyau (sans erreur s'il est déjà mort)."""
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                if await self.km.is_alive():
                    await self.km.shutdown_kernel(now=True)
            finally:
                await self.km.cleanup_resources()
        self.km = self.kc = None
        self.sain, self.en_cours = True, False
        if self._ipc is not None:
            shutil.rmtree(self._ipc, ignore_errors=True)
            self._ipc = None


async def _executer_lot(
    taches: Sequence[Tache],
    travailleurs: int,
    dossier: Path,
    progression: Progression,
    par_groupe: bool = False,
) -> tuple[list[Resultat], dict[Any, ErreurSection]]:
    """Exécute les tâches ; rend les résultats (ordre des rangs) et les échecs par groupe.

    Sans ``par_groupe``, le premier échec arrête tout (clé ``None``) : les carnets en cours sur
    les autres noyaux sont interrompus. Avec, il n'arrête que son groupe : ses carnets restants
    sont sautés (celui qu'un autre noyau exécute déjà va à son terme, son résultat est écarté :
    une interruption pourrait tomber sur le carnet suivant, d'un autre groupe), les autres
    groupes continuent ; un noyau mort ou bloqué est redémarré.
    """
    file = deque(sorted(taches, key=lambda t: t.rang))
    resultats: list[Resultat] = []
    erreurs: dict[Any, ErreurSection] = {}
    noyaux = [Noyau(k + 1, dossier) for k in range(max(1, min(travailleurs, len(file))))]

    def cle(tache: Tache) -> Any:
        return tache.groupe if par_groupe else None

    async def travailler(noyau: Noyau) -> None:
        try:
            try:
                await noyau.demarrer()
            except Exception as exc:
                raise RuntimeError(f"démarrage du noyau {noyau.numero} impossible : {exc}") from exc
            while file and (par_groupe or not erreurs):
                tache = file.popleft()
                if cle(tache) in erreurs:
                    continue  # son groupe a déjà échoué : carnet sauté
                progression.debut(tache, noyau.numero)
                try:
                    resultat = await noyau.executer(tache, progression)
                except ErreurSection as exc:
                    if cle(tache) not in erreurs:
                        erreurs[cle(tache)] = exc
                        for autre in noyaux:  # arrêter vite les autres carnets en cours
                            if autre is not noyau and autre.en_cours and not par_groupe:
                                await autre.km.interrupt_kernel()
                    if not par_groupe:
                        return
                    if not noyau.sain:  # noyau mort ou bloqué : un neuf pour la suite
                        await noyau.arreter()
                        await noyau.demarrer()
                    continue
                if cle(tache) not in erreurs:
                    resultats.append(resultat)
                    progression.fin(resultat)
        finally:
            await noyau.arreter()

    await asyncio.gather(*(travailler(n) for n in noyaux))
    return sorted(resultats, key=lambda r: r.tache.rang), erreurs


def executer(
    taches: Sequence[Tache],
    travailleurs: int = 2,
    dossier: Path | None = None,
    progression: Progression | None = None,
) -> list[Resultat]:
    """Exécute des carnets avec un petit groupe de noyaux réutilisés.

    Parameters
    ----------
    taches : sequence of Tache
        Carnets à exécuter ; ils sont pris dans l'ordre de leur ``rang``.
    travailleurs : int
        Nombre de noyaux (au plus un par carnet).
    dossier : Path, optional
        Dossier courant initial des noyaux (par défaut celui de la première tâche).
    progression : Progression, optional
        Rappels de progression.

    Returns
    -------
    list of Resultat
        Dans l'ordre des rangs ; les carnets ne sont pas encore nettoyés ni fusionnés.

    Raises
    ------
    ErreurSection
        Au premier échec ; les autres carnets en cours sont interrompus, les noyaux arrêtés.
    """
    if not taches:
        return []
    dossier = Path(dossier) if dossier is not None else taches[0].dossier
    resultats, erreurs = asyncio.run(
        _executer_lot(taches, travailleurs, dossier, progression or Progression())
    )
    if erreurs:
        raise next(iter(erreurs.values()))
    return resultats


def executer_groupes(
    taches: Sequence[Tache],
    travailleurs: int = 2,
    dossier: Path | None = None,
    progression: Progression | None = None,
) -> tuple[list[Resultat], dict[Any, ErreurSection]]:
    """Comme :func:`executer`, pour des carnets de plusieurs rapports (``Tache.groupe``).

    Tous les carnets passent par le même petit groupe de noyaux réutilisés. Un échec n'arrête
    que son groupe (carnets restants sautés, carnet du même groupe en cours interrompu) ; les
    autres groupes vont jusqu'au bout.

    Returns
    -------
    resultats : list of Resultat
        Carnets exécutés des groupes sans échec, dans l'ordre des rangs (``progression.fin``
        est appelé pour chacun dès qu'il est prêt).
    erreurs : dict
        Groupe -> première :class:`ErreurSection` de ce groupe.
    """
    if not taches:
        return [], {}
    dossier = Path(dossier) if dossier is not None else taches[0].dossier
    resultats, erreurs = asyncio.run(
        _executer_lot(taches, travailleurs, dossier, progression or Progression(), True)
    )
    return [r for r in resultats if r.tache.groupe not in erreurs], erreurs


def canonique(valeur: Any) -> bytes:
    """JSON canonique (pour les empreintes)."""
    return json.dumps(valeur, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
