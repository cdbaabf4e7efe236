"""Paramètres d'une construction (année ou plage d'années, sections, options), validés avant
toute exécution : une option inconnue, une année que les données ne couvrent pas, une section
inconnue sont refusées par un message clair (:class:`ErreurParametres`). La configuration
(``synthese.toml``) est dans :mod:`synthese_ihu.config`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synthese_ihu.config import Configuration

#: Options acceptées par la construction (et rien d'autre).
OPTIONS_CONSTRUCTION = frozenset({"annee", "sortie", "sections", "sans_cache", "interne"})


class ErreurParametres(ValueError):
    """Paramètres de construction refusés avant toute exécution."""


@dataclass(frozen=True)
class Parametres:
    """Paramètres validés d'une construction.

    Attributes
    ----------
    annee : int
        Année cible, couverte par les données.
    sections : tuple[str, ...]
        Sections à construire, dans l'ordre de la configuration.
    partiel : bool
        Vrai si ``sections`` n'est pas l'ensemble des sections (construction d'aperçu).
    sortie : Path or None
        Dossier racine des rapports (``reports/`` par défaut) ; le rapport va dans
        ``<sortie>/<annee>/`` (``<sortie>/interne/<annee>/`` pour la variante interne).
    sans_cache : bool
        Ignorer le cache (tout est réexécuté et re-rendu ; le cache est tout de même rafraîchi).
    interne : bool
        Variante interne (noms des IHU, « Diffusion restreinte »).
    """

    annee: int
    sections: tuple[str, ...]
    partiel: bool = False
    sortie: Path | None = None
    sans_cache: bool = False
    interne: bool = False

    def valeurs_carnet(self) -> dict[str, Any]:
        """Paramètres injectés dans chaque carnet par papermill (ils entrent dans la clé du cache).

        Returns
        -------
        dict
            ``annee`` et ``interne`` : la variante interne ne partage jamais une entrée du cache
            avec le rapport public.
        """
        return {"annee": self.annee, "interne": self.interne}


def annees_couvertes(source: Callable[[], Iterable[int]] | None = None) -> list[int]:
    """Années que les données couvrent : ``source()``, par défaut
    ``synthese_ihu.donnees.annees_couvertes``.

    Raises
    ------
    ErreurParametres
        Si les données ne peuvent pas être interrogées.
    """
    try:
        if source is None:
            source = importlib.import_module("synthese_ihu.donnees").annees_couvertes
        return sorted(int(a) for a in source())
    except Exception as exc:  # noqa: BLE001 -- tout échec ici empêche de valider l'année
        raise ErreurParametres(
            f"impossible de connaître les années couvertes par les données ({exc})."
        ) from exc


def valider_annee(valeur: Any, annees: Iterable[int] | None = None) -> int:
    """Valide l'année cible : un entier (ou son écriture décimale) que les données couvrent.

    Parameters
    ----------
    valeur : Any
        ``2022`` ou ``"2022"`` ; ``"2022a"``, ``2022.5``, ``2022.0``, ``True`` sont refusés.
    annees : iterable of int, optional
        Années couvertes ; par défaut :func:`annees_couvertes`.

    Returns
    -------
    int
        L'année.

    Raises
    ------
    ErreurParametres
        Année mal écrite ou non couverte par les données.
    """
    if isinstance(valeur, str) and re.fullmatch(r"[0-9]{1,6}", valeur.strip()):
        annee = int(valeur.strip())
    elif type(valeur) is int:
        annee = valeur
    else:
        raise ErreurParametres(
            f"année invalide : {valeur!r} (une année est attendue, par exemple 2022, "
            "ou une plage début-fin, par exemple 2012-2022)."
        )
    couvertes = sorted(annees) if annees is not None else annees_couvertes()
    if annee not in couvertes:
        plage = f"{couvertes[0]} à {couvertes[-1]}" if couvertes else "aucune"
        raise ErreurParametres(
            f"année {annee} non couverte par les données (années disponibles : {plage})."
        )
    return annee


_PLAGE = re.compile(r"\s*([0-9]{1,6})\s*-\s*([0-9]{1,6})\s*")


def est_plage(valeur: Any) -> bool:
    """Vrai si ``valeur`` s'écrit comme une plage d'années (``"2012-2022"``), même invalide."""
    return isinstance(valeur, str) and "-" in valeur


def valider_annees(valeur: Any, annees: Iterable[int] | None = None) -> tuple[int, ...]:
    """Valide une année ou une plage d'années (``"2012-2022"``, bornes comprises).

    Parameters
    ----------
    valeur : Any
        ``2022``, ``"2022"`` ou ``"2012-2022"``. Une plage décroissante (``"2022-2012"``), une
        plage dont une année n'est pas couverte par les données (``"2011-2013"``) ou un texte
        qui n'est ni une année ni une plage (``"abc"``, ``"2012-"``) sont refusés.
    annees : iterable of int, optional
        Années couvertes ; par défaut :func:`annees_couvertes`.

    Returns
    -------
    tuple of int
        Les années, croissantes (une seule pour une année).

    Raises
    ------
    ErreurParametres
        Année ou plage mal écrite, décroissante, ou non couverte par les données.
    """
    if not est_plage(valeur):
        return (valider_annee(valeur, annees),)
    plage = _PLAGE.fullmatch(valeur)
    if plage is None:
        raise ErreurParametres(
            f"plage d'années invalide : {valeur!r} (attendu : début-fin, par exemple 2012-2022)."
        )
    debut, fin = int(plage.group(1)), int(plage.group(2))
    if debut > fin:
        raise ErreurParametres(
            f"plage d'années décroissante : {valeur.strip()} (écrire {fin}-{debut})."
        )
    couvertes = sorted(annees) if annees is not None else annees_couvertes()
    absentes = [a for a in range(debut, fin + 1) if a not in couvertes]
    if absentes:
        disponibles = f"{couvertes[0]} à {couvertes[-1]}" if couvertes else "aucune"
        noms = ", ".join(map(str, absentes[:5])) + (" …" if len(absentes) > 5 else "")
        raise ErreurParametres(
            f"plage {debut}-{fin} : année(s) {noms} non couverte(s) par les données "
            f"(années disponibles : {disponibles})."
        )
    return tuple(range(debut, fin + 1))


def valider_construction(
    options: Mapping[str, Any],
    configuration: Configuration,
    annees: Iterable[int] | Callable[[], Iterable[int]] | None = None,
) -> list[Parametres]:
    """Valide une construction d'une ou de plusieurs années (``--annee 2012-2022``).

    Toutes les années sont validées avant toute exécution, avec les mêmes règles que
    :func:`valider_parametres` ; une plage ne se combine pas avec ``sections`` (aperçu partiel
    d'une seule année).

    Parameters
    ----------
    options : Mapping
        Comme :func:`valider_parametres` ; ``annee`` peut être une plage ``"début-fin"``.
    configuration : Configuration
        Configuration validée.
    annees : iterable of int or callable, optional
        Années couvertes ; par défaut :func:`annees_couvertes`.

    Returns
    -------
    list of Parametres
        Un jeu de paramètres par année, dans l'ordre croissant.

    Raises
    ------
    ErreurParametres
        Comme :func:`valider_parametres`, plage mal écrite, décroissante ou non couverte,
        plage combinée à ``sections``.
    """
    valeur = options.get("annee")
    if not est_plage(valeur):
        return [valider_parametres(options, configuration, annees)]
    if callable(annees):
        annees = annees_couvertes(annees)
    couvertes = sorted(annees) if annees is not None else annees_couvertes()
    liste = valider_annees(valeur, couvertes)
    if options.get("sections") not in (None, ""):
        raise ErreurParametres(
            "--sections (aperçu partiel) vaut pour une seule année, pas pour une plage."
        )
    return [valider_parametres({**options, "annee": a}, configuration, couvertes) for a in liste]


def valider_parametres(
    options: Mapping[str, Any],
    configuration: Configuration,
    annees: Iterable[int] | Callable[[], Iterable[int]] | None = None,
) -> Parametres:
    """Valide les paramètres d'une construction, avant toute exécution.

    Parameters
    ----------
    options : Mapping
        ``annee`` (obligatoire sauf si ``[rapport] annee_defaut`` existe), ``sections``
        (liste d'identifiants ou texte ``"id,id"``), ``sortie``, ``sans_cache``, ``interne``.
    configuration : Configuration
        Configuration validée.
    annees : iterable of int or callable, optional
        Années couvertes ; par défaut :func:`annees_couvertes`.

    Returns
    -------
    Parametres

    Raises
    ------
    ErreurParametres
        Option inconnue, année invalide ou non couverte, section inconnue, drapeau non booléen.
    """
    inconnues = sorted(set(options) - OPTIONS_CONSTRUCTION)
    if inconnues:
        raise ErreurParametres(
            f"option(s) inconnue(s) : {', '.join(inconnues)} "
            f"(options connues : {', '.join(sorted(OPTIONS_CONSTRUCTION))})."
        )
    valeur_annee = options.get("annee")
    if valeur_annee is None:
        valeur_annee = configuration.rapport.annee_defaut
    if valeur_annee is None:
        raise ErreurParametres("année manquante (--annee).")
    if callable(annees):
        annees = annees_couvertes(annees)
    annee = valider_annee(valeur_annee, annees)

    demandees = options.get("sections")
    if demandees is None or demandees == "":
        ids = configuration.ids
    else:
        if isinstance(demandees, str):
            demandees = [x.strip() for x in demandees.split(",") if x.strip()]
        inconnus = [x for x in demandees if x not in configuration.ids]
        if inconnus or not demandees:
            raise ErreurParametres(
                f"section(s) inconnue(s) : {', '.join(inconnus) or '(aucune)'} "
                f"(sections : {', '.join(configuration.ids)})."
            )
        ids = tuple(x for x in configuration.ids if x in set(demandees))

    drapeaux = {}
    for nom in ("sans_cache", "interne"):
        valeur = options.get(nom, False)
        if not isinstance(valeur, bool):
            raise ErreurParametres(f"option {nom} : vrai ou faux attendu, reçu {valeur!r}.")
        drapeaux[nom] = valeur
    sortie = options.get("sortie")
    if sortie is not None and not isinstance(sortie, str | Path):
        raise ErreurParametres(f"option sortie : chemin attendu, reçu {sortie!r}.")
    return Parametres(
        annee=annee,
        sections=ids,
        partiel=ids != configuration.ids,
        sortie=Path(sortie) if sortie is not None else None,
        **drapeaux,
    )
