"""Sens d'une évolution et découpage d'une série en phases (des faits, jamais des phrases).

Les phrases qui décrivent une évolution sont écrites dans les carnets, à partir des faits du
catalogue (:mod:`synthese_ihu.faits`, règles de :mod:`synthese_ihu.constats`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from synthese_ihu.indicateurs import SEUIL_LEGER, SEUIL_STABILITE, sens_variation


def sens(avant: float, apres: float, seuil: float = SEUIL_STABILITE) -> str:
    """``"hausse"``, ``"baisse"`` ou ``"stable"`` : voir ``indicateurs.sens_variation``."""
    return sens_variation(avant, apres, seuil)


@dataclass(frozen=True)
class Phase:
    """Un morceau de série de même sens : ``sens`` de ``debut`` à ``fin`` (années)."""

    sens: str
    debut: int
    fin: int
    valeur_debut: float
    valeur_fin: float

    @property
    def legere(self) -> bool:
        if self.valeur_debut == 0:
            return False
        return abs(self.valeur_fin / self.valeur_debut - 1) < SEUIL_LEGER


def phases(serie: pd.Series, seuil: float = SEUIL_STABILITE) -> list[Phase]:
    """Découpe une série annuelle (index = années) en phases de hausse, baisse ou stabilité.

    Chaque pas d'une année à la suivante est classé selon :func:`sens` ; les pas consécutifs de
    même sens forment une phase.
    """
    serie = serie.dropna().sort_index()
    annees = [int(a) for a in serie.index]
    valeurs = [float(x) for x in serie.to_numpy()]
    resultat: list[Phase] = []
    for i in range(1, len(annees)):
        s = sens(valeurs[i - 1], valeurs[i], seuil)
        if resultat and resultat[-1].sens == s:
            p = resultat[-1]
            resultat[-1] = Phase(s, p.debut, annees[i], p.valeur_debut, valeurs[i])
        else:
            resultat.append(Phase(s, annees[i - 1], annees[i], valeurs[i - 1], valeurs[i]))
    return resultat
