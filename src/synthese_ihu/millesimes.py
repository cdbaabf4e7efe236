"""Extractions figées par édition : ``data/raw/millesimes/<édition>/<chemin>``.

Les sources sans campagne (versements et dotations de l'agence, export bibliométrique, tableaux
de contexte) sont remplacées à chaque extraction ; la copie gardée pour l'édition N−1 permet à
l'édition N de recalculer N−1 « telle que publiée » (:mod:`synthese_ihu.revisions`). Figer les
extractions d'une édition se fait d'un coup, comme l'entrée d'une campagne.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from synthese_ihu.donnees import Donnees

#: sources sans campagne, figées par édition sous ``millesimes/<édition>/`` (même chemin relatif)
SOURCES_MILLESIMEES: dict[str, str] = {
    "versements": "agence/versements.csv",
    "dotations": "agence/dotations.csv",
    "repartition_previsionnelle": "agence/repartition_previsionnelle.csv",
    "articles": "bibliometrie/sampra_articles.csv",
    "references_wos": "bibliometrie/references_wos.csv",
    "brevets_inpi": "contexte/brevets_inpi.csv",
    "essais_france": "contexte/essais_cliniques_france.csv",
    "creations_entreprises": "contexte/creations_entreprises_sante.csv",
}
#: libellé du lecteur de chaque source millésimée (annexe publique)
LIBELLES_SOURCES: dict[str, str] = {
    "agence": "versements et dotations de l'agence",
    "bibliometrie": "export bibliométrique",
    "contexte": "tableaux de contexte",
}
DOSSIER_MILLESIMES = "millesimes"


def millesimes(racine: Path) -> dict[int, set[str]]:
    """Éditions figées sous ``millesimes/`` -> chemins relatifs des extractions gardées."""
    dossier = Path(racine) / DOSSIER_MILLESIMES
    sortie: dict[int, set[str]] = {}
    if not dossier.is_dir():
        return sortie
    for sous in sorted(dossier.iterdir()):
        if sous.is_dir() and sous.name.isdigit():
            sortie[int(sous.name)] = {
                p.relative_to(sous).as_posix() for p in sous.rglob("*.csv")
            } & set(SOURCES_MILLESIMEES.values())
    return sortie


def _extraction(racine: Path, edition: int, attribut: str, complet: Donnees) -> pd.DataFrame:
    from synthese_ihu.donnees.chargement import lire_csv

    relatif = SOURCES_MILLESIMEES[attribut]
    return lire_csv(
        Path(racine) / DOSSIER_MILLESIMES / str(edition), relatif, frozenset(complet.ihu["ihu"])
    )


def figer(edition: int, racine: Path) -> Path:
    """Garde les extractions courantes (agence, bibliométrie, contexte) comme celles de
    l'édition ``edition`` : ``millesimes/<edition>/<chemin>``, écrit d'un coup (dossier
    provisoire renommé). À faire à la publication de l'édition, comme on entre une campagne :
    l'édition suivante pourra dire ce que les nouvelles extractions révisent."""
    import os
    import shutil
    import tempfile

    racine = Path(racine)
    dossier = racine / DOSSIER_MILLESIMES
    dossier.mkdir(parents=True, exist_ok=True)
    provisoire = Path(tempfile.mkdtemp(prefix=f".{edition}-", dir=dossier))
    try:
        for relatif in SOURCES_MILLESIMEES.values():
            cible = provisoire / relatif
            cible.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(racine / relatif, cible)
        final = dossier / str(int(edition))
        ancien = dossier / f".{edition}.ancien"
        if final.exists():
            os.replace(final, ancien)
        os.replace(provisoire, final)
        shutil.rmtree(ancien, ignore_errors=True)
    finally:
        shutil.rmtree(provisoire, ignore_errors=True)
    return final
