"""Accès aux données communs aux figures : vue de l'année, périodes, séries annuelles.

Les règles (périodes comparées, IHU suivis, périmètre labellisé…) sont celles de
``docs/definitions.md``, prises dans :mod:`synthese_ihu.indicateurs` : les figures ne font que
mettre en forme de tableau ce que ce module calcule.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from synthese_ihu import indicateurs
from synthese_ihu.figures.base import PREMIERE_ANNEE, Contexte


def periodes(annee: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Périodes comparées ``(P1, P2)`` (bornes incluses) ; ``None`` s'il n'y en a pas.

    Voir :func:`synthese_ihu.indicateurs.periodes_comparaison`.
    """
    p = indicateurs.periodes_comparaison(int(annee))
    if p is None:
        return None
    p1, p2 = p
    return (int(p1.debut), int(p1.fin)), (int(p2.debut), int(p2.fin))


def contexte(annee: int, donnees: Any = None) -> Contexte:
    """Contexte (année, périodes) d'une figure pour l'année cible.

    Avec ``donnees``, les périodes comparées et le champ ``{b}`` des titres suivent la dernière
    année de l'export bibliométrique (comme le texte : jamais d'articles au-delà de l'export).
    """
    fin = versements = int(annee)
    if donnees is not None:
        fin = indicateurs.fin_bibliometrie(vue(donnees, int(annee)), int(annee))
        versements = indicateurs.cadre_levier(vue(donnees, int(annee)), int(annee)).fin
    p = periodes(fin)
    if p is None:
        return Contexte(int(annee), None, None, fin, versements)
    return Contexte(int(annee), p[0], p[1], fin, versements)


def vue(donnees: Any, annee: int) -> Any:
    """Vue des données pour l'année ``N`` (``Donnees.pour_annee``), sauf si elle l'est déjà."""
    if getattr(donnees, "annee", None) == annee:
        return donnees
    return donnees.pour_annee(annee)


def texte(serie: pd.Series) -> pd.Series:
    """Colonne catégorielle ou ``string`` en chaînes Python simples."""
    return serie.astype("string").astype(object)


def suivis_par_annee(donnees: Any, debut: int, fin: int) -> pd.Series:
    """Nombre d'IHU suivis chaque année ``debut..fin`` (parmi ceux de la vue)."""
    annees = range(debut, fin + 1)
    return pd.Series([indicateurs.nombre_ihu_suivis(donnees, a) for a in annees], index=annees)


def serie_avec_suivis(donnees: Any, annee: int, indicateur: str, nom: str) -> pd.DataFrame:
    """Série annuelle d'un indicateur commun, D..N : ``annee``, ``nom``, ``ihu_suivis``.

    Vide si l'indicateur n'a jamais été déclaré.
    """
    serie = indicateurs.indicateur_serie(donnees, indicateur, annee)
    if serie.sum() == 0:
        return pd.DataFrame({"annee": pd.Series(dtype="int64"), nom: pd.Series(dtype="int64"),
                             "ihu_suivis": pd.Series(dtype="int64")})
    suivis = suivis_par_annee(donnees, PREMIERE_ANNEE, annee)
    return pd.DataFrame({
        "annee": serie.index.astype("int64"),
        nom: serie.to_numpy("int64"),
        "ihu_suivis": suivis.reindex(serie.index).to_numpy("int64"),
    })
