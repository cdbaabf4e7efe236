"""Moteur papermill « synthese-ihu » : une section exécutée exactement comme à la construction.

Enregistré sous le point d'extension ``papermill.engine`` (``pyproject.toml``) ::

    papermill --engine synthese-ihu notebooks/03_recherche.ipynb /tmp/03.ipynb -p annee 2019

paramètre le carnet comme la construction (paramètres validés par :mod:`synthese_ihu.config`,
``interne`` compris), l'exécute dans un noyau neuf (:class:`synthese_ihu.noyau.Noyau`), retire
les métadonnées volatiles et rend le carnet que la construction écrit dans
``build/<N>/carnets/``, octet pour octet. La construction passe par la même classe
(:meth:`MoteurSynthese.executer`, appelée par :mod:`synthese_ihu.execution` avec un noyau du
groupe). Papermill charge ses moteurs à son import : ce module se prend par papermill
(:func:`synthese_ihu.execution.moteur_papermill`), jamais importé avant lui.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from papermill.engines import Engine

from synthese_ihu.carnets import NOM_NOYAU, finaliser, lire_source, nettoyer, parametrer
from synthese_ihu.noyau import ErreurSection, Noyau


class MoteurSynthese(Engine):
    """Moteur papermill du projet (point d'extension ``papermill.engine``, nom ``synthese-ihu``).

    Papermill lit le carnet et y injecte ses paramètres ; le moteur reprend le carnet SOURCE,
    le paramètre comme la construction (:func:`parametres_construction` : ``annee`` et
    ``interne`` validés, défauts compris), l'exécute dans un noyau neuf puis rend le carnet
    nettoyé et fusionné (:func:`synthese_ihu.carnets.finaliser`) : papermill l'écrit tel quel.

    Arguments du moteur (``papermill.execute_notebook(..., engine_name="synthese-ihu", **kw)``) :
    ``configuration`` (chemin de ``synthese.toml``, défaut : celui du paquet) et ``annees``
    (années couvertes, défaut : lues dans les données).
    """

    @classmethod
    async def executer(
        cls,
        noyau: Noyau,
        source: NotebookNode,
        parametres: dict[str, Any],
        dossier: Path,
        *,
        section: str,
        carnet: str,
        echec: Any = None,
    ) -> NotebookNode:
        """Paramètre ``source`` (papermill) et l'exécute dans ``noyau`` : carnet brut exécuté.

        ``echec(nb)`` reçoit le carnet arrêté à la cellule fautive avant que
        :class:`ErreurSection` ne remonte.
        """
        nb = parametrer(source, parametres)
        try:
            await noyau.executer(nb, dossier, section, carnet)
        except ErreurSection:
            if echec is not None:
                echec(nb)
            raise
        return nb

    @classmethod
    def execute_notebook(cls, nb, kernel_name, **kwargs):
        """Exécution papermill, puis le carnet final de la construction (nettoyé, fusionné)."""
        entree = kwargs.get("input_path")
        if entree is None:
            raise ValueError("moteur synthese-ihu : chemin du carnet source attendu (input_path)")
        execute = super().execute_notebook(nb, kernel_name, **kwargs)
        source = lire_source(entree)
        config = _configuration(kwargs.get("configuration"), Path(entree).resolve().parent)
        section = _section_du_carnet(Path(entree), config)
        return finaliser(
            source,
            nettoyer(execute),
            section=section,
            annee=execute.metadata["papermill"]["parameters"]["annee"],
        )

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        input_path=None,
        configuration=None,
        annees=None,
        **kwargs,
    ):
        """Remplace l'injection de papermill par celle de la construction et exécute."""
        entree = Path(input_path).resolve()
        source = lire_source(entree)
        demandes = dict(nb_man.nb.metadata.get("papermill", {}).get("parameters", {}))
        config = _configuration(configuration, entree.parent)
        valeurs = parametres_construction(demandes, config, annees)
        section = _section_du_carnet(entree, config)
        nom = section.id if section is not None else entree.stem
        prepare = parametrer(source, valeurs)
        for cellule in prepare.cells:  # suivi des cellules par papermill (retiré au nettoyage)
            cellule.metadata["papermill"] = {"status": nb_man.PENDING, "exception": None}
        nb_man.nb.cells = prepare.cells
        nb_man.nb.metadata.papermill["parameters"] = valeurs
        nb_man.nb.metadata.setdefault("kernelspec", prepare.metadata["kernelspec"])

        async def une_fois() -> None:
            noyau = Noyau(1, entree.parent, kernel_name or NOM_NOYAU)
            try:
                await noyau.demarrer()
                await noyau.executer(nb_man.nb, entree.parent, nom, entree.name)
            finally:
                await noyau.arreter()

        asyncio.run(une_fois())


def parametres_construction(
    demandes: dict[str, Any], configuration: Any, annees: Any = None
) -> dict[str, Any]:
    """Paramètres que la construction injecte, à partir de ceux donnés à papermill.

    Validés comme ceux de ``synthese-ihu construire`` (année couverte, ``interne`` booléen,
    paramètre inconnu refusé) ; ``interne`` vaut faux s'il n'est pas donné.
    """
    from synthese_ihu.config import ErreurParametres, valider_parametres

    inconnus = sorted(set(demandes) - {"annee", "interne"})
    if inconnus:
        raise ErreurParametres(
            f"paramètre(s) de carnet inconnu(s) : {', '.join(inconnus)} (connus : annee, interne)"
        )
    return valider_parametres(demandes, configuration, annees).valeurs_carnet()


def _configuration(configuration: Any, dossier: Path) -> Any:
    """``synthese.toml`` validé (chemin, défaut : celui du paquet), carnets dans ``dossier``.

    Un carnet hors du dossier des carnets (copie) : configuration du projet, sans section.
    """
    from synthese_ihu.config import ErreurConfiguration, charger_configuration

    if configuration is None or isinstance(configuration, str | Path):
        try:
            return charger_configuration(configuration, dossier)
        except ErreurConfiguration:
            return charger_configuration(configuration)
    return configuration


def _section_du_carnet(chemin: Path, configuration: Any) -> Any:
    """Section de ``configuration`` dont le carnet est ``chemin`` (``None`` si aucune)."""
    for section in configuration.sections:
        if Path(section.chemin).resolve() == chemin.resolve():
            return section
    return None
