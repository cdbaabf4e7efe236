"""Construction du rapport d'une année : valider, exécuter les sections, rendre, mettre en place.

``synthese-ihu construire --annee 2022 [--sortie DIR] [--sections id,id] [--sans-cache]
[--interne]`` (``make report YEAR=2022``) :

1. valide la configuration et les paramètres avant toute exécution (:mod:`synthese_ihu.config`) ;
2. exécute chaque carnet de section, année injectée, avec des noyaux réutilisés, ou le reprend
   du cache (:mod:`synthese_ihu.execution`, :mod:`synthese_ihu.cache`) ; les carnets exécutés
   sont conservés dans ``build/<annee>/carnets/`` ;
3. écrit dans un dossier de travail les données ouvertes (``donnees/``, variante publique
   complète seulement, :mod:`synthese_ihu.publication`), compose le colophon (données utilisées et
   leur sha256, ``git describe``, paramètres ; jamais mis en cache), puis appelle le moteur de
   rendu ``synthese_ihu.rendu.rendre`` (``build/<annee>/rendu-<variante>/``), sauf si les carnets
   exécutés, la variante, le code, les données et la provenance n'ont pas changé depuis le
   dernier rendu ;
4. remplace ``reports/<annee>/`` d'un coup : copie à côté de la destination, ancien dossier mis de
   côté, nouveau renommé à sa place, ancien supprimé. Un échec avant cette étape ne touche pas au
   rapport précédent.

Le PDF est converti dans un processus démarré dès le début (:class:`parallele.ProcessusPDF`) :
il importe WeasyPrint pendant les étapes 2 et 3.

``synthese-ihu construire --annee 2012-2022`` (``make reports-all``) construit plusieurs années
d'un coup (:func:`construire_annees`) : toute la plage est validée d'abord, les carnets de toutes
les années passent par un seul groupe de noyaux, chaque année prête est rendue sur l'un des
:data:`PROCESSUS_RENDU` processus de rendu puis mise en place comme à l'étape 4. Une année en
échec garde son rapport précédent ; les autres sont publiées.
"""

from __future__ import annotations

import argparse
import filecmp
import functools
import hashlib
import importlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from synthese_ihu import cache as cache_mod
from synthese_ihu import chemins, execution, parallele
from synthese_ihu.config import (
    Configuration,
    ErreurConfiguration,
    ErreurParametres,
    Parametres,
    charger_configuration,
    valider_construction,
    valider_parametres,  # noqa: F401 -- réexporté (API de la construction d'une année)
)
from synthese_ihu.execution import ErreurSection

TRAVAILLEURS = 2  # un noyau par cœur
#: Processus de rendu (HTML + PDF, un document chacun) d'une construction de plusieurs années.
PROCESSUS_RENDU = 2


@dataclass(frozen=True)
class Emplacements:
    """Où lire et écrire ; les valeurs par défaut sont celles du projet (tests : dossiers jetables).

    Attributes
    ----------
    configuration : Path
        ``synthese.toml``.
    carnets : Path
        Carnets sources.
    construction : Path
        ``build/`` : carnets exécutés, rendus de travail, cache.
    rapports : Path
        ``reports/`` : rapports publiés.
    donnees : Path
        ``data/raw`` (entre dans la clé du cache).
    paquet : Path
        Source du paquet (entre dans la clé du cache).
    verrou : Path
        ``requirements.lock`` (entre dans la clé du cache).
    rendu : Path
        Source du moteur de rendu (entre dans l'empreinte du rendu).
    """

    configuration: Path = chemins.PAQUET / "synthese.toml"
    carnets: Path = chemins.CARNETS
    construction: Path = chemins.CONSTRUCTION
    rapports: Path = chemins.RAPPORTS
    donnees: Path = chemins.DONNEES_BRUTES
    paquet: Path = chemins.PAQUET
    verrou: Path = chemins.RACINE / "requirements.lock"
    rendu: Path = chemins.PAQUET / "rendu"


@dataclass
class Bilan:
    """Ce qu'une construction a produit et combien de temps chaque étape a pris.

    Attributes
    ----------
    annee : int
    destination : Path
        Dossier du rapport (``reports/<annee>/``, ou dossier d'aperçu pour ``--sections``).
    fichiers : dict[str, Path]
        Fichiers produits par le rendu, à leur place définitive (``html``, ``pdf``…).
    carnets : list of NotebookNode
        Carnets exécutés, dans l'ordre de la configuration.
    executees, en_cache : list of str
        Sections exécutées par un noyau / reprises du cache.
    rendu_en_cache : bool
        Vrai si le rendu n'a pas été refait.
    durees : dict[str, float]
        Secondes par étape (``validation``, ``execution``, ``rendu``, ``rendu:<x>`` quand le moteur
        de rendu donne ses durées, ``mise en place``, ``total``).
    """

    annee: int
    destination: Path
    fichiers: dict[str, Path] = field(default_factory=dict)
    carnets: list[NotebookNode] = field(default_factory=list)
    executees: list[str] = field(default_factory=list)
    en_cache: list[str] = field(default_factory=list)
    rendu_en_cache: bool = False
    durees: dict[str, float] = field(default_factory=dict)


def _s(secondes: float) -> str:
    return f"{secondes:.2f}".replace(".", ",") + " s"


