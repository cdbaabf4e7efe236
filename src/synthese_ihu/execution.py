"""Exécution d'un lot de carnets par un petit groupe de noyaux (deux par défaut, un par cœur).

Chaque carnet passe par le moteur papermill du projet (:class:`synthese_ihu.moteur.MoteurSynthese`,
le même que ``papermill --engine synthese-ihu``). Avec le mécanisme ``noyaux_reutilises``
(:mod:`synthese_ihu.mecanismes`), un noyau exécute plusieurs carnets l'un après l'autre, remis à
neuf entre deux (:mod:`synthese_ihu.noyau`) ; sans lui, chaque carnet a un noyau neuf. Le
résultat ne dépend pas du noyau qui a servi (:mod:`synthese_ihu.carnets` : numéros renumérotés,
métadonnées volatiles retirées).

Les fonctions des carnets (:mod:`synthese_ihu.carnets`) et :class:`ErreurSection` sont
réexportées ici : c'est l'interface de la construction, du cache et des carnets de référence.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat  # noqa: F401 -- réexporté (tests/golden/test_filet.py : execution.nbformat)
from nbformat import NotebookNode

from synthese_ihu import mecanismes
from synthese_ihu.carnets import (  # noqa: F401 -- réexportés (interface de la construction)
    ETIQUETTE_INJECTEE,
    ETIQUETTE_PARAMETRES,
    ID_CELLULE_INJECTEE,
    NOM_NOYAU,
    _premiere_ligne,
    canonique,
    ecrire,
    en_octets,
    finaliser,
    fusionner,
    lire,
    lire_source,
    marquer,
    nettoyer,
    normaliser_source,
    parametrer,
)
from synthese_ihu.noyau import ErreurSection, Noyau  # noqa: F401 -- réexportés


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


#: Nom du moteur du projet sous le point d'extension ``papermill.engine`` (``pyproject.toml``).
NOM_MOTEUR = "synthese-ihu"


def moteur_papermill() -> Any:
    """Le moteur enregistré sous ``papermill.engine`` (:class:`synthese_ihu.moteur.MoteurSynthese`).

    Pris dans le registre de papermill, comme ``papermill --engine synthese-ihu`` le prend : la
    construction et la commande papermill exécutent un carnet par la même classe. (Papermill
    charge ses moteurs quand on l'importe : importer ``synthese_ihu.moteur`` avant lui serait
    une importation circulaire.)
    """
    from papermill.engines import papermill_engines

    return papermill_engines.get_engine(NOM_MOTEUR)


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
    MoteurSynthese = moteur_papermill()  # noqa: N806 -- papermill : seulement s'il y a à exécuter
    reutiliser = mecanismes.actif("noyaux_reutilises")
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
                if noyau.carnets_executes and not reutiliser:  # un noyau neuf par carnet
                    await noyau.arreter()
                    await noyau.demarrer()
                progression.debut(tache, noyau.numero)
                debut = time.perf_counter()
                try:
                    nb = await MoteurSynthese.executer(
                        noyau,
                        tache.source,
                        tache.parametres,
                        tache.dossier,
                        section=tache.section,
                        carnet=tache.carnet,
                        echec=lambda nb, tache=tache: progression.echec(tache, nb),
                    )
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
                resultat = Resultat(tache, nb, time.perf_counter() - debut, noyau.numero)
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
    """Exécute des carnets avec un petit groupe de noyaux (réutilisés, sauf mécanisme désactivé).

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
