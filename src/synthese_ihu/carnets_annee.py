"""Carnets des années d'une construction : repris du cache ou exécutés, écrits dans ``build/``.

Un :class:`Lot` par année : carnets sources, clés du cache (:mod:`synthese_ihu.cache`), carnets
repris, tâches à exécuter. Toutes les tâches de toutes les années passent par UN groupe de
noyaux réutilisés (:func:`synthese_ihu.execution.executer_groupes`) ; un échec n'arrête que son
année. Les carnets exécutés sont rangés dans le cache, fusionnés avec le Markdown courant et
écrits dans ``build/<annee>/carnets/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from synthese_ihu import cache as cache_mod
from synthese_ihu import execution, mecanismes
from synthese_ihu.config import Configuration, Parametres
from synthese_ihu.execution import ErreurSection


def secondes(duree: float) -> str:
    """« 1,23 s »."""
    return f"{duree:.2f}".replace(".", ",") + " s"


@dataclass
class Lot:
    """Sections d'une année : carnets sources, clés, carnets repris du cache, tâches à exécuter."""

    parametres: Parametres
    sections: list[Any]
    dossier_carnets: Path
    sources: dict[str, NotebookNode] = field(default_factory=dict)
    cles: dict[str, str] = field(default_factory=dict)
    finals: dict[str, NotebookNode] = field(default_factory=dict)
    taches: list[execution.Tache] = field(default_factory=list)
    en_cache: list[str] = field(default_factory=list)
    etat_publie: Any = None  # :class:`synthese_ihu.etat_publie.Etat`, enregistré après publication


def preparer_lot(
    parametres: Parametres,
    configuration: Configuration,
    construction: Path,
    cache: cache_mod.Cache,
    commune: str,
    *,
    rang0: int = 0,
    prefixe: str = "",
    etat_publie: Any = None,
    afficher: Callable[[str], None] = print,
) -> Lot:
    """Lit les carnets sources d'une année, reprend du cache ce qui peut l'être.

    ``construction`` : ``build/`` (les carnets exécutés vont dans ``<annee>/carnets/``) ;
    ``commune`` : :func:`synthese_ihu.cache.empreinte_commune` ; ``rang0`` : rang de la première
    section parmi toutes les tâches de la construction ; ``etat_publie`` : état à enregistrer
    après la publication (:mod:`synthese_ihu.etat_publie`). Une entrée du cache dont l'empreinte
    ne correspond plus est écartée et la section réexécutée, avec une ligne.
    """
    valeurs = parametres.valeurs_carnet()
    dossier_carnets = construction / str(parametres.annee) / "carnets"
    if dossier_carnets.exists():
        shutil.rmtree(dossier_carnets)
    dossier_carnets.mkdir(parents=True)
    lot = Lot(parametres, [configuration.section(i) for i in parametres.sections], dossier_carnets)
    lot.etat_publie = etat_publie
    sans_cache = parametres.sans_cache or not mecanismes.actif("cache_execution")
    for rang, section in enumerate(lot.sections):
        source = execution.lire_source(section.chemin)
        lot.sources[section.id] = source
        propre = commune
        if section.depend_des_recits:  # le carnet lit les récits de toutes les sections
            from synthese_ihu import imprimees

            propre = commune + imprimees.empreinte_recits(s.chemin for s in configuration.sections)
        lot.cles[section.id] = cle = cache_mod.cle_carnet(source, valeurs, propre)

        def alteree(raison: str, carnet: str = Path(section.carnet).stem) -> None:
            afficher(f"  ⚠ cache : carnet {carnet} ({parametres.annee}) {raison}, réexécuté")

        reprise = None if sans_cache else cache.lire(cle, alteree=alteree)
        if reprise is not None:
            try:
                lot.finals[section.id] = execution.fusionner(source, reprise)
            except ValueError:
                reprise = None
        if reprise is None:
            lot.taches.append(
                execution.Tache(
                    section.id,
                    section.carnet,
                    source,
                    valeurs,
                    section.chemin.parent,
                    rang0 + rang,
                    parametres.annee,
                )
            )
        else:
            lot.en_cache.append(section.id)
            afficher(f"  ✓ {prefixe}{section.id:<18} cache")
    return lot


def terminer_lot(
    lot: Lot, resultats: list[execution.Resultat], cache: cache_mod.Cache
) -> list[NotebookNode]:
    """Range les carnets exécutés dans le cache, fusionne, écrit ``build/<annee>/carnets/``."""
    for resultat in resultats:
        ident = resultat.tache.section
        propre = execution.nettoyer(resultat.carnet)
        cache.ecrire(lot.cles[ident], propre)
        lot.finals[ident] = execution.fusionner(lot.sources[ident], propre)
    carnets = []
    for section in lot.sections:
        nb = execution.marquer(lot.finals[section.id], section, lot.parametres.annee)
        execution.ecrire(nb, lot.dossier_carnets / Path(section.carnet).name)
        carnets.append(nb)
    return carnets


def executer_lots(
    taches: list[execution.Tache],
    lots: dict[int, Lot],
    dossier: Path,
    travailleurs: int,
    afficher: Callable[[str], None],
    prefixe: bool = False,
    pret: Callable[[execution.Resultat], None] = lambda resultat: None,
) -> tuple[list[execution.Resultat], dict[int, ErreurSection]]:
    """Exécute les tâches de toutes les années dans UN groupe de noyaux (dossier courant initial :
    ``dossier``) ; messages de progression, préfixés par l'année si ``prefixe`` ; ``pret`` est
    appelé pour chaque carnet exécuté. Un échec n'arrête que son année (son carnet est gardé).

    Returns
    -------
    resultats : list of Resultat
    erreurs : dict
        Année -> :class:`ErreurSection` (``conserve`` : carnet en échec gardé).
    """

    def nom(tache: execution.Tache) -> str:
        return f"{tache.groupe} {tache.section:<18}" if prefixe else f"{tache.section:<18}"

    def debut(tache: execution.Tache, noyau: int) -> None:
        afficher(f"  ▶ {nom(tache)} exécution (noyau {noyau})…")

    def fin(resultat: execution.Resultat) -> None:
        afficher(f"  ✓ {nom(resultat.tache)} {secondes(resultat.duree)} (noyau {resultat.noyau})")
        pret(resultat)

    def echec(tache: execution.Tache, nb: NotebookNode) -> None:
        conserve = lots[tache.groupe].dossier_carnets / Path(tache.carnet).name
        execution.ecrire(execution.nettoyer(nb), conserve)

    resultats, erreurs = execution.executer_groupes(
        taches,
        travailleurs=travailleurs,
        dossier=dossier,
        progression=execution.Progression(debut=debut, fin=fin, echec=echec),
    )
    for annee, exc in erreurs.items():
        exc.conserve = (
            lots[annee].dossier_carnets
            / Path(next(t.carnet for t in lots[annee].taches if t.section == exc.section)).name
        )
    return resultats, erreurs
