"""Code exécuté DANS un noyau réutilisé, entre deux carnets (jamais importé par la construction).

Le source de ce module est envoyé tel quel au noyau (``inspect.getsource``) et installé comme
module ``_synthese_ihu_noyau`` : il ne dépend donc que de la bibliothèque standard, et de
matplotlib / pandas / numpy seulement s'ils sont déjà importés par un carnet précédent.

``reinitialiser`` ramène le noyau à l'état d'un noyau neuf vu du carnet : espace de noms vidé
(``%reset -f``), figures fermées, paramètres matplotlib, options pandas, filtres d'avertissement,
dossier courant, ``sys.path``, variables d'environnement et graines aléatoires restaurés. Les
modules importés restent importés : c'est ce qui rend la réutilisation rapide.
"""

from __future__ import annotations

import locale
import os
import random
import sys
import warnings

_ETAT: dict = {}


def preparer(dossier: str) -> None:
    """Photographie l'état initial du noyau (appelée une fois, au démarrage du noyau).

    Parameters
    ----------
    dossier : str
        Dossier courant des carnets (celui des sources, comme dans JupyterLab).
    """
    _ETAT["dossier"] = dossier
    _ETAT["sys_path"] = list(sys.path)
    _ETAT["filtres"] = list(warnings.filters)
    _ETAT["environ"] = dict(os.environ)
    _ETAT["locale"] = locale.setlocale(locale.LC_ALL)


def _reinitialiser_matplotlib(shell) -> None:
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].rc_file_defaults()
    module_inline = sys.modules.get("matplotlib_inline.backend_inline")
    if module_inline is None:
        return
    config = sys.modules["matplotlib_inline.config"]
    reglage = config.InlineBackend.instance(parent=shell)
    configure = shell.config.get("InlineBackend", {})
    for nom in ("figure_formats", "print_figure_kwargs", "close_figures", "rc"):
        valeur = configure[nom] if nom in configure else reglage.trait_defaults(nom)
        if getattr(reglage, nom) != valeur:
            setattr(reglage, nom, valeur)
    if "matplotlib" in sys.modules and reglage.rc:
        sys.modules["matplotlib"].rcParams.update(reglage.rc)


def reinitialiser(shell) -> None:
    """Vide l'espace de noms et restaure l'état photographié par :func:`preparer`.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        Le shell du noyau (``get_ipython()``).
    """
    shell.run_line_magic("reset", "-f")
    shell.execution_count = 1
    os.chdir(_ETAT["dossier"])
    sys.path[:] = _ETAT["sys_path"]
    warnings.filters[:] = _ETAT["filtres"]
    warnings._filters_mutated()  # sinon l'implémentation C garde son cache de filtres
    if dict(os.environ) != _ETAT["environ"]:
        os.environ.clear()
        os.environ.update(_ETAT["environ"])
    try:
        locale.setlocale(locale.LC_ALL, _ETAT["locale"])
    except locale.Error:
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _reinitialiser_matplotlib(shell)
        if "pandas" in sys.modules:
            sys.modules["pandas"].reset_option("all")
    random.seed(0)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(0)