def rendre_rapport(
    carnets: list[NotebookNode], annee: int, dossier: Path, interne: bool = False, **options: Any
) -> dict[str, Path]:
    """Appelle ``synthese_ihu.rendu.rendre`` (importé au moment de l'appel).

    ``options`` : ``donnees`` (dossier des CSV des figures), ``colophon`` (HTML de fin),
    ``convertir_pdf`` (conversion du HTML en PDF dans un autre processus).
    """
    rendu = importlib.import_module("synthese_ihu.rendu")
    return rendu.rendre(carnets, annee, dossier, interne=interne, **options)


def preparer_publication(
    parametres: Parametres,
    emplacements: Emplacements,
    travail: Path,
    provenance: Any,
    commune: str,
) -> tuple[str, Path | None]:
    """Données ouvertes (variante publique complète) et colophon, avant l'appel au rendu.

    Les données ouvertes et les faits du colophon tirés des données (réactualisations) ne
    dépendent que des données, du paquet et de l'année : ils sont gardés dans
    ``build/cache/publication/<clé>/`` et recopiés dans ``<travail>/donnees/``. Le colophon
    lui-même (version du code, paramètres) est composé à chaque fois, hors de tout cache.

    Returns
    -------
    colophon : str
        HTML du colophon.
    donnees : Path or None
        ``<travail>/donnees`` si les données ouvertes y ont été écrites.
    """
    publication = importlib.import_module("synthese_ihu.publication")
    ouvertes = not parametres.interne and not parametres.partiel
    cle = hashlib.sha256(
        f"publication:{commune}:{parametres.annee}:{ouvertes}".encode()
    ).hexdigest()
    depot = emplacements.construction / "cache" / "publication" / cle
    if parametres.sans_cache or not (depot / "faits.json").is_file():
        provisoire = depot.with_name(f"{cle}.tmp-{os.getpid()}")
        shutil.rmtree(provisoire, ignore_errors=True)
        provisoire.mkdir(parents=True)
        faits = publication.preparer(
            emplacements.donnees,
            parametres.annee,
            provisoire / publication.DOSSIER if ouvertes else None,
            provenance,
        )
        (provisoire / "faits.json").write_text(json.dumps(faits, sort_keys=True), "utf-8")
        shutil.rmtree(depot, ignore_errors=True)
        os.replace(provisoire, depot)
    faits = json.loads((depot / "faits.json").read_text(encoding="utf-8"))
    donnees = None
    if ouvertes:
        donnees = travail / publication.DOSSIER
        shutil.copytree(depot / publication.DOSSIER, donnees)
    # Les réactualisations (faits) sont racontées en annexe seulement, pas dans le colophon.
    colophon = publication.colophon_html(provenance, donnees_ouvertes=ouvertes,
                                         **faits["colophon"])
    return colophon, donnees


# --------------------------------------------------------------------------------------------
# Étape 1 : exécution (ou cache)


@dataclass
class _Lot:
    """Sections d'une année : carnets sources, clés, carnets repris du cache, tâches à exécuter."""

    parametres: Parametres
    sections: list[Any]
    dossier_carnets: Path
    sources: dict[str, NotebookNode] = field(default_factory=dict)
    cles: dict[str, str] = field(default_factory=dict)
    finals: dict[str, NotebookNode] = field(default_factory=dict)
    taches: list[execution.Tache] = field(default_factory=list)
    en_cache: list[str] = field(default_factory=list)


def _preparer_lot(
    parametres: Parametres,
    configuration: Configuration,
    emplacements: Emplacements,
    cache: cache_mod.Cache,
    commune: str,
    *,
    rang0: int = 0,
    prefixe: str = "",
    afficher: Callable[[str], None] = print,
) -> _Lot:
    """Lit les carnets sources d'une année, reprend du cache ce qui peut l'être."""
    valeurs = parametres.valeurs_carnet()
    dossier_carnets = emplacements.construction / str(parametres.annee) / "carnets"
    if dossier_carnets.exists():
        shutil.rmtree(dossier_carnets)
    dossier_carnets.mkdir(parents=True)
    lot = _Lot(parametres, [configuration.section(i) for i in parametres.sections], dossier_carnets)
    for rang, section in enumerate(lot.sections):
        source = execution.lire_source(section.chemin)
        lot.sources[section.id] = source
        lot.cles[section.id] = cle = cache_mod.cle_carnet(source, valeurs, commune)
        reprise = None if parametres.sans_cache else cache.lire(cle)
        if reprise is not None:
            try:
                lot.finals[section.id] = execution.fusionner(source, reprise)
            except ValueError:
                reprise = None
        if reprise is None:
            lot.taches.append(
                execution.Tache(
                    section.id,
                    section.carnet,
                    source,
                    valeurs,
                    section.chemin.parent,
                    rang0 + rang,
                    parametres.annee,
                )
            )
        else:
            lot.en_cache.append(section.id)
            afficher(f"  ✓ {prefixe}{section.id:<18} cache")
    return lot


