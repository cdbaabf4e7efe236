"""Confidentialité du rapport public : aucun nom ni code d'IHU à côté d'une valeur par IHU, et
aucune valeur anonyme rattachable à un nom par recoupement.

Une garantie de la construction, pas seulement un test : :func:`verifier_publication` analyse
le dossier public complet (HTML, PDF, données ouvertes) avant sa mise en place, et la
construction refuse de publier une fuite (:class:`FuiteConfidentielle`, qui nomme le fichier
et la valeur). Les tests de ``tests/confidentialite/`` appellent ces mêmes fonctions.

Ce qui est une fuite : voir :mod:`~synthese_ihu.confidentialite.analyse_html` (HTML, SVG en
ligne, attributs, figures par IHU) et :mod:`~synthese_ihu.confidentialite.fichiers` (PDF,
fichiers de données, carnets, noms de fichiers) ; ce qui est un recoupement : voir
:mod:`~synthese_ihu.confidentialite.divulgation` (séries par IHU déclarées par les figures,
combinaisons qui ne dépendent que de ce que le lecteur recalcule pour chaque IHU nommé). Les
ordres des figures par IHU et les séries rapprochables d'une liste nominative sont vérifiés sur
les données par les tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from synthese_ihu.confidentialite.analyse_html import analyser_html
from synthese_ihu.confidentialite.divulgation import (
    Liaison,
    SerieNonDeclaree,
    problemes_divulgation,
)
from synthese_ihu.confidentialite.fichiers import (
    analyser_carnet,
    analyser_csv_nominatif,
    analyser_dossier,
    analyser_pdf,
    analyser_texte,
)
from synthese_ihu.confidentialite.reperes import Fuite, Reperes, reperes_du_referentiel

__all__ = [
    "Fuite",
    "FuiteConfidentielle",
    "Liaison",
    "RecoupementPossible",
    "SerieNonDeclaree",
    "Reperes",
    "analyser_carnet",
    "analyser_csv_nominatif",
    "analyser_dossier",
    "analyser_html",
    "analyser_pdf",
    "analyser_texte",
    "figures_par_ihu",
    "problemes_divulgation",
    "reperes_du_referentiel",
    "verifier_publication",
]


class FuiteConfidentielle(RuntimeError):
    """Le dossier public nomme un IHU là où il ne doit pas : rien n'est publié."""

    def __init__(self, dossier: Path, fuites: Iterable[Fuite]):
        self.dossier = Path(dossier)
        self.fuites = list(fuites)
        lignes = "\n".join(f"  - {f}" for f in self.fuites[:20])
        reste = len(self.fuites) - 20
        super().__init__(
            f"Publication refusée : {len(self.fuites)} fuite(s) de confidentialité dans {dossier} "
            f"(un nom ou un code d'IHU à côté d'une valeur, ou hors des blocs autorisés) :\n"
            f"{lignes}" + (f"\n  … et {reste} autre(s)" if reste > 0 else "")
        )

    def __reduce__(self):
        # un rendu dans un autre processus renvoie l'erreur à la construction : elle doit se
        # reconstruire avec ses arguments (sinon le groupe de processus se dit « cassé »)
        return type(self), (self.dossier, self.fuites)


class RecoupementPossible(FuiteConfidentielle):
    """Des séries publiées par IHU anonyme se recoupent en un chiffre nominatif : rien n'est
    publié (le message nomme les figures et les séries)."""

    def __init__(self, dossier: Path, problemes: Iterable[Liaison | SerieNonDeclaree]):
        self.dossier = Path(dossier)
        self.fuites = list(problemes)
        lignes = "\n".join(f"  - {p}" for p in self.fuites)
        RuntimeError.__init__(
            self,
            f"Publication refusée : {len(self.fuites)} recoupement(s) possible(s) dans "
            f"{dossier} (des valeurs anonymes qu'un lecteur peut rattacher à un IHU nommé) :\n"
            f"{lignes}\nPublier une seule des séries en cause par IHU anonyme (l'autre en "
            "agrégat ou en fourchette), ou déclarer la série (Figure(mesures=…)).",
        )


def figures_par_ihu() -> set[str]:
    """Identifiants des figures par IHU du registre (anonymes, analysées strictement)."""
    from synthese_ihu.figures import FIGURES

    return {i for i, f in FIGURES.items() if f.par_ihu}


def verifier_publication(dossier: str | Path, *, racine_donnees: str | Path | None = None) -> None:
    """Analyse un dossier de rapport public complet ; lève une erreur s'il fuit.

    Parameters
    ----------
    dossier : str or Path
        Dossier prêt à être mis en place (HTML, PDF, ``donnees/``).
    racine_donnees : str or Path, optional
        ``data/raw`` dont le référentiel donne les noms, codes et villes des IHU (défaut : celui
        du projet, ou ``SYNTHESE_IHU_DONNEES``).

    Raises
    ------
    FuiteConfidentielle
        Au moins une fuite ; le message nomme chaque fichier, le lieu et la valeur.
    RecoupementPossible
        Sans fuite de nom, des séries anonymes se recoupent (ou une série par IHU n'est pas
        déclarée) ; le message nomme les figures et les séries.
    """
    from synthese_ihu import chemins

    racine = Path(racine_donnees) if racine_donnees is not None else chemins.DONNEES_BRUTES
    reperes = reperes_du_referentiel(racine / "referentiel" / "ihu.csv")
    fuites = analyser_dossier(Path(dossier), reperes, figures_par_ihu())
    if fuites:
        raise FuiteConfidentielle(Path(dossier), fuites)
    recoupements = problemes_divulgation(Path(dossier))
    if recoupements:
        raise RecoupementPossible(Path(dossier), recoupements)
