"""Ingestion d'une campagne : ``data/incoming/<année>/*.xlsx`` -> ``data/raw/campagnes/<année>/``.

``synthese-ihu ingerer --annee 2023 [--entree DIR] [--donnees DIR]`` (``make ingest YEAR=2023``) :

1. contrôle tous les classeurs reçus (:func:`synthese_ihu.ingestion.controles.verifier`) ; au
   moindre problème, les affiche tous et n'écrit rien (code de sortie 1) ;
2. prépare la campagne à côté, dans ``<données>/.ingestion/`` (même système de fichiers) : chaque
   classeur y est copié **octet pour octet** tel que reçu, sous le nom ``<ihu>_<année>.xlsx`` ;
3. si ``raw/campagnes/<année>/`` contient déjà exactement ces octets : « aucun changement » ;
4. sinon met le dossier en place d'un renommage (une campagne déjà entrée la même année est mise
   de côté puis supprimée, ou remise en place si le renommage échoue) et dit ce qui a changé, bloc
   par bloc : valeurs nouvelles, valeurs réactualisées (ancienne -> nouvelle), start-up.

Rien d'autre n'est écrit dans ``raw/`` : un IHU dont ``premiere_annee_indicateurs`` est vide dans
le référentiel est suivi dès sa première campagne entrée (règle du chargement).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from synthese_ihu import chemins
from synthese_ihu.donnees import Donnees, ErreurDonnees, charger
from synthese_ihu.ingestion.controles import Verification, verifier

#: bloc -> (attribut de Donnees, clé, champ de valeur, unité affichée)
BLOCS = {
    "Dépenses": ("depenses", "nature", "montant_eur", " €"),
    "Indicateurs": ("indicateurs", "indicateur", "valeur", ""),
    "Soins spécifiques": ("soins_specifiques", "indicateur", "valeur", ""),
    "Cofinancements": ("cofinancements", "origine", "montant_eur", " €"),
}
DOSSIER_PREPARATION = ".ingestion"


@dataclass
class BilanIngestion:
    """Ce qu'une ingestion a fait.

    Attributes
    ----------
    annee : int
        Année de la campagne.
    destination : Path
        ``raw/campagnes/<annee>``.
    change : bool
        Faux si la campagne était déjà entrée à l'identique (rien n'a été écrit).
    remplace : bool
        Vrai si une campagne de la même année a été remplacée.
    classeurs : list of str
        Classeurs entrés (noms rangés).
    lignes : list of str
        Résumé lisible des changements.
    nouveaux_ihu : list of str
        IHU dont c'est la première campagne.
    """

    annee: int
    destination: Path
    change: bool = False
    remplace: bool = False
    classeurs: list[str] = field(default_factory=list)
    lignes: list[str] = field(default_factory=list)
    nouveaux_ihu: list[str] = field(default_factory=list)

    def resume(self) -> str:
        """Résumé en français, une ligne par information."""
        if not self.change:
            return (f"Campagne {self.annee} : aucun changement ({len(self.classeurs)} classeurs "
                    f"identiques à ceux déjà entrés dans {self.destination}).")
        quoi = "remplacée" if self.remplace else "entrée"
        tete = (f"Campagne {self.annee} {quoi} : {len(self.classeurs)} classeur(s) dans "
                f"{self.destination}")
        return "\n".join([tete, *self.lignes])


def _euros(v: float) -> str:
    return f"{v:,.0f}".replace(",", "\u202f")


def _valeur(v: float, unite: str) -> str:
    if pd.isna(v):
        return "vide"
    if unite:
        return _euros(v) + unite
    v = float(v)
    return _euros(v) if v.is_integer() else f"{v:g}".replace(".", ",")


def _gagnantes(tableau: pd.DataFrame, cle: str) -> pd.DataFrame:
    t = tableau.sort_values("campagne", kind="stable")
    t = t.drop_duplicates(["ihu", "annee", cle], keep="last")
    return t.assign(**{cle: t[cle].astype(str)}).set_index(["ihu", "annee", cle])


def decrire_changements(existantes: Donnees, verif: Verification) -> list[str]:
    """Ce que la campagne change dans les valeurs retenues (la plus récente l'emporte).

    Parameters
    ----------
    existantes : Donnees
        Données déjà entrées, toutes campagnes.
    verif : Verification
        Campagne contrôlée (sans problème).

    Returns
    -------
    list of str
        Lignes du résumé : par bloc, valeurs nouvelles, réactualisées (ancienne -> nouvelle),
        retirées ; start-up nouvelles et changements de statut.
    """
    annee = verif.annee
    lignes: list[str] = []
    for bloc, (attribut, cle, champ, unite) in BLOCS.items():
        avant_t = getattr(existantes, attribut)
        nouveau = verif.tableaux[attribut][avant_t.columns]
        apres_t = pd.concat([avant_t.loc[avant_t["campagne"] != annee], nouveau],
                            ignore_index=True)
        avant, apres = _gagnantes(avant_t, cle), _gagnantes(apres_t, cle)
        nouvelles = apres.index.difference(avant.index)
        retirees = avant.index.difference(apres.index)
        communes = apres.index.intersection(avant.index)
        diff = communes[
            (avant.loc[communes, champ].astype(float) != apres.loc[communes, champ].astype(float))
            .to_numpy()
        ]
        morceaux = [f"{len(nouvelles)} valeur(s) nouvelle(s)",
                    f"{len(diff)} réactualisée(s)"]
        if len(retirees):
            morceaux.append(f"{len(retirees)} retirée(s)")
        lignes.append(f"  {bloc} : " + ", ".join(morceaux))
        for ihu, an, k in sorted(diff):
            ancien, neuf = avant.loc[(ihu, an, k)], apres.loc[(ihu, an, k)]
            lignes.append(
                f"    - {ihu}, {an}, {k} : {_valeur(ancien[champ], unite)} -> "
                f"{_valeur(neuf[champ], unite)} (valeur de la campagne {int(ancien['campagne'])})"
            )
        for ihu, an, k in sorted(retirees):
            ancienne = _valeur(avant.loc[(ihu, an, k)][champ], unite)
            lignes.append(f"    - {ihu}, {an}, {k} : {ancienne} retirée (ligne absente du "
                          "nouveau classeur)")
    # start-up : liste du nouveau classeur comparée à la dernière liste entrée
    st_avant = existantes.startups.loc[existantes.startups["campagne"] <= annee]
    st_neuf = verif.tableaux["startups"]
    nouvelles_st, statuts = [], []
    for ihu in sorted(verif.classeurs):
        a = st_avant.loc[st_avant["ihu"] == ihu]
        if not a.empty:
            a = a.loc[a["campagne"] == a["campagne"].max()]
        anciens = dict(zip(a["nom"].astype(str), a["statut"].astype(str), strict=True))
        n = st_neuf.loc[st_neuf["ihu"] == ihu]
        for nom, statut in zip(n["nom"].astype(str), n["statut"].astype(str), strict=True):
            if nom not in anciens:
                nouvelles_st.append(f"{ihu} « {nom} »")
            elif anciens[nom] != statut:
                statuts.append(f"{ihu} « {nom} » : {anciens[nom]} -> {statut}")
    lignes.append(f"  Start-up : {len(nouvelles_st)} nouvelle(s), {len(statuts)} changement(s) "
                  "de statut")
    lignes += [f"    - nouvelle : {s}" for s in nouvelles_st]
    lignes += [f"    - statut : {s}" for s in statuts]
    return lignes


def _identiques(a: Path, b: Path) -> bool:
    """Vrai si les deux dossiers ont les mêmes fichiers, aux mêmes octets."""
    if not a.is_dir() or not b.is_dir():
        return False
    noms_a = sorted(p.name for p in a.iterdir())
    noms_b = sorted(p.name for p in b.iterdir())
    return noms_a == noms_b and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in noms_a
    )


def _mettre_en_place(preparation: Path, destination: Path, mise_de_cote: Path) -> bool:
    """Renomme ``preparation`` en ``destination`` ; rend vrai si une campagne a été remplacée."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if not destination.exists():
        os.rename(preparation, destination)
        return False
    os.rename(destination, mise_de_cote)
    try:
        os.rename(preparation, destination)
    except OSError:
        os.rename(mise_de_cote, destination)  # l'ancienne campagne reste en place
        raise
    shutil.rmtree(mise_de_cote)
    return True


def ingerer(annee: int, racine: Path | None = None, entree: Path | None = None,
            existantes: Donnees | None = None) -> BilanIngestion:
    """Contrôle puis fait entrer les classeurs reçus d'une campagne dans ``raw/campagnes``.

    Parameters
    ----------
    annee : int
        Année de la campagne.
    racine : Path, optional
        Racine des données (dossier ``data/`` : ``raw/``, ``incoming/``) ; défaut
        :data:`synthese_ihu.chemins.DONNEES` (variable ``SYNTHESE_IHU_DONNEES``).
    entree : Path, optional
        Dossier des classeurs reçus (défaut : ``<racine>/incoming/<annee>``).
    existantes : Donnees, optional
        Données déjà chargées de ``<racine>/raw`` (sinon elles sont chargées).

    Returns
    -------
    BilanIngestion
        Ce qui a été écrit et ce qui a changé.

    Raises
    ------
    ErreurDonnees
        Si un classeur au moins a un problème : tous les problèmes sont listés et rien n'est
        écrit.
    """
    racine = Path(racine or chemins.DONNEES).resolve()
    verif = verifier(annee, racine, entree, existantes)
    if verif.problemes:
        raise ErreurDonnees(verif.problemes, verif.entree)
    existantes = verif.existantes
    destination = racine / "raw" / "campagnes" / str(annee)
    bilan = BilanIngestion(annee, destination,
                           classeurs=sorted(f"{i}_{annee}.xlsx" for i in verif.classeurs))
    atelier = racine / DOSSIER_PREPARATION
    jeton = uuid.uuid4().hex[:12]
    preparation = atelier / f"{annee}-{jeton}"
    preparation.mkdir(parents=True)
    try:
        for ihu, source in sorted(verif.classeurs.items()):
            shutil.copyfile(source, preparation / f"{ihu}_{annee}.xlsx")
        if _identiques(preparation, destination):
            return bilan
        bilan.lignes = decrire_changements(existantes, verif)
        anciennes = set(existantes.campagnes["ihu"].astype(str))
        bilan.nouveaux_ihu = sorted(set(verif.classeurs) - anciennes)
        if bilan.nouveaux_ihu:
            bilan.lignes.append(
                f"  IHU suivis à partir de {annee} (première campagne) : "
                + ", ".join(bilan.nouveaux_ihu)
            )
        bilan.remplace = _mettre_en_place(preparation, destination,
                                          atelier / f"ancien-{annee}-{jeton}")
        bilan.change = True
        return bilan
    finally:
        if preparation.exists():
            shutil.rmtree(preparation)
        if atelier.exists() and not any(atelier.iterdir()):
            atelier.rmdir()


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``synthese-ihu ingerer --annee N [--entree DIR] [--donnees DIR]``.

    Returns
    -------
    int
        0 si la campagne est entrée (ou déjà entrée à l'identique), 1 si un classeur a un
        problème (rien n'est écrit), 2 si les données existantes ne se chargent pas.
    """
    p = argparse.ArgumentParser(prog="synthese-ihu ingerer",
                                description="Contrôle et fait entrer une campagne.")
    p.add_argument("--annee", type=int, required=True, help="année de la campagne")
    p.add_argument("--entree", type=Path, help="dossier des classeurs (défaut : "
                   "data/incoming/ANNEE)")
    p.add_argument("--donnees", type=Path, help="racine des données (défaut : data/ ou "
                   f"${chemins.VARIABLE_DONNEES})")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    racine = (args.donnees or chemins.DONNEES).resolve()
    try:
        existantes = charger(racine / "raw")
    except ErreurDonnees as exc:
        print(f"Les données déjà entrées ne se chargent pas :\n{exc}", file=sys.stderr)
        return 2
    try:
        bilan = ingerer(args.annee, racine, args.entree, existantes)
    except ErreurDonnees as exc:
        print(f"Campagne {args.annee} refusée : {exc}", file=sys.stderr)
        print(f"Rien n'a été écrit dans {racine / 'raw'}. Corrigez les classeurs puis relancez.",
              file=sys.stderr)
        return 1
    print(bilan.resume())
    return 0