def _terminer_lot(
    lot: _Lot, resultats: list[execution.Resultat], cache: cache_mod.Cache
) -> list[NotebookNode]:
    """Range les carnets exécutés dans le cache, fusionne, écrit ``build/<annee>/carnets/``."""
    for resultat in resultats:
        ident = resultat.tache.section
        propre = execution.nettoyer(resultat.carnet)
        cache.ecrire(lot.cles[ident], propre)
        lot.finals[ident] = execution.fusionner(lot.sources[ident], propre)
    carnets = []
    for section in lot.sections:
        nb = execution.marquer(lot.finals[section.id], section, lot.parametres.annee)
        execution.ecrire(nb, lot.dossier_carnets / Path(section.carnet).name)
        carnets.append(nb)
    return carnets


def executer_sections(
    parametres: Parametres,
    configuration: Configuration,
    emplacements: Emplacements,
    *,
    travailleurs: int = TRAVAILLEURS,
    afficher: Callable[[str], None] = print,
    commune: str | None = None,
) -> tuple[list[NotebookNode], list[str], list[str]]:
    """Exécute (ou reprend du cache) les sections demandées.

    Parameters
    ----------
    commune : str, optional
        :func:`synthese_ihu.cache.empreinte_commune` si l'appelant l'a déjà calculée.

    Returns
    -------
    carnets : list of NotebookNode
        Carnets exécutés, fusionnés avec le Markdown courant, dans l'ordre de la configuration.
    executees, en_cache : list of str
        Identifiants des sections exécutées / servies par le cache.

    Raises
    ------
    ErreurSection
        Première section en échec ; son carnet exécuté est conservé.
    """
    cache = cache_mod.Cache(emplacements.construction / "cache")
    if commune is None:
        commune = cache_mod.empreinte_commune(
            emplacements.donnees, emplacements.paquet, emplacements.verrou
        )
    lot = _preparer_lot(parametres, configuration, emplacements, cache, commune, afficher=afficher)

    def debut(tache: execution.Tache, noyau: int) -> None:
        afficher(f"  ▶ {tache.section:<18} exécution (noyau {noyau})…")

    def fin(resultat: execution.Resultat) -> None:
        afficher(f"  ✓ {resultat.tache.section:<18} {_s(resultat.duree)} (noyau {resultat.noyau})")

    def echec(tache: execution.Tache, nb: NotebookNode) -> None:
        execution.ecrire(execution.nettoyer(nb), lot.dossier_carnets / Path(tache.carnet).name)

    try:
        resultats = execution.executer(
            lot.taches,
            travailleurs=travailleurs,
            dossier=emplacements.carnets,
            progression=execution.Progression(debut=debut, fin=fin, echec=echec),
        )
    except ErreurSection as exc:
        exc.conserve = lot.dossier_carnets / Path(configuration.section(exc.section).carnet).name
        raise
    carnets = _terminer_lot(lot, resultats, cache)
    return carnets, [t.section for t in lot.taches], lot.en_cache


# --------------------------------------------------------------------------------------------
# Étape 2 : rendu (ou rendu précédent réutilisé)


def _moteur_reel() -> bool:
    """Vrai si ``synthese_ihu.rendu`` est (ou sera) le moteur du paquet, pas un substitut."""
    deja = sys.modules.get("synthese_ihu.rendu")
    return deja is None or hasattr(deja, "html_vers_pdf")


def _variante(parametres: Parametres) -> str:
    variante = "interne" if parametres.interne else "public"
    return variante + ("-partiel" if parametres.partiel else "")


