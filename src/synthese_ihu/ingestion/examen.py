"""Examen d'un classeur reçu AVANT toute bibliothèque de lecture : type, tailles, zone, cellules.

calamine s'interrompt (``abort``, impossible à rattraper) sur une valeur en ``XFD1048576`` et lit
sans borne une feuille qui se décompresse en 1 Go : :func:`examiner` passe donc d'abord, avec la
bibliothèque standard seule et une mémoire bornée par ``limites.toml`` :

1. le fichier : ordinaire (un lien symbolique est refusé), lisible, non vide, de taille bornée ;
   sa signature : archive zip, OLE (classeur chiffré par mot de passe ou ancien ``.xls``), texte ;
2. l'archive : un classeur (``xl/workbook.xml``), ni ``.ods``, ni macros, ni liaison externe ;
   nombre de parties, taille décompressée déclarée de chacune et du tout ;
3. chaque partie lue en flux jusqu'au bout (taille réelle et somme de contrôle vérifiées), les
   feuilles analysées cellule par cellule (:class:`~synthese_ihu.ingestion.feuilles.ExamenFeuille`).

Un classeur dont l'examen est ``bloquant`` n'est jamais donné à calamine.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from synthese_ihu.donnees.erreurs import Probleme
from synthese_ihu.ingestion import parties
from synthese_ihu.ingestion.feuilles import ExamenFeuille, ZoneDepassee
from synthese_ihu.ingestion.limites import Limites, limites

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHIFFRE = "EncryptedPackage".encode("utf-16-le")
_XLS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_LIAISON = "relationships/externalLink"
_SAUVER = "attendu un classeur Excel .xlsx (Fichier > Enregistrer sous > Classeur Excel .xlsx)"


@dataclass
class Examen:
    """Résultat de l'examen d'un classeur.

    Attributes
    ----------
    problemes : list of Probleme
        Défauts qui refusent le classeur.
    avertissements : list of Probleme
        Ce qui est signalé sans refuser (feuilles, lignes, colonnes masquées ; feuilles ignorées).
    bloquant : bool
        Vrai si le classeur ne doit pas être lu par calamine.
    feuilles : list of str
        Noms des feuilles trouvées.
    signalees : set of (feuille, cellule)
        Cellules déjà en défaut (la lecture ne les signale pas une seconde fois).
    """

    problemes: list[Probleme] = field(default_factory=list)
    avertissements: list[Probleme] = field(default_factory=list)
    bloquant: bool = False
    feuilles: list[str] = field(default_factory=list)
    signalees: set[tuple[str, str]] = field(default_factory=set)

    def refuser(self, fichier: str, message: str, feuille: str | None = None) -> Examen:
        self.problemes.append(Probleme(fichier, message, feuille))
        self.bloquant = True
        return self


def _signature(chemin: Path, fichier: str, taille: int, ex: Examen) -> bytes | None:
    """Premiers octets du fichier ; ``None`` (problème signalé) s'il ne s'ouvre pas."""
    try:
        with open(chemin, "rb") as flux:
            debut = flux.read(512)
            if debut.startswith(_OLE):
                debut += flux.read(taille)  # borné par classeur.taille_max_octets
    except PermissionError:
        ex.refuser(fichier, "fichier illisible (droits d'accès refusés) : attendu un fichier "
                   "lisible par l'utilisateur qui lance l'ingestion")
        return None
    except OSError as exc:
        ex.refuser(fichier, f"fichier illisible ({exc.strerror or exc}) : attendu un fichier "
                   "lisible")
        return None
    return debut


def _format(fichier: str, debut: bytes, ex: Examen) -> None:
    """Refuse un fichier qui n'est pas une archive zip, en disant ce qu'il est."""
    if debut.startswith(_OLE):
        if _CHIFFRE in debut:
            ex.refuser(fichier, "classeur protégé par un mot de passe (chiffré) : attendu un "
                       "classeur sans mot de passe (Fichier > Informations > Protéger le "
                       "classeur > Chiffrer avec mot de passe : effacer le mot de passe)")
        elif any(s in debut for s in _XLS):
            ex.refuser(fichier, "ancien format Excel 97-2003 (.xls) renommé en .xlsx : " + _SAUVER)
        else:
            ex.refuser(fichier, "document Office ancien format (OLE), pas un classeur : " + _SAUVER)
        return
    extrait = debut[:8]
    texte = debut.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\ufffd")
    est_texte = bool(texte) and all(c.isprintable() or c in "\t\r\n" for c in texte)
    if est_texte:
        ex.refuser(fichier, "fichier texte (CSV, HTML…) nommé .xlsx : " + _SAUVER)
    else:
        ex.refuser(fichier, f"format non reconnu (début : {extrait.hex(' ')}) : " + _SAUVER)


def _archive(z: zipfile.ZipFile, fichier: str, lim: Limites, ex: Examen) -> bool:
    """Contrôles de l'archive sur la liste de ses parties (rien n'est décompressé).

    Rend vrai si ses parties peuvent être lues en flux sans risque : une liaison externe refuse
    le classeur mais n'empêche pas de lire ses feuilles, pour nommer les cellules qui s'en
    servent."""
    infos = z.infolist()
    noms = [i.filename for i in infos]
    cl, src = lim.classeur, lim.source
    if len(infos) > cl.parties_max:
        ex.refuser(fichier, f"archive de {len(infos)} parties : attendu au plus {cl.parties_max} "
                   f"(classeur.parties_max de {src})")
        return False
    if len(set(noms)) != len(noms):
        ex.refuser(fichier, "archive ambiguë (deux parties du même nom) : " + _SAUVER)
        return False
    if "mimetype" in noms and "xl/workbook.xml" not in noms:
        ex.refuser(fichier, "classeur OpenDocument (.ods) renommé en .xlsx : " + _SAUVER)
        return False
    if "xl/workbook.xml" not in noms:
        quoi = ("document Word" if "word/document.xml" in noms
                else "présentation PowerPoint" if "ppt/presentation.xml" in noms
                else "archive zip sans classeur (xl/workbook.xml absent)")
        ex.refuser(fichier, f"{quoi}, pas un classeur : " + _SAUVER)
        return False
    macros = any(n.lower().endswith("vbaproject.bin") for n in noms)
    if macros:
        ex.refuser(fichier, "classeur avec macros (.xlsm, xl/vbaProject.bin) : attendu un "
                   "classeur .xlsx sans macro")
    liaisons = [n for n in noms if n.startswith("xl/externalLinks/") and n.endswith(".xml")]
    for nom in liaisons[:3]:
        try:
            relations = parties.relations(z, posixpath_rels(nom)) if _petite(z, nom, cl) else []
        except parties.PartieInvalide:
            relations = []  # la liaison est refusée de toute façon ; sa cible reste inconnue
        vers = next((r.get("Target", "") for r in relations), "")
        ex.refuser(fichier, f"liaison externe ({nom}{' vers « ' + vers + ' »' if vers else ''})"
                   " : attendu un classeur sans liaison à un autre fichier (Données > Modifier "
                   "les liens d'accès > Rompre la liaison)")
    lisible = len(ex.problemes)
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            ex.refuser(fichier, f"partie « {info.filename} » chiffrée : " + _SAUVER)
        elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            ex.refuser(fichier, f"partie « {info.filename} » compressée par une méthode inconnue "
                       f"({info.compress_type}) : " + _SAUVER)
        elif info.file_size > cl.partie_max_octets:
            ex.refuser(fichier, f"partie « {info.filename} » de {info.file_size} octets une fois "
                       f"décompressée : attendu au plus {cl.partie_max_octets} "
                       f"(classeur.partie_max_octets de {src})")
    if total > cl.total_max_octets:
        ex.refuser(fichier, f"archive de {total} octets une fois décompressée : attendu au plus "
                   f"{cl.total_max_octets} (classeur.total_max_octets de {src})")
    return not macros and len(ex.problemes) == lisible


def posixpath_rels(nom: str) -> str:
    """Fichier de relations d'une partie : ``xl/a/b.xml`` -> ``xl/a/_rels/b.xml.rels``."""
    dossier, _, base = nom.rpartition("/")
    return f"{dossier}/_rels/{base}.rels"


