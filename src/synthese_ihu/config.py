"""Configuration du rapport (``synthese.toml``), validée au départ.

Tout est vérifié avant qu'un seul carnet ne s'exécute : une clé inconnue, un carnet absent, un
identifiant en double, des premières années incohérentes sont refusés par un message clair
(:class:`ErreurConfiguration`). Les paramètres d'une construction (année, sections, options)
sont validés par :mod:`synthese_ihu.parametres_construction`, réexporté ici.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
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
_CLES_SECTION = {"id": True, "carnet": True, "titre": True, "depend_des_recits": False}
_CLES_PUBLICATION = {"licence": True, "licence_url": True, "contact": False}
_CLES_PERIODES = {"premiere_annee_finances": True, "premiere_annee_indicateurs": True,
                  "premiere_campagne_cofinancements": True}
_ID_VALIDE = re.compile(r"^[a-z][a-z0-9_]*$")



class ErreurConfiguration(ValueError):
    """``synthese.toml`` est invalide (le message nomme le fichier et la clé)."""



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
    depend_des_recits : bool
        Le carnet lit les récits des autres sections (l'annexe liste les valeurs imprimées) :
        sa clé de cache comprend leurs cellules ``%%recit``.
    """

    id: str
    carnet: str
    titre: str
    chemin: Path
    depend_des_recits: bool = False


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
    #: À qui écrire au sujet du rapport (colophon) ; vide : pas de ligne « Contact ».
    contact: str = ""


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
        recits = s.get("depend_des_recits", False)
        if not isinstance(recits, bool):
            raise ErreurConfiguration(
                f"{fichier} : depend_des_recits de la section « {ident} » : true ou false.")
        sections.append(Section(id=ident, carnet=carnet, titre=titre, chemin=chemin,
                                depend_des_recits=recits))
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
    contact = _texte(table["contact"], "contact", "[publication]", fichier) if (
        "contact" in table) else ""
    return Publication(licence=licence.strip(), licence_url=url, contact=contact.strip())


# Paramètres d'une construction (année, sections, options) : synthese_ihu.parametres_construction,
# réexportés ici pour les appelants (construction, aperçu, golden).
from synthese_ihu.parametres_construction import (  # noqa: E402, F401
    OPTIONS_CONSTRUCTION,
    ErreurParametres,
    Parametres,
    annees_couvertes,
    est_plage,
    valider_annee,
    valider_annees,
    valider_construction,
    valider_parametres,
)
