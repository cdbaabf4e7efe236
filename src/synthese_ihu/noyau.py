"""Noyaux IPython qui exécutent plusieurs carnets l'un après l'autre, remis à neuf entre deux.

Un :class:`Noyau` démarre une fois (transport IPC), reçoit l'outil de remise à neuf
(:mod:`synthese_ihu._noyau`) et exécute les cellules d'un carnet paramétré ; les modules déjà
importés le restent, c'est ce qui fait gagner le démarrage et les imports. Une erreur de cellule
devient une :class:`ErreurSection` qui nomme la section, la cellule et l'erreur.

Tout ce qu'un noyau laisse dans le dossier temporaire (fichier de connexion, sockets IPC) est
dans UN dossier ``synthese-ihu-noyau-<pid>-*``, supprimé à l'arrêt ; :func:`arreter_tous`
tue les noyaux restants après une interruption ; le dossier d'un processus mort (tué sans
pouvoir nettoyer) est supprimé au démarrage d'un noyau suivant. Le noyau a sa propre session
(``jupyter_client`` : ``start_new_session``) : un Ctrl-C du terminal n'atteint que la commande.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from synthese_ihu import _noyau
from synthese_ihu.carnets import ETIQUETTE_INJECTEE, NOM_NOYAU, _premiere_ligne

DELAI_CELLULE = 1800  # secondes
DELAI_DEMARRAGE = 120
#: préfixe des dossiers temporaires des noyaux (suivi du pid du processus qui les a créés)
PREFIXE_DOSSIER = "synthese-ihu-noyau-"
#: Longueur utile du chemin d'une socket Unix (``sun_path`` : 108 octets, zéro final compris).
LONGUEUR_SOCKET = 107
#: Ce que le nom du dossier d'un noyau et de ses sockets ajoute au dossier temporaire (au plus).
_SUFFIXE_SOCKET = len(f"/{PREFIXE_DOSSIER}4194304-abcdefgh/k-65535")


def base_sockets() -> str:
    """Dossier où créer celui d'un noyau : le dossier temporaire, ou ``/tmp`` s'il est trop long
    pour une socket Unix (un ``TMPDIR`` profond ferait échouer le démarrage du noyau)."""
    base = tempfile.gettempdir()
    if len(os.fsencode(base)) + _SUFFIXE_SOCKET <= LONGUEUR_SOCKET or not os.path.isdir("/tmp"):
        return base
    return "/tmp"

#: noyaux démarrés et pas encore arrêtés par ce processus (:func:`arreter_tous`)
_VIVANTS: set[Noyau] = set()


class ErreurSection(Exception):
    """Une section a échoué ; le message nomme la section, la cellule et l'erreur.

    Attributes
    ----------
    section : str
        Identifiant de la section.
    carnet : str
        Nom du fichier du carnet source.
    index : int or None
        Rang de la cellule en échec dans le carnet SOURCE (à partir de 1), ``None`` si l'échec
        n'est pas dans une cellule (démarrage du noyau…).
    premiere_ligne : str
        Première ligne non vide du source de la cellule.
    ename, evalue : str
        Nom et message de l'erreur.
    conserve : Path or None
        Carnet exécuté conservé pour le débogage (traceback complet dedans).
    """

    def __init__(
        self,
        section: str,
        carnet: str,
        index: int | None,
        premiere_ligne: str,
        ename: str,
        evalue: str,
        conserve: Path | None = None,
    ) -> None:
        self.section = section
        self.carnet = carnet
        self.index = index
        self.premiere_ligne = premiere_ligne
        self.ename = ename
        self.evalue = evalue
        self.conserve = conserve
        super().__init__(self.message())

    def message(self) -> str:
        """Message destiné à l'utilisateur (français, sans traceback)."""
        if self.index is None:
            ou = "hors cellule"
        else:
            ou = f"cellule n° {self.index} « {self.premiere_ligne} »"
        texte = (
            f"la section « {self.section} » ({self.carnet}) a échoué, {ou} : "
            f"{self.ename}: {self.evalue}"
        )
        if self.conserve is not None:
            texte += f"\n  carnet exécuté conservé (traceback complet) : {self.conserve}"
        return texte

    def __str__(self) -> str:
        return self.message()


