"""Confidentialité du rapport public : aucun nom ni code d'IHU à côté d'une valeur par IHU.

Le rapport PUBLIC de chaque année 2012-2022 est construit une fois par session (dossier jetable,
dossier de construction propre, deux constructions à la fois), puis l'analyse ci-dessous passe
sur chaque fichier publié. Les repères cherchés viennent de ``data/raw/referentiel/ihu.csv`` :
le nom (« ICAN », « Méditerranée Infection », « Mix Surg »…) et le code (« ican », « mi »,
« mixsurg »…) de chaque IHU, sans casse, en mots entiers (un code court ne se trouve ni dans
« mini » ni dans « mi-parcours »), et, dans les figures par IHU et les exports, la ville d'un IHU
quand elle n'en désigne qu'un.

Ce que l'analyse vérifie (chaque point donne une « fuite » qui fait échouer le test) :

1. **HTML, texte** : un nom ou un code n'apparaît que dans les blocs autorisés — tableau des IHU
   (ouverture), carte des IHU (figure nominative : noms et lieux, y compris son texte
   alternatif), tableau des catégories du Web of Science, tableaux IHU3 et MEDITWIN des faits
   marquants (reconnus à leur légende ``<caption>``), tableau des classeurs de campagne du
   colophon (codes en en-tête de colonne, empreintes sha256), préambule (section
   « Présentation de l'action », hors figures) ; dans ces blocs, la ligne (``<tr>``) ou le
   paragraphe qui nomme un IHU ne porte aucun nombre (aucune valeur). Partout ailleurs —
   narration, chiffres clés, légendes, sommaire, ``<title>``, ``<style>`` — un nom ou un code est
   une fuite.
2. **HTML, attributs** : ``id``, ``class``, ``aria-label``, ``alt``, ``title``, ``href``,
   ``data-*`` et tout autre attribut, de tout élément (HTML et SVG en ligne), n'ont ni nom ni code
   (dans ``id``/``class``/``href``/``data-*``, ``_``, ``-`` et ``.`` séparent aussi les mots :
   ``id="barre-mi"`` est une fuite) ; une image ``data:`` en SVG ou en texte est décodée et
   analysée de même.
3. **Figures par IHU** (``figures.FIGURES[...].par_ihu``) : leur ``<figure>`` entier — SVG
   (``<text>``, identifiants), ``aria-label``, légende — ne contient ni nom, ni code, ni ville
   propre à un IHU, et chaque figure par IHU de l'année est bien présente dans le HTML (le
   contrôle ne passe pas à vide).
4. **PDF, texte** (pypdf) : une ligne qui nomme un IHU ne porte aucun nombre, et chaque nom ou
   code n'apparaît pas plus souvent dans le PDF que dans les blocs autorisés du HTML (une
   graduation « ican » ajoutée par une figure serait en trop).
5. **PDF, métadonnées et structure** : dictionnaire d'informations (titre, auteur, sujet, mots
   clés…), métadonnées XMP, titres du signet (plan), liens des annotations, noms des fichiers
   joints : ni nom ni code.
6. **Autres fichiers publiés** : exports de données des figures (``donnees/*.csv`` quand ils
   existent), schémas JSON, carnets ``.ipynb`` éventuellement livrés, tout fichier texte : ni
   nom, ni code, ni ville propre à un IHU — sauf ``donnees/carte_ihu.csv`` (noms, lieux et
   coordonnées publiques des villes, aucune autre colonne) et ``donnees/provenance.csv``, dont
   une ligne peut nommer le classeur d'un IHU (``campagnes/<année>/<ihu>_<année>.xlsx``) avec
   son sha256 mais sans autre nombre (la taille du classeur d'un IHU est une donnée sur cet
   IHU) ; un carnet livré est analysé comme le HTML (sorties HTML) et comme un texte (sources,
   sorties, métadonnées).
7. **Noms de fichiers** du dossier publié : ni nom ni code, et rien de la variante interne
   (ni ``diffusion-restreinte`` dans un nom, ni dossier ``interne``, ni « Diffusion restreinte »
   dans le HTML public).
8. **Ordres des figures par IHU** (:func:`synthese_ihu.figures.ordres_ihu`, clés de tri
   réellement utilisées relevées pendant le calcul) : chaque figure range les IHU dans l'ordre de
   sa propre clé ; deux figures ne partagent le même ordre que si leurs valeurs l'imposent
   (aucun ex æquo dans l'une ni l'autre) ; sinon l'ordre commun est une fuite.
9. **Séries rapprochables d'une liste nominative** : voir ``test_series_nominatives.py`` (les
   références France et monde par IHU, recalculables à partir des catégories nommées, ne sont
   jamais publiées par rang).

Un test unitaire fait passer l'analyse sur un HTML, un SVG, un PDF et un CSV falsifiés (un nom à
côté d'une valeur) et vérifie qu'elle les signale : l'analyse peut échouer.
"""