def rendre_sections(
    carnets: list[NotebookNode],
    parametres: Parametres,
    configuration: Configuration,
    emplacements: Emplacements,
    *,
    rendre: Callable[..., Any] | None = None,
    provenance: Any = None,
    commune: str | None = None,
    pdf_parallele: bool = True,
    pdf: parallele.ProcessusPDF | None = None,
) -> tuple[Path, dict[str, str], dict[str, float], bool]:
    """Rend les carnets dans ``build/<annee>/rendu-<variante>/`` (ou réutilise le rendu précédent).

    Avec le moteur du projet (``rendre`` absent) et ``pdf_parallele``, un processus PDF
    (:class:`synthese_ihu.parallele.ProcessusPDF`) est démarré dès que le rendu est
    nécessaire : il importe WeasyPrint pendant que ce processus prépare les données ouvertes, le
    colophon et le HTML, puis convertit le HTML en PDF (mêmes octets qu'en un seul processus).

    Parameters
    ----------
    provenance : Provenance, optional
        Relevée par l'appelant (construction de plusieurs années) ; sinon relevée ici.
    commune : str, optional
        :func:`synthese_ihu.cache.empreinte_commune`, si l'appelant l'a déjà calculée.
    pdf_parallele : bool
        Faux dans un processus de rendu d'une construction de plusieurs années (déjà parallèle).
    pdf : ProcessusPDF, optional
        Processus PDF déjà démarré par l'appelant (qui le ferme) ; sinon démarré ici au besoin.

    Returns
    -------
    dossier : Path
        Dossier du rendu.
    fichiers : dict[str, str]
        Clé du moteur de rendu -> nom de fichier relatif au dossier.
    durees : dict[str, float]
        Durées données par le moteur de rendu (vide s'il n'en donne pas).
    en_cache : bool
        Vrai si le moteur de rendu n'a pas été appelé.
    """
    moteur_du_projet = rendre is None
    rendre = rendre or rendre_rapport
    dossier_annee = emplacements.construction / str(parametres.annee)
    variante = _variante(parametres)
    dossier = dossier_annee / f"rendu-{variante}"
    tampon = dossier_annee / f"rendu-{variante}.json"
    # Provenance relevée à chaque construction (sha256 des données, git describe) : le colophon
    # ne passe jamais par le cache des carnets ; données et paquet entrent dans l'empreinte du
    # rendu (données ouvertes), la provenance aussi (colophon).
    if provenance is None:
        provenance = importlib.import_module("synthese_ihu.publication").relever_provenance(
            emplacements.donnees, parametres.annee, interne=parametres.interne
        )
    if commune is None:
        commune = cache_mod.empreinte_commune(
            emplacements.donnees, emplacements.paquet, emplacements.verrou
        )
    empreinte = cache_mod.empreinte_carnets(
        carnets,
        f"annee={parametres.annee}",
        f"interne={parametres.interne}",
        "rendu=" + cache_mod.empreinte_dossier(emplacements.rendu),
        "rapport=" + repr(configuration.rapport),
        "verrou=" + cache_mod.empreinte_fichier(emplacements.verrou),
        "commune=" + commune,
        "provenance=" + provenance.empreinte(),
    )
    if not parametres.sans_cache and tampon.is_file():
        try:
            precedent = json.loads(tampon.read_text(encoding="utf-8"))
        except ValueError:
            precedent = {}
        fichiers = precedent.get("fichiers", {})
        if (
            precedent.get("empreinte") == empreinte
            and fichiers
            and all((dossier / nom).is_file() for nom in fichiers.values())
        ):
            return dossier, fichiers, {}, True

    travail = dossier_annee / f"rendu-{variante}.tmp"
    if travail.exists():
        shutil.rmtree(travail)
    travail.mkdir(parents=True)
    a_fermer = None
    if moteur_du_projet and pdf_parallele and pdf is None and _moteur_reel():
        pdf = a_fermer = parallele.ProcessusPDF().demarrer()  # importe WeasyPrint en parallèle
    if moteur_du_projet and pdf_parallele and pdf is not None:
        rendre = functools.partial(rendre_rapport, convertir_pdf=pdf.convertir)
    try:
        debut_publication = time.perf_counter()
        colophon, donnees_ouvertes = preparer_publication(
            parametres, emplacements, travail, provenance, commune
        )
        duree_publication = time.perf_counter() - debut_publication
        resultat = rendre(
            carnets,
            parametres.annee,
            travail,
            interne=parametres.interne,
            donnees=donnees_ouvertes,
            colophon=colophon,
        )
    finally:
        if a_fermer is not None:
            a_fermer.fermer()
    durees: dict[str, float] = {}
    fichiers: dict[str, str] = {}
    for cle, valeur in dict(resultat or {}).items():
        if cle == "durees" and isinstance(valeur, dict):
            durees.update({str(k): float(v) for k, v in valeur.items()})
            continue
        if not isinstance(valeur, str | Path):
            continue  # autres informations du rendu (figures, sommaire…) : pas des fichiers
        chemin = Path(valeur)
        chemin = chemin if chemin.is_absolute() else travail / chemin
        try:
            fichiers[cle] = chemin.resolve().relative_to(travail.resolve()).as_posix()
        except ValueError:
            raise RuntimeError(
                f"le rendu a écrit « {cle} » hors du dossier donné ({chemin})."
            ) from None
    if donnees_ouvertes is not None and (donnees_ouvertes / "datapackage.json").is_file():
        fichiers.setdefault("donnees", f"{donnees_ouvertes.name}/datapackage.json")
    module_rendu = sys.modules.get("synthese_ihu.rendu")
    if not durees and isinstance(getattr(module_rendu, "dernieres_durees", None), dict):
        durees = {str(k): float(v) for k, v in module_rendu.dernieres_durees.items()}
    durees = {"publication": duree_publication, **durees}
    if dossier.exists():
        shutil.rmtree(dossier)
    os.replace(travail, dossier)
    tampon.write_text(
        json.dumps({"empreinte": empreinte, "fichiers": fichiers}, indent=1, sort_keys=True),
        encoding="utf-8",
    )
    return dossier, fichiers, durees, False


# --------------------------------------------------------------------------------------------
# Étape 3 : mise en place


def _identiques(a: Path, b: Path) -> bool:
    if not b.is_dir():
        return False
    comparaison = filecmp.dircmp(a, b)

    def egal(c: filecmp.dircmp) -> bool:
        if c.left_only or c.right_only or c.funny_files:
            return False
        _, differents, erreurs = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        return not differents and not erreurs and all(egal(s) for s in c.subdirs.values())

    return egal(comparaison)


def publier(source: Path, destination: Path) -> bool:
    """Remplace ``destination`` par une copie de ``source``, d'un coup.

    La copie est faite à côté de la destination (même système de fichiers), puis l'ancien dossier
    est renommé de côté, le nouveau renommé à sa place, et l'ancien supprimé. Si le renommage du
    nouveau échoue, l'ancien est remis en place.

    Returns
    -------
    bool
        Faux si la destination était déjà identique (rien n'est touché).
    """
    if _identiques(source, destination):
        return False
    parent = destination.parent
    parent.mkdir(parents=True, exist_ok=True)
    nouveau = parent / f".{destination.name}.nouveau-{os.getpid()}"
    ancien = parent / f".{destination.name}.ancien-{os.getpid()}"
    for reste in (nouveau, ancien):
        if reste.exists():
            shutil.rmtree(reste)
    shutil.copytree(source, nouveau)
    deplace = False
    try:
        if destination.exists():
            os.rename(destination, ancien)
            deplace = True
        os.rename(nouveau, destination)
    except BaseException:
        if deplace and not destination.exists():
            os.rename(ancien, destination)
        shutil.rmtree(nouveau, ignore_errors=True)
        raise
    shutil.rmtree(ancien, ignore_errors=True)
    return True