def _petite(z: zipfile.ZipFile, nom: str, cl) -> bool:
    rels = posixpath_rels(nom)
    return rels in z.NameToInfo and z.NameToInfo[rels].file_size <= cl.partie_max_octets


def _contenu(z: zipfile.ZipFile, fichier: str, lim: Limites,
             attendues: dict[str, tuple[str, ...]], ex: Examen) -> None:
    """Lit chaque partie en flux : feuilles, styles, textes partagés, puis tout le reste."""
    cl = lim.classeur
    lues: set[str] = set()
    compteur = parties.Compteur(cl.elements_max, f"classeur.elements_max de {lim.source}")

    def refuser_partie(nom: str, raison: str) -> None:
        ex.refuser(fichier, f"partie « {nom} » : {raison} : " + _SAUVER)

    try:
        declarees, externe = parties.feuilles(z, compteur)
        lues.add("xl/workbook.xml")
        rels = {r.get("Id"): r
                for r in parties.relations(z, "xl/_rels/workbook.xml.rels", compteur)}
        lues.add("xl/_rels/workbook.xml.rels")
    except parties.PartieInvalide as exc:
        refuser_partie("xl/workbook.xml", str(exc))
        return
    if externe or any(_LIAISON in r.get("Type", "") for r in rels.values()):
        if not any("liaison externe" in p.message for p in ex.problemes):
            ex.refuser(fichier, "liaison externe déclarée par le classeur : attendu un classeur "
                       "sans liaison à un autre fichier (Données > Modifier les liens d'accès > "
                       "Rompre la liaison)")
    par_type = {r.get("Type", "").rpartition("/")[2]: parties.cible("xl", r.get("Target", ""))
                for r in rels.values()}
    try:
        dates = parties.styles_date(z, par_type.get("styles"), compteur)
    except parties.PartieInvalide as exc:
        refuser_partie(par_type.get("styles", ""), str(exc))
        return
    try:
        chaines = parties.chaines(z, par_type.get("sharedStrings"), cl.chaines_max,
                                  cl.texte_max_caracteres, compteur)
    except parties.PartieInvalide as exc:
        refuser_partie(par_type.get("sharedStrings", ""), str(exc))
        return
    lues.update(n for n in (par_type.get("styles"), par_type.get("sharedStrings")) if n)
    ex.feuilles = [f.get("name", "") for f in declarees]
    for decl in declarees:
        nom = decl.get("name", "")
        lue = nom in attendues
        etat = decl.get("state", "visible")
        if etat in ("hidden", "veryHidden"):
            suite = "ses valeurs sont lues quand même" if lue else "ignorée"
            ex.avertissements.append(Probleme(fichier, f"feuille masquée : {suite}", nom))
        elif not lue and nom != "Instructions":
            ex.avertissements.append(Probleme(fichier, "feuille inattendue, ignorée", nom))
        rel = rels.get(decl.get("id"))
        partie = parties.cible("xl", rel.get("Target", "")) if rel else None
        if partie is None or partie not in z.NameToInfo:
            ex.refuser(fichier, f"partie de la feuille absente ({partie or 'sans relation'}) : "
                       "classeur mal formé", nom)
            continue
        if not rel.get("Type", "").endswith("/worksheet"):
            if lue:
                ex.refuser(fichier, "feuille de graphique ou de macros, pas une feuille de "
                           "calcul : attendu une feuille de calcul", nom)
            continue
        examen = ExamenFeuille(fichier, nom, attendues.get(nom), cl, dates, chaines, lim.source)
        arret = False
        try:
            parties.analyser(z, partie, examen.debut, examen.fin, examen.texte, compteur)
        except parties.PartieInvalide as exc:
            refuser_partie(partie, str(exc))
            arret = True
        except ZoneDepassee:
            arret = True  # classeur refusé : ni la suite de la feuille, ni les autres parties
        lues.add(partie)
        ex.problemes += examen.problemes
        ex.avertissements += examen.avertissements
        ex.bloquant |= examen.bloquant
        ex.signalees |= {(nom, c) for c in examen.signalees}
        if arret:
            return
    for info in z.infolist():
        if info.filename not in lues and not info.is_dir():
            try:
                parties.parcourir(z, info.filename)
            except parties.PartieInvalide as exc:
                refuser_partie(info.filename, str(exc))