from __future__ import annotations

import base64
import csv
import itertools
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from pypdf import PdfReader

from synthese_ihu import chemins, figures
from synthese_ihu.figures import anonymisation

ANNEES = list(range(2012, 2023))  # comme conftest.ANNEES (rapports_publics)

#: Légendes (``<caption>``) des seuls tableaux autorisés à nommer des IHU.
LEGENDES_AUTORISEES = (
    "Les IHU, leur ville et leur appel à projets",
    "Domaines de recherche de chaque IHU",
    "Les IHU retenus en 2023 (appel IHU3)",
    "Les partenaires du consortium MEDITWIN",
    "Classeurs de campagne",  # colophon : un code d'IHU par colonne, des sha256, aucune valeur
)
#: ``id`` du titre de la section d'ouverture (préambule) : ses paragraphes peuvent nommer un IHU.
TITRE_PREAMBULE = "sec-presentation-de-l-action"
#: Figures nominatives (noms et lieux, aucune valeur) : autorisées comme le tableau des IHU —
#: leurs textes (SVG, texte alternatif) peuvent nommer un IHU s'ils ne portent aucun nombre, et
#: leur CSV ne porte que des noms, des lieux et les coordonnées publiques des villes.
FIGURES_NOMINATIVES = {"carte_ihu"}

#: Attributs en prose (les traits d'union y lient les mots, comme dans le texte).
ATTRIBUTS_PROSE = {"aria-label", "alt", "title", "content", "aria-description", "summary"}
#: Éléments qui forment une « unité » de texte (une ligne de tableau, un paragraphe…).
UNITES = {
    "tr", "p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption",
    "text", "title", "desc", "pre", "blockquote", "style", "script", "td", "th",
}
VIDES = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}
#: Un nombre écrit seul (pas « IHU1 », ni « Immun4Cure ») : 2022, 31 639, 12,5, -8,0.
NOMBRE = re.compile(r"(?<![\w])[-+−]?\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?![\w])")


# --------------------------------------------------------------------------------------------
# Repères : noms, codes, villes


def _sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Reperes:
    """Ce qui identifie un IHU : noms et codes (partout), villes propres à un IHU (figures)."""

    noms: tuple[str, ...]
    villes: tuple[str, ...] = ()

    def _motif(self, termes: tuple[str, ...], identifiant: bool, pdf: bool) -> re.Pattern | None:
        if not termes:
            return None
        # prose : lettres, chiffres, « _ » et « - » font partie du mot ; identifiant : seuls les
        # lettres et chiffres (``barre-mi``, ``ihu_mi``, ``mi.svg`` contiennent le code « mi ») ;
        # PDF : lettres et « - » seulement, car l'extraction colle parfois deux textes voisins
        # (« figure)ican325 % »).
        bord = r"[^\W_]" if identifiant else r"[^\W\d_]|-" if pdf else r"[\w-]"
        separateur = r"[\W_]+" if identifiant else r"[\s\u00a0\u202f]+"
        alternatives = sorted(
            {separateur.join(map(re.escape, re.split(r"[\s_]+", t.strip()))) for t in termes},
            key=len,
            reverse=True,
        )
        return re.compile(
            rf"(?<!{bord.split('|')[0]})(?<!-)(?:{'|'.join(alternatives)})(?!{bord})"
            if pdf else rf"(?<!{bord})(?:{'|'.join(alternatives)})(?!{bord})",
            re.IGNORECASE,
        )

    def chercher(self, texte: str, *, identifiant: bool = False, villes: bool = False,
                 pdf: bool = False) -> list[str]:
        """Repères trouvés dans ``texte`` (mots entiers, sans casse)."""
        trouves = []
        for termes in (self.noms, self.villes if villes else ()):
            motif = self._motif(tuple(termes), identifiant, pdf)
            if motif is not None:
                trouves += [m.group(0) for m in motif.finditer(texte)]
        return trouves

    def compter(self, texte: str) -> Counter:
        """Occurrences de chaque repère, bornes du PDF (clé : minuscules sans accents)."""
        return Counter(_sans_accents(re.sub(r"\s+", " ", t)).lower()
                       for t in self.chercher(texte, pdf=True))


