"""Rendus d'une construction de plusieurs années : processus neufs, ou rendus ici.

Ce module n'importe que la bibliothèque standard.

:func:`contexte`
    Contexte ``multiprocessing`` des processus de rendu (``spawn`` : aucun état hérité du
    processus de construction, ni boucle asyncio ni sockets des noyaux). Un processus de rendu
    ignore SIGINT (un Ctrl-C du terminal atteint tout le groupe : seul le processus de
    construction doit le traiter) ; :func:`terminer` les arrête après une interruption.
:class:`EnLigne`
    Le même rôle qu'un groupe de processus de rendu, dans ce processus (une année, tests).
"""

from __future__ import annotations

import multiprocessing
import signal
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any

#: processus de rendu démarrés par ce processus (:func:`terminer`)
_PROCESSUS: weakref.WeakSet[SpawnProcess] = weakref.WeakSet()


class ProcessusRendu(SpawnProcess):
    """Processus ``spawn`` qui ignore SIGINT (l'interruption est l'affaire du parent)."""

    def start(self) -> None:
        super().start()
        _PROCESSUS.add(self)

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        super().run()


class _ContexteRendu(SpawnContext):
    Process = ProcessusRendu


def contexte() -> Any:
    """Contexte ``multiprocessing`` ``spawn`` (processus neufs, rien d'hérité, SIGINT ignoré)."""
    multiprocessing.get_context("spawn")  # comme avant : méthode « spawn » connue et prête
    return _ContexteRendu()


def terminer(delai: float = 5.0) -> int:
    """Arrête (SIGTERM, puis SIGKILL après ``delai``) les processus de rendu encore vivants.

    Appelé à l'interruption d'une construction, avant que le groupe de processus n'attende
    la fin des rendus en cours ; rend le nombre de processus arrêtés.
    """
    vivants = [p for p in list(_PROCESSUS) if p.is_alive()]
    for processus in vivants:
        processus.terminate()
    for processus in vivants:
        processus.join(delai)
        if processus.is_alive():
            processus.kill()
            processus.join(delai)
    return len(vivants)


class EnLigne:
    """Comme un ``ProcessPoolExecutor`` de rendu, mais dans ce processus et à la demande.

    :meth:`submit` met l'appel en attente ; :meth:`executer` les fait l'un après l'autre (après
    l'exécution des carnets : les noyaux sont arrêtés) et remplit leurs ``Future``.
    """

    def __init__(self) -> None:
        self._attente: list[tuple[Future, Callable[..., Any], tuple, dict]] = []

    def submit(self, fonction: Callable[..., Any], *args: Any, **options: Any) -> Future:
        """Met ``fonction(*args, **options)`` en attente ; rend son ``Future``."""
        futur: Future = Future()
        self._attente.append((futur, fonction, args, options))
        return futur

    def executer(self) -> None:
        """Fait les appels en attente ; une exception est rendue par ``futur.result()``."""
        for futur, fonction, args, options in self._attente:
            try:
                futur.set_result(fonction(*args, **options))
            except Exception as exc:  # noqa: BLE001 -- comme depuis un processus de rendu
                futur.set_exception(exc)
        self._attente.clear()

    def __enter__(self) -> EnLigne:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
