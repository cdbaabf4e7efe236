"""Mise en place atomique d'une campagne dans ``raw/campagnes/<année>/``, avec journal.

Une ingestion ne modifie ``raw/`` qu'ici, sous verrou (:func:`verrou`) :

1. les classeurs sont copiés dans ``.ingestion/<année>-<jeton>/nouveau/`` (écrits sur disque) ;
2. un journal ``.ingestion/journal.json`` (écrit d'un renommage) dit ce qui va changer ;
3. le dossier prend sa place **d'un seul appel système** : ``renameat2(RENAME_EXCHANGE)`` échange
   l'ancien et le nouveau dossier (Linux ; à défaut, deux renommages, l'ancien mis de côté) ;
4. le journal passe à l'état ``fait`` : c'est l'instant où la nouvelle campagne est acquise ;
5. l'ancienne campagne et le journal sont supprimés.

:func:`reprendre` passe au début de chaque ingestion, avant toute lecture : sans journal, il
supprime les restes d'une préparation interrompue ; journal ``pret`` (arrêt avant l'étape 4), il
remet l'ancienne campagne en place (la prochaine ingestion rapporte donc ses réactualisations
contre la dernière campagne complète) ; journal ``fait``, il termine le nettoyage et rend le
résumé de l'ingestion interrompue. ``crochet(etape)`` est appelé à chaque étape : les tests y
arrêtent le processus (``os._exit``) pour vérifier l'état à chaque instant.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from synthese_ihu import atomique
from synthese_ihu.atomique import supprimer as _supprimer
from synthese_ihu.atomique import synchroniser as _synchroniser

DOSSIER = ".ingestion"
JOURNAL = "journal.json"
#: Faux : deux renommages au lieu de l'échange atomique (tests du repli)
ECHANGE = True


class IngestionEnCours(RuntimeError):
    """Une autre ingestion, ou une construction qui lit les données, tient le verrou."""


def _rien(_etape: str) -> None:
    return None


@contextlib.contextmanager
def verrou(racine: Path) -> Iterator[None]:
    """Verrou exclusif sur la racine des données (``flock``), relâché à la sortie.

    Les constructions tiennent le même verrou en partage
    (:func:`synthese_ihu.verrous.verrou_donnees`) : l'ingestion est refusée tant qu'elles lisent.
    """
    fd = os.open(racine, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestionEnCours(
                f"une autre ingestion est en cours sur {racine}, ou une construction lit ces "
                "données (rapport, aperçu, carnets de référence, note de revue) : attendez "
                "qu'elle se termine puis relancez") from None
        yield
    finally:
        os.close(fd)


def empreintes(dossier: Path) -> dict[str, str]:
    """Nom -> sha256 de chaque fichier d'un dossier (vide s'il n'existe pas)."""
    if not dossier.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dossier.iterdir()) if p.is_file()}


def _echanger(a: Path, b: Path) -> bool:
    """Échange atomiquement deux dossiers (:func:`synthese_ihu.atomique.echanger`) ; faux si le
    système ne le permet pas ou si :data:`ECHANGE` est faux."""
    return ECHANGE and atomique.echanger(a, b)


