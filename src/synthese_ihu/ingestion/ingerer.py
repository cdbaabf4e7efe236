"""Ingestion d'une campagne : ``data/incoming/<année>/*.xlsx`` -> ``data/raw/campagnes/<année>/``.

``synthese-ihu ingerer --annee 2023 [--entree DIR] [--donnees DIR]`` (``make ingest YEAR=2023``) :

1. contrôle tous les classeurs reçus (:func:`synthese_ihu.ingestion.controles.verifier`) ; au
   moindre problème, les affiche tous et n'écrit rien (code de sortie 1) ;
2. si ``raw/campagnes/<année>/`` contient déjà exactement ces octets : « aucun changement » ;
3. sinon dit ce qui a changé, bloc par bloc (valeurs nouvelles, réactualisées : ancienne ->
   nouvelle, start-up), puis met la campagne en place d'un bloc, chaque classeur copié **octet
   pour octet** sous le nom ``<ihu>_<année>.xlsx`` (:mod:`~synthese_ihu.ingestion.remplacement` :
   journal, échange atomique, reprise d'une ingestion interrompue au début de la suivante).

Rien d'autre n'est écrit dans ``raw/`` : un IHU dont ``premiere_annee_indicateurs`` est vide dans
le référentiel est suivi dès sa première campagne entrée (règle du chargement).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd

from synthese_ihu import chemins
from synthese_ihu import erreurs as erreurs_mod
from synthese_ihu.donnees import Donnees, ErreurDonnees, charger
from synthese_ihu.ingestion import remplacement
from synthese_ihu.ingestion.controles import Verification, verifier

#: bloc -> (attribut de Donnees, clé, champ de valeur, unité affichée)
BLOCS = {
    "Dépenses": ("depenses", "nature", "montant_eur", " €"),
    "Indicateurs": ("indicateurs", "indicateur", "valeur", ""),
    "Soins spécifiques": ("soins_specifiques", "indicateur", "valeur", ""),
    "Cofinancements": ("cofinancements", "origine", "montant_eur", " €"),
}


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
    reprise : str or None
        Ce qu'a fait la reprise d'une ingestion interrompue, s'il y en avait une.
    avertissements : list of str
        Ce qui est signalé sans refuser (feuilles, lignes, colonnes masquées…).
    """

    annee: int
    destination: Path
    change: bool = False
    remplace: bool = False
    classeurs: list[str] = field(default_factory=list)
    lignes: list[str] = field(default_factory=list)
    nouveaux_ihu: list[str] = field(default_factory=list)
    reprise: str | None = None
    avertissements: list[str] = field(default_factory=list)

    def resume(self) -> str:
        """Résumé en français, une ligne par information."""
        avant = [self.reprise] if self.reprise else []
        apres = ["À vérifier (sans refus) :", *(f"  - {a}" for a in self.avertissements)] \
            if self.avertissements else []
        if not self.change:
            return "\n".join([*avant, f"Campagne {self.annee} : aucun changement ("
                              f"{len(self.classeurs)} classeurs identiques à ceux déjà entrés "
                              f"dans {self.destination}).", *apres])
        quoi = "remplacée" if self.remplace else "entrée"
        tete = (f"Campagne {self.annee} {quoi} : {len(self.classeurs)} classeur(s) dans "
                f"{self.destination}")
        return "\n".join([*avant, tete, *self.lignes, *apres])


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


def _identiques(sources: dict[str, Path], destination: Path) -> bool:
    """Vrai si ``destination`` a exactement ces fichiers (noms rangés), aux mêmes octets."""
    if not destination.is_dir():
        return False
    presents = sorted(p.name for p in destination.iterdir())
    return presents == sorted(sources) and all(
        (destination / n).read_bytes() == sources[n].read_bytes() for n in presents
    )


class DonneesIllisibles(ErreurDonnees):
    """Les données déjà entrées (``raw/``) ne se chargent pas : rien n'est contrôlé."""


