"""Rendus d'une construction de plusieurs années : processus neufs, ou rendus ici.

Ce module n'importe que la bibliothèque standard.

:func:`contexte`
    Contexte ``multiprocessing`` des processus de rendu (``spawn`` : aucun état hérité du
    processus de construction, ni boucle asyncio ni sockets des noyaux).
:class:`EnLigne`
    Le même rôle qu'un groupe de processus de rendu, dans ce processus (une année, tests).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


def contexte() -> Any:
    """Contexte ``multiprocessing`` ``spawn`` (processus neufs, rien d'hérité)."""
    return multiprocessing.get_context("spawn")


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