def _ecrire_journal(atelier: Path, contenu: dict) -> None:
    provisoire = atelier / (JOURNAL + ".tmp")
    with open(provisoire, "w", encoding="utf-8") as f:
        json.dump(contenu, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(provisoire, atelier / JOURNAL)
    _synchroniser(atelier)


def remplacer(racine: Path, annee: int, fichiers: dict[str, Path], resume: str,
              crochet: Callable[[str], None] = _rien) -> bool:
    """Met ``fichiers`` (nom rangé -> classeur reçu) en place dans ``raw/campagnes/<annee>``.

    Returns
    -------
    bool
        Vrai si une campagne de la même année a été remplacée.
    """
    atelier = racine / DOSSIER
    atelier.mkdir(exist_ok=True)
    travail = atelier / f"{annee}-{uuid.uuid4().hex[:12]}"
    nouveau, ancien = travail / "nouveau", travail / "ancien"
    destination = racine / "raw" / "campagnes" / str(annee)
    nouveau.mkdir(parents=True)
    for nom, source in sorted(fichiers.items()):
        with open(source, "rb") as lu, open(nouveau / nom, "wb") as ecrit:
            shutil.copyfileobj(lu, ecrit)
            ecrit.flush()
            os.fsync(ecrit.fileno())
        crochet("copie")
    _synchroniser(nouveau)
    avait = destination.is_dir()
    journal = {"annee": annee, "etat": "pret", "destination": str(destination.relative_to(racine)),
               "travail": travail.name, "avait_ancien": avait,
               "nouveau": empreintes(nouveau), "resume": resume}
    _ecrire_journal(atelier, journal)
    crochet("journal")
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        if not avait:
            os.rename(nouveau, destination)
        elif not _echanger(nouveau, destination):
            os.rename(destination, ancien)
            crochet("mise_de_cote")
            os.rename(nouveau, destination)
        _synchroniser(destination.parent)
    except OSError:
        reprendre(racine)  # erreur du système (disque plein, droits) : l'ancienne revient
        raise
    crochet("en_place")
    _ecrire_journal(atelier, {**journal, "etat": "fait"})
    crochet("fait")
    _supprimer(travail, crochet)
    (atelier / JOURNAL).unlink()
    crochet("journal_supprime")
    with contextlib.suppress(OSError):
        atelier.rmdir()
    return avait


def reprendre(racine: Path, crochet: Callable[[str], None] = _rien) -> str | None:
    """Termine ou annule une ingestion interrompue ; rend ce qui a été fait (ou ``None``).

    À appeler sous :func:`verrou`, avant de lire ``raw/``.
    """
    atelier = racine / DOSSIER
    if not atelier.is_dir():
        return None
    chemin = atelier / JOURNAL
    journal = None
    if chemin.is_file():
        try:
            journal = json.loads(chemin.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal = None  # journal écrit à moitié : jamais validé (écrit par renommage)
    message = f"Restes d'une ingestion interrompue supprimés de {atelier}."
    if journal is not None:
        travail = atelier / journal["travail"]
        destination = racine / journal["destination"]
        if journal["etat"] == "fait":
            message = (f"Ingestion interrompue de la campagne {journal['annee']} terminée (elle "
                       f"était acquise) ; son résumé :\n{journal['resume']}")
        else:
            _annuler(travail, destination, journal)
            message = (f"Ingestion interrompue de la campagne {journal['annee']} annulée : "
                       f"{destination} est revenu à son état précédent.")
    for reste in sorted(atelier.iterdir()):
        if reste.name not in (JOURNAL,):
            _supprimer(reste, crochet) if reste.is_dir() else reste.unlink()
    with contextlib.suppress(FileNotFoundError):
        chemin.unlink()
    atelier.rmdir()
    return message


def _annuler(travail: Path, destination: Path, journal: dict) -> None:
    """Remet l'ancienne campagne en place (idempotent : un nouvel arrêt est repris)."""
    nouveau, ancien, annule = travail / "nouveau", travail / "ancien", travail / "annule"
    est_nouvelle = destination.is_dir() and empreintes(destination) == journal["nouveau"]
    if ancien.is_dir():  # repli à deux renommages interrompu
        if destination.exists():
            os.rename(destination, annule)
        os.rename(ancien, destination)
    elif est_nouvelle and journal["avait_ancien"] and nouveau.is_dir():
        if not _echanger(nouveau, destination):
            os.rename(destination, annule)
            os.rename(nouveau, destination)
    elif est_nouvelle and not journal["avait_ancien"]:
        travail.mkdir(parents=True, exist_ok=True)
        os.rename(destination, annule)
    _synchroniser(destination.parent)