def reperes_du_referentiel(fichier: Path | None = None) -> Reperes:
    """Noms et codes de tous les IHU du référentiel ; villes qui ne désignent qu'un IHU suivi."""
    ref = pd.read_csv(fichier or chemins.DONNEES_BRUTES / "referentiel" / "ihu.csv", dtype=str)
    noms = tuple(sorted(set(ref["nom"]) | set(ref["ihu"])))
    suivis = ref.loc[ref["premiere_annee_indicateurs"].notna()]
    par_ville = suivis.groupby("ville")["ihu"].nunique()
    return Reperes(noms=noms, villes=tuple(sorted(par_ville.index[par_ville == 1])))


# --------------------------------------------------------------------------------------------
# Analyse


@dataclass(frozen=True)
class Fuite:
    """Un repère d'IHU trouvé là où il ne doit pas être."""

    fichier: str
    lieu: str
    reperes: tuple[str, ...]
    extrait: str

    def __str__(self) -> str:
        return f"{self.fichier} [{self.lieu}] {', '.join(self.reperes)} : « {self.extrait[:160]} »"


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    autorise: bool = False  # dans un bloc autorisé (tableau reconnu, préambule)
    figure: str | None = None  # identifiant de la figure englobante
    texte: list[str] = field(default_factory=list)
    legende: str = ""  # <caption> d'un tableau


