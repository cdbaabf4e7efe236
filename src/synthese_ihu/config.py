"""Configuration du rapport (``synthese.toml``) et paramètres de construction, validés au départ.

Tout est vérifié avant qu'un seul carnet ne s'exécute : une clé inconnue, un carnet absent, un
identifiant en double, une année que les données ne couvrent pas ou une option inconnue sont
refusés par un message clair (:class:`ErreurConfiguration`, :class:`ErreurParametres`).
"""

from __future__ import annotations

import functools
import importlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from synthese_ihu import chemins

FICHIER_CONFIGURATION = chemins.PAQUET / "synthese.toml"

# clé -> obligatoire
_CLES_RACINE = {"rapport": True, "sections": True, "publication": False, "periodes": False}
_CLES_RAPPORT = {
    "titre": True, "sous_titre": False, "annee_defaut": False, "nom_fichier": False,
    "organisme": False, "dates_edition": False,
}
_DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLES_SECTION = {"id": True, "carnet": True, "titre": True}
_CLES_PUBLICATION = {"licence": True, "licence_url": True}
_CLES_PERIODES = {"premiere_annee_finances": True, "premiere_annee_indicateurs": True,
                  "premiere_campagne_cofinancements": True}
_ID_VALIDE = re.compile(r"^[a-z][a-z0-9_]*$")

#: Options acceptées par la construction (et rien d'autre).
OPTIONS_CONSTRUCTION = frozenset({"annee", "sortie", "sections", "sans_cache", "interne"})


class ErreurConfiguration(ValueError):
    """``synthese.toml`` est invalide (le message nomme le fichier et la clé)."""


class ErreurParametres(ValueError):
    """Paramètres de construction refusés avant toute exécution."""


@dataclass(frozen=True)
class Section:
    """Une section du rapport : un carnet paramétré.

    Attributes
    ----------
    id : str
        Identifiant stable (``recherche``), utilisé par ``--sections`` et dans les messages.
    carnet : str
        Nom du fichier du carnet, relatif au dossier des carnets.
    titre : str
        Titre de la section dans le rapport.
    chemin : Path
        Chemin absolu du carnet source.
    """

    id: str
    carnet: str
    titre: str
    chemin: Path


@dataclass(frozen=True)
class Rapport:
    """Réglages généraux du rapport (table ``[rapport]``)."""

    titre: str
    sous_titre: str = ""
    annee_defaut: int | None = None
    nom_fichier: str = "synthese-ihu-{annee}"
    #: Organisme qui publie (couverture).
    organisme: str = ""
    #: Date de chaque édition (année cible -> date ISO) : la couverture la montre, la
    #: configuration la fixe (construction reproductible).
    dates_edition: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Publication:
    """Licence des données ouvertes et du rapport (table ``[publication]``).

    Par défaut, la Licence Ouverte / Open Licence 2.0 (Etalab) des organismes publics français.
    """

    licence: str = "Licence Ouverte / Open Licence 2.0"
    licence_url: str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Periodes:
    """Premières années des séries de l'action (table ``[periodes]``), et périodes citées.

    La seule source de ces années pour tout le paquet : ``periodes().finances(2022)`` donne
    ``"2011-2022"``.
    """

    premiere_annee_finances: int
    premiere_annee_indicateurs: int
    premiere_campagne_cofinancements: int

    def finances(self, annee: int) -> str:
        """Période des cumuls financiers jusqu'à ``annee`` (``"2011-2022"``)."""
        return f"{self.premiere_annee_finances}-{annee}"

    def indicateurs(self, annee: int) -> str:
        """Période des cumuls d'indicateurs jusqu'à ``annee`` (``"2012-2022"``)."""
        return f"{self.premiere_annee_indicateurs}-{annee}"

    def cofinancements(self, annee: int) -> str:
        """Période des cumuls de cofinancements jusqu'à ``annee`` (``"2014-2022"``)."""
        return f"{self.premiere_campagne_cofinancements}-{annee}"


@dataclass(frozen=True)
class Configuration:
    """Configuration validée : réglages du rapport, sections dans leur ordre, publication."""

    rapport: Rapport
    sections: tuple[Section, ...]
    fichier: Path
    publication: Publication = Publication()
    #: Premières années des séries (absentes d'une configuration d'essai : celles du paquet).
    periodes: Periodes | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """Identifiants des sections, dans l'ordre du rapport."""
        return tuple(s.id for s in self.sections)

    def section(self, identifiant: str) -> Section:
        """Renvoie la section ``identifiant`` (``KeyError`` si elle n'existe pas)."""
        for s in self.sections:
            if s.id == identifiant:
                return s
        raise KeyError(identifiant)


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


