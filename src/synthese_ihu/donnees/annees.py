"""Années cibles couvertes par les données, lues dans la liste des fichiers (sans pandas).

Module léger : la validation des paramètres d'une construction l'appelle avant toute exécution,
et une reconstruction sans changement ne doit pas payer l'import de pandas et pandera (≈ 0,4 s)
pour lister des dossiers.
"""

from __future__ import annotations

import re
from pathlib import Path

from synthese_ihu.config import periodes

#: Première année d'indicateurs de l'action (``D`` dans ``docs/definitions.md``), lue dans
#: ``[periodes]`` de ``synthese.toml``.
PREMIERE_ANNEE = periodes().premiere_annee_indicateurs

_ANNEE = re.compile(r"\d{4}")


def annees_couvertes(racine: Path | None = None) -> list[int]:
    """Années cibles possibles : 2012 … dernière campagne présente dans ``campagnes/``.

    Parameters
    ----------
    racine : Path, optional
        Racine des données (défaut : ``data/raw`` du projet).

    Returns
    -------
    list of int
        Années couvertes, croissantes ; vide s'il n'y a aucune campagne.
    """
    if racine is None:
        from synthese_ihu.chemins import DONNEES_BRUTES as racine
    dossier = Path(racine) / "campagnes"
    annees = [
        int(d.name)
        for d in (dossier.iterdir() if dossier.is_dir() else [])
        if d.is_dir() and _ANNEE.fullmatch(d.name) and any(d.glob("*.xlsx"))
    ]
    return list(range(PREMIERE_ANNEE, max(annees) + 1)) if annees else []
