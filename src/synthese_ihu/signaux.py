"""Signaux d'arrêt (SIGINT, SIGTERM, SIGHUP) : une exception, les processus enfants arrêtés.

Pendant :func:`signaux_d_arret`, un signal lève :class:`Interruption` (code de sortie 128 + n)
après avoir arrêté les processus de rendu (:func:`synthese_ihu.parallele.terminer`) et les
noyaux (:func:`synthese_ihu.noyau.arreter_tous`) ; la commande (:mod:`synthese_ihu.cli`) dit
alors une ligne, sans trace. Ce module n'importe que la bibliothèque standard.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

#: signaux d'arrêt traités : la commande s'arrête proprement, code 128 + numéro du signal
SIGNAUX = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interruption(KeyboardInterrupt):
    """Signal d'arrêt reçu ; ``code`` : code de sortie (128 + numéro du signal).

    Sous-classe de ``KeyboardInterrupt`` : aucun ``except Exception`` ne l'avale.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.code = 128 + signum


def arreter_enfants() -> None:
    """Arrête tout de suite les processus de rendu et les noyaux de cette commande.

    Seulement ceux des modules déjà importés (et pas en cours d'import) : rien n'est importé
    ici, l'interruption reste rapide.
    """
    for module, nom in (
        ("synthese_ihu.parallele", "terminer"),
        ("synthese_ihu.noyau", "arreter_tous"),
    ):
        fonction = getattr(sys.modules.get(module), nom, None)
        if fonction is not None:
            fonction()


@contextlib.contextmanager
def signaux_d_arret(au_signal: Callable[[], None] = arreter_enfants) -> Iterator[list[int]]:
    """Pendant le bloc, SIGINT, SIGTERM et SIGHUP lèvent :class:`Interruption`.

    ``au_signal()`` est appelé d'abord (processus de rendu et noyaux arrêtés avant que le code
    interrompu n'attende leur fin). Après le premier, les signaux suivants sont ignorés : le
    nettoyage va à son terme et aucune trace ne s'imprime. Un signal déjà ignoré (``nohup``,
    tâche de fond) le reste. Hors du fil principal, ou dans un bloc déjà ouvert (``main`` puis
    :func:`construire`), rien n'est changé.
    """
    recus: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield recus
        return
    for numero in SIGNAUX:
        ouvert = getattr(signal.getsignal(numero), "recus", None)
        if ouvert is not None:
            yield ouvert
            return

    def gerer(signum: int, _cadre: Any) -> None:
        if recus:
            return
        recus.append(signum)
        au_signal()
        raise Interruption(signum)

    gerer.recus = recus  # type: ignore[attr-defined]
    anciens = {}
    for numero in SIGNAUX:
        if signal.getsignal(numero) is not signal.SIG_IGN:
            anciens[numero] = signal.signal(numero, gerer)
    try:
        yield recus
    finally:
        if not recus:  # interrompu : les signaux suivants restent sans effet jusqu'à la sortie
            for numero, ancien in anciens.items():
                signal.signal(numero, ancien)