def _verifier_cles(table: Mapping, attendues: Mapping[str, bool], ou: str, fichier: Path) -> None:
    for cle in table:
        if cle not in attendues:
            connues = ", ".join(sorted(attendues))
            raise ErreurConfiguration(
                f"{fichier} : clé inconnue « {cle} » dans {ou} (clés connues : {connues})."
            )
    for cle, obligatoire in attendues.items():
        if obligatoire and cle not in table:
            raise ErreurConfiguration(f"{fichier} : clé obligatoire « {cle} » absente de {ou}.")


def _texte(valeur: Any, cle: str, ou: str, fichier: Path) -> str:
    if not isinstance(valeur, str) or not valeur.strip():
        raise ErreurConfiguration(f"{fichier} : « {cle} » de {ou} doit être un texte non vide.")
    return valeur


def _dates_edition(table: Any, fichier: Path) -> tuple[tuple[int, str], ...]:
    """``[rapport.dates_edition]`` : ``"2022" = "2023-06-30"`` (année cible -> date ISO)."""
    if not isinstance(table, dict):
        raise ErreurConfiguration(f"{fichier} : [rapport.dates_edition] doit être une table.")
    dates = []
    for annee, jour in table.items():
        if not (isinstance(annee, str) and annee.isdigit() and len(annee) == 4):
            raise ErreurConfiguration(
                f"{fichier} : [rapport.dates_edition] : clé « {annee} » : année à 4 chiffres "
                "attendue."
            )
        valide = isinstance(jour, str) and _DATE_ISO.match(jour)
        if valide:
            try:
                date.fromisoformat(jour)
            except ValueError:
                valide = False
        if not valide:
            raise ErreurConfiguration(
                f"{fichier} : [rapport.dates_edition] : « {annee} » = {jour!r} : date "
                "AAAA-MM-JJ attendue."
            )
        dates.append((int(annee), jour))
    return tuple(sorted(dates))


