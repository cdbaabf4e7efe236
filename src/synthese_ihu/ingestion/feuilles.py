"""Examen d'une feuille de classeur en flux : zone, en-têtes et nature de chaque cellule.

Une feuille est lue comme une suite d'éléments XML (``row``, ``c``, ``v``, ``f``…), jamais en
grille : une valeur en ``XFD1048576`` est un problème situé, pas une allocation de 500 Go. Pour
les feuilles lues au chargement, chaque cellule est classée avant que calamine ne la convertisse
(calamine rend « vide » pour une formule sans valeur, un ``#DIV/0!`` ou le texte ``NaN``) :

- formule (refusée, la formule est citée ; l'IHU envoie des valeurs) ;
- erreur du tableur, booléen, date, texte lu comme « valeur manquante » (``NaN``, ``NA``…) ;
- texte trop long, valeur à droite de la dernière colonne d'en-tête ;
- en-têtes en double ou inattendus ; lignes et colonnes masquées (avertissements).
"""

from __future__ import annotations

import datetime as dt
import re

from synthese_ihu.donnees.erreurs import Probleme, lettre_colonne
from synthese_ihu.ingestion.limites import LimitesClasseur

#: textes que la lecture (pandas) prend pour une valeur manquante
TEXTES_MANQUANTS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
#: champs numériques des feuilles de campagne
CHAMPS_NUMERIQUES = frozenset({"annee", "montant_eur", "valeur", "annee_creation"})
#: problèmes de cellule rapportés au plus par feuille (le reste est compté)
MAX_PAR_FEUILLE = 20
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def numero_colonne(lettres: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``XFD`` -> 16384."""
    n = 0
    for c in lettres:
        n = n * 26 + ord(c) - 64
    return n


def _date(serie: str) -> str:
    try:
        return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(serie))).date().isoformat()
    except (ValueError, OverflowError):
        return serie


class ZoneDepassee(Exception):
    """Valeur hors de la zone lue ou feuille mal formée : le classeur est refusé, la lecture de
    la feuille s'arrête là (rien de plus à apprendre, et le temps reste borné)."""


class ExamenFeuille:
    """Gestionnaires ``pyexpat`` d'une feuille ; problèmes et avertissements accumulés.

    Parameters
    ----------
    fichier, feuille : str
        Nommés dans les messages.
    attendues : tuple of str or None
        En-têtes attendus si la feuille est lue au chargement ; ``None`` : feuille ignorée
        (seule la zone est contrôlée).
    limites : LimitesClasseur
    dates : frozenset of int
        Styles de cellule qui affichent une date.
    textes : list of str
        Textes partagés du classeur.
    source : str
        Fichier des limites, cité dans les messages.
    """

    def __init__(self, fichier: str, feuille: str, attendues: tuple[str, ...] | None,
                 limites: LimitesClasseur, dates: frozenset[int], textes: list[str],
                 source: str) -> None:
        self.fichier, self.feuille, self.attendues = fichier, feuille, attendues
        self.lim, self.dates, self.textes, self.source = limites, dates, textes, source
        self.problemes: list[Probleme] = []
        self.avertissements: list[Probleme] = []
        self.bloquant = False  # la feuille ne doit pas être donnée à calamine
        self.signalees: set[str] = set()
        self.entetes: dict[int, tuple[str, str]] = {}  # colonne -> (nom, cellule)
        self._ligne = self._col = 0
        self._dernier = (0, 0)
        self._masquee = False
        self._masquees: list[int] = []
        self._en_trop = 0
        self._partagees: dict[str, str] = {}
        self._cellule: dict[str, str | None] = {}
        self._capture: str | None = None
        self._morceaux: dict[str, list[str]] = {}

    # -- gestionnaires pyexpat --
    def debut(self, nom: str, a: dict[str, str]) -> None:
        if nom == "row":
            self._ligne = int(a["r"]) if a.get("r", "").isdigit() else self._ligne + 1
            self._col = 0
            self._masquee = a.get("hidden") in ("1", "true")
        elif nom == "c":
            ref = a.get("r")
            m = _REF.fullmatch(ref) if ref else None
            if ref and m is None:
                self._structure(f"référence de cellule « {ref[:20]} » invalide")
            if m:
                self._col, ligne = numero_colonne(m[1]), int(m[2])
                if ligne != self._ligne:
                    self._structure(f"cellule {ref} rangée dans la ligne {self._ligne}")
            else:
                self._col += 1
            self._cellule = {"t": a.get("t"), "s": a.get("s")}
            self._morceaux = {}
        elif nom in ("v", "f", "t"):
            self._capture = nom
            self._morceaux.setdefault(nom, [])
            if nom == "f":
                self._cellule["f_t"], self._cellule["si"] = a.get("t"), a.get("si")
        elif nom == "col" and self.attendues is not None and a.get("hidden") in ("1", "true"):
            de, a_ = a.get("min", "?"), a.get("max", "?")
            if de.isdigit() and a_.isdigit() and int(de) <= self.lim.colonnes_max:
                self._avertir(None, None, f"colonne(s) {lettre_colonne(int(de) - 1)} à "
                              f"{lettre_colonne(min(int(a_), self.lim.colonnes_max) - 1)} "
                              "masquée(s) : leurs valeurs sont lues quand même")

    def fin(self, nom: str) -> None:
        if nom in ("v", "f", "t"):
            self._capture = None
        elif nom == "c":
            self._fin_cellule()
        elif nom == "sheetData":
            self._fin_feuille()

    def texte(self, morceau: str) -> None:
        if self._capture is not None:
            liste = self._morceaux[self._capture]
            if sum(map(len, liste)) <= self.lim.texte_max_caracteres:
                liste.append(morceau[: self.lim.texte_max_caracteres + 1])

    # -- signalement --
    def _structure(self, message: str) -> None:
        self.bloquant = True
        self.problemes.append(Probleme(self.fichier, f"{message} : classeur mal formé",
                                       self.feuille))
        raise ZoneDepassee

    def _signaler(self, ligne: int, cellule: str, champ: str | None, message: str) -> None:
        self.signalees.add(cellule)
        if len(self.problemes) >= MAX_PAR_FEUILLE:
            self._en_trop += 1
            return
        self.problemes.append(Probleme(self.fichier, message, self.feuille, ligne, champ,
                                       cellule))

    def _avertir(self, ligne: int | None, champ: str | None, message: str) -> None:
        self.avertissements.append(Probleme(self.fichier, message, self.feuille, ligne, champ))

    # -- une cellule --
    def _fin_cellule(self) -> None:
        c, m = self._cellule, {k: "".join(v) for k, v in self._morceaux.items()}
        v, f = m.get("v"), m.get("f")
        if not (v or "f" in m or m.get("t")):
            return  # cellule mise en forme sans valeur : ni lue ni comptée
        ligne, col = self._ligne, self._col
        ref = f"{lettre_colonne(col - 1)}{ligne}"
        if ligne > self.lim.lignes_max or col > self.lim.colonnes_max:
            self.bloquant = True
            self.signalees.add(ref)
            montre = m.get("t") or v or ("=" + (f or ""))
            if c.get("t") == "s" and (v or "").isdigit() and int(v) < len(self.textes):
                montre = self.textes[int(v)]
            self.problemes.append(Probleme(
                self.fichier,
                f"valeur « {montre[:40]} » en {ref}, hors de la zone lue (lignes 1 à "
                f"{self.lim.lignes_max}, colonnes A à "
                f"{lettre_colonne(self.lim.colonnes_max - 1)} : "
                f"classeur.lignes_max et classeur.colonnes_max de {self.source}) : attendu "
                "aucune valeur hors de cette zone (supprimez-la)",
                self.feuille, ligne, None, ref))
            raise ZoneDepassee
        if (ligne, col) <= self._dernier:
            self._structure(f"cellule {ref} en double ou hors d'ordre")
        self._dernier = (ligne, col)
        if self.attendues is None:
            return
        if self._masquee and (not self._masquees or self._masquees[-1] != ligne):
            self._masquees.append(ligne)
        t = c.get("t")
        if t == "s":
            try:
                texte = self.textes[int(v or "")]
            except (ValueError, IndexError):
                self._structure(f"cellule {ref} : texte partagé « {v} » introuvable")
                return
        elif t == "inlineStr":
            texte = m.get("t", "")
        elif t == "str":
            texte = v or ""
        else:
            texte = None
        if ligne == 1:
            nom = (texte if texte is not None else (v or "")).strip()
            self.entetes[col] = (nom, ref)
            champ = None
        else:
            champ = self.entetes.get(col, ("", ""))[0] or None
            if champ is None:
                montre = (texte if texte is not None else v or f or "")[:40]
                derniere = max((k for k, (n, _) in self.entetes.items() if n), default=0)
                zone = f"A1 à {lettre_colonne(derniere - 1)}1" if derniere else "aucun"
                self._signaler(ligne, ref, None, f"valeur « {montre} » hors des colonnes du "
                               f"format (en-têtes : {zone}) : attendu aucune valeur dans une "
                               "colonne sans en-tête")
                return
        attendu = ("un nombre" if champ in CHAMPS_NUMERIQUES and self.feuille != "Identification"
                   else "une valeur saisie" if champ else "un en-tête de colonne")
        if "f" in m:
            formule = f or self._partagees.get(c.get("si") or "", "")
            if c.get("f_t") == "shared" and f and c.get("si"):
                self._partagees[c["si"]] = f
            lien = ", qui renvoie à un autre classeur (liaison externe)" if "[" in formule else ""
            sans = f" (valeur gardée par le tableur : {v[:40]})" if v else \
                ", sans valeur calculée"
            self._signaler(ligne, ref, champ, f"formule « ={formule[:80]} »{lien}{sans} : "
                           f"attendu {attendu}, pas une formule (copiez puis « collage spécial > "
                           "valeurs »)")
        elif t == "e":
            self._signaler(ligne, ref, champ, f"erreur du tableur « {v} » : attendu {attendu}")
        elif t == "b":
            booleen = "VRAI" if v in ("1", "true") else "FAUX"
            self._signaler(ligne, ref, champ, f"booléen « {booleen} » : attendu {attendu}")
        elif t == "d" or (t in (None, "n") and (c.get("s") or "").isdigit()
                          and int(c["s"]) in self.dates):
            jour = (v or "")[:10] if t == "d" else _date(v or "")
            self._signaler(ligne, ref, champ, f"date « {jour} » : attendu {attendu}, pas une "
                           "date (format de cellule « Standard »)")
        elif texte is not None and len(texte) > self.lim.texte_max_caracteres:
            self._signaler(ligne, ref, champ, f"texte de plus de "
                           f"{self.lim.texte_max_caracteres} caractères : attendu au plus "
                           f"{self.lim.texte_max_caracteres} (classeur.texte_max_caracteres de "
                           f"{self.source})")
        elif texte is not None and texte.strip() in TEXTES_MANQUANTS and texte.strip():
            self._signaler(ligne, ref, champ, f"texte « {texte.strip()} », lu comme une valeur "
                           f"manquante : attendu {attendu}, ou une cellule vide")

    # -- fin de la feuille --
    def _fin_feuille(self) -> None:
        if self._en_trop:
            self.problemes.append(Probleme(self.fichier, f"{self._en_trop} autre(s) cellule(s) "
                                           "en défaut non détaillée(s)", self.feuille))
        if self.attendues is None:
            return
        vus: dict[str, str] = {}
        for col in sorted(self.entetes):
            nom, ref = self.entetes[col]
            if not nom or ref in self.signalees:
                continue
            if nom in vus:
                self._signaler(1, ref, nom, f"colonne « {nom} » en double (déjà en {vus[nom]}) : "
                               "attendu chaque colonne une seule fois")
            elif nom not in self.attendues:
                self._signaler(1, ref, nom, f"colonne inattendue « {nom[:40]} » : attendu "
                               f"les colonnes {', '.join(self.attendues)} seulement")
            vus.setdefault(nom, ref)
        for ligne in self._masquees[:5]:
            self._avertir(ligne, None, "ligne masquée : ses valeurs sont lues quand même "
                          "(affichez-la pour les vérifier)")
        if len(self._masquees) > 5:
            self._avertir(None, None, f"{len(self._masquees) - 5} autre(s) ligne(s) masquée(s)")
