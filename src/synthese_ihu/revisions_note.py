"""Note de revue des révisions, pour les analystes (« Diffusion restreinte » seulement).

Tableaux de la note (carnet ``notebooks/revue/revue_revisions.ipynb``) : chaque changement
des données avec l'IHU, le classeur et la ligne ; chaque chiffre clé révisé et ses causes
nommées ; chaque constat du récit dont la valeur ou la formulation change de N−1 à N ; chaque
paragraphe du récit dont un nombre change. Les IHU y sont nommés : :func:`ouvrir` refuse la
variante publique, et la note n'est écrite que sous ``reports/interne/revue/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from synthese_ihu import revisions as rv
from synthese_ihu.formatage import Valeur
from synthese_ihu.libelles import libelle_donnee

_REFERENCE = re.compile(r"\{v\.(\w+)\}")


def _texte(valeur: object) -> str:
    if valeur is None:
        return "—"
    if isinstance(valeur, bool):
        return "vrai" if valeur else "faux"
    return str(valeur)


def _montant(valeur: float | None, bloc: str) -> str:
    if valeur is None:
        return "—"
    if rv.BLOCS[bloc][2] == "montant_eur":
        return f"{Valeur(valeur, '', 0)} €"
    return str(Valeur(valeur, "", 0 if float(valeur).is_integer() else 1))


def references_des_carnets(
    carnets: Path, conditions: bool = True
) -> dict[str, list[tuple[str, str, str]]]:
    """Valeur citée -> (carnet, id de cellule, début du paragraphe) des ``%%recit`` qui la citent
    dans le texte (et, avec ``conditions``, dans une condition ``--si``/``--sauf``)."""
    from synthese_ihu.recit import options

    sortie: dict[str, list[tuple[str, str, str]]] = {}
    for chemin in sorted(Path(carnets).glob("*.ipynb")):
        for cellule in nbformat.read(chemin, as_version=4).cells:
            source = cellule.source
            if cellule.cell_type != "code" or not source.startswith("%%recit"):
                continue
            premiere, _, corps = source.partition("\n")
            noms = set(_REFERENCE.findall(corps))
            if conditions:
                noms |= {c.reference.removeprefix("v.") for c in options(premiere[7:])}
            debut = " ".join(corps.split())
            debut = debut if len(debut) <= 90 else debut[:89] + "…"
            for nom in noms:
                sortie.setdefault(nom, []).append((chemin.stem, cellule.get("id", ""), debut))
    return sortie


def _cellules(cellules: list[tuple[str, str, str]]) -> str:
    """« 04_attractivite : 04-baisse, 04-rebond » (id sans le nom du carnet qui le préfixe)."""
    par_carnet: dict[str, set[str]] = {}
    for carnet, ident, _ in cellules:
        par_carnet.setdefault(carnet, set()).add(ident.partition("-")[2] or ident)
    return " ; ".join(f"{c} : {', '.join(sorted(i))}" for c, i in sorted(par_carnet.items()))


@dataclass
class Note:
    """Les faits et tableaux de la note de revue de l'édition ``annee``."""

    annee: int
    comparaison: rv.Comparaison
    noms_ihu: dict[str, str]
    carnets: Path

    @property
    def precedente(self) -> int | None:
        return self.comparaison.precedente

    @property
    def nb_changements(self) -> int:
        return len(self.comparaison.changements)

    @property
    def nb_chiffres_revises(self) -> int:
        return len(self.comparaison.revises)

    @property
    def nb_constats(self) -> int:
        return len(self.constats())

    @property
    def nb_series(self) -> int:
        return len(self.comparaison.series)

    @property
    def nb_phrases(self) -> int:
        return len(self.phrases())

    @property
    def nb_chiffres(self) -> int:
        return len(self.comparaison.chiffres)

    @property
    def sources_sans_millesime(self) -> str | None:
        from synthese_ihu.revisions_faits import sources_non_comparees

        return sources_non_comparees(self.comparaison)

    def afficher(self, tableau: str) -> None:
        """Affiche un tableau de la note : ``changements``, ``chiffres``, ``constats``,
        ``phrases``, ``series`` (rien quand il est vide)."""
        from synthese_ihu.section import _afficher_html, _tableau_html

        legendes = {
            "changements": "Valeurs d'années passées changées, par IHU, classeur et ligne",
            "chiffres": f"Chiffres clés de l'édition {self.precedente} révisés et leurs causes",
            "constats": f"Constats du récit qui changent de {self.precedente} à {self.annee}",
            "phrases": "Paragraphes dont un nombre cité change",
            "series": f"Séries des figures de l'édition {self.precedente} révisées",
        }
        donnees = getattr(self, tableau)()
        if self.precedente is not None and not donnees.empty:
            _afficher_html(_tableau_html(donnees, legendes[tableau]))

    def _ihu(self, code: str) -> str:
        return f"{self.noms_ihu.get(code, code)} ({code})" if code else "—"

    def changements(self) -> pd.DataFrame:
        """Chaque changement : IHU, classeur, feuille, ligne, donnée, valeurs avant et après."""
        c = self.comparaison
        lignes = []
        for rang, x in enumerate(c.changements):
            touches = [n for n, rangs in c.causes.items() if rang in rangs]
            libelles = c.chiffres.set_index("id").reindex(touches)["libelle"]
            lignes.append(
                {
                    "IHU": self.noms_ihu.get(x.ihu, x.ihu) if x.ihu else "—",
                    "Classeur": x.fichier or "—",
                    "Feuille, ligne": (
                        f"{x.feuille}, ligne {x.ligne}" if x.ligne else x.feuille or "—"
                    ),
                    "Donnée": " ".join(
                        str(t)
                        for t in (
                            libelle_donnee(x.cle) if x.nature != "source" else x.bloc,
                            x.annee,
                        )
                        if t is not None
                    ),
                    "Avant → après": (
                        f"{_montant(x.ancienne, x.bloc) if x.ancienne is not None else '—'} → "
                        f"{_montant(x.nouvelle, x.bloc) if x.nature != 'source' else '—'}"
                    ),
                    "Nature": _NATURES[x.nature]
                    + (f" (campagne {x.campagne_origine})" if x.ancienne is not None else ""),
                    "Chiffres clés révisés": "; ".join(libelles) or "aucun à la précision publiée",
                }
            )
        return pd.DataFrame(
            lignes,
            columns=[
                "IHU",
                "Classeur",
                "Feuille, ligne",
                "Donnée",
                "Avant → après",
                "Nature",
                "Chiffres clés révisés",
            ],
        )

    def chiffres(self) -> pd.DataFrame:
        """Chiffres clés révisés, avec leurs causes nommées (IHU, classeur, ligne)."""
        c = self.comparaison
        lignes = []
        for ligne in c.revises.itertuples(index=False):
            causes = []
            for rang in c.causes.get(ligne.id, []):
                x = c.changements[rang]
                ou = f"{x.fichier}, {x.feuille} ligne {x.ligne}" if x.ligne else x.fichier
                causes.append(f"{self._ihu(x.ihu)} : {x.donnee} ({ou})")
            lignes.append(
                {
                    "Chiffre clé": ligne.libelle,
                    "Identifiant": ligne.id,
                    "Période": ligne.periode,
                    f"Publié en {c.precedente}": ligne.publie,
                    f"Révisé en {c.edition}": ligne.revise_texte or "—",
                    "Causes": " ; ".join(causes) or "—",
                }
            )
        return pd.DataFrame(lignes)

    def series(self) -> pd.DataFrame:
        """Figures dont la série de N−1 (données publiées, arrondies) change par révision."""
        lignes = [
            {
                "Figure": ident,
                "Titre": titre,
                "Valeurs changées": n,
                f"Lignes {self.precedente}": avant,
                "Lignes révisées": apres,
            }
            for ident, (titre, n, avant, apres) in self.comparaison.series.items()
        ]
        return pd.DataFrame(lignes)

    def constats(self) -> pd.DataFrame:
        """Faits du récit dont la valeur change : N−1 publiée, N−1 révisée, N ; « retourné »
        quand un constat vrai devient faux (ou absent), « reformulé » quand son contenu change."""
        refs = references_des_carnets(self.carnets)
        lignes = []
        for nom, (publie, revise, courant) in self.comparaison.faits.items():
            textes = [_texte(publie), _texte(revise), _texte(courant)]
            if len(set(textes)) == 1 or nom not in refs:
                continue
            retourne = bool(publie) != bool(courant) or bool(publie) != bool(revise)
            lignes.append(
                {
                    "Fait": nom,
                    f"Édition {self.precedente}": textes[0],
                    f"{self.precedente} révisée": textes[1],
                    f"Édition {self.annee}": textes[2],
                    "Changement": "retourné" if retourne else "reformulé",
                    "Par la révision": "oui" if textes[0] != textes[1] else "non",
                    "Paragraphes": _cellules(refs[nom]),
                }
            )
        return pd.DataFrame(lignes)

    def phrases(self) -> pd.DataFrame:
        """Paragraphes du récit dont un chiffre clé cité change de N−1 (publiée) à N."""
        c = self.comparaison
        avant = dict(zip(c.chiffres["id"], c.chiffres["publie"], strict=True))
        revise = dict(zip(c.chiffres["id"], c.chiffres["revise_texte"], strict=True))
        apres = c.chiffres_courants
        par_cellule: dict[tuple[str, str, str], list[str]] = {}
        for nom, cellules in references_des_carnets(self.carnets, conditions=False).items():
            if nom not in avant or avant[nom] == apres.get(nom):
                continue
            etapes = [avant[nom]] + ([revise[nom]] if revise[nom] != avant[nom] else [])
            texte = f"{nom} : {' → '.join(etapes + [apres.get(nom) or '—'])}"
            for cellule in cellules:
                par_cellule.setdefault(cellule, []).append(texte)
        lignes = [
            {
                "Carnet": carnet,
                "Cellule": ident,
                "Paragraphe": debut,
                "Nombres (publié → révisé → édition N)": " ; ".join(sorted(textes)),
            }
            for (carnet, ident, debut), textes in sorted(par_cellule.items())
        ]
        return pd.DataFrame(lignes)


_NATURES = {
    "reactualisation": "réactualisée",
    "ajout": "ajoutée après coup",
    "entree": "entrée de l'IHU",
    "source": "extraction révisée",
}


def ouvrir(annee: int, interne: bool = False, racine: Path | None = None) -> Note:
    """La note de l'édition ``annee`` ; refusée hors de la variante interne (IHU nommés)."""
    from synthese_ihu.chemins import CARNETS
    from synthese_ihu.section import donnees_chargees

    if interne is not True:
        raise PermissionError(
            "la note de revue nomme les IHU : variante interne seulement (interne = True)"
        )
    complet = donnees_chargees(racine)
    comparaison = rv.comparaison(annee, racine)
    noms = dict(zip(complet.ihu["ihu"], complet.ihu["nom"], strict=True))
    return Note(annee, comparaison, noms, CARNETS)