class _AnalyseHTML(HTMLParser):
    """Parcourt le HTML (SVG en ligne compris) en unités de texte, avec leur zone."""

    def __init__(self, fichier: str, reperes: Reperes, par_ihu: set[str]):
        super().__init__(convert_charrefs=True)
        self.fichier, self.reperes, self.par_ihu = fichier, reperes, par_ihu
        self.pile: list[_Element] = []
        self.fuites: list[Fuite] = []
        self.autorises: list[str] = []  # unités autorisées qui nomment un IHU
        self.figures_vues: set[str] = set()
        self.preambule = False
        self.tableaux: list[list[tuple[_Element, str]]] = []  # unités en attente de la légende

    # zones ---------------------------------------------------------------------------------
    def _figure(self) -> str | None:
        return next((e.figure for e in reversed(self.pile) if e.figure), None)

    def _autorise(self) -> bool:
        return any(e.autorise for e in self.pile)

    def _fuite(self, lieu: str, reperes: list[str], extrait: str) -> None:
        self.fuites.append(Fuite(self.fichier, lieu, tuple(reperes), " ".join(extrait.split())))

    # attributs -------------------------------------------------------------------------------
    def _attributs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        stricte = self._figure() in self.par_ihu
        nominative = self._figure() in FIGURES_NOMINATIVES
        for nom, valeur in attrs:
            if not valeur:
                continue
            if valeur.startswith("data:"):
                self._donnee_uri(tag, nom, valeur)
                continue
            prose = nom in ATTRIBUTS_PROSE
            trouves = self.reperes.chercher(valeur, identifiant=not prose, villes=stricte)
            if trouves and nominative and prose and not NOMBRE.search(valeur):
                continue  # texte alternatif de la carte : des noms et des lieux, aucun nombre
            if trouves:
                self._fuite(f"<{tag} {nom}>", trouves, valeur)

    def _donnee_uri(self, tag: str, nom: str, valeur: str) -> None:
        entete, _, corps = valeur.partition(",")
        if not re.match(r"data:(image/svg\+xml|text/)", entete):
            return
        contenu = (base64.b64decode(corps).decode("utf-8", "replace") if ";base64" in entete
                   else unquote(corps))
        sous = analyser_html(contenu, f"{self.fichier} <{tag} {nom}=data:…>", self.reperes,
                             self.par_ihu, figure=self._figure() or "data-uri")
        self.fuites += sous.fuites

    # arbre -----------------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._attributs(tag, attrs)
        if tag in VIDES:
            return
        d = {k: v or "" for k, v in attrs}
        if tag == "h1":
            self.preambule = d.get("id") == TITRE_PREAMBULE
        element = _Element(tag, d, figure=d.get("data-figure") if tag == "figure" else None)
        if element.figure:
            self.figures_vues.add(element.figure)
        if self.preambule and tag in {"p", "li"} and not self._figure():
            element.autorise = True
        if tag == "table":
            self.tableaux.append([])
        self.pile.append(element)

    def handle_startendtag(self, tag, attrs):
        self._attributs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VIDES or not any(e.tag == tag for e in self.pile):
            return
        while self.pile:
            element = self.pile.pop()
            self._fermer(element)
            if element.tag == tag:
                break

    def handle_data(self, data):
        for element in reversed(self.pile):
            if element.tag in UNITES or element.tag in {"figure", "table", "div", "body", "svg"}:
                element.texte.append(data)
                break
        else:
            if data.strip():
                self._verifier(_Element("(racine)", {}), data)

    def _fermer(self, element: _Element) -> None:
        texte = " ".join("".join(element.texte).split())
        if element.tag == "caption" and self.tableaux:
            for parent in reversed(self.pile):
                if parent.tag == "table":
                    parent.legende = texte
                    break
        if element.tag == "table" and self.tableaux:
            en_attente = self.tableaux.pop()
            autorise = any(leg in element.legende for leg in LEGENDES_AUTORISEES)
            for unite, contenu in en_attente:
                self._verifier(unite, contenu, autorise=autorise)
            if texte:
                self._verifier(element, texte)
            return
        if element.tag in {"td", "th"} and self._dans_tableau():
            # le texte d'une cellule remonte à sa ligne : la ligne est l'unité
            for parent in reversed(self.pile):
                if parent.tag == "tr":
                    parent.texte.append(" " + texte + " ")
                    return
        if not texte:
            return
        if self._dans_tableau() and element.tag in {"tr", "caption"}:
            self.tableaux[-1].append((element, texte))
            return
        self._verifier(element, texte)

    def _dans_tableau(self) -> bool:
        return bool(self.tableaux) and any(e.tag == "table" for e in self.pile)

    def _verifier(self, element: _Element, texte: str, *, autorise: bool | None = None) -> None:
        figure = element.figure or self._figure()
        stricte = figure in self.par_ihu
        trouves = self.reperes.chercher(texte, villes=stricte)
        if not trouves:
            return
        if autorise is None:
            autorise = ((element.autorise or self._autorise()) and not figure
                        or figure in FIGURES_NOMINATIVES)
        if stricte:
            self._fuite(f"figure par IHU « {figure} » <{element.tag}>", trouves, texte)
        elif not autorise:
            self._fuite(f"<{element.tag}> hors des blocs autorisés", trouves, texte)
        elif NOMBRE.search(texte):
            nombres = NOMBRE.findall(texte)
            self._fuite(f"<{element.tag}> autorisé mais chiffré ({', '.join(nombres)})",
                        trouves, texte)
        else:
            self.autorises.append(texte)

    def close(self):
        super().close()
        while self.pile:
            self._fermer(self.pile.pop())


def analyser_html(html: str, fichier: str, reperes: Reperes, par_ihu: set[str],
                  figure: str | None = None) -> _AnalyseHTML:
    """Analyse un document HTML (ou un SVG) ; ``figure`` : tout le document est cette figure."""
    analyse = _AnalyseHTML(fichier, reperes, par_ihu | ({figure} if figure else set()))
    if figure:
        analyse.pile.append(_Element("(figure)", {}, figure=figure))
    analyse.feed(html)
    analyse.close()
    return analyse


def analyser_pdf(chemin: Path, reperes: Reperes, autorises: list[str]) -> list[Fuite]:
    """Texte (ligne par ligne), métadonnées, plan, liens et pièces jointes d'un PDF."""
    fuites: list[Fuite] = []
    nom = chemin.name
    lecteur = PdfReader(chemin)
    total: Counter = Counter()
    for numero, page in enumerate(lecteur.pages, start=1):
        texte = page.extract_text() or ""
        for ligne in texte.splitlines():
            trouves = reperes.chercher(ligne, pdf=True)
            if trouves and NOMBRE.search(ligne):
                fuites.append(Fuite(nom, f"page {numero}, ligne chiffrée", tuple(trouves), ligne))
        total += reperes.compter(texte)
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            if trouves := reperes.chercher(unquote(uri), identifiant=True):
                fuites.append(Fuite(nom, f"page {numero}, lien", tuple(trouves), uri))
    permis = reperes.compter(" \n ".join(autorises))
    for repere, n in sorted(total.items()):
        if n > permis.get(repere, 0):
            fuites.append(Fuite(nom, "texte du PDF", (repere,),
                                f"{n} occurrence(s) pour {permis.get(repere, 0)} permise(s) "
                                "par les blocs autorisés du HTML"))
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