def destination_rapport(parametres: Parametres, emplacements: Emplacements) -> Path | None:
    """Dossier du rapport publié ; ``None`` pour un aperçu partiel sans ``--sortie``."""
    if parametres.partiel and parametres.sortie is None:
        return None
    racine = parametres.sortie if parametres.sortie is not None else emplacements.rapports
    if parametres.interne:
        racine = racine / "interne"
    return racine / str(parametres.annee)


# --------------------------------------------------------------------------------------------
# Enchaînement


def construire(
    parametres: Parametres,
    configuration: Configuration,
    emplacements: Emplacements | None = None,
    *,
    travailleurs: int = TRAVAILLEURS,
    rendre: Callable[..., Any] | None = None,
    afficher: Callable[[str], None] = print,
) -> Bilan:
    """Construit le rapport à partir de paramètres DÉJÀ validés.

    Parameters
    ----------
    parametres : Parametres
        Voir :func:`synthese_ihu.config.valider_parametres`.
    configuration : Configuration
        Configuration validée.
    emplacements : Emplacements, optional
        Dossiers de lecture et d'écriture (ceux du projet par défaut).
    travailleurs : int
        Nombre de noyaux en parallèle.
    rendre : callable, optional
        Moteur de rendu ``(carnets, annee, dossier, interne=..., donnees=..., colophon=...) ->
        dict[str, Path]`` ; par défaut ``synthese_ihu.rendu.rendre``.
    afficher : callable
        Sortie des messages de progression.

    Returns
    -------
    Bilan

    Raises
    ------
    ErreurSection
        Une section a échoué ; rien n'est rendu ni publié.
    """
    emplacements = emplacements or Emplacements()
    debut = time.perf_counter()
    bilan = Bilan(annee=parametres.annee, destination=emplacements.rapports)
    # Processus PDF démarré tout de suite : il importe WeasyPrint pendant la lecture du cache,
    # l'exécution et la préparation du HTML ; arrêté sans avoir servi si le rendu est repris.
    pdf = parallele.ProcessusPDF().demarrer() if rendre is None and _moteur_reel() else None
    try:
        return _construire(
            parametres,
            configuration,
            emplacements,
            bilan,
            debut,
            pdf,
            travailleurs,
            rendre,
            afficher,
        )
    finally:
        if pdf is not None:
            pdf.fermer()


def _construire(
    parametres: Parametres,
    configuration: Configuration,
    emplacements: Emplacements,
    bilan: Bilan,
    debut: float,
    pdf: parallele.ProcessusPDF | None,
    travailleurs: int,
    rendre: Callable[..., Any] | None,
    afficher: Callable[[str], None],
) -> Bilan:
    """Étapes de :func:`construire` (exécution, rendu, mise en place)."""
    t = time.perf_counter()
    # Données, paquet, verrou : lus et hachés une fois (clés des carnets et empreinte du rendu).
    commune = cache_mod.empreinte_commune(
        emplacements.donnees, emplacements.paquet, emplacements.verrou
    )
    carnets, bilan.executees, bilan.en_cache = executer_sections(
        parametres,
        configuration,
        emplacements,
        travailleurs=travailleurs,
        afficher=afficher,
        commune=commune,
    )
    bilan.carnets = carnets
    bilan.durees["execution"] = time.perf_counter() - t

    t = time.perf_counter()
    afficher("  … rendu HTML et PDF")
    dossier, fichiers, durees_rendu, bilan.rendu_en_cache = rendre_sections(
        carnets, parametres, configuration, emplacements, rendre=rendre, commune=commune, pdf=pdf
    )
    bilan.durees["rendu"] = time.perf_counter() - t
    for cle, valeur in durees_rendu.items():
        bilan.durees[f"rendu:{cle}"] = valeur

    t = time.perf_counter()
    destination = destination_rapport(parametres, emplacements)
    if destination is None:
        destination = dossier
        afficher(f"  aperçu partiel (--sections) : {dossier} (reports/ n'est pas touché)")
    elif not publier(dossier, destination):
        afficher(f"  {destination} déjà à jour")
    bilan.destination = destination
    bilan.fichiers = {cle: destination / nom for cle, nom in fichiers.items()}
    bilan.durees["mise en place"] = time.perf_counter() - t
    bilan.durees["total"] = time.perf_counter() - debut
    return bilan


# --------------------------------------------------------------------------------------------
# Plusieurs années : un seul groupe de noyaux, rendus en parallèle


@dataclass
class BilanAnnees:
    """Construction de plusieurs années : un :class:`Bilan` par année réussie, les échecs.

    Attributes
    ----------
    annees : list of int
        Années demandées, dans l'ordre.
    bilans : dict[int, Bilan]
        Années construites et en place.
    echecs : dict[int, str]
        Années en échec -> message ; leur rapport précédent n'a pas été touché.
    durees : dict[str, float]
        ``execution`` (tous les carnets), ``rendu`` (fin de l'exécution → dernier rapport en
        place), ``total``.
    """

    annees: list[int]
    bilans: dict[int, Bilan] = field(default_factory=dict)
    echecs: dict[int, str] = field(default_factory=dict)
    durees: dict[str, float] = field(default_factory=dict)


