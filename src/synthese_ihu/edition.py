"""Date d'une édition : fixée par l'analyste, jamais antérieure à ce que l'édition cite.

La date d'édition de l'année cible N est une donnée de la configuration
(``[rapport.dates_edition]`` de ``synthese.toml``, validée par :mod:`synthese_ihu.config`) ; la
couverture l'imprime (« Édition de janvier 2024 »), le colophon la reprend. Une édition ne
peut pas paraître avant un événement qu'elle raconte ni avant une source qu'elle cite : la
construction refuse une date antérieure à la date d'un fait marquant de l'édition
(``faits_marquants/faits_marquants.csv``, colonne ``date``) ou à une date d'une référence de
contexte de l'année (``contexte/references.toml`` : ``date_extraction``, ``date_annonce``…),
avec un message qui nomme les deux dates. Sans date configurée, l'édition est datée de l'année
N + 1 : seule l'année est alors comparée. Lecture sans pandas (validation instantanée).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DateCitee", "ErreurDateEdition", "date_edition", "dates_citees",
           "verifier_date_edition"]

#: Faits marquants, relatifs à la racine des données.
FAITS_MARQUANTS = Path("faits_marquants") / "faits_marquants.csv"
#: Références de contexte, relatives à la racine des données.
REFERENCES = Path("contexte") / "references.toml"


class ErreurDateEdition(ValueError):
    """La date d'édition précède un événement ou une source que l'édition cite."""


@dataclass(frozen=True)
class DateCitee:
    """Une date que l'édition cite : jour (ou premier jour du mois), précision, origine."""

    jour: dt.date
    #: ``"jour"`` ou ``"mois"`` (« 2023-03 ») : la comparaison se fait à cette précision.
    precision: str
    #: Où elle est écrite (fichier, ligne ou clé), pour le message.
    origine: str


def date_edition(configuration: Any, annee: int) -> dt.date | None:
    """Date d'édition configurée pour l'année cible (``None`` : « Édition <année + 1> »)."""
    for cible, jour in configuration.rapport.dates_edition:
        if cible == int(annee):
            return dt.date.fromisoformat(jour)
    return None


def _date(valeur: Any) -> tuple[dt.date, str] | None:
    if isinstance(valeur, dt.datetime):
        return valeur.date(), "jour"
    if isinstance(valeur, dt.date):
        return valeur, "jour"
    texte = str(valeur or "").strip()
    try:
        if len(texte) == 7:
            return dt.date.fromisoformat(texte + "-01"), "mois"
        if len(texte) == 10:
            return dt.date.fromisoformat(texte), "jour"
    except ValueError:
        return None
    return None


def dates_citees(racine: str | Path, annee: int) -> list[DateCitee]:
    """Dates des faits marquants de l'édition et des références de contexte de l'année.

    Une date illisible est laissée à la validation des données (elle la refuse ailleurs).
    """
    import tomllib

    racine = Path(racine)
    dates: list[DateCitee] = []
    chemin = racine / FAITS_MARQUANTS
    if chemin.is_file():
        with chemin.open(encoding="utf-8", newline="") as fichier:
            for numero, ligne in enumerate(csv.DictReader(fichier), start=2):
                lue = _date(ligne.get("date"))
                if str(ligne.get("edition", "")).strip() == str(annee) and lue:
                    titre = (ligne.get("titre") or "").strip()
                    origine = f"{FAITS_MARQUANTS.as_posix()}, ligne {numero}" + (
                        f" (« {titre} »)" if titre else "")
                    dates.append(DateCitee(lue[0], lue[1], origine))
    chemin = racine / REFERENCES
    if chemin.is_file():
        with chemin.open("rb") as fichier:
            references = tomllib.load(fichier)
        for nom, reference in references.items():
            if not isinstance(reference, dict) or reference.get("annee") != int(annee):
                continue
            for cle, valeur in reference.items():
                lue = _date(valeur) if cle.startswith("date_") else None
                if lue:
                    origine = f"{REFERENCES.as_posix()}, [{nom}] {cle}"
                    dates.append(DateCitee(lue[0], lue[1], origine))
    return dates


def _avant(edition: dt.date, citee: DateCitee) -> bool:
    if citee.precision == "mois":
        return (edition.year, edition.month) < (citee.jour.year, citee.jour.month)
    return edition < citee.jour


def verifier_date_edition(configuration: Any, annee: int, racine: str | Path) -> None:
    """Refuse une date d'édition antérieure à une date citée par l'édition de ``annee``.

    Raises
    ------
    ErreurDateEdition
        Le message nomme la date d'édition (et où la changer) et la date citée (fichier,
        ligne ou clé).
    """
    edition = date_edition(configuration, annee)
    for citee in sorted(dates_citees(racine, annee), key=lambda d: d.jour, reverse=True):
        trop_tot = (_avant(edition, citee) if edition is not None
                    else int(annee) + 1 < citee.jour.year)
        if trop_tot:
            ecrite = (edition.isoformat() if edition is not None
                      else f"aucune (édition datée de {int(annee) + 1})")
            jour = citee.jour.isoformat()[: 7 if citee.precision == "mois" else 10]
            raise ErreurDateEdition(
                f"{configuration.fichier} : [rapport.dates_edition] « {annee} » = {ecrite} "
                f"précède une date que l'édition {annee} cite : {jour} ({citee.origine}). "
                "Reportez la date d'édition à cette date ou après, ou renvoyez l'événement à "
                "l'édition suivante."
            )
