"""Construction des rapports d'une liste d'années : exécuter les sections, rendre, mettre en place.

Un seul chemin, pour une année (liste d'un élément) comme pour ``--annee 2012-2022`` :

1. paramètres DÉJÀ validés (:func:`synthese_ihu.config.valider_construction`) ;
2. chaque carnet (année, section) est repris du cache (:mod:`synthese_ihu.cache`) ou exécuté,
   année injectée, par UN groupe de noyaux réutilisés (:func:`synthese_ihu.execution.
   executer_groupes`) ; les carnets exécutés sont conservés dans ``build/<annee>/carnets/`` ;
3. dès que les sections d'une année sont prêtes, son rendu (:mod:`synthese_ihu.rendu_annee` :
   données ouvertes, colophon, HTML, PDF) part sur l'un des :data:`PROCESSUS_RENDU` processus
   de rendu (plusieurs années) ou est fait ici après l'exécution (une année) ;
4. chaque rapport rendu remplace ``reports/<annee>/`` d'un coup
   (:func:`synthese_ihu.mise_en_place.publier`).

Toute la construction tient le verrou de ``build/`` (une construction à la fois : la seconde
attend) et, en partage, celui de la racine des données (une ingestion est refusée pendant ce
temps) : :mod:`synthese_ihu.verrous`. Les dossiers de travail portent le jeton de la course ;
ceux des courses mortes sont supprimés au début (``build/`` et à côté de chaque destination).

Une année en échec (section ou rendu) n'est ni rendue ni publiée : son rapport précédent reste
en place ; les autres années vont jusqu'au bout. La ligne de commande est dans
:mod:`synthese_ihu.cli`.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from synthese_ihu import cache as cache_mod
from synthese_ihu import chemins, erreurs, etat_publie, execution, parallele, verrous
from synthese_ihu.carnets_annee import Lot, executer_lots, preparer_lot, secondes, terminer_lot
from synthese_ihu.config import Configuration, Parametres
from synthese_ihu.mise_en_place import nettoyer, publier
from synthese_ihu.rendu_annee import rendre_annee

TRAVAILLEURS = 2  # un noyau par cœur
#: Processus de rendu (HTML + PDF, un document chacun) quand plusieurs années sont construites.
PROCESSUS_RENDU = 2


@dataclass(frozen=True)
class Emplacements:
    """Où lire et écrire ; les valeurs par défaut sont celles du projet (tests : dossiers jetables).

    ``configuration`` (``synthese.toml``), ``carnets`` (carnets sources), ``construction``
    (``build/`` : carnets exécutés, rendus, cache), ``rapports`` (``reports/``), ``donnees``
    (``data/raw``), ``paquet`` et ``verrou`` (``requirements.lock``) : dans la clé du cache ;
    ``rendu`` : source du moteur de rendu, dont l'aperçu surveille les gabarits.
    """

    configuration: Path = chemins.PAQUET / "synthese.toml"
    carnets: Path = chemins.CARNETS
    construction: Path = chemins.CONSTRUCTION
    rapports: Path = chemins.RAPPORTS
    donnees: Path = chemins.DONNEES_BRUTES
    paquet: Path = chemins.PAQUET
    verrou: Path = chemins.RACINE / "requirements.lock"
    rendu: Path = chemins.PAQUET / "rendu"


@dataclass
class BilanAnnee:
    """Ce qu'une année a produit : destination, fichiers, sections exécutées / reprises, durées.

    ``durees`` : ``rendu``, ``rendu:<étape>`` quand le moteur donne ses durées, ``mise en
    place`` ; ``destination`` : ``reports/<annee>/`` ou le dossier d'aperçu (``--sections``) ;
    ``a_jour`` : rapport publié vérifié, rien exécuté ni rendu (:mod:`synthese_ihu.etat_publie`).
    """

    annee: int
    destination: Path
    fichiers: dict[str, Path] = field(default_factory=dict)
    executees: list[str] = field(default_factory=list)
    en_cache: list[str] = field(default_factory=list)
    durees: dict[str, float] = field(default_factory=dict)
    a_jour: bool = False


@dataclass
class Bilan:
    """Une construction : un :class:`BilanAnnee` par année en place, les échecs, les durées.

    ``echecs`` : année -> message (son rapport précédent n'a pas été touché) ; ``durees`` :
    ``execution`` (tous les carnets), ``rendu`` (fin de l'exécution → dernier rapport en place),
    ``total``.
    """

    annees: list[int]
    bilans: dict[int, BilanAnnee] = field(default_factory=dict)
    echecs: dict[int, str] = field(default_factory=dict)
    durees: dict[str, float] = field(default_factory=dict)


def _commune(emplacements: Emplacements) -> str:
    """Données, paquet, verrou : lus et hachés une fois par construction."""
    return cache_mod.empreinte_commune(
        emplacements.donnees, emplacements.paquet, emplacements.verrou
    )


def executer_sections(
    parametres: Parametres,
    configuration: Configuration,
    emplacements: Emplacements,
    *,
    travailleurs: int = TRAVAILLEURS,
    afficher: Callable[[str], None] = print,
) -> tuple[list[NotebookNode], list[str], list[str]]:
    """Carnets exécutés (ou repris du cache) d'une année, sans rendu (carnets de référence, aperçu).

    Returns
    -------
    carnets : list of NotebookNode
        Fusionnés avec le Markdown courant, dans l'ordre de la configuration.
    executees, en_cache : list of str
        Sections exécutées / reprises du cache.

    Raises
    ------
    ErreurSection
        Première section en échec ; son carnet exécuté est conservé (``exc.conserve``).
    """
    cache = cache_mod.Cache(emplacements.construction / "cache")
    commune = _commune(emplacements)
    lot = preparer_lot(
        parametres, configuration, emplacements.construction, cache, commune, afficher=afficher
    )
    resultats, en_echec = executer_lots(
        lot.taches, {parametres.annee: lot}, emplacements.carnets, travailleurs, afficher
    )
    if en_echec:
        raise next(iter(en_echec.values()))
    return terminer_lot(lot, resultats, cache), [t.section for t in lot.taches], lot.en_cache


# --------------------------------------------------------------------------------------------
# Rendu et mise en place


def destination_rapport(parametres: Parametres, emplacements: Emplacements) -> Path | None:
    """Dossier du rapport publié ; ``None`` pour un aperçu partiel sans ``--sortie``."""
    if parametres.partiel and parametres.sortie is None:
        return None
    racine = parametres.sortie if parametres.sortie is not None else emplacements.rapports
    if parametres.interne:
        racine = racine / "interne"
    return racine / str(parametres.annee)


def construire(
    liste: list[Parametres],
    configuration: Configuration,
    emplacements: Emplacements | None = None,
    *,
    travailleurs: int = TRAVAILLEURS,
    processus: int | None = None,
    rendre: Callable[..., Any] | None = None,
    publication: bool = True,
    afficher: Callable[[str], None] = print,
) -> Bilan:
    """Construit les rapports d'une liste d'années (paramètres DÉJÀ validés), sous verrous.

    Le verrou de ``build/`` (exclusif : une autre construction attend) et celui de la racine
    des données (partagé : une ingestion attend la fin) sont tenus du début à la fin.

    Parameters
    ----------
    liste : list of Parametres
        Une entrée par année (une seule pour ``--annee 2022``).
    configuration : Configuration
        Configuration validée.
    emplacements : Emplacements, optional
        Dossiers de lecture et d'écriture (ceux du projet par défaut).
    travailleurs : int
        Nombre de noyaux.
    processus : int, optional
        Processus de rendu ; par défaut :data:`PROCESSUS_RENDU` pour plusieurs années, 0 pour
        une seule (rendu dans ce processus, après l'exécution).
    rendre : callable, optional
        Moteur de rendu (:func:`synthese_ihu.rendu_annee.rendre_annee`) ; une fonction de
        module s'il part dans des processus de rendu.
    publication : bool
        Faux : ni données ouvertes ni colophon (moteur d'essai sans données réelles).
    afficher : callable
        Sortie des messages de progression.

    Returns
    -------
    Bilan
    """
    emplacements = emplacements or Emplacements()
    with verrous.sous_verrous(
        emplacements.construction, emplacements.donnees.parent, afficher=afficher
    ):
        for parametres in liste:
            destination = destination_rapport(parametres, emplacements)
            if destination is not None:
                nettoyer(destination.parent)
        return _construire(
            liste,
            configuration,
            emplacements,
            travailleurs=travailleurs,
            processus=processus,
            rendre=rendre,
            publication=publication,
            afficher=afficher,
        )


def _construire(
    liste: list[Parametres],
    configuration: Configuration,
    emplacements: Emplacements,
    *,
    travailleurs: int,
    processus: int | None,
    rendre: Callable[..., Any] | None,
    publication: bool,
    afficher: Callable[[str], None],
) -> Bilan:
    """:func:`construire`, verrous tenus."""
    plusieurs = len(liste) > 1
    debut = time.perf_counter()
    bilan = Bilan(annees=[p.annee for p in liste])
    commune = _commune(emplacements)
    liste, etats = etat_publie.trier(  # années déjà à jour sautées, avant tout import lourd
        liste, emplacements, commune, bilan, rendre=rendre,
        publication=publication, afficher=afficher,
        destination=lambda p: destination_rapport(p, emplacements),
    )  # fmt: skip
    if not liste:
        bilan.durees["total"] = time.perf_counter() - debut
        return bilan
    publication_mod = importlib.import_module("synthese_ihu.publication")
    jeton = verrous.jeton_de_course()
    if processus is None:
        processus = PROCESSUS_RENDU if len(liste) > 1 else 0
    cache = cache_mod.Cache(emplacements.construction / "cache")
    lots: dict[int, Lot] = {}
    for k, parametres in enumerate(liste):
        lots[parametres.annee] = preparer_lot(
            parametres,
            configuration,
            emplacements.construction,
            cache,
            commune,
            rang0=k * len(configuration.sections),
            prefixe=f"{parametres.annee} " if plusieurs else "",
            etat_publie=etats.get(parametres.annee),
            afficher=afficher,
        )
    restants = {annee: len(lot.taches) for annee, lot in lots.items()}
    resultats: dict[int, list[execution.Resultat]] = {annee: [] for annee in lots}
    futurs: dict[Future, int] = {}
    if processus > 0:
        groupe: Any = ProcessPoolExecutor(processus, mp_context=parallele.contexte())
    else:
        groupe = parallele.EnLigne()
    with groupe:

        def lancer_rendu(annee: int) -> None:
            lot = lots[annee]
            try:
                carnets = terminer_lot(lot, resultats[annee], cache)
                provenance = publication_mod.relever_provenance(
                    emplacements.donnees, annee, interne=lot.parametres.interne
                )
                futur = groupe.submit(
                    rendre_annee,
                    carnets,
                    lot.parametres,
                    emplacements.donnees,
                    emplacements.construction,
                    provenance=provenance,
                    commune=commune,
                    rendre=rendre,
                    publication=publication,
                    jeton=jeton,
                )
            except Exception as exc:  # noqa: BLE001 -- l'année échoue, pas les autres
                bilan.echecs[annee] = f"rendu impossible : {erreurs.phrase(exc)}"
                afficher(f"  ✗ {annee} : {bilan.echecs[annee]}")
                return
            futurs[futur] = annee
            if plusieurs:
                afficher(
                    f"  ◆ {annee} : sections prêtes ({len(lot.taches)} exécutée(s), "
                    f"{len(lot.en_cache)} en cache), rendu lancé"
                )

        def pret(resultat: execution.Resultat) -> None:
            annee = resultat.tache.groupe
            resultats[annee].append(resultat)
            restants[annee] -= 1
            if restants[annee] == 0:
                lancer_rendu(annee)

        for annee, reste in restants.items():
            if reste == 0:
                lancer_rendu(annee)
        t = time.perf_counter()
        taches = [tache for lot in lots.values() for tache in lot.taches]
        _, en_echec = executer_lots(
            taches, lots, emplacements.carnets, travailleurs, afficher, plusieurs, pret
        )
        bilan.durees["execution"] = time.perf_counter() - t
        for annee, exc in sorted(en_echec.items()):
            bilan.echecs[annee] = str(exc)
            afficher(f"  ✗ {annee} : échec : {exc}")
        t = time.perf_counter()
        if not plusieurs and futurs:
            afficher("  … rendu HTML et PDF")
        if isinstance(groupe, parallele.EnLigne):
            groupe.executer()
        for futur in as_completed(futurs):
            annee = futurs[futur]
            _mettre_en_place(futur, lots[annee], emplacements, bilan, afficher, plusieurs)
        bilan.durees["rendu"] = time.perf_counter() - t
    cache_mod.elaguer(emplacements.construction / "cache", afficher=afficher)
    bilan.durees["total"] = time.perf_counter() - debut
    return bilan


def _mettre_en_place(
    futur: Future,
    lot: Lot,
    emplacements: Emplacements,
    bilan: Bilan,
    afficher: Callable[[str], None],
    plusieurs: bool,
) -> None:
    """Rapport rendu d'une année remplacé d'un coup ; un échec est noté, l'année seule échoue."""
    annee, parametres = lot.parametres.annee, lot.parametres
    b = BilanAnnee(annee=annee, destination=emplacements.rapports)
    try:
        dossier, fichiers, durees_rendu, duree = futur.result()
        t = time.perf_counter()
        destination = destination_rapport(parametres, emplacements)
        if destination is None:
            destination, etat = dossier, "aperçu partiel (--sections), reports/ n'est pas touché"
        else:
            etat = "remplacé" if publier(dossier, destination) else "déjà à jour"
            etat_publie.enregistrer(lot.etat_publie, fichiers)
    except Exception as exc:  # noqa: BLE001 -- l'année échoue, pas les autres
        bilan.echecs[annee] = f"rendu en échec : {erreurs.phrase(exc)}"
        afficher(f"  ✗ {annee} : {bilan.echecs[annee]}")
        return
    b.executees, b.en_cache = [x.section for x in lot.taches], lot.en_cache
    b.durees = {"rendu": duree, **{f"rendu:{k}": v for k, v in durees_rendu.items()}}
    b.durees["mise en place"] = time.perf_counter() - t
    b.destination = destination
    b.fichiers = {cle: destination / nom for cle, nom in fichiers.items()}
    bilan.bilans[annee] = b
    rendu = f"rendu en {secondes(duree)}"
    prefixe = f"{annee} " if plusieurs else ""
    afficher(f"  ✓ {prefixe}{rendu} → {destination} ({etat})")