class _EnLigne:
    """Exécuteur minimal qui fait le travail tout de suite, dans ce processus (``processus=0``)."""

    def submit(self, fonction: Callable[..., Any], *args: Any) -> Any:
        from concurrent.futures import Future

        futur: Future = Future()
        try:
            futur.set_result(fonction(*args))
        except Exception as exc:  # noqa: BLE001 -- rendue par futur.result(), comme un processus
            futur.set_exception(exc)
        return futur

    def __enter__(self) -> _EnLigne:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _rendre_annee(
    carnets: list[NotebookNode],
    parametres: Parametres,
    configuration: Configuration,
    emplacements: Emplacements,
    rendre: Callable[..., Any] | None,
    provenance: Any,
    commune: str,
) -> tuple[Path, dict[str, str], dict[str, float], bool, float]:
    """Rendu d'une année dans un processus de rendu (voir :func:`construire_annees`)."""
    debut = time.perf_counter()
    dossier, fichiers, durees, en_cache = rendre_sections(
        carnets,
        parametres,
        configuration,
        emplacements,
        rendre=rendre,
        provenance=provenance,
        commune=commune,
        pdf_parallele=False,
    )
    return dossier, fichiers, durees, en_cache, time.perf_counter() - debut


def construire_annees(
    liste: list[Parametres],
    configuration: Configuration,
    emplacements: Emplacements | None = None,
    *,
    travailleurs: int = TRAVAILLEURS,
    processus: int | None = None,
    rendre: Callable[..., Any] | None = None,
    afficher: Callable[[str], None] = print,
) -> BilanAnnees:
    """Construit les rapports de plusieurs années (paramètres DÉJÀ validés).

    1. Les carnets de toutes les années (hors cache) passent par UN groupe de ``travailleurs``
       noyaux réutilisés : chaque noyau démarre et charge les données une fois.
    2. Dès que les sections d'une année sont prêtes, son rendu (données ouvertes, colophon,
       HTML, PDF) part dans un groupe de ``processus`` processus de rendu (``spawn``), pendant
       que les noyaux continuent avec les années suivantes.
    3. Chaque rapport rendu remplace ``<sortie>/<annee>/`` d'un coup (:func:`publier`), comme
       une construction d'une année.

    Une année en échec (section ou rendu) n'est ni rendue ni publiée : son rapport précédent
    reste en place. Les autres années vont jusqu'au bout et sont publiées.

    Parameters
    ----------
    liste : list of Parametres
        Une entrée par année (:func:`synthese_ihu.config.valider_construction`).
    configuration : Configuration
        Configuration validée.
    emplacements : Emplacements, optional
        Dossiers de lecture et d'écriture (ceux du projet par défaut).
    travailleurs : int
        Nombre de noyaux.
    processus : int, optional
        Nombre de processus de rendu (par défaut :data:`PROCESSUS_RENDU`) ; 0 : rendus dans ce
        processus, l'un après l'autre (tests, débogage).
    rendre : callable, optional
        Moteur de rendu (fonction de module : il est envoyé aux processus de rendu).
    afficher : callable
        Sortie des messages de progression.

    Returns
    -------
    BilanAnnees
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    publication = importlib.import_module("synthese_ihu.publication")
    emplacements = emplacements or Emplacements()
    processus = PROCESSUS_RENDU if processus is None else processus
    debut = time.perf_counter()
    bilan = BilanAnnees(annees=[p.annee for p in liste])
    cache = cache_mod.Cache(emplacements.construction / "cache")
    commune = cache_mod.empreinte_commune(
        emplacements.donnees, emplacements.paquet, emplacements.verrou
    )
    lots: dict[int, _Lot] = {}
    for k, parametres in enumerate(liste):
        lots[parametres.annee] = _preparer_lot(
            parametres,
            configuration,
            emplacements,
            cache,
            commune,
            rang0=k * len(configuration.sections),
            prefixe=f"{parametres.annee} ",
            afficher=afficher,
        )
    restants = {annee: len(lot.taches) for annee, lot in lots.items()}
    resultats: dict[int, list[execution.Resultat]] = {annee: [] for annee in lots}
    futurs: dict[Any, int] = {}
    debuts: dict[int, float] = {}

    if processus > 0:
        groupe_rendu: Any = ProcessPoolExecutor(processus, mp_context=parallele.contexte())
    else:
        groupe_rendu = _EnLigne()
    with groupe_rendu as groupe:

        def lancer_rendu(annee: int) -> None:
            lot = lots[annee]
            try:
                carnets = _terminer_lot(lot, resultats[annee], cache)
                provenance = publication.relever_provenance(
                    emplacements.donnees, annee, interne=lot.parametres.interne
                )
                futur = groupe.submit(
                    _rendre_annee,
                    carnets,
                    lot.parametres,
                    configuration,
                    emplacements,
                    rendre,
                    provenance,
                    commune,
                )
            except Exception as exc:  # noqa: BLE001 -- l'année échoue, pas les autres
                bilan.echecs[annee] = f"rendu impossible : {type(exc).__name__}: {exc}"
                afficher(f"  ✗ {annee} : {bilan.echecs[annee]}")
                return
            futurs[futur] = annee
            debuts[annee] = time.perf_counter()
            afficher(
                f"  ◆ {annee} : sections prêtes ({len(lot.taches)} exécutée(s), "
                f"{len(lot.en_cache)} en cache), rendu lancé"
            )

        for annee, reste in restants.items():
            if reste == 0:
                lancer_rendu(annee)

        def debut_carnet(tache: execution.Tache, noyau: int) -> None:
            afficher(f"  ▶ {tache.groupe} {tache.section:<18} exécution (noyau {noyau})…")

        def fin_carnet(resultat: execution.Resultat) -> None:
            tache = resultat.tache
            afficher(
                f"  ✓ {tache.groupe} {tache.section:<18} {_s(resultat.duree)} "
                f"(noyau {resultat.noyau})"
            )
            resultats[tache.groupe].append(resultat)
            restants[tache.groupe] -= 1
            if restants[tache.groupe] == 0:
                lancer_rendu(tache.groupe)

        def echec_carnet(tache: execution.Tache, nb: NotebookNode) -> None:
            conserve = lots[tache.groupe].dossier_carnets / Path(tache.carnet).name
            execution.ecrire(execution.nettoyer(nb), conserve)

        taches = [t for lot in lots.values() for t in lot.taches]
        t = time.perf_counter()
        _, erreurs = execution.executer_groupes(
            taches,
            travailleurs=travailleurs,
            dossier=emplacements.carnets,
            progression=execution.Progression(
                debut=debut_carnet, fin=fin_carnet, echec=echec_carnet
            ),
        )
        bilan.durees["execution"] = time.perf_counter() - t
        for annee, exc in sorted(erreurs.items()):
            exc.conserve = (
                lots[annee].dossier_carnets / Path(configuration.section(exc.section).carnet).name
            )
            bilan.echecs[annee] = str(exc)
            afficher(f"  ✗ {annee} : échec : {exc}")

        t = time.perf_counter()
        for futur in as_completed(futurs):
            annee = futurs[futur]
            parametres = lots[annee].parametres
            try:
                dossier, fichiers, durees_rendu, en_cache, duree = futur.result()
                destination = destination_rapport(parametres, emplacements)
                remplace = publier(dossier, destination)
            except Exception as exc:  # noqa: BLE001 -- l'année échoue, pas les autres
                bilan.echecs[annee] = f"rendu en échec : {type(exc).__name__}: {exc}"
                afficher(f"  ✗ {annee} : {bilan.echecs[annee]}")
                continue
            lot = lots[annee]
            b = Bilan(annee=annee, destination=destination)
            b.executees, b.en_cache = [x.section for x in lot.taches], lot.en_cache
            b.rendu_en_cache = en_cache
            b.durees = {"rendu": duree, **{f"rendu:{k}": v for k, v in durees_rendu.items()}}
            b.fichiers = {cle: destination / nom for cle, nom in fichiers.items()}
            bilan.bilans[annee] = b
            etat = "remplacé" if remplace else "déjà à jour"
            afficher(f"  ✓ {annee} rendu en {_s(duree)} → {destination} ({etat})")
        bilan.durees["rendu"] = time.perf_counter() - t
    bilan.durees["total"] = time.perf_counter() - debut
    return bilan


def resume_annees(bilan: BilanAnnees) -> str:
    """Résumé d'une construction de plusieurs années : étapes, puis une ligne par année."""
    premiere, derniere = bilan.annees[0], bilan.annees[-1]
    lignes = [
        f"Synthèses {premiere} à {derniere} : {len(bilan.bilans)} rapport(s) sur "
        f"{len(bilan.annees)} en place, en {_s(bilan.durees.get('total', 0.0))} :",
    ]
    executees = sum(len(b.executees) for b in bilan.bilans.values())
    en_cache = sum(len(b.en_cache) for b in bilan.bilans.values())
    for etape, libelle, detail in (
        ("validation", "validation", ""),
        ("execution", "exécution", f"{executees} carnet(s) exécuté(s), {en_cache} en cache"),
        ("rendu", "fin des rendus", "après l'exécution, rendus et mises en place"),
    ):
        if etape in bilan.durees:
            lignes.append(
                f"  {libelle:<16}{_s(bilan.durees[etape]):>10}  ({detail})"
                if detail
                else f"  {libelle:<16}{_s(bilan.durees[etape]):>10}"
            )
    for annee in bilan.annees:
        if annee in bilan.bilans:
            b = bilan.bilans[annee]
            rendu = (
                "rendu précédent réutilisé"
                if b.rendu_en_cache
                else (
                    f"rendu {_s(b.durees.get('rendu', 0.0))}, dont PDF "
                    f"{_s(b.durees.get('rendu:pdf', 0.0))}"
                )
            )
            lignes.append(
                f"  {annee}  {len(b.executees):>2} exécutée(s), {len(b.en_cache):>2} en cache, "
                f"{rendu} → {b.destination}"
            )
        else:
            lignes.append(f"  {annee}  ÉCHEC : rapport précédent inchangé")
    return "\n".join(lignes)


