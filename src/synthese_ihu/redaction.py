"""Formulations calculées : le mot qui décrit une évolution suit les données.

Une baisse ne s'écrit « baisse » que tant que les données la montrent. Ces fonctions rendent des
:class:`~synthese_ihu.recit.Fragment` à insérer dans un ``%%recit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from synthese_ihu.formatage import nombre, pourcentage
from synthese_ihu.indicateurs import SEUIL_LEGER, SEUIL_STABILITE, sens_variation
from synthese_ihu.recit import Fragment


def sens(avant: float, apres: float, seuil: float = SEUIL_STABILITE) -> str:
    """``"hausse"``, ``"baisse"`` ou ``"stable"`` : voir ``indicateurs.sens_variation``."""
    return sens_variation(avant, apres, seuil)


def evolution(avant: float, apres: float, seuil: float = SEUIL_STABILITE) -> Fragment:
    """« en hausse de 20 % », « en baisse de 15 % » ou « stable »."""
    s = sens(avant, apres, seuil)
    if s == "stable":
        return Fragment("stable")
    return Fragment(f"en {s} de {pourcentage(abs(apres / avant - 1))}")


def une_evolution(avant: float, apres: float, seuil: float = SEUIL_STABILITE) -> Fragment:
    """« une augmentation », « une diminution » ou « une stabilité »."""
    return Fragment(
        {"hausse": "une augmentation", "baisse": "une diminution", "stable": "une stabilité"}[
            sens(avant, apres, seuil)
        ]
    )


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


_VERBES = {"hausse": "augmente", "baisse": "diminue", "stable": "reste stable"}


def _phrase_phase(p: Phase, decimales: int) -> str:
    periode = f"en {p.fin}" if p.fin == p.debut + 1 else f"de {p.debut} à {p.fin}"
    if p.sens == "stable":
        return f"reste stable {periode} (autour de {nombre(p.valeur_fin, decimales)})"
    verbe = _VERBES[p.sens]
    if p.legere:
        verbe += " légèrement"
    if p.fin == p.debut + 1:
        periode = f"en {p.fin}"
    return (
        f"{verbe} {periode} (de {nombre(p.valeur_debut, decimales)} "
        f"à {nombre(p.valeur_fin, decimales)})"
    )


def decrire_serie(serie: pd.Series, decimales: int = 0, seuil: float = SEUIL_STABILITE) -> Fragment:
    """Décrit en français la forme d'une série annuelle, phase par phase.

    Exemple : « augmente de 2012 à 2018 (de 410 à 1 150), puis reste stable de 2018 à 2022
    (autour de 1 145) ».
    """
    liste = phases(serie, seuil)
    if not liste:
        return Fragment("ne compte qu'une année de données")
    morceaux = [_phrase_phase(p, decimales) for p in liste]
    if len(morceaux) == 1:
        return Fragment(morceaux[0])
    return Fragment(", ".join(morceaux[:-1]) + ", puis " + morceaux[-1])