def examiner(chemin: Path, fichier: str, attendues: dict[str, tuple[str, ...]],
             lim: Limites | None = None) -> Examen:
    """Examine un classeur reçu sans bibliothèque de lecture de tableur.

    Parameters
    ----------
    chemin : Path
        Fichier reçu (non résolu : un lien symbolique est refusé).
    fichier : str
        Nom cité dans les messages (relatif à la racine des données).
    attendues : dict of str to tuple of str
        Feuilles lues au chargement -> en-têtes attendus.
    lim : Limites, optional
        Défaut : ``limites.toml`` du paquet.

    Returns
    -------
    Examen
    """
    lim = lim or limites()
    ex = Examen()
    try:
        etat = os.lstat(chemin)
    except OSError as exc:
        return ex.refuser(fichier, f"fichier inaccessible ({exc.strerror or exc})")
    if stat.S_ISLNK(etat.st_mode):
        vers = os.readlink(chemin)
        return ex.refuser(fichier, f"lien symbolique (vers « {vers} ») : attendu le classeur "
                          "lui-même, copié dans le dossier des classeurs reçus")
    if stat.S_ISDIR(etat.st_mode):
        return ex.refuser(fichier, "dossier nommé comme un classeur : " + _SAUVER)
    if not stat.S_ISREG(etat.st_mode):
        return ex.refuser(fichier, "pas un fichier ordinaire (tube, périphérique…) : " + _SAUVER)
    if etat.st_size == 0:
        return ex.refuser(fichier, "fichier vide (0 octet) : " + _SAUVER)
    if etat.st_size > lim.classeur.taille_max_octets:
        return ex.refuser(fichier, f"fichier de {etat.st_size} octets : attendu au plus "
                          f"{lim.classeur.taille_max_octets} (classeur.taille_max_octets de "
                          f"{lim.source})")
    debut = _signature(chemin, fichier, etat.st_size, ex)
    if debut is None:
        return ex
    if not debut.startswith(b"PK"):
        _format(fichier, debut, ex)
        return ex
    try:
        with zipfile.ZipFile(chemin) as z:
            if _archive(z, fichier, lim, ex):
                _contenu(z, fichier, lim, attendues, ex)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError,
            OSError, NotImplementedError) as exc:
        ex.refuser(fichier, f"archive zip endommagée ({exc}) : " + _SAUVER)
    except Exception as exc:  # noqa: BLE001 - un classeur incompris est refusé, jamais lu
        ex.refuser(fichier, f"classeur incompréhensible (examen arrêté : {type(exc).__name__}) "
                   ": " + _SAUVER)
    return ex
