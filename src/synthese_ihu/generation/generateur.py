"""Générateur du jeu de référence : ``synthese-ihu generer-donnees [--sortie DIR]``.

Construit tout le jeu en mémoire (graine fixe), le vérifie contre les chiffres publiés
(:mod:`synthese_ihu.generation.controle`), l'écrit dans un dossier temporaire voisin de la cible
puis le met en place par renommage : une génération qui échoue ne laisse jamais un ``data/raw``
à moitié écrit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from synthese_ihu import chemins
from synthese_ihu.generation import parametres as P
from synthese_ihu.generation.classeurs import ecrire_classeur
from synthese_ihu.generation.controle import verifier
from synthese_ihu.generation.series import Jeu, campagnes_ihu, construire, lire_figures


def _csv(df: pd.DataFrame, chemin: Path) -> None:
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == bool:
            df[col] = df[col].map({True: "true", False: "false"})
    chemin.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(chemin, index=False, lineterminator="\n", encoding="utf-8")


def ecrire(jeu: Jeu, racine: Path) -> None:
    """Écrit les CSV et les classeurs de campagne sous ``racine``.

    Parameters
    ----------
    jeu : Jeu
        Jeu de référence vérifié.
    racine : pathlib.Path
        Dossier (vide) où écrire l'arborescence de ``data/raw``.
    """
    for relatif, df in jeu.csv.items():
        _csv(df, racine / relatif)
    for relatif, texte in jeu.textes.items():
        (racine / relatif).parent.mkdir(parents=True, exist_ok=True)
        (racine / relatif).write_text(texte, encoding="utf-8", newline="\n")
    noms = jeu.csv["referentiel/ihu.csv"].set_index("ihu")["nom"]
    for ihu in P.SUIVIS:
        for camp in campagnes_ihu(ihu):
            feuilles = {}
            for feuille, df in jeu.campagnes.items():
                sel = df[(df["ihu"] == ihu) & (df["campagne"] == camp)]
                feuilles[feuille] = sel.sort_values(
                    [c for c in ("annee", "annee_creation") if c in sel], kind="stable")
            dossier = racine / "campagnes" / str(camp)
            dossier.mkdir(parents=True, exist_ok=True)
            ecrire_classeur(dossier / f"{ihu}_{camp}.xlsx", ihu, noms[ihu], camp, feuilles)


def _mettre_en_place(temporaire: Path, cible: Path) -> None:
    """Remplace ``cible`` par ``temporaire`` (deux renommages dans le même dossier)."""
    if cible.exists():
        ancien = cible.with_name(f".{cible.name}.ancien-{os.getpid()}")
        cible.rename(ancien)
        try:
            temporaire.rename(cible)
        except BaseException:
            ancien.rename(cible)  # on remet l'ancien jeu en place
            raise
        shutil.rmtree(ancien)
    else:
        temporaire.rename(cible)


def main(argv: list[str] | None = None) -> int:
    """Régénère le jeu de référence.

    Parameters
    ----------
    argv : list of str, optional
        Arguments de la sous-commande (``--sortie DIR``).

    Returns
    -------
    int
        0 en cas de succès (une non-conformité lève
        :class:`~synthese_ihu.generation.controle.ErreurGeneration`).
    """
    parser = argparse.ArgumentParser(prog="synthese-ihu generer-donnees",
                                     description="Régénère les données de référence.")
    parser.add_argument("--sortie", type=Path, default=chemins.DONNEES_BRUTES,
                        help="dossier à (re)créer (défaut : data/raw)")
    args = parser.parse_args(argv or [])
    cible = args.sortie.resolve()

    jeu = construire(P.GRAINE)
    bilan = verifier(jeu, lire_figures())
    cible.parent.mkdir(parents=True, exist_ok=True)
    temporaire = Path(tempfile.mkdtemp(prefix=f".{cible.name}.", dir=cible.parent))
    try:
        temporaire.chmod(0o755)
        ecrire(jeu, temporaire)
        _mettre_en_place(temporaire, cible)
    except BaseException:
        shutil.rmtree(temporaire, ignore_errors=True)
        raise
    n = sum(1 for f in cible.rglob("*") if f.is_file())
    print(f"{n} fichiers écrits dans {cible} ; {len(bilan)} chiffres publiés vérifiés ; "
          f"{len(jeu.reactualisations)} réactualisations.")
    return 0