def charger_configuration(
    fichier: Path | str | None = None, dossier_carnets: Path | str | None = None
) -> Configuration:
    """Lit et valide ``synthese.toml``.

    Parameters
    ----------
    fichier : Path or str, optional
        Fichier de configuration ; par défaut celui du paquet.
    dossier_carnets : Path or str, optional
        Dossier où chercher les carnets ; par défaut ``notebooks/`` du projet.

    Returns
    -------
    Configuration
        La configuration validée.

    Raises
    ------
    ErreurConfiguration
        Fichier illisible, clé inconnue ou manquante, carnet absent, identifiant en double.
    """
    fichier = Path(fichier) if fichier is not None else FICHIER_CONFIGURATION
    dossier = Path(dossier_carnets) if dossier_carnets is not None else chemins.CARNETS
    try:
        brut = tomllib.loads(fichier.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ErreurConfiguration(f"{fichier} : fichier de configuration introuvable.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ErreurConfiguration(f"{fichier} : TOML invalide ({exc}).") from None

    _verifier_cles(brut, _CLES_RACINE, "la racine", fichier)
    table = brut["rapport"]
    if not isinstance(table, dict):
        raise ErreurConfiguration(f"{fichier} : [rapport] doit être une table.")
    _verifier_cles(table, _CLES_RAPPORT, "[rapport]", fichier)
    annee_defaut = table.get("annee_defaut")
    if annee_defaut is not None and (type(annee_defaut) is not int):
        raise ErreurConfiguration(f"{fichier} : « annee_defaut » doit être un entier.")
    nom_fichier = table.get("nom_fichier", Rapport.nom_fichier)
    _texte(nom_fichier, "nom_fichier", "[rapport]", fichier)
    if "{annee}" not in nom_fichier:
        raise ErreurConfiguration(f"{fichier} : « nom_fichier » doit contenir « {{annee}} ».")
    if "organisme" in table:
        _texte(table["organisme"], "organisme", "[rapport]", fichier)
    rapport = Rapport(
        titre=_texte(table["titre"], "titre", "[rapport]", fichier),
        sous_titre=table.get("sous_titre", ""),
        annee_defaut=annee_defaut,
        nom_fichier=nom_fichier,
        organisme=table.get("organisme", ""),
        dates_edition=_dates_edition(table.get("dates_edition", {}), fichier),
    )

    brutes = brut["sections"]
    if not isinstance(brutes, list) or not brutes:
        raise ErreurConfiguration(f"{fichier} : il faut au moins une [[sections]].")
    sections: list[Section] = []
    vus: set[str] = set()
    for rang, s in enumerate(brutes, start=1):
        ou = f"la section n° {rang}"
        if not isinstance(s, dict):
            raise ErreurConfiguration(f"{fichier} : {ou} doit être une table [[sections]].")
        _verifier_cles(s, _CLES_SECTION, ou, fichier)
        ident = _texte(s["id"], "id", ou, fichier)
        if not _ID_VALIDE.match(ident):
            raise ErreurConfiguration(
                f"{fichier} : identifiant « {ident} » invalide ({ou}) : minuscules, chiffres, _."
            )
        if ident in vus:
            raise ErreurConfiguration(f"{fichier} : identifiant de section en double « {ident} ».")
        vus.add(ident)
        carnet = _texte(s["carnet"], "carnet", ou, fichier)
        chemin = dossier / carnet
        if Path(carnet).is_absolute() or ".." in Path(carnet).parts:
            raise ErreurConfiguration(
                f"{fichier} : carnet « {carnet} » ({ident}) : chemin relatif à {dossier} attendu."
            )
        if chemin.suffix != ".ipynb" or not chemin.is_file():
            raise ErreurConfiguration(
                f"{fichier} : carnet introuvable pour la section « {ident} » : {chemin}."
            )
        titre = _texte(s["titre"], "titre", f"la section « {ident} »", fichier)
        sections.append(Section(id=ident, carnet=carnet, titre=titre, chemin=chemin))
    return Configuration(rapport=rapport, sections=tuple(sections), fichier=fichier,
                         publication=_publication(brut.get("publication"), fichier),
                         periodes=(_periodes(brut["periodes"], fichier)
                                   if "periodes" in brut else None))


def _periodes(table: Any, fichier: Path) -> Periodes:
    """Table ``[periodes]`` validée : trois années entières, dans l'ordre de l'action."""
    if not isinstance(table, dict):
        raise ErreurConfiguration(f"{fichier} : [periodes] doit être une table.")
    _verifier_cles(table, _CLES_PERIODES, "[periodes]", fichier)
    for cle, annee in table.items():
        if type(annee) is not int or not 1900 <= annee <= 2100:
            raise ErreurConfiguration(
                f"{fichier} : « {cle} » de [periodes] doit être une année (trouvé {annee!r})."
            )
    periodes = Periodes(**table)
    if not (periodes.premiere_annee_finances <= periodes.premiere_annee_indicateurs
            <= periodes.premiere_campagne_cofinancements):
        raise ErreurConfiguration(
            f"{fichier} : [periodes] : attendu premiere_annee_finances <= "
            "premiere_annee_indicateurs <= premiere_campagne_cofinancements."
        )
    return periodes


@functools.cache
def periodes() -> Periodes:
    """Les premières années de ``synthese.toml`` (table ``[periodes]`` seule, validée ; lue une
    fois par processus, sans pandas : les schémas des données et les figures la lisent à
    l'import)."""
    fichier = FICHIER_CONFIGURATION
    try:
        brut = tomllib.loads(fichier.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise ErreurConfiguration(f"{fichier} : configuration illisible ({exc}).") from None
    if "periodes" not in brut:
        raise ErreurConfiguration(f"{fichier} : table [periodes] manquante.")
    return _periodes(brut["periodes"], fichier)


def _publication(table: Any, fichier: Path) -> Publication:
    """Table ``[publication]`` validée (défauts de :class:`Publication` si elle est absente)."""
    if table is None:
        return Publication()
    if not isinstance(table, dict):
        raise ErreurConfiguration(f"{fichier} : [publication] doit être une table.")
    _verifier_cles(table, _CLES_PUBLICATION, "[publication]", fichier)
    licence = _texte(table["licence"], "licence", "[publication]", fichier)
    url = _texte(table["licence_url"], "licence_url", "[publication]", fichier)
    if not re.match(r"^https://\S+$", url):
        raise ErreurConfiguration(
            f"{fichier} : « licence_url » de [publication] doit être une adresse https:// "
            f"(trouvé « {url} »)."
        )
    return Publication(licence=licence.strip(), licence_url=url)


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
