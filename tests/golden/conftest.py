"""Les carnets de référence de ce dossier, vérifiés par nbval à travers des carnets de contrôle.

Pour chaque ``tests/golden/<annee>/NN_section.ipynb``, la collecte écrit le carnet de contrôle
``build/nbval/<annee>/NN_section.ipynb`` (carnet source COURANT paramétré pour l'année, sorties de
référence cellule par cellule : :func:`synthese_ihu.golden.carnet_de_controle`) et le fait
vérifier par nbval : une cellule dont la sortie réexécutée diffère de la référence échoue. Un
élément ``structure`` par carnet signale les cellules ajoutées, retirées ou déplacées et le
Markdown modifié. Tous ces éléments portent la marque de coût ``lent`` (``make test-carnets``).

Le carnet de référence lui-même n'est jamais donné à nbval (même avec ``--nbval``) : il ne verrait
pas une modification du carnet source.
"""

from __future__ import annotations

from pathlib import Path

import py
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile

from synthese_ihu import chemins, golden

ICI = Path(__file__).resolve().parent


class CelluleControle(IPyNbCell):
    """Cellule vérifiée par nbval ; un échec nomme d'abord le carnet source et la cellule."""

    def repr_failure(self, excinfo):  # noqa: D102 - voir IPyNbCell
        ident, rang = self.parent.controle.cellules.get(self.cell_num, ("?", 0))
        source = _relatif(self.parent.controle.source)
        if rang:
            ou = f"{source}, cellule n° {rang} (id « {ident} »)"
        else:
            ou = f"{source}, cellule de paramètres injectés"
        entete = (
            f"Sortie différente du carnet de référence {_relatif(self.parent.controle.golden)} "
            f"— {ou}\n"
            "(changement voulu : `make golden`, puis relire `git diff tests/golden`)\n"
        )
        return entete + str(super().repr_failure(excinfo))


class StructureCarnet(pytest.Item):
    """Cellules ajoutées, retirées, déplacées, Markdown modifié : comparés hors nbval."""

    def runtest(self) -> None:  # noqa: D102
        if self.parent.controle.ecarts:
            raise AssertionError("\n".join(self.parent.controle.ecarts))

    def repr_failure(self, excinfo):  # noqa: D102
        if isinstance(excinfo.value, AssertionError):
            return (
                "Le carnet source ne correspond plus à son carnet de référence :\n"
                f"{excinfo.value}\n"
                "(changement voulu : `make golden`, puis relire `git diff tests/golden`)"
            )
        return super().repr_failure(excinfo)

    def reportinfo(self):  # noqa: D102
        return self.path, None, f"{self.parent.name}::structure"


class CarnetDeControle(IPyNbFile):
    """Un carnet de référence, vérifié par nbval à travers son carnet de contrôle.

    Le nœud a pour chemin le carnet de référence (``pytest tests/golden/2022/NN.ipynb::Cell 3``
    fonctionne) ; nbval, lui, lit et exécute le carnet de contrôle (``fspath``).
    """

    controle: golden.Controle

    @property
    def fspath(self):  # noqa: D102 - chemin lu par nbval (lecture, dossier courant du noyau)
        return py.path.local(str(self.controle.chemin or self.path))

    def setup(self) -> None:  # noqa: D102
        if self.controle.chemin is not None:
            super().setup()

    def collect(self):  # noqa: D102
        yield StructureCarnet.from_parent(self, name="structure")
        if self.controle.chemin is None:
            return
        for cellule in super().collect():
            yield CelluleControle.from_parent(
                self,
                name=cellule.name,
                cell_num=cellule.cell_num,
                cell=cellule.cell,
                options=cellule.options,
            )


def _relatif(chemin: Path) -> str:
    try:
        return str(Path(chemin).resolve().relative_to(chemins.RACINE))
    except ValueError:
        return str(chemin)


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent):
    """Remplace un carnet de référence par son carnet de contrôle (écrit à la collecte)."""
    collecteurs = yield
    if (
        file_path.suffix != ".ipynb"
        or file_path.parent.parent != ICI
        or not file_path.parent.name.isdigit()
    ):
        return collecteurs
    # nbval (--nbval) collecterait le carnet de référence brut : on l'écarte.
    collecteurs = [c for c in collecteurs if not isinstance(c, IPyNbFile)]
    annee = int(file_path.parent.name)
    section = next((s for s in golden.sections() if s.carnet == file_path.name), None)
    if section is None:
        controle = golden.Controle("?", Path("?"), file_path)
        controle.ecarts.append(
            f"{file_path.name} : carnet de référence sans section dans synthese.toml "
            "(lancer `make golden` pour retirer les carnets périmés)"
        )
    else:
        (controle,) = golden.ecrire_controles(annee, sections=[section.id])
    noeud = CarnetDeControle.from_parent(parent, path=file_path)
    noeud.controle = controle
    noeud.add_marker(pytest.mark.lent)
    return [*collecteurs, noeud]
