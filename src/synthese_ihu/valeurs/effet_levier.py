"""Valeurs des financements par effet levier (carnet 08) : cofinancements déclarés, effet
levier, origines des cofinancements."""

from __future__ import annotations

import pandas as pd

from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees
from synthese_ihu.figures.precision import parts_arrondies
from synthese_ihu.formatage import Valeur
from synthese_ihu.valeurs.registre import (
    EXTREMES,
    PERIODES,
    Calcul,
    enregistrer,
    meur,
    part,
    periode_de,
    valeur,
)


@valeur
def cofinancements_cumul(d: Donnees, annee: int) -> Valeur | None:
    return meur(
        ind.cofinancements_cumul(d, annee),
        "Cofinancements déclarés (cumul)",
        PERIODES.cofinancements(annee),
    )


@valeur
def cofinancements_annee(d: Donnees, annee: int) -> Valeur | None:
    return meur(
        ind.cofinancements_annee(d, annee), "Cofinancements déclarés dans l'année", str(annee)
    )


@valeur
def effet_levier(d: Donnees, annee: int) -> Valeur | None:
    fin = ind.cadre_levier(d, annee).fin
    return part(ind.effet_levier(d, annee), "Effet levier", PERIODES.cofinancements(fin))



def _levier(cote: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        par_ihu = ind.effet_levier_par_ihu(d, annee)
        if par_ihu is None or par_ihu.dropna().empty:
            return None
        return Valeur(
            float(getattr(par_ihu.dropna(), cote)()),
            "%",
            0,
            f"Effet levier : {EXTREMES[cote]}",
            periode_de(effet_levier(d, annee)),
        )

    return calcul


def _origine(nom: str, libelle: str) -> Calcul:
    def calcul(d: Donnees, annee: int) -> Valeur | None:
        parts = ind.cofinancements_par_origine(d, annee)
        if parts is None:
            return None
        # parts d'un tout : arrondies ensemble (plus forts restes), le texte fait 100 %
        arrondies = pd.Series(parts_arrondies(parts.to_numpy()) / 100, index=parts.index)
        return Valeur(float(arrondies[nom]), "%", 0, libelle,
                      periode_de(cofinancements_cumul(d, annee)))

    return calcul


for _cote in EXTREMES:
    enregistrer(f"effet_levier_{_cote}", _levier(_cote))
for _o, _libelle in [
    ("publique_nationale", "Part des cofinancements d'origine publique nationale"),
    ("privee", "Part des cofinancements d'origine privée"),
    ("europe_international", "Part des cofinancements d'origine européenne ou internationale"),
]:
    enregistrer(f"origine_{_o}", _origine(_o, _libelle))