class Noyau:
    """Un noyau IPython qui exécute plusieurs carnets l'un après l'autre.

    Parameters
    ----------
    numero : int
        Numéro du noyau (pour les messages).
    dossier : Path
        Dossier courant initial (celui des carnets).
    nom_noyau : str
        Nom du kernelspec.
    """

    def __init__(self, numero: int, dossier: Path, nom_noyau: str = NOM_NOYAU) -> None:
        self.numero = numero
        self.dossier = Path(dossier)
        self.nom_noyau = nom_noyau
        self.km = None
        self.kc = None
        self.language_info: dict[str, Any] = {}
        self.carnets_executes = 0
        self._ipc: str | None = None
        self.en_cours = False  # vrai pendant l'exécution des cellules d'un carnet
        self.sain = True  # faux après un échec hors cellule (noyau mort, délai dépassé…)

    async def demarrer(self) -> None:
        """Démarre le noyau, installe l'outil de remise à neuf et photographie l'état initial."""
        from jupyter_client.manager import AsyncKernelManager

        # Transport IPC (sockets Unix dans un dossier temporaire) : pas de port TCP ouvert, et
        # pas d'avertissement « Kernel is running over TCP without encryption ». Le fichier de
        # connexion est dans le même dossier (sinon : un fichier de plus dans /tmp).
        nettoyer_restes()
        self._ipc = tempfile.mkdtemp(prefix=f"{PREFIXE_DOSSIER}{os.getpid()}-", dir=base_sockets())
        _VIVANTS.add(self)
        self.km = AsyncKernelManager(
            kernel_name=self.nom_noyau,
            transport="ipc",
            ip=os.path.join(self._ipc, "k"),
            connection_file=os.path.join(self._ipc, "connexion.json"),
        )
        env = dict(os.environ)
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # pas d'avertissement du débogueur
        await self.km.start_kernel(
            cwd=str(self.dossier),
            env=env,
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=DELAI_DEMARRAGE)
        reponse = await self.kc.kernel_info(reply=True, timeout=DELAI_DEMARRAGE)
        self.language_info = reponse["content"].get("language_info", {})
        installation = (
            "import sys as _s, types as _t\n"
            "_m = _t.ModuleType('_synthese_ihu_noyau')\n"
            f"exec(compile({inspect.getsource(_noyau)!r}, '_synthese_ihu_noyau', 'exec'),"
            " _m.__dict__)\n"
            "_s.modules['_synthese_ihu_noyau'] = _m\n"
            f"_m.preparer({str(self.dossier)!r})\n"
            "del _s, _t, _m\n"
        )
        await self._silencieux(installation)

    async def _silencieux(self, code: str) -> None:
        erreurs: list[str] = []

        def collecter(msg: dict) -> None:
            if msg["msg_type"] == "error":
                erreurs.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        reponse = await self.kc.execute_interactive(
            code, store_history=False, output_hook=collecter, timeout=DELAI_DEMARRAGE
        )
        if reponse["content"]["status"] != "ok" or erreurs:
            detail = "; ".join(erreurs) or reponse["content"].get("evalue", "")
            raise RuntimeError(f"remise à neuf du noyau {self.numero} impossible : {detail}")

    async def reinitialiser(self, dossier: Path) -> None:
        """Remet le noyau à neuf (espace de noms, figures, réglages) avant un carnet."""
        await self._silencieux(
            "import _synthese_ihu_noyau as _n\n"
            f"_n._ETAT['dossier'] = {str(dossier)!r}\n"
            "_n.reinitialiser(get_ipython())\n"
        )

    async def executer(self, nb: NotebookNode, dossier: Path, section: str, carnet: str) -> None:
        """Remet le noyau à neuf puis exécute toutes les cellules du carnet paramétré ``nb``.

        Raises
        ------
        ErreurSection
            À la première erreur ; ``nb`` garde les sorties jusqu'à la cellule fautive.
        """
        nb.metadata["language_info"] = copy.deepcopy(self.language_info)
        try:
            await self.reinitialiser(dossier)
        except RuntimeError as exc:
            self.sain = False
            raise ErreurSection(section, carnet, None, "", "RuntimeError", str(exc)) from None
        finally:
            self.carnets_executes += 1
        await self.executer_cellules(nb, range(len(nb.cells)), section, carnet, dossier)

    async def executer_cellules(
        self,
        nb: NotebookNode,
        indices: Any,
        section: str,
        carnet: str,
        dossier: Path | None = None,
    ) -> None:
        """Exécute les cellules ``indices`` de ``nb`` (en place), sans remise à neuf.

        L'aperçu s'en sert pour les seuls récits retouchés, dans le noyau qui a exécuté la
        section (les valeurs y sont calculées).
        """
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError

        index = None
        try:
            client = NotebookClient(
                nb,
                km=self.km,
                kernel_name=self.nom_noyau,
                timeout=DELAI_CELLULE,
                record_timing=False,
                coalesce_streams=True,
                resources={"metadata": {"path": str(dossier or self.dossier)}},
            )
            client.kc = self.kc
            client.reset_execution_trackers()
            self.en_cours = True
            for index in indices:
                await client.async_execute_cell(
                    nb.cells[index], index, execution_count=client.code_cells_executed + 1
                )
        except (CellExecutionError, DeadKernelError, RuntimeError, TimeoutError) as exc:
            if isinstance(exc, CellExecutionError):
                ename, evalue = exc.ename, exc.evalue
            else:
                self.sain = False
                ename, evalue = type(exc).__name__, str(exc)
            cellule = nb.cells[index] if index is not None else None
            raise ErreurSection(
                section,
                carnet,
                _rang_source(nb, index) if cellule is not None else None,
                _premiere_ligne(cellule.source) if cellule is not None else "",
                ename,
                evalue,
            ) from None
        finally:
            self.en_cours = False

    async def arreter(self) -> None:
        """Arrête le noyau (sans erreur s'il est déjà mort)."""
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                if await self.km.is_alive():
                    await self.km.shutdown_kernel(now=True)
            finally:
                await self.km.cleanup_resources()
        self.km = self.kc = None
        self.sain, self.en_cours = True, False
        self._oublier()

    def tuer(self) -> None:
        """Tue le noyau et son groupe de processus (sans attendre la boucle asyncio)."""
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        if pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)  # session propre : groupe = pid du noyau
            processus = getattr(self.km.provisioner, "process", None)
            if processus is not None:
                with contextlib.suppress(Exception):
                    processus.wait(timeout=5)
        self._oublier()

    def _oublier(self) -> None:
        _VIVANTS.discard(self)
        if self._ipc is not None:
            shutil.rmtree(self._ipc, ignore_errors=True)
            self._ipc = None


