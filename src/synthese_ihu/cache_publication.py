"""Cache des données ouvertes et des faits du colophon (``build/cache/publication/<clé>/``).

Les données ouvertes (``donnees/`` : CSV, Table Schema, ``datapackage.json``) et les faits du
colophon tirés des données ne dépendent que des données, du paquet, du verrou (``commune`` :
:func:`synthese_ihu.cache.empreinte_commune`), de l'année et de la variante. Une entrée est
écrite dans un dossier provisoire au nom unique, son manifeste ``empreintes.json`` (chemin ->
sha256 de chaque fichier) en dernier, puis renommée d'un coup. Avant d'être reprise, sa copie
dans le dossier de travail du rendu est hachée et comparée au manifeste : un fichier tronqué,
modifié, ajouté ou absent fait supprimer l'entrée et la refaire, avec une ligne.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthese_ihu import cache as cache_mod
from synthese_ihu import mecanismes
from synthese_ihu.config import Parametres

FAITS = "faits.json"


def _lire_manifeste(depot: Path) -> dict[str, str] | None:
    try:
        manifeste = json.loads((depot / cache_mod.MANIFESTE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifeste if isinstance(manifeste, dict) else None


def _remplir(
    depot: Path,
    parametres: Parametres,
    donnees: Path,
    provenance: Any,
    ouvertes: bool,
    preparer: Callable[..., dict[str, Any]],
) -> None:
    """Écrit l'entrée ``depot`` : données ouvertes, faits, manifeste (en dernier), d'un coup."""
    publication = importlib.import_module("synthese_ihu.publication")
    provisoire = depot.with_name(f"{depot.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    provisoire.mkdir(parents=True)
    try:
        faits = preparer(
            donnees,
            parametres.annee,
            provisoire / publication.DOSSIER if ouvertes else None,
            provenance,
        )
        (provisoire / FAITS).write_text(json.dumps(faits, sort_keys=True), "utf-8")
        manifeste = cache_mod.empreintes(provisoire)
        (provisoire / cache_mod.MANIFESTE).write_text(
            json.dumps(manifeste, sort_keys=True, indent=1), "utf-8"
        )
        shutil.rmtree(depot, ignore_errors=True)
        os.replace(provisoire, depot)
    finally:
        shutil.rmtree(provisoire, ignore_errors=True)


def _copier_verifie(depot: Path, travail: Path, ouvertes: bool) -> dict[str, Any] | str:
    """Copie l'entrée dans ``travail`` et vérifie la COPIE : faits du colophon, ou l'écart."""
    publication = importlib.import_module("synthese_ihu.publication")
    manifeste = _lire_manifeste(depot)
    if manifeste is None:
        return "sans manifeste"
    copie = travail / publication.DOSSIER
    shutil.rmtree(copie, ignore_errors=True)
    trouve: dict[str, str] = {}
    try:
        octets = (depot / FAITS).read_bytes()
        trouve[FAITS] = hashlib.sha256(octets).hexdigest()
        if (depot / publication.DOSSIER).is_dir():
            shutil.copytree(depot / publication.DOSSIER, copie)
            trouve.update(
                {
                    f"{publication.DOSSIER}/{nom}": h
                    for nom, h in cache_mod.empreintes(copie).items()
                }
            )
        elif ouvertes:
            return f"{publication.DOSSIER}/ absent"
    except FileNotFoundError as exc:
        return f"{Path(str(exc.filename)).name} absent"
    except OSError as exc:
        return f"illisible ({exc.strerror or exc})"
    ecart = cache_mod.ecart(manifeste, trouve)
    if ecart is not None:
        shutil.rmtree(copie, ignore_errors=True)
        return ecart
    cache_mod.toucher(depot / cache_mod.MANIFESTE)
    return json.loads(octets.decode("utf-8"))


def donnees_publication(
    parametres: Parametres,
    donnees: Path,
    construction: Path,
    travail: Path,
    provenance: Any,
    commune: str,
    *,
    preparer: Callable[..., dict[str, Any]] | None = None,
    afficher: Callable[[str], None] = lambda m: print(m, flush=True),
) -> tuple[dict[str, Any], Path | None]:
    """Faits du colophon et données ouvertes copiées dans ``<travail>/donnees/`` (vérifiées).

    Reprises du cache ``<construction>/cache/publication/<clé>/`` si leur copie a exactement
    les empreintes du manifeste ; sinon (entrée absente, altérée, ``--sans-cache``) refaites
    par ``preparer`` (:func:`synthese_ihu.publication.preparer` par défaut), rangées, copiées.

    Returns
    -------
    faits : dict
        Retour de ``preparer`` (``colophon`` : arguments de ``colophon_html``).
    dossier : Path or None
        ``<travail>/donnees`` pour la variante publique complète, sinon ``None``.
    """
    publication = importlib.import_module("synthese_ihu.publication")
    preparer = preparer or publication.preparer
    ouvertes = not parametres.interne and not parametres.partiel
    cle = hashlib.sha256(
        f"publication:{commune}:{parametres.annee}:{ouvertes}".encode()
    ).hexdigest()
    depot = construction / "cache" / "publication" / cle
    sans_cache = parametres.sans_cache or not mecanismes.actif("cache_publication")
    faits: dict[str, Any] | str = "absent"
    if not sans_cache and depot.is_dir():
        faits = _copier_verifie(depot, travail, ouvertes)
        if isinstance(faits, str):
            afficher(
                f"  ⚠ cache : données ouvertes {parametres.annee} ({faits}) : entrée écartée, "
                "refaites"
            )
    if isinstance(faits, str):
        _remplir(depot, parametres, donnees, provenance, ouvertes, preparer)
        faits = _copier_verifie(depot, travail, ouvertes)
        if isinstance(faits, str):
            raise OSError(f"cache de publication illisible juste après écriture : {faits}")
    return faits, (travail / publication.DOSSIER if ouvertes else None)


def preparer_publication(
    parametres: Parametres,
    donnees: Path,
    construction: Path,
    travail: Path,
    provenance: Any,
    commune: str,
) -> tuple[str, Path | None]:
    """Données ouvertes (variante publique complète) et colophon, avant l'appel au rendu.

    Returns
    -------
    colophon : str
        HTML du colophon.
    dossier : Path or None
        ``<travail>/donnees`` si les données ouvertes y ont été écrites.
    """
    publication = importlib.import_module("synthese_ihu.publication")
    faits, dossier = donnees_publication(
        parametres, donnees, construction, travail, provenance, commune
    )
    if dossier is not None and (dossier / "datapackage.json").is_file():
        from synthese_ihu.donnees_ouvertes import inscrire_version

        inscrire_version(dossier, provenance.version)
    # Les réactualisations (faits) sont racontées en annexe seulement, pas dans le colophon.
    colophon = publication.colophon_html(
        provenance, donnees_ouvertes=dossier is not None, **faits["colophon"]
    )
    return colophon, dossier
