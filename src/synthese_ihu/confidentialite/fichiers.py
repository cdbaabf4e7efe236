"""Analyse des fichiers d'un dossier publié : PDF, CSV et JSON, carnets, noms de fichiers.

- **PDF** (pypdf) : une ligne qui nomme un IHU ne porte aucun nombre ; chaque nom ou code n'y
  apparaît pas plus souvent que dans les blocs autorisés du HTML ; métadonnées, XMP, signets,
  liens et pièces jointes sans nom ni code.
- **Textes** (CSV, JSON…) : ni nom, ni code, ni ville propre à un IHU — sauf le CSV de la carte
  (noms, lieux et coordonnées publiques des villes, aucune autre colonne) et ``provenance.csv``,
  dont une ligne peut nommer le classeur d'un IHU avec son sha256 mais aucun autre nombre.
- **Carnets** livrés : sorties HTML comme le rapport, le reste comme un texte.
- **Noms de fichiers** : ni nom ni code, rien de la variante interne.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from synthese_ihu.confidentialite.analyse_html import FIGURES_NOMINATIVES, NOMBRE, analyser_html
from synthese_ihu.confidentialite.reperes import Fuite, Reperes
from synthese_ihu.statuts import STATUTS


def texte_pdf(chemin: Path) -> list[str]:
    """Texte de chaque page d'un PDF, par ``pdftotext`` (poppler ; ≈ 0,4 s pour un rapport,
    là où ``pypdf.extract_text`` prend plus de vingt fois plus longtemps)."""
    try:
        sortie = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(chemin), "-"],
            capture_output=True,
            check=True,
            timeout=120,
        )
    except FileNotFoundError:
        raise RuntimeError(
            "pdftotext introuvable : installer poppler-utils (scripts/paquets-systeme.sh)"
        ) from None
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(
            f"{chemin.name} : PDF illisible par pdftotext "
            f"({exc.stderr.decode('utf-8', 'replace').strip()})"
        ) from None
    pages = sortie.stdout.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def analyser_pdf(chemin: Path, reperes: Reperes, autorises: list[str]) -> list[Fuite]:
    """Texte (ligne par ligne), métadonnées, plan, liens et pièces jointes d'un PDF."""
    from pypdf import PdfReader  # importé seulement quand un PDF est analysé

    fuites: list[Fuite] = []
    nom = chemin.name
    lecteur = PdfReader(chemin)
    total: Counter = Counter()
    for numero, texte in enumerate(texte_pdf(chemin), start=1):
        for ligne in texte.splitlines():
            trouves = reperes.chercher(ligne, pdf=True)
            if trouves and NOMBRE.search(ligne):
                fuites.append(Fuite(nom, f"page {numero}, ligne chiffrée", tuple(trouves), ligne))
        total += reperes.compter(texte)
    for numero, page in enumerate(lecteur.pages, start=1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            if trouves := reperes.chercher(unquote(uri), identifiant=True):
                fuites.append(Fuite(nom, f"page {numero}, lien", tuple(trouves), uri))
    permis = reperes.compter(" \n ".join(autorises))
    for repere, n in sorted(total.items()):
        if n > permis.get(repere, 0):
            fuites.append(
                Fuite(
                    nom,
                    "texte du PDF",
                    (repere,),
                    f"{n} occurrence(s) pour {permis.get(repere, 0)} permise(s) "
                    "par les blocs autorisés du HTML",
                )
            )
    for cle, valeur in (lecteur.metadata or {}).items():
        if trouves := reperes.chercher(str(valeur)):
            fuites.append(Fuite(nom, f"métadonnée {cle}", tuple(trouves), str(valeur)))
    xmp = lecteur.trailer["/Root"].get("/Metadata")
    if xmp is not None:
        contenu = xmp.get_object().get_data().decode("utf-8", "replace")
        if trouves := reperes.chercher(contenu):
            fuites.append(Fuite(nom, "métadonnées XMP", tuple(trouves), contenu))

    def plan(entrees):
        for entree in entrees:
            if isinstance(entree, list):
                yield from plan(entree)
            else:
                yield str(entree.title)

    for titre in plan(lecteur.outline):
        if trouves := reperes.chercher(titre):
            fuites.append(Fuite(nom, "signet", tuple(trouves), titre))
    for fichier_joint in getattr(lecteur, "attachments", {}) or {}:
        if trouves := reperes.chercher(fichier_joint, identifiant=True):
            fuites.append(Fuite(nom, "pièce jointe", tuple(trouves), fichier_joint))
    return fuites


#: Ligne de ``provenance.csv`` qui nomme le classeur d'un IHU : chemin et sha256, rien d'autre.
PROVENANCE_CLASSEUR = re.compile(r"campagnes/\d{4}/[a-z0-9_]+_\d{4}\.xlsx,[0-9a-f]{64}")


def analyser_texte(nom: str, texte: str, reperes: Reperes) -> list[Fuite]:
    """Un fichier texte publié (CSV, JSON, …) : aucun nom, code ni ville propre à un IHU."""
    fuites = []
    provenance = Path(nom).name == "provenance.csv"
    for numero, ligne in enumerate(texte.splitlines(), start=1):
        trouves = reperes.chercher(ligne, villes=True)
        trouves += [t for t in reperes.chercher(ligne, identifiant=True) if t not in trouves]
        if not trouves:
            continue
        if provenance and PROVENANCE_CLASSEUR.fullmatch(ligne.strip()):
            continue
        lieu = f"ligne {numero}"
        if provenance and PROVENANCE_CLASSEUR.match(ligne.strip()):
            lieu += " (classeur d'un IHU avec une autre valeur que son sha256)"
        fuites.append(Fuite(nom, lieu, tuple(trouves), ligne))
    return fuites


#: Colonnes permises dans le CSV d'une figure nominative (aucune valeur par IHU) ; ``statut``
#: n'y prend que les mots de :data:`synthese_ihu.statuts.STATUTS`.
COLONNES_NOMINATIVES = ("nom", "ville", "region", "appel", "groupe", "latitude", "longitude",
                        "statut")


def analyser_csv_nominatif(
    nom: str, texte: str, villes: dict[str, tuple[float, float]] | None = None
) -> list[Fuite]:
    """CSV d'une figure nominative : colonnes de :data:`COLONNES_NOMINATIVES` seulement, et
    chaque nombre est la coordonnée publique de la ville de la ligne (``data/geo/villes.csv``)."""
    from synthese_ihu.figures import carte

    villes = villes if villes is not None else carte.villes()
    lignes = list(csv.reader(texte.splitlines()))
    if not lignes:
        return []
    entete = lignes[0]
    fuites = []
    if set(entete) - set(COLONNES_NOMINATIVES):
        fuites.append(
            Fuite(
                nom,
                "colonnes d'une figure nominative",
                (),
                ", ".join(sorted(set(entete) - set(COLONNES_NOMINATIVES))),
            )
        )
        return fuites
    for numero, ligne in enumerate(lignes[1:], start=2):
        champs = dict(zip(entete, ligne, strict=False))
        if "statut" in champs and champs["statut"] not in STATUTS:
            fuites.append(Fuite(nom, f"ligne {numero} (statut inconnu)", (), ",".join(ligne)))
        attendu = villes.get(champs.get("ville", ""))
        trouve = tuple(float(champs[c]) for c in ("latitude", "longitude") if c in champs)
        if attendu is None or (trouve and trouve != attendu[: len(trouve)]):
            fuites.append(
                Fuite(
                    nom,
                    f"ligne {numero} (coordonnées qui ne sont pas celles de la ville)",
                    (),
                    ",".join(ligne),
                )
            )
    return fuites


def analyser_carnet(nom: str, texte: str, reperes: Reperes, par_ihu: set[str]) -> list[Fuite]:
    """Un carnet livré : sorties HTML comme le rapport, tout le reste comme un texte."""
    carnet = json.loads(texte)
    fuites = []
    for rang, cellule in enumerate(carnet.get("cells", []), start=1):
        reste = dict(cellule)
        sorties = reste.pop("outputs", [])
        fuites += analyser_texte(
            f"{nom} cellule {rang}", json.dumps(reste, ensure_ascii=False), reperes
        )
        for sortie in sorties:
            donnees = dict(sortie.get("data", {}))
            html = donnees.pop("text/html", None)
            if html is not None:
                html = "".join(html) if isinstance(html, list) else html
                fuites += analyser_html(html, f"{nom} cellule {rang}", reperes, par_ihu).fuites
            autre = {k: v for k, v in sortie.items() if k != "data"} | {"data": donnees}
            fuites += analyser_texte(f"{nom} cellule {rang}", json.dumps(autre), reperes)
    meta = json.dumps(carnet.get("metadata", {}), ensure_ascii=False)
    return fuites + analyser_texte(f"{nom} métadonnées", meta, reperes)


def analyser_dossier(dossier: Path, reperes: Reperes, par_ihu: set[str]) -> list[Fuite]:
    """Tous les fichiers d'un dossier de rapport public (voir la docstring du module)."""
    fuites: list[Fuite] = []
    fichiers = sorted(p for p in dossier.rglob("*") if p.is_file())
    autorises: list[str] = []
    for chemin in dossier.rglob("*"):
        relatif = chemin.relative_to(dossier).as_posix()
        if trouves := reperes.chercher(relatif, identifiant=True):
            fuites.append(Fuite(relatif, "nom de fichier", tuple(trouves), relatif))
        if "diffusion-restreinte" in relatif or "interne" in chemin.relative_to(dossier).parts:
            fuites.append(Fuite(relatif, "variante interne dans le dossier public", (), relatif))
    for chemin in fichiers:
        relatif = chemin.relative_to(dossier).as_posix()
        suffixe = chemin.suffix.lower()
        if suffixe in {".html", ".htm", ".svg"}:
            texte = chemin.read_text(encoding="utf-8")
            analyse = analyser_html(
                texte, relatif, reperes, par_ihu, figure="svg" if suffixe == ".svg" else None
            )
            fuites += analyse.fuites
            autorises += analyse.autorises
            if suffixe != ".svg" and "diffusion restreinte" in texte.lower():
                fuites.append(
                    Fuite(relatif, "mention de la variante interne", (), "Diffusion restreinte")
                )
        elif suffixe == ".ipynb":
            fuites += analyser_carnet(relatif, chemin.read_text(encoding="utf-8"), reperes, par_ihu)
    for chemin in fichiers:
        relatif = chemin.relative_to(dossier).as_posix()
        suffixe = chemin.suffix.lower()
        if suffixe == ".pdf":
            fuites += analyser_pdf(chemin, reperes, autorises)
        elif relatif in {f"donnees/{f}.csv" for f in FIGURES_NOMINATIVES}:
            fuites += analyser_csv_nominatif(relatif, chemin.read_text(encoding="utf-8"))
        elif suffixe not in {".html", ".htm", ".svg", ".ipynb"}:
            contenu = chemin.read_bytes()
            try:
                texte = contenu.decode("utf-8")
            except UnicodeDecodeError:
                fuites.append(Fuite(relatif, "fichier binaire non analysable", (), relatif))
                continue
            fuites += analyser_texte(relatif, texte, reperes)
    return fuites