#: Colonnes permises dans le CSV d'une figure nominative (aucune valeur par IHU).
COLONNES_NOMINATIVES = ("nom", "ville", "region", "appel", "groupe", "latitude", "longitude")


def analyser_csv_nominatif(nom: str, texte: str,
                           villes: dict[str, tuple[float, float]] | None = None) -> list[Fuite]:
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
        fuites.append(Fuite(nom, "colonnes d'une figure nominative", (),
                            ", ".join(sorted(set(entete) - set(COLONNES_NOMINATIVES)))))
        return fuites
    for numero, ligne in enumerate(lignes[1:], start=2):
        champs = dict(zip(entete, ligne, strict=False))
        attendu = villes.get(champs.get("ville", ""))
        trouve = tuple(float(champs[c]) for c in ("latitude", "longitude") if c in champs)
        if attendu is None or (trouve and trouve != attendu[: len(trouve)]):
            fuites.append(Fuite(nom, f"ligne {numero} (coordonnées qui ne sont pas celles de "
                                "la ville)", (), ",".join(ligne)))
    return fuites


def analyser_carnet(nom: str, texte: str, reperes: Reperes, par_ihu: set[str]) -> list[Fuite]:
    """Un carnet livré : sorties HTML comme le rapport, tout le reste comme un texte."""
    carnet = json.loads(texte)
    fuites = []
    for rang, cellule in enumerate(carnet.get("cells", []), start=1):
        reste = dict(cellule)
        sorties = reste.pop("outputs", [])
        fuites += analyser_texte(f"{nom} cellule {rang}", json.dumps(reste, ensure_ascii=False),
                                 reperes)
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
            analyse = analyser_html(texte, relatif, reperes, par_ihu,
                                    figure="svg" if suffixe == ".svg" else None)
            fuites += analyse.fuites
            autorises += analyse.autorises
            if suffixe != ".svg" and "diffusion restreinte" in texte.lower():
                fuites.append(Fuite(relatif, "mention de la variante interne", (),
                                    "Diffusion restreinte"))
        elif suffixe == ".ipynb":
            fuites += analyser_carnet(relatif, chemin.read_text(encoding="utf-8"), reperes,
                                      par_ihu)
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


# --------------------------------------------------------------------------------------------
# Ordres des figures par IHU


def cles_de_tri(donnees, annee: int, monkeypatch) -> dict[str, tuple[pd.Series, bool]]:
    """Clé de tri réellement utilisée par chaque figure par IHU (relevée pendant le calcul)."""
    releves: dict[str, tuple[pd.Series, bool]] = {}
    original = anonymisation.ordre_ihu

    def espion(valeurs, id_figure, *, croissant):
        releves[id_figure] = (valeurs.copy(), croissant)
        return original(valeurs, id_figure, croissant=croissant)

    monkeypatch.setattr(anonymisation, "ordre_ihu", espion)
    for id_figure, spec in figures.FIGURES.items():
        if spec.par_ihu:
            figures.donnees_figure(id_figure, donnees, annee, interne=True)
    return releves


def ordres_communs_non_imposes(ordres: dict[str, tuple[str, ...]],
                               cles: dict[str, tuple[pd.Series, bool]]) -> list[str]:
    """Paires de figures au même ordre alors qu'un ex æquo laissait le choix ; ordres incohérents.

    Returns
    -------
    list of str
        Un message par problème (vide si tout va bien).
    """
    problemes = []
    for id_figure, ordre in ordres.items():
        valeurs, croissant = cles[id_figure]
        suite = pd.to_numeric(valeurs.reindex(list(ordre)), errors="coerce").round(9)
        connues = suite.dropna().to_numpy()
        pas = (connues[1:] - connues[:-1]) if croissant else (connues[:-1] - connues[1:])
        if (pas < 0).any() or suite.iloc[: len(connues)].isna().any():
            problemes.append(f"{id_figure} : l'ordre ne suit pas la clé de tri de la figure")

    def ex_aequo(id_figure: str) -> bool:
        valeurs = pd.to_numeric(cles[id_figure][0], errors="coerce").round(9)
        return bool(valeurs.duplicated().any() or valeurs.isna().sum() > 1)

    for a, b in itertools.combinations(sorted(ordres), 2):
        if ordres[a] == ordres[b] and (ex_aequo(a) or ex_aequo(b)):
            problemes.append(f"{a} et {b} : même ordre des IHU sans que leurs valeurs l'imposent")
    return problemes


