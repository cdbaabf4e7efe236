"""Processus auxiliaires de la construction : PDF préparé à l'avance, rendus de plusieurs années.

Ce module n'importe que la bibliothèque standard : le processus de construction le charge sans
payer les imports de nbconvert, matplotlib ou WeasyPrint.

:class:`ProcessusPDF`
    Un processus (``spawn``) démarré dès que la construction sait qu'il faudra un rendu : il
    importe WeasyPrint et les polices pendant que la construction prépare la publication et le
    HTML, puis convertit le HTML en PDF (:func:`synthese_ihu.rendu.exporteurs.html_vers_pdf`,
    la même fonction qu'en un seul processus : mêmes octets).
:func:`contexte`
    Contexte ``multiprocessing`` des processus de rendu (``spawn`` : aucun état hérité du
    processus de construction, ni boucle asyncio ni sockets des noyaux).
:class:`EnLigne`
    Le même rôle qu'un groupe de processus de rendu, dans ce processus (une année, tests).
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any


def contexte() -> Any:
    """Contexte ``multiprocessing`` ``spawn`` (processus neufs, rien d'hérité)."""
    return multiprocessing.get_context("spawn")


def prechauffer_pdf() -> None:
    """Importe ce que la conversion en PDF utilise (WeasyPrint, ses bibliothèques, polices)."""
    import weasyprint  # noqa: F401 -- ≈ 0,4 s : bibliothèques pango, harfbuzz, fontconfig
    import weasyprint.text.fonts  # noqa: F401

    from synthese_ihu.rendu import exporteurs

    exporteurs.css_polices()


def _travailleur_pdf(canal: Connection) -> None:
    """Boucle du processus PDF : ``(html, base)`` → ``("pdf", octets)`` ou ``("erreur", exc)``."""
    try:
        prechauffer_pdf()
    except Exception:  # noqa: BLE001 -- l'erreur réapparaîtra, entière, à la conversion
        pass
    while True:
        try:
            demande = canal.recv()
        except EOFError:
            return
        if demande is None:
            return
        html, base = demande
        try:
            from synthese_ihu.rendu.exporteurs import html_vers_pdf

            canal.send(("pdf", html_vers_pdf(html, base_url=base)))
        except Exception as exc:  # noqa: BLE001 -- renvoyée telle quelle au processus parent
            try:
                canal.send(("erreur", exc))
            except Exception:  # noqa: BLE001 -- exception impossible à transmettre
                canal.send(("erreur", RuntimeError("".join(traceback.format_exception(exc)))))


class ProcessusPDF:
    """Conversion HTML → PDF dans un processus démarré (et préparé) à l'avance.

    Le processus est démarré par :meth:`demarrer` ; :meth:`convertir` lui envoie le HTML et
    attend le PDF. Si le processus disparaît (tué, mémoire), la conversion est faite dans le
    processus courant, par la même fonction. :meth:`fermer` arrête le processus (tout de suite
    s'il n'a servi à rien).

    Examples
    --------
    >>> with ProcessusPDF() as pdf:  # doctest: +SKIP
    ...     octets = pdf.convertir(html, dossier)
    """

    def __init__(self) -> None:
        self._processus: Any = None
        self._canal: Connection | None = None
        self._utilise = False

    def demarrer(self) -> ProcessusPDF:
        """Démarre le processus (il importe WeasyPrint pendant que l'appelant continue)."""
        if self._processus is None:
            ctx = contexte()
            parent, enfant = ctx.Pipe()
            self._processus = ctx.Process(
                target=_travailleur_pdf, args=(enfant,), name="synthese-ihu-pdf", daemon=True
            )
            self._processus.start()
            enfant.close()
            self._canal = parent
        return self

    def convertir(self, html: str, base_url: str | Path) -> bytes:
        """PDF du HTML (voir :func:`synthese_ihu.rendu.exporteurs.html_vers_pdf`).

        Raises
        ------
        Exception
            L'erreur de la conversion elle-même, telle que le processus l'a levée.
        """
        if self._canal is None:
            self.demarrer()
        self._utilise = True
        try:
            self._canal.send((html, str(base_url)))
            genre, valeur = self._canal.recv()
        except (EOFError, OSError, BrokenPipeError):
            from synthese_ihu.rendu.exporteurs import html_vers_pdf

            return html_vers_pdf(html, base_url=base_url)  # processus perdu : ici, même résultat
        if genre == "erreur":
            raise valeur
        return valeur

    def fermer(self) -> None:
        """Arrête le processus : fin demandée s'il a servi, arrêt immédiat sinon."""
        if self._processus is None:
            return
        try:
            if self._utilise and self._processus.is_alive():
                try:
                    self._canal.send(None)
                except (OSError, BrokenPipeError):
                    pass
                self._processus.join(timeout=10)
            if self._processus.is_alive():
                self._processus.terminate()
                self._processus.join(timeout=10)
        finally:
            if self._canal is not None:
                self._canal.close()
            self._processus = self._canal = None

    def __enter__(self) -> ProcessusPDF:
        return self.demarrer()

    def __exit__(self, *exc: object) -> None:
        self.fermer()


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