def ingerer(annee: int, racine: Path | None = None, entree: Path | None = None,
            existantes: Donnees | None = None,
            crochet: Callable[[str], None] = remplacement._rien) -> BilanIngestion:
    """Contrôle puis fait entrer les classeurs reçus d'une campagne dans ``raw/campagnes``.

    Sous verrou : reprend d'abord une ingestion interrompue (:func:`remplacement.reprendre`),
    puis contrôle, puis met la campagne en place d'un bloc (:func:`remplacement.remplacer`).

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
        Données déjà chargées de ``<racine>/raw`` (sinon elles sont chargées ; rechargées si une
        ingestion interrompue a été reprise).
    crochet : callable, optional
        Appelé à chaque étape de la mise en place (tests d'arrêt).

    Returns
    -------
    BilanIngestion
        Ce qui a été écrit et ce qui a changé.

    Raises
    ------
    ErreurDonnees
        Si un classeur au moins a un problème : tous les problèmes sont listés et rien n'est
        écrit (:class:`DonneesIllisibles` si ce sont les données déjà entrées).
    remplacement.IngestionEnCours
        Si une autre ingestion tient le verrou.
    """
    racine = Path(racine or chemins.DONNEES).resolve()
    with remplacement.verrou(racine):
        reprise = remplacement.reprendre(racine)
        if reprise is not None or existantes is None:
            try:
                existantes = charger(racine / "raw")
            except ErreurDonnees as exc:
                raise DonneesIllisibles(exc.problemes, exc.racine) from None
        verif = verifier(annee, racine, entree, existantes)
        if verif.problemes:
            refus = ErreurDonnees(verif.problemes, verif.entree)
            refus.avertissements = [str(p) for p in verif.avertissements]
            raise refus
        destination = racine / "raw" / "campagnes" / str(annee)
        sources = {f"{i}_{annee}.xlsx": c for i, c in verif.classeurs.items()}
        bilan = BilanIngestion(annee, destination, classeurs=sorted(sources), reprise=reprise,
                               avertissements=[str(p) for p in verif.avertissements])
        if _identiques(sources, destination):
            return bilan
        bilan.lignes = decrire_changements(existantes, verif)
        anciennes = set(existantes.campagnes["ihu"].astype(str))
        bilan.nouveaux_ihu = sorted(set(verif.classeurs) - anciennes)
        if bilan.nouveaux_ihu:
            bilan.lignes.append(
                f"  IHU suivis à partir de {annee} (première campagne) : "
                + ", ".join(bilan.nouveaux_ihu)
            )
        bilan.change = True
        bilan.remplace = destination.is_dir()
        remplacement.remplacer(racine, annee, sources, bilan.resume(), crochet)
        return bilan


def lancer(annee: int, racine: Path, entree: Path | None = None,
           existantes: Donnees | None = None, sortie: TextIO | None = None,
           erreurs: TextIO | None = None) -> int:
    """Ingère et écrit le résumé ou les refus en français ; rend le code de sortie.

    Returns
    -------
    int
        0 si la campagne est entrée (ou déjà entrée à l'identique) ; 1 si un classeur a un
        problème (rien n'est écrit) ou si une autre ingestion est en cours ; 2 si les données
        existantes ne se chargent pas ; 3 sur une erreur du système de fichiers (disque plein,
        droits) : ``raw/`` garde l'ancienne campagne ou la nouvelle, jamais un mélange.
    """
    sortie, erreurs = sortie or sys.stdout, erreurs or sys.stderr
    brut = racine / "raw"
    try:
        bilan = ingerer(annee, racine, entree, existantes)
    except DonneesIllisibles as exc:
        print(f"Les données déjà entrées ne se chargent pas :\n{exc}", file=erreurs)
        return 2
    except ErreurDonnees as exc:
        print(f"Campagne {annee} refusée : {exc}", file=erreurs)
        avertissements = getattr(exc, "avertissements", [])
        if avertissements:
            print("À vérifier aussi (sans refus) :", *(f"  * {a}" for a in avertissements),
                  sep="\n", file=erreurs)
        print(f"Rien n'a été écrit dans {brut}. Corrigez les classeurs puis relancez.",
              file=erreurs)
        return 1
    except remplacement.IngestionEnCours as exc:
        print(f"Campagne {annee} non entrée : {exc}.", file=erreurs)
        return 1
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(racine)
        print(f"Campagne {annee} non entrée : {erreurs_mod.phrase(exc)} ; {brut} garde la "
              "campagne précédente ou la nouvelle, la prochaine ingestion termine ou annule.",
              file=erreurs)
        return 3
    print(bilan.resume(), file=sortie)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``synthese-ihu ingerer --annee N [--entree DIR] [--donnees DIR]``.

    Returns
    -------
    int
        Code de sortie de :func:`lancer`.
    """
    p = argparse.ArgumentParser(prog="synthese-ihu ingerer",
                                description="Contrôle et fait entrer une campagne.")
    p.add_argument("--annee", type=int, required=True, help="année de la campagne")
    p.add_argument("--entree", type=Path, help="dossier des classeurs (défaut : "
                   "data/incoming/ANNEE)")
    p.add_argument("--donnees", type=Path, help="racine des données (défaut : data/ ou "
                   f"${chemins.VARIABLE_DONNEES})")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    return lancer(args.annee, (args.donnees or chemins.DONNEES).resolve(), args.entree)
