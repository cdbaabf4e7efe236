"""Processus lancés par les tests : mêmes conditions quelle que soit la façon dont pytest a démarré.

Sous ``nohup`` ou depuis un script en arrière-plan, pytest hérite de SIGINT et SIGHUP ignorés
(et parfois de signaux bloqués) ; un enfant hériterait de cet état, et un test qui l'interrompt
enverrait un signal sans effet. :func:`lancer` donne donc à chaque enfant les dispositions d'un
terminal (SIGINT, SIGTERM, SIGHUP, SIGQUIT par défaut, aucun signal bloqué) et son propre
groupe ; :func:`surveille` tue ce groupe et tous les descendants (noyaux compris, qui ont leur
propre session) quand le test se termine, qu'il réussisse ou échoue.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator, Sequence

import psutil

#: Signaux rendus à leur disposition par défaut chez l'enfant.
SIGNAUX_TERMINAL = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def dispositions_terminal() -> None:
    """Dans l'enfant, avant ``exec`` : signaux d'arrêt par défaut, aucun signal bloqué."""
    for numero in SIGNAUX_TERMINAL:
        signal.signal(numero, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def lancer(argv: Sequence[str], **options) -> subprocess.Popen:
    """``Popen`` dans son propre groupe, avec les dispositions d'un terminal."""
    return subprocess.Popen(
        list(argv), preexec_fn=dispositions_terminal, start_new_session=True, **options
    )


def arreter(processus: subprocess.Popen) -> list[psutil.Process]:
    """Tue le processus, son groupe et ses descendants encore vivants ; rend ceux qu'il a tués."""
    try:
        descendants = psutil.Process(processus.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        descendants = []
    tues = [p for p in descendants if p.is_running()]
    if processus.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(processus.pid, signal.SIGKILL)
    for p in tues:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    processus.wait()
    psutil.wait_procs(tues, timeout=10)
    return tues


@contextlib.contextmanager
def surveille(argv: Sequence[str], **options) -> Iterator[subprocess.Popen]:
    """:func:`lancer`, puis :func:`arreter` à la sortie du bloc, même sur une assertion."""
    processus = lancer(argv, **options)
    try:
        yield processus
    finally:
        arreter(processus)


def executer(argv: Sequence[str], *, timeout: float, **options) -> subprocess.CompletedProcess:
    """Comme ``subprocess.run(capture_output=True, text=True)``, dans ces conditions ; au-delà de
    ``timeout``, tout le groupe et ses descendants sont tués avant l'erreur."""
    with surveille(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                   **options) as processus:
        sortie, erreur = processus.communicate(timeout=timeout)
        return subprocess.CompletedProcess(processus.args, processus.returncode, sortie, erreur)