def arreter_tous() -> int:
    """Tue les noyaux de ce processus encore vivants (après une interruption) ; rend leur nombre.

    Leurs dossiers temporaires (connexion, sockets) sont supprimés.
    """
    restants = list(_VIVANTS)
    for noyau in restants:
        noyau.tuer()
    return len(restants)


def nettoyer_restes(dossier: Path | None = None) -> list[Path]:
    """Supprime les dossiers de noyaux laissés par des processus morts ; rend ceux supprimés.

    Le pid est dans le nom (``synthese-ihu-noyau-<pid>-…``) : un processus vivant (celui-ci ou
    une autre construction) garde les siens.
    """
    supprimes = []
    for chemin in Path(dossier or base_sockets()).glob(f"{PREFIXE_DOSSIER}*-*"):
        pid = chemin.name.removeprefix(PREFIXE_DOSSIER).split("-", 1)[0]
        try:
            if not pid.isdigit() or chemin.lstat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(chemin, ignore_errors=True)
            supprimes.append(chemin)
        except OSError:
            pass  # disparu entre-temps, ou processus vivant d'un autre utilisateur
    return supprimes


def _rang_source(nb: NotebookNode, index: int) -> int:
    """Rang (à partir de 1) dans le carnet source d'une cellule du carnet paramétré."""
    avant = nb.cells[:index]
    injectees = sum(ETIQUETTE_INJECTEE in c.metadata.get("tags", []) for c in avant)
    return index - injectees + 1