@pytest.fixture(scope="module")
def reperes() -> Reperes:
    return reperes_du_referentiel()


PAR_IHU = {i for i, f in figures.FIGURES.items() if f.par_ihu}


# --------------------------------------------------------------------------------------------
# Tests de bout en bout


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_aucune_fuite_dans_le_rapport_public(rapports_publics, reperes, donnees, annee):
    dossier = rapports_publics[annee]
    fuites = analyser_dossier(dossier, reperes, PAR_IHU)
    assert not fuites, "\n".join(map(str, fuites))
    # le contrôle ne passe pas à vide : HTML, PDF, et chaque figure par IHU de l'année est là
    html = dossier / f"synthese-ihu-{annee}.html"
    assert html.is_file() and html.with_suffix(".pdf").is_file()
    analyse = analyser_html(html.read_text(encoding="utf-8"), html.name, reperes, PAR_IHU)
    attendues = {i for i in PAR_IHU if not figures.donnees_figure(i, donnees, annee).empty}
    assert attendues <= analyse.figures_vues, attendues - analyse.figures_vues
    assert any("ICAN" in t for t in analyse.autorises)  # le tableau des IHU est bien reconnu


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_ordres_des_figures_par_ihu_distincts(donnees, annee, monkeypatch):
    vue = donnees.pour_annee(annee)
    ordres = figures.ordres_ihu(vue, annee)
    cles = cles_de_tri(vue, annee, monkeypatch)
    assert set(ordres) <= set(cles)
    problemes = ordres_communs_non_imposes(ordres, cles)
    assert not problemes, "\n".join(problemes)


# --------------------------------------------------------------------------------------------
# L'analyse sait échouer (unitaires, sans construction)

_HTML_PROPRE = """<html><head><title>Synthèse 2022</title></head><body>
<h1 id="sec-presentation-de-l-action">Présentation</h1>
<p>Ce document porte sur les 7 IHU suivis en 2022, à mi-parcours pour certains.</p>
<p>Parmi eux, ICAN et Méditerranée Infection.</p>
<table class="tableau"><caption>Les IHU, leur ville et leur appel à projets</caption>
<tr><th>IHU</th><th>Appel</th></tr><tr><td>ICAN</td><td>IHU1</td></tr>
<tr><td>Mix Surg</td><td>IHU1</td></tr></table>
<h1 id="sec-1-suivi">1. Suivi</h1>
<p>Les IHU ont déclaré 28,5 M€ de dépenses.</p>
<figure class="figure" id="figure-effet_levier_ihu" data-figure="effet_levier_ihu">
<svg role="img" aria-label="Barres par IHU anonyme : de 55 % à 325 %">
<g id="effet_levier_ihu-text_1">
<text>IHU (ordre propre à cette figure)</text><text>325 %</text></g></svg>
<figcaption>Effet levier par IHU (anonyme).</figcaption></figure>
</body></html>"""


@pytest.fixture
def reperes_essai() -> Reperes:
    return Reperes(noms=("ICAN", "ican", "Méditerranée Infection", "mi", "Mix Surg", "mixsurg"),
                   villes=("Marseille",))


@pytest.mark.rapide
def test_analyse_html_propre_sans_fuite(reperes_essai):
    analyse = analyser_html(_HTML_PROPRE, "essai.html", reperes_essai, PAR_IHU)
    assert analyse.fuites == []
    assert "effet_levier_ihu" in analyse.figures_vues
    assert len(analyse.autorises) == 3  # le paragraphe du préambule et deux lignes du tableau