def resume(bilan: Bilan) -> str:
    """Résumé lisible : temps par étape, sections exécutées / en cache, fichiers produits."""
    lignes = [f"Synthèse {bilan.annee} construite en {_s(bilan.durees.get('total', 0.0))} :"]
    details = {
        "execution": f"{len(bilan.executees)} exécutée(s), {len(bilan.en_cache)} en cache",
        "rendu": "rendu précédent réutilisé" if bilan.rendu_en_cache else "",
    }
    noms = {"validation": "validation", "execution": "exécution", "rendu": "rendu"}
    for etape, duree in bilan.durees.items():
        if etape == "total":
            continue
        libelle = noms.get(etape, etape.replace("rendu:", "  dont "))
        detail = details.get(etape, "")
        lignes.append(f"  {libelle:<16}{_s(duree):>10}" + (f"  ({detail})" if detail else ""))
    for cle, chemin in bilan.fichiers.items():
        lignes.append(f"  → {cle} : {chemin}")
    return "\n".join(lignes)


class _Analyseur(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        attendu = re.fullmatch(r"argument (\S+): expected one argument", message)
        if attendu:
            message = f"l'option {attendu.group(1)} attend une valeur"
        raise ErreurParametres(message)


def analyser(argv: list[str]) -> dict[str, Any]:
    """Analyse la ligne de commande ; une option inconnue lève :class:`ErreurParametres`."""
    p = _Analyseur(
        prog="synthese-ihu construire",
        description="Construit la synthèse d'une année : reports/<année>/.",
        allow_abbrev=False,
    )
    p.add_argument(
        "--annee",
        help="année cible, ou plage début-fin (2012-2022) ; défaut : [rapport] annee_defaut",
    )
    p.add_argument("--sortie", help="dossier racine des rapports (défaut : reports/)")
    p.add_argument("--sections", help="identifiants séparés par des virgules (aperçu partiel)")
    p.add_argument("--sans-cache", action="store_true", help="tout réexécuter et re-rendre")
    p.add_argument("--interne", action="store_true", help="variante interne (diffusion restreinte)")
    args, inconnues = p.parse_known_args(argv)
    if inconnues:
        raise ErreurParametres(
            f"option(s) inconnue(s) : {' '.join(inconnues)} "
            "(options : --annee, --sortie, --sections, --sans-cache, --interne)."
        )
    options: dict[str, Any] = {"sans_cache": args.sans_cache, "interne": args.interne}
    for nom in ("annee", "sortie", "sections"):
        if getattr(args, nom) is not None:
            options[nom] = getattr(args, nom)
    return options


def main(argv: list[str] | None = None, emplacements: Emplacements | None = None) -> int:
    """Point d'entrée de ``synthese-ihu construire``.

    Returns
    -------
    int
        0 si le rapport est en place, 1 si une section a échoué, 2 si les paramètres ou la
        configuration sont refusés (rien n'a été exécuté).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        try:
            analyser(["--help"])
        except SystemExit:
            return 0
    emplacements = emplacements or Emplacements()
    debut = time.perf_counter()
    try:
        options = analyser(argv)
        configuration = charger_configuration(emplacements.configuration, emplacements.carnets)
        liste = valider_construction(options, configuration)
    except (ErreurParametres, ErreurConfiguration) as exc:
        print(f"Erreur : {exc}\nRien n'a été exécuté.", file=sys.stderr)
        return 2
    validation = time.perf_counter() - debut
    if len(liste) > 1:
        return _main_annees(liste, configuration, emplacements, validation)
    [parametres] = liste
    variante = " (variante interne)" if parametres.interne else ""
    print(
        f"Synthèse {parametres.annee}{variante} : {len(parametres.sections)} section(s)",
        flush=True,
    )
    try:
        bilan = construire(
            parametres, configuration, emplacements, afficher=lambda m: print(m, flush=True)
        )
    except ErreurSection as exc:
        print(f"Échec : {exc}", file=sys.stderr)
        print("Le rapport précédent n'a pas été modifié.", file=sys.stderr)
        return 1
    bilan.durees = {"validation": validation, **bilan.durees}
    bilan.durees["total"] += validation
    print(resume(bilan), flush=True)
    return 0


def _main_annees(
    liste: list[Parametres],
    configuration: Configuration,
    emplacements: Emplacements,
    validation: float,
) -> int:
    """``construire --annee début-fin`` : construction de plusieurs années, résumé, code."""
    variante = " (variante interne)" if liste[0].interne else ""
    print(
        f"Synthèses {liste[0].annee} à {liste[-1].annee}{variante} : {len(liste)} années × "
        f"{len(liste[0].sections)} section(s), {TRAVAILLEURS} noyaux, "
        + (f"rendus sur {PROCESSUS_RENDU} processus" if PROCESSUS_RENDU else "rendus ici"),
        flush=True,
    )
    bilan = construire_annees(
        liste, configuration, emplacements, afficher=lambda m: print(m, flush=True)
    )
    bilan.durees = {"validation": validation, **bilan.durees}
    bilan.durees["total"] += validation
    print(resume_annees(bilan), flush=True)
    if bilan.echecs:
        annees = ", ".join(map(str, sorted(bilan.echecs)))
        print(
            f"Échec pour {annees} : ces rapports n'ont pas été modifiés ; les autres années "
            "sont en place.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
