"""Aperçu pour la boucle d'édition : le HTML seul, refait dès qu'un carnet est enregistré.

``make preview YEAR=2022`` (``python -m synthese_ihu.apercu --annee 2022``) construit l'aperçu
HTML dans ``build/<annee>/apercu/`` (sections du cache ou exécutées), affiche son chemin, puis
attend les événements du système de fichiers (``watchfiles`` : inotify, pas de relevé périodique)
sur ``notebooks/*.ipynb``, ``synthese.toml`` et les gabarits du rendu. Selon ce qui a changé :

- **Markdown seul** : le carnet exécuté est refusionné avec le source courant, sans noyau ;
- **récits seuls** (cellules ``%%recit`` modifiées, ajoutées ou retirées, autres cellules de code
  inchangées) : seules ces cellules s'exécutent, dans le noyau gardé vivant de la section, où les
  valeurs sont déjà calculées (un récit lit l'espace de noms, il ne le modifie pas) ;
- **code** : la section est réexécutée dans un noyau neuf, gardé vivant pour les récits suivants
  (au plus :data:`NOYAUX_VIVANTS`) ; le premier récit retouché d'une section sans noyau vivant
  l'exécute ainsi une fois ;
- **gabarit** : seulement le rendu ; ``synthese.toml`` : tout l'aperçu.

Puis le HTML est refait (pas de PDF, rien dans ``reports/`` : ``make report`` reste la
construction publiée, qui réexécute toute section dont le code, récits compris, a changé).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from synthese_ihu import carnets as nbs
from synthese_ihu import verrous
from synthese_ihu.config import (
    ErreurConfiguration,
    ErreurParametres,
    charger_configuration,
    valider_parametres,
)
from synthese_ihu.construction import Emplacements, executer_sections
from synthese_ihu.noyau import ErreurSection, Noyau

#: Noyaux de section gardés vivants pour les retouches de récit (les plus récents).
NOYAUX_VIVANTS = 2
#: Millisecondes sans nouvel événement avant de refaire l'aperçu (watchfiles ``step``).
ATTENTE_MS = 30


def _sous_verrous(methode: Callable[..., Path]) -> Callable[..., Path]:
    """Une reconstruction de l'aperçu tient les verrous d'une construction (jamais au repos)."""

    @functools.wraps(methode)
    def enveloppe(self: Apercu, *args: Any, **kwargs: Any) -> Path:
        lieux = self.emplacements
        with verrous.sous_verrous(lieux.construction, lieux.donnees.parent, afficher=self.afficher):
            return methode(self, *args, **kwargs)

    return enveloppe


def _s(secondes: float) -> str:
    return f"{secondes:.2f}".replace(".", ",") + " s"


def _est_recit(cellule: NotebookNode) -> bool:
    return cellule.cell_type == "code" and cellule.source.lstrip().startswith("%%recit")


def _code_des_valeurs(nb: NotebookNode) -> list[str]:
    """Source des cellules de code qui ne sont pas des récits (celles qui calculent)."""
    return [c.source for c in nbs._cellules_de_code(nb) if not _est_recit(c)]


class Apercu:
    """L'aperçu d'une année et ce qu'il garde entre deux enregistrements.

    Parameters
    ----------
    annee : int or str, optional
        Année cible ; par défaut ``[rapport] annee_defaut``. Validée comme pour ``construire``.
    emplacements : Emplacements, optional
        Dossiers du projet (tests : dossiers jetables).
    annees : iterable of int, optional
        Années couvertes (défaut : lues dans les données).
    afficher : callable
        Sortie des messages de progression.
    noyaux_vivants : int
        Noyaux de section gardés vivants pour les retouches de récit.
    """

    def __init__(
        self,
        annee: int | str | None = None,
        emplacements: Emplacements | None = None,
        *,
        annees: Iterable[int] | None = None,
        afficher: Callable[[str], None] = print,
        noyaux_vivants: int = NOYAUX_VIVANTS,
    ) -> None:
        self.emplacements = emplacements or Emplacements()
        self.annee, self.annees, self.afficher = annee, annees, afficher
        self.noyaux_vivants = noyaux_vivants
        self.boucle = asyncio.new_event_loop()
        self.noyaux: OrderedDict[str, Noyau] = OrderedDict()
        self.executes: dict[str, NotebookNode] = {}  # carnet paramétré exécuté, nettoyé
        self.sources: dict[str, NotebookNode] = {}
        self.finals: dict[str, NotebookNode] = {}
        self.chemin: Path | None = None

    # -- construction complète ---------------------------------------------------------------

    @_sous_verrous
    def construire(self) -> Path:
        """Toutes les sections (cache ou noyau, comme ``construire``), puis le HTML."""
        debut = time.perf_counter()
        self.configuration = charger_configuration(
            self.emplacements.configuration, self.emplacements.carnets
        )
        options = {} if self.annee is None else {"annee": self.annee}
        self.parametres = valider_parametres(options, self.configuration, self.annees)
        self.valeurs = self.parametres.valeurs_carnet()
        carnets, _, _ = executer_sections(
            self.parametres, self.configuration, self.emplacements, afficher=self.afficher
        )
        self.sections = [self.configuration.section(i) for i in self.parametres.sections]
        for section, final in zip(self.sections, carnets, strict=True):
            self.sources[section.id] = nbs.lire_source(section.chemin)
            self.finals[section.id] = final
            self.executes[section.id] = self._depuis_final(self.sources[section.id], final)
        self._arreter_noyaux(list(self.noyaux))
        return self.rendre(debut)

    def _depuis_final(self, source: NotebookNode, final: NotebookNode) -> NotebookNode:
        """Carnet paramétré exécuté reconstitué : sorties du carnet final sur le source."""
        nb = nbs.parametrer(source, self.valeurs)
        if "language_info" in final.metadata:
            nb.metadata["language_info"] = final.metadata["language_info"]
        sorties = iter([c for c in final.cells if c.cell_type == "code"])
        for cellule in [c for c in nb.cells if c.cell_type == "code"]:
            fait = next(sorties)
            cellule["outputs"], cellule["execution_count"] = fait.outputs, fait.execution_count
        return nb

    # -- retouches -----------------------------------------------------------------------------

    @_sous_verrous
    def retoucher(self, chemins: Iterable[Path | str]) -> Path:
        """Refait l'aperçu après l'enregistrement de ``chemins`` (le strict nécessaire)."""
        debut = time.perf_counter()
        chemins = {Path(c).resolve() for c in chemins}
        if Path(self.emplacements.configuration).resolve() in chemins:
            return self.construire()
        for section in self.sections:
            if Path(section.chemin).resolve() in chemins:
                self._retoucher_section(section)
        return self.rendre(debut)

    def _retoucher_section(self, section: Any) -> None:
        source = nbs.lire_source(section.chemin)
        ancien = self.executes[section.id]
        nouveau = nbs.parametrer(source, self.valeurs)
        if _code_des_valeurs(nouveau) != _code_des_valeurs(ancien):
            self._executer(section, source)  # code des valeurs modifié
            return
        if "language_info" in ancien.metadata:
            nouveau.metadata["language_info"] = ancien.metadata["language_info"]
        faits = {c.source: c for c in ancien.cells if c.cell_type == "code"}
        a_executer = []
        for index, cellule in enumerate(nouveau.cells):
            if cellule.cell_type != "code":
                continue
            if cellule.source in faits:  # paramètres, code des valeurs, récits inchangés
                cellule["outputs"] = faits[cellule.source].outputs
                cellule["execution_count"] = faits[cellule.source].execution_count
            else:
                a_executer.append(index)
        if a_executer and section.id not in self.noyaux:
            self._executer(section, source)  # pas de noyau vivant : la section, une fois
            return
        if a_executer:
            noyau = self.noyaux[section.id]
            self.noyaux.move_to_end(section.id)
            self.boucle.run_until_complete(
                noyau.executer_cellules(nouveau, a_executer, section.id, section.carnet)
            )
        self._retenir(section, source, nouveau)

    def _executer(self, section: Any, source: NotebookNode) -> None:
        """Exécute la section dans un noyau neuf, gardé vivant pour les récits suivants."""
        from synthese_ihu.execution import moteur_papermill

        self._arreter_noyaux([section.id])
        noyau = Noyau(len(self.noyaux) + 1, self.emplacements.carnets)
        debut = time.perf_counter()
        self.afficher(f"  ▶ {section.id:<18} exécution…")
        try:
            self.boucle.run_until_complete(noyau.demarrer())
            nb = self.boucle.run_until_complete(
                moteur_papermill().executer(
                    noyau,
                    source,
                    self.valeurs,
                    Path(section.chemin).parent,
                    section=section.id,
                    carnet=section.carnet,
                )
            )
        except BaseException:
            self.boucle.run_until_complete(noyau.arreter())
            raise
        self.afficher(f"  ✓ {section.id:<18} {_s(time.perf_counter() - debut)}")
        self.noyaux[section.id] = noyau
        self._arreter_noyaux(list(self.noyaux)[: -self.noyaux_vivants or None])
        self._retenir(section, source, nb)

    def _retenir(self, section: Any, source: NotebookNode, execute: NotebookNode) -> None:
        propre = nbs.nettoyer(execute)
        self.sources[section.id], self.executes[section.id] = source, propre
        self.finals[section.id] = nbs.finaliser(
            source, propre, section=section, annee=self.parametres.annee
        )

    def _arreter_noyaux(self, sections: Iterable[str]) -> None:
        for ident in list(sections):
            noyau = self.noyaux.pop(ident, None)
            if noyau is not None:
                self.boucle.run_until_complete(noyau.arreter())

    def fermer(self) -> None:
        """Arrête les noyaux vivants."""
        self._arreter_noyaux(list(self.noyaux))
        self.boucle.close()

    # -- rendu ---------------------------------------------------------------------------------

    def rendre(self, debut: float | None = None) -> Path:
        """Écrit le HTML de l'aperçu (``build/<annee>/apercu/<nom>.html``) d'un coup."""
        from synthese_ihu.rendu import SyntheseHTMLExporter, assembler, nom_fichier

        debut = time.perf_counter() if debut is None else debut
        annee = self.parametres.annee
        dossier = self.emplacements.construction / str(annee) / "apercu"
        dossier.mkdir(parents=True, exist_ok=True)
        exportateur = SyntheseHTMLExporter(
            annee=annee,
            donnees_dossier=str(dossier / "donnees"),
            donnees_href="donnees",
            # carnets déjà valides : une validation à la fin, pas une par préprocesseur (≈ 25 %)
            optimistic_validation=True,
        )
        carnets = [self.finals[s.id] for s in self.sections]
        html, _ = exportateur.from_notebook_node(
            assembler(carnets), {"metadata": {"path": str(dossier)}}
        )
        chemin = dossier / f"{nom_fichier(annee)}.html"
        provisoire = chemin.with_name(f".{chemin.name}.partiel")
        provisoire.write_text(html, encoding="utf-8")
        os.replace(provisoire, chemin)
        self.chemin = chemin
        self.afficher(f"Aperçu HTML refait en {_s(time.perf_counter() - debut)} : {chemin}")
        return chemin


def reconstruire(
    annee: int | str | None = None,
    emplacements: Emplacements | None = None,
    *,
    annees: Iterable[int] | None = None,
    afficher: Callable[[str], None] = print,
) -> Path:
    """Refait tout l'aperçu HTML d'une année (sections du cache ou exécutées, puis HTML).

    Raises
    ------
    ErreurParametres, ErreurConfiguration
        Année ou configuration refusée (rien n'est exécuté).
    ErreurSection
        Une section a échoué (l'aperçu précédent reste en place).
    """
    apercu = Apercu(annee, emplacements, annees=annees, afficher=afficher)
    try:
        return apercu.construire()
    finally:
        apercu.fermer()


def _tenter(action: Callable[[], Any], afficher: Callable[[str], None]) -> None:
    try:
        action()
    except ErreurSection as exc:
        afficher(f"Échec : {exc}\nL'aperçu précédent est inchangé ; corrigez puis enregistrez.")
    except (ErreurParametres, ErreurConfiguration, ValueError, OSError) as exc:
        afficher(f"Erreur : {exc}")  # carnet illisible ou retiré : l'aperçu attend le suivant


def a_surveiller(emplacements: Emplacements) -> list[Path]:
    """Ce que l'aperçu surveille : carnets, ``synthese.toml``, gabarits du rendu."""
    return [
        Path(emplacements.carnets),
        Path(emplacements.configuration),
        Path(emplacements.rendu) / "gabarits",
    ]


def _filtre(_changement: Any, chemin: str) -> bool:
    """Ni fichiers cachés (copies provisoires de JupyterLab), ni points de contrôle."""
    nom = Path(chemin).name
    return not nom.startswith(".") and ".ipynb_checkpoints" not in chemin and not nom.endswith("~")


def evenements(emplacements: Emplacements, arret: Any = None) -> Iterable[set[Path]]:
    """Lots de fichiers enregistrés, dès qu'ils le sont (``watchfiles.watch``, inotify)."""
    import watchfiles

    surveilles = [p for p in a_surveiller(emplacements) if p.exists()]
    for lot in watchfiles.watch(
        *surveilles, watch_filter=_filtre, step=ATTENTE_MS, debounce=1000, stop_event=arret
    ):
        yield {Path(chemin) for _, chemin in lot}


def surveiller(
    annee: int | str | None = None,
    emplacements: Emplacements | None = None,
    *,
    annees: Iterable[int] | None = None,
    afficher: Callable[[str], None] = print,
    lots: Iterable[set[Path]] | None = None,
) -> None:
    """Construit l'aperçu, puis le refait à chaque lot de fichiers enregistrés.

    Parameters
    ----------
    lots : iterable of set of Path, optional
        Fichiers enregistrés, lot par lot ; par défaut :func:`evenements` (sans fin, Ctrl-C).
    """
    emplacements = emplacements or Emplacements()
    apercu = Apercu(annee, emplacements, annees=annees, afficher=afficher)
    try:
        _tenter(apercu.construire, afficher)
        afficher(f"Surveillance de {emplacements.carnets} (Ctrl-C pour arrêter)…")
        for lot in evenements(emplacements) if lots is None else lots:
            if hasattr(apercu, "sections"):
                _tenter(lambda lot=lot: apercu.retoucher(lot), afficher)
            else:  # la première construction avait échoué
                _tenter(apercu.construire, afficher)
    finally:
        apercu.fermer()


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``make preview`` (``python -m synthese_ihu.apercu``)."""
    p = argparse.ArgumentParser(
        prog="python -m synthese_ihu.apercu",
        description="Aperçu HTML refait à chaque enregistrement d'un carnet.",
    )
    p.add_argument("--annee", help="année cible (défaut : [rapport] annee_defaut)")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    affiche = lambda m: print(m, flush=True)  # noqa: E731
    try:
        surveiller(args.annee, afficher=affiche)
    except KeyboardInterrupt:
        print("\nAperçu arrêté.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