@pytest.mark.rapide
@pytest.mark.parametrize(
    "avant, apres, lieu",
    [
        ("<text>325 %</text>", "<text>ican</text><text>325 %</text>", "figure par IHU"),
        ('aria-label="Barres par IHU anonyme', 'aria-label="ICAN en tête, barres par IHU',
         "aria-label"),
        ('id="effet_levier_ihu-text_1"', 'id="effet_levier_ihu-barre-mi"', "<g id>"),
        ("Effet levier par IHU (anonyme).", "Effet levier : Marseille en tête.", "figure par IHU"),
        ("<p>Les IHU ont déclaré 28,5 M€", "<p>Mix Surg a déclaré 28,5 M€", "hors des blocs"),
        ("<td>ICAN</td><td>IHU1</td>", "<td>ICAN</td><td>IHU1</td><td>325 %</td>", "chiffré"),
        ("Parmi eux, ICAN", "Parmi eux, ICAN (12 brevets)", "chiffré"),
        ("<title>Synthèse 2022</title>", "<title>Synthèse 2022 ICAN</title>", "<title>"),
        ("Les IHU, leur ville", "Les IHU, leurs brevets", "hors des blocs"),
        ('<svg role="img"', '<img alt="x" src="data:image/svg+xml;base64,'
         + base64.b64encode(b"<svg><text>mixsurg 12 %</text></svg>").decode() + '"><svg role="img"',
         "data:"),
    ],
)
def test_analyse_html_signale_un_nom_a_cote_d_une_valeur(reperes_essai, avant, apres, lieu):
    assert avant in _HTML_PROPRE
    doctore = _HTML_PROPRE.replace(avant, apres, 1)
    fuites = analyser_html(doctore, "essai.html", reperes_essai, PAR_IHU).fuites
    assert fuites, f"fuite non signalée : {apres}"
    assert any(lieu in f.lieu or lieu in f.fichier for f in fuites), list(map(str, fuites))


@pytest.mark.rapide
def test_analyse_dossier_signale_pdf_csv_et_noms_de_fichiers(tmp_path, reperes_essai):
    from synthese_ihu.rendu import html_vers_pdf

    dossier = tmp_path / "2022"
    (dossier / "donnees").mkdir(parents=True)
    (dossier / "synthese-ihu-2022.html").write_text(_HTML_PROPRE, encoding="utf-8")
    (dossier / "synthese-ihu-2022.pdf").write_bytes(html_vers_pdf(_HTML_PROPRE))
    with (dossier / "donnees" / "effet_levier_ihu.csv").open("w", encoding="utf-8") as f:
        csv.writer(f).writerows([["rang", "effet_levier_pct"], [1, 325.0]])
    assert analyser_dossier(dossier, reperes_essai, PAR_IHU) == []

    # un PDF où une graduation nomme un IHU, un CSV avec une colonne d'identité, un fichier nommé
    fuite_svg = _HTML_PROPRE.replace("<text>325 %</text>", "<text>ican</text><text>325 %</text>")
    (dossier / "synthese-ihu-2022.pdf").write_bytes(html_vers_pdf(fuite_svg))
    with (dossier / "donnees" / "effet_levier_ihu.csv").open("w", encoding="utf-8") as f:
        csv.writer(f).writerows([["rang", "ihu", "effet_levier_pct"], [1, "mi", 325.0]])
    (dossier / "donnees" / "mixsurg.csv").write_text("a\n1\n", encoding="utf-8")
    lieux = {(f.fichier, f.lieu.split(",")[0]) for f in
             analyser_dossier(dossier, reperes_essai, PAR_IHU)}
    assert ("synthese-ihu-2022.pdf", "texte du PDF") in lieux
    assert ("donnees/effet_levier_ihu.csv", "ligne 2") in lieux
    assert ("donnees/mixsurg.csv", "nom de fichier") in lieux


@pytest.mark.rapide
def test_provenance_sans_taille_des_classeurs(reperes_essai):
    empreinte = "ab" * 32
    propre = f"chemin,sha256\ncampagnes/2022/mi_2022.xlsx,{empreinte}\n"
    assert analyser_texte("donnees/provenance.csv", propre, reperes_essai) == []
    avec_taille = f"chemin,sha256,octets\ncampagnes/2022/mi_2022.xlsx,{empreinte},18734\n"
    assert analyser_texte("donnees/provenance.csv", avec_taille, reperes_essai)
    assert analyser_texte("donnees/autre.csv", propre, reperes_essai)


