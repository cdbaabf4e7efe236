"""Rendu d'une année dans ``build/<annee>/rendu-<variante>/`` : données ouvertes, colophon, moteur.

Étape de la construction (:mod:`synthese_ihu.construction`) entre l'exécution des carnets et la
mise en place (:mod:`synthese_ihu.mise_en_place`) : les données ouvertes (variante publique
complète) et le colophon sont préparés (:mod:`synthese_ihu.publication`), puis le moteur de rendu
(``synthese_ihu.rendu.rendre``, ou celui qu'on passe en paramètre) écrit HTML et PDF dans un
dossier de travail, renommé ensuite en ``rendu-<variante>/``. Le rendu est refait à chaque
construction (un rendu repris ne gagnait que sur une reconstruction sans changement :
``benchmarks/resultats.md``) ; le colophon (version du code, provenance) est composé à chaque
fois.
"""

from __future__ import annotations

import importlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from synthese_ihu import cache_publication
from synthese_ihu.config import Parametres
from synthese_ihu.verrous import jeton_de_course


def rendre_rapport(
    carnets: list[NotebookNode], annee: int, dossier: Path, interne: bool = False, **options: Any
) -> dict[str, Any]:
    """Moteur du projet : ``synthese_ihu.rendu.rendre`` (importé au moment de l'appel).

    ``options`` : ``donnees`` (dossier des CSV des figures), ``colophon`` (HTML de fin).
    """
    rendu = importlib.import_module("synthese_ihu.rendu")
    return rendu.rendre(carnets, annee, dossier, interne=interne, **options)


def variante(parametres: Parametres) -> str:
    """``public`` ou ``interne``, ``-partiel`` pour un aperçu de quelques sections."""
    nom = "interne" if parametres.interne else "public"
    return nom + ("-partiel" if parametres.partiel else "")


def _fichiers_rendus(resultat: Any, travail: Path) -> tuple[dict[str, str], dict[str, float]]:
    """Fichiers (relatifs au dossier de travail) et durées annoncés par le moteur de rendu."""
    durees: dict[str, float] = {}
    fichiers: dict[str, str] = {}
    for cle, valeur in dict(resultat or {}).items():
        if cle == "durees" and isinstance(valeur, dict):
            durees.update({str(k): float(v) for k, v in valeur.items()})
            continue
        if not isinstance(valeur, str | Path):
            continue  # autres informations du rendu (figures, sommaire…) : pas des fichiers
        chemin = Path(valeur)
        chemin = chemin if chemin.is_absolute() else travail / chemin
        try:
            fichiers[cle] = chemin.resolve().relative_to(travail.resolve()).as_posix()
        except ValueError:
            raise RuntimeError(
                f"le rendu a écrit « {cle} » hors du dossier donné ({chemin})."
            ) from None
    return fichiers, durees


def rendre_annee(
    carnets: list[NotebookNode],
    parametres: Parametres,
    donnees: Path,
    construction: Path,
    *,
    provenance: Any,
    commune: str,
    rendre: Callable[..., Any] | None = None,
    publication: bool = True,
    jeton: str | None = None,
) -> tuple[Path, dict[str, str], dict[str, float], float]:
    """Rend les carnets d'une année dans ``<construction>/<annee>/rendu-<variante>/``.

    Parameters
    ----------
    carnets : list of NotebookNode
        Carnets exécutés, dans l'ordre du rapport.
    parametres : Parametres
        Paramètres validés de l'année.
    donnees, construction : Path
        ``data/raw`` et ``build/``.
    provenance : Provenance
        :func:`synthese_ihu.publication.relever_provenance` (colophon).
    commune : str
        :func:`synthese_ihu.cache.empreinte_commune` (clé des données ouvertes en cache).
    rendre : callable, optional
        Moteur ``(carnets, annee, dossier, interne=..., donnees=..., colophon=...) -> dict`` ;
        par défaut :func:`rendre_rapport`.
    publication : bool
        Faux : ni données ouvertes ni colophon (moteur d'essai, sans données réelles).
    jeton : str, optional
        Jeton de la course (:func:`synthese_ihu.verrous.jeton_de_course`) : le dossier de
        travail ``rendu-<variante>.tmp-<jeton>`` n'appartient qu'à elle.

    Returns
    -------
    dossier : Path
    fichiers : dict[str, str]
        Clé du moteur -> nom de fichier relatif au dossier.
    durees : dict[str, float]
        ``publication`` puis les durées données par le moteur.
    duree : float
        Secondes (fonction appelée aussi dans un processus de rendu).
    """
    debut = time.perf_counter()
    dossier = construction / str(parametres.annee) / f"rendu-{variante(parametres)}"
    moteur_du_projet = rendre is None
    rendre = rendre or rendre_rapport
    travail = dossier.with_name(f"{dossier.name}.tmp-{jeton or jeton_de_course()}")
    travail.mkdir(parents=True)
    debut_publication = time.perf_counter()
    colophon, donnees_ouvertes = "", None
    if publication:
        colophon, donnees_ouvertes = cache_publication.preparer_publication(
            parametres, donnees, construction, travail, provenance, commune
        )
    duree_publication = time.perf_counter() - debut_publication
    resultat = rendre(
        carnets,
        parametres.annee,
        travail,
        interne=parametres.interne,
        donnees=donnees_ouvertes,
        colophon=colophon,
    )
    fichiers, durees = _fichiers_rendus(resultat, travail)
    if donnees_ouvertes is not None and (donnees_ouvertes / "datapackage.json").is_file():
        fichiers.setdefault("donnees", f"{donnees_ouvertes.name}/datapackage.json")
    durees = {"publication": duree_publication, **durees}
    if not parametres.interne and moteur_du_projet and publication:
        # Garantie de confidentialité : une fuite dans la sortie publique complète (HTML, PDF,
        # données ouvertes) lève FuiteConfidentielle ; rien n'est mis en place ni publié.
        from synthese_ihu.confidentialite import verifier_publication

        t = time.perf_counter()
        verifier_publication(travail, racine_donnees=donnees)
        durees["confidentialite"] = time.perf_counter() - t
    if dossier.exists():
        shutil.rmtree(dossier)
    os.replace(travail, dossier)
    return dossier, fichiers, durees, time.perf_counter() - debut
