"""État « déjà à jour » d'un rapport publié : ``<construction>/etat/<variante>-<annee>.json``.

Après une publication réussie, la construction enregistre la clé de ce qui a produit le rapport
et l'empreinte (sha256) de chaque fichier publié dans ``reports/<annee>/``. À la construction
suivante, AVANT toute exécution ou tout rendu (et sans importer pandas, nbconvert, WeasyPrint
ni matplotlib), l'année est sautée si la clé est la même ET si les fichiers publiés sont
exactement ceux du manifeste, octet pour octet. Un fichier publié altéré, absent ou en trop fait
reconstruire le rapport, avec une ligne. ``--sans-cache`` reconstruit toujours.

La clé couvre tout ce que le rapport imprime ou dont il dépend : données, source du paquet,
``requirements.lock`` (:func:`synthese_ihu.cache.empreinte_commune`), fichier de configuration,
dossier des carnets (Markdown compris), moteur de rendu, paramètres, destination, version du
code (celle du colophon : :func:`synthese_ihu.provenance.version_code`), mécanismes désactivés
et ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthese_ihu import cache as cache_mod
from synthese_ihu import execution, mecanismes
from synthese_ihu.config import Parametres
from synthese_ihu.erreurs import montrer
from synthese_ihu.provenance import version_code
from synthese_ihu.rendu_annee import variante

VERSION = "1"


@dataclass(frozen=True)
class Etat:
    """Ce qu'une année publiée doit être : fichier d'état, clé, dossier publié."""

    chemin: Path
    cle: str
    destination: Path


def nom_moteur(rendre: Callable[..., Any] | None) -> str:
    """Nom stable du moteur de rendu (``projet`` : celui du paquet)."""
    if rendre is None:
        return "projet"
    while isinstance(rendre, functools.partial):
        rendre = rendre.func
    return f"{getattr(rendre, '__module__', '?')}.{getattr(rendre, '__qualname__', '?')}"


def cle(
    parametres: Parametres,
    emplacements: Any,
    commune: str,
    destination: Path,
    *,
    moteur: str = "projet",
    publication: bool = True,
    version: str | None = None,
) -> str:
    """Clé de la construction d'une année (voir le module) ; ``emplacements`` :
    :class:`synthese_ihu.construction.Emplacements` ; ``version`` : version du code imprimée par
    le colophon (par défaut :func:`synthese_ihu.provenance.version_code`)."""
    h = hashlib.sha256()
    elements = {
        "version": VERSION,
        "commune": commune,
        "configuration": cache_mod.empreinte_fichier(emplacements.configuration),
        "carnets": cache_mod.empreinte_dossier(emplacements.carnets),
        "rendu": cache_mod.empreinte_dossier(emplacements.rendu),
        "parametres": {
            "annee": parametres.annee,
            "sections": list(parametres.sections),
            "partiel": parametres.partiel,
            "interne": parametres.interne,
            "sortie": None if parametres.sortie is None else str(parametres.sortie),
        },
        "destination": str(Path(destination).resolve()),
        "version_code": version_code() if version is None else version,
        "moteur": moteur,
        "publication": publication,
        "sans": sorted(mecanismes.desactives()),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    h.update(execution.canonique(elements))
    return h.hexdigest()


def chemin_etat(construction: Path, parametres: Parametres) -> Path:
    """``<construction>/etat/<variante>-<annee>.json``."""
    return Path(construction) / "etat" / f"{variante(parametres)}-{parametres.annee}.json"


def verifier(etat: Etat) -> tuple[int, dict[str, str]] | str | None:
    """Le rapport publié est-il à jour ?

    Returns
    -------
    tuple (nombre de fichiers vérifiés, fichiers rendus) si oui ; une raison (« x altéré »)
    si la clé est la même mais que les fichiers publiés diffèrent ; ``None`` si aucun état
    ne correspond (premier passage, clé changée : reconstruction sans message).
    """
    try:
        enregistre = json.loads(etat.chemin.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(enregistre, dict) or enregistre.get("cle") != etat.cle:
        return None
    lisible = montrer(etat.destination)
    if not etat.destination.is_dir():
        return f"{lisible} absent"
    try:
        trouve = cache_mod.empreintes(etat.destination)
    except OSError as exc:
        return f"{lisible} illisible ({exc.strerror or exc})"
    ecart = cache_mod.ecart(enregistre.get("fichiers", {}), trouve)
    if ecart is not None:
        return f"{lisible}/{ecart}"
    return len(trouve), {str(k): str(nom) for k, nom in enregistre.get("rendus", [])}


def enregistrer(etat: Etat | None, fichiers: dict[str, str]) -> None:
    """Après une publication réussie : clé et empreintes des fichiers publiés (écrit d'un coup).

    ``fichiers`` : clé du moteur -> nom relatif (résumé d'une année sautée). Un échec d'écriture
    retire l'état (l'année sera seulement reconstruite la prochaine fois).
    """
    if etat is None:
        return
    try:
        contenu = {
            "cle": etat.cle,
            "destination": str(etat.destination),
            "fichiers": cache_mod.empreintes(etat.destination),
            "rendus": [[cle_rendu, nom] for cle_rendu, nom in fichiers.items()],
        }
        octets = json.dumps(contenu, sort_keys=True, indent=1, ensure_ascii=False).encode()
        cache_mod.ecrire_atomique(etat.chemin, octets)
    except OSError:
        etat.chemin.unlink(missing_ok=True)


def trier(
    liste: list[Parametres],
    emplacements: Any,
    commune: str,
    bilan: Any,
    *,
    destination: Callable[[Parametres], Path | None],
    rendre: Callable[..., Any] | None = None,
    publication: bool = True,
    afficher: Callable[[str], None] = print,
) -> tuple[list[Parametres], dict[int, Etat]]:
    """Sépare les années déjà à jour (notées dans ``bilan``, une ligne chacune) des autres.

    ``destination`` : :func:`synthese_ihu.construction.destination_rapport` (``None`` : aperçu
    partiel, jamais sauté). Returns : années à construire, et leur :class:`Etat` à enregistrer
    après publication.
    """
    construction = importlib.import_module("synthese_ihu.construction")
    a_construire, etats = [], {}
    for parametres in liste:
        dossier = destination(parametres)
        if dossier is None:
            a_construire.append(parametres)
            continue
        etat = Etat(
            chemin_etat(emplacements.construction, parametres),
            cle(
                parametres,
                emplacements,
                commune,
                dossier,
                moteur=nom_moteur(rendre),
                publication=publication,
            ),
            dossier,
        )
        verdict = None if parametres.sans_cache else verifier(etat)
        if isinstance(verdict, tuple):
            nombre, rendus = verdict
            s = "s" if nombre > 1 else ""
            afficher(f"  ✓ {parametres.annee} déjà à jour ({nombre} fichier{s} vérifié{s})")
            bilan.bilans[parametres.annee] = construction.BilanAnnee(
                annee=parametres.annee,
                destination=dossier,
                fichiers={k: dossier / nom for k, nom in rendus.items()},
                a_jour=True,
            )
            continue
        if isinstance(verdict, str):
            afficher(f"  ⚠ {parametres.annee} : {verdict} depuis la publication, reconstruit")
        a_construire.append(parametres)
        etats[parametres.annee] = etat
    return a_construire, etats