@pytest.mark.rapide
def test_analyse_pdf_ligne_chiffree_et_metadonnees(tmp_path, reperes_essai):
    from synthese_ihu.rendu import html_vers_pdf

    page = "<html><head><title>Rapport ICAN</title></head><body><p>ICAN : 325 %</p></body></html>"
    chemin = tmp_path / "r.pdf"
    chemin.write_bytes(html_vers_pdf(page))
    lieux = {f.lieu.split(",")[-1].strip() for f in analyser_pdf(chemin, reperes_essai, [])}
    assert {"ligne chiffrée", "texte du PDF", "métadonnée /Title"} <= lieux


@pytest.mark.rapide
def test_ordres_communs_signales_seulement_s_ils_ne_sont_pas_imposes():
    abc = ("a", "b", "c")
    distinctes = (pd.Series({"a": 3.0, "b": 2.0, "c": 1.0}), False)
    autres = (pd.Series({"a": 30.0, "b": 20.0, "c": 10.0}), False)
    ex_aequo = (pd.Series({"a": 1.0, "b": 1.0, "c": 0.0}), False)
    # valeurs sans ex æquo des deux côtés : l'ordre commun est imposé
    assert ordres_communs_non_imposes({"f": abc, "g": abc}, {"f": distinctes, "g": autres}) == []
    # un ex æquo laissait le choix : l'ordre commun est une fuite
    problemes = ordres_communs_non_imposes({"f": abc, "g": abc}, {"f": distinctes, "g": ex_aequo})
    assert problemes == ["f et g : même ordre des IHU sans que leurs valeurs l'imposent"]
    # un ordre qui ne suit pas sa propre clé
    assert ordres_communs_non_imposes({"f": ("c", "b", "a")}, {"f": distinctes})


@pytest.mark.rapide
def test_reperes_mots_entiers(reperes_essai):
    assert reperes_essai.chercher("à mi-parcours, minimum, Mixité") == []
    assert reperes_essai.chercher("barre-mi", identifiant=True) == ["mi"]
    assert reperes_essai.chercher("Méditerranée\u00a0Infection et MIXSURG") == [
        "Méditerranée\u00a0Infection", "MIXSURG"]
    reels = reperes_du_referentiel()
    assert {"ICAN", "mi", "Mix Surg", "Méditerranée Infection"} <= set(reels.noms)
    assert "Marseille" in reels.villes and "Paris" not in reels.villes


@pytest.mark.rapide
def test_carte_nominative_autorisee_sans_nombre(reperes_essai):
    carte = ('<figure class="figure" id="figure-carte_ihu" data-figure="carte_ihu">'
             '<svg role="img" aria-label="Carte : Marseille, Méditerranée Infection ; Paris, ICAN">'
             '<text>Marseille : Méditerranée Infection</text><text>IHU suivis en 2022</text>'
             "</svg><figcaption>Implantation des IHU, édition 2022.</figcaption></figure>")
    analyse = analyser_html(carte, "essai.html", reperes_essai, PAR_IHU)
    assert analyse.fuites == []
    assert any("Méditerranée Infection" in t for t in analyse.autorises)
    chiffree = carte.replace("<text>Marseille : Méditerranée Infection</text>",
                             "<text>Méditerranée Infection : 325 %</text>")
    assert analyser_html(chiffree, "essai.html", reperes_essai, PAR_IHU).fuites
    alt_chiffre = carte.replace("Paris, ICAN", "Paris, ICAN (12 brevets)")
    assert analyser_html(alt_chiffre, "essai.html", reperes_essai, PAR_IHU).fuites


@pytest.mark.rapide
def test_csv_de_la_carte_sans_valeur():
    villes = {"Marseille": (43.3, 5.37)}
    propre = "nom,ville,region,appel,groupe,latitude,longitude\n" \
             "Méditerranée Infection,Marseille,PACA,IHU1,suivi,43.3,5.37\n"
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", propre, villes) == []
    avec_valeur = propre.replace("longitude\n", "longitude,brevets\n").replace("5.37\n",
                                                                               "5.37,12\n")
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", avec_valeur, villes)
    deplace = propre.replace("43.3,5.37", "43.3,5.38")  # un nombre qui n'est pas la ville
    assert analyser_csv_nominatif("donnees/carte_ihu.csv", deplace, villes)
