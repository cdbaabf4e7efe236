"""Banc de la boucle d'édition : enregistrement d'un carnet → HTML de l'aperçu refait.

L'aperçu (:func:`synthese_ihu.apercu.surveiller`, événements réels du système de fichiers)
tourne dans un fil sur une copie de ``notebooks/`` et un dossier de construction jetable (le
cache du projet y est copié s'il existe : démarrage sans exécution). Chaque mesure va de
l'écriture du carnet (l'enregistrement) au message « Aperçu HTML refait » (HTML remplacé), et le
HTML est relu pour vérifier qu'il montre la retouche. Deux retouches de ``03_recherche`` :

- **titre** : un titre Markdown (aucun noyau) ;
- **récit** : le texte d'un paragraphe ``%%recit`` (cellule exécutée seule dans le noyau vivant de
  la section) ; la première retouche, qui exécute la section une fois et garde son noyau, est
  donnée à part (``recit_premier``).

``python benchmarks/apercu.py`` affiche les médianes ; ``benchmarks/bench.py`` appelle
:func:`mesurer_apercu`. Jamais un test chronométré.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

from synthese_ihu import apercu, chemins
from synthese_ihu.construction import Emplacements

CARNET = "03_recherche.ipynb"
DELAI = 120.0  # secondes au plus pour une mise à jour


def _statistiques(mesures: list[tuple[float, float]]) -> dict[str, object]:
    murs, cpus = [m for m, _ in mesures], [c for _, c in mesures]
    return {
        "mediane": statistics.median(murs),
        "min": min(murs),
        "max": max(murs),
        "mesures": murs,
        "cpu_mediane": statistics.median(cpus),
    }


def _cpu() -> float:
    """Secondes de processeur de ce processus et de ses enfants (noyaux compris)."""
    total = 0.0
    moi = psutil.Process()
    for p in [moi, *moi.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


def _indices(nb: nbformat.NotebookNode) -> tuple[int, int]:
    titre = next(
        i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("#")
    )
    recit = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and c.source.startswith("%%recit\n")
    )
    return titre, recit


def mesurer_apercu(annee: int = 2022, repetitions: int = 5, afficher=print) -> dict[str, object]:
    """Mesure enregistrement → aperçu refait, pour un titre et pour un récit.

    Returns
    -------
    dict
        ``titre`` et ``recit`` (médiane, min, max, mesures en secondes), ``recit_premier``
        (première retouche de récit : section exécutée une fois), ``demarrage`` (premier aperçu).
    """
    with tempfile.TemporaryDirectory(prefix="banc-apercu-") as dossier:
        dossier = Path(dossier)
        carnets = dossier / "notebooks"
        shutil.copytree(chemins.CARNETS, carnets)
        construction = dossier / "build"
        if (chemins.CONSTRUCTION / "cache").is_dir():
            shutil.copytree(chemins.CONSTRUCTION / "cache", construction / "cache")
        emplacements = Emplacements(carnets=carnets, construction=construction)
        fait = threading.Event()
        messages: list[str] = []

        def noter(message: str) -> None:
            messages.append(message)
            if message.startswith(("Aperçu HTML refait", "Échec", "Erreur")):
                fait.set()

        arret = threading.Event()
        fil = threading.Thread(
            target=apercu.surveiller,
            args=(annee, emplacements),
            kwargs={"afficher": noter, "lots": apercu.evenements(emplacements, arret)},
            daemon=True,
        )
        debut = time.perf_counter()
        fil.start()
        if not fait.wait(DELAI * 10):
            raise RuntimeError("premier aperçu non construit")
        demarrage = time.perf_counter() - debut
        time.sleep(0.5)  # surveillance en place
        chemin = carnets / CARNET
        html = construction / str(annee) / "apercu" / f"synthese-ihu-{annee}.html"

        def retoucher(index: int, marque: str) -> tuple[float, float]:
            nb = nbformat.read(str(chemin), as_version=4)
            nb.cells[index].source = nb.cells[index].source.rstrip() + f" {marque}"
            fait.clear()
            cpu = _cpu()
            debut = time.perf_counter()
            nbformat.write(nb, str(chemin))
            if not fait.wait(DELAI):
                raise RuntimeError(f"aperçu non refait après « {marque} »")
            duree, cpu = time.perf_counter() - debut, _cpu() - cpu
            if not messages[-1].startswith("Aperçu HTML refait") or marque not in html.read_text(
                encoding="utf-8"
            ):
                raise RuntimeError(f"retouche « {marque} » absente de l'aperçu : {messages[-1]}")
            time.sleep(0.3)
            return duree, cpu

        titre, recit = _indices(nbformat.read(str(chemin), as_version=4))
        mesures_titre = [retoucher(titre, f"Essai{n}") for n in range(repetitions)]
        recit_premier = retoucher(recit, "Premier0")
        mesures_recit = [retoucher(recit, f"Reprise{n}") for n in range(repetitions)]
        arret.set()
        fil.join(timeout=30)
    resultats = {
        "titre": _statistiques(mesures_titre),
        "recit": _statistiques(mesures_recit),
        "recit_premier": recit_premier[0],
        "demarrage": demarrage,
    }
    afficher(resume(resultats))
    return resultats


def mesurer(banc: object, annee: int, repetitions: int) -> dict[str, list[float]]:
    """Interface de ``bench.py`` (``make bench``) : nom de mesure → durées des passages (s)."""
    r = mesurer_apercu(annee, repetitions, afficher=lambda _texte: None)
    return {
        "enregistrement titre Markdown → aperçu à jour": r["titre"]["mesures"],
        "enregistrement %%recit → aperçu à jour": r["recit"]["mesures"],
    }


def resume(resultats: dict[str, object]) -> str:
    """Tableau Markdown des mesures (secondes)."""
    lignes = [
        "| retouche → aperçu | médiane | min | max | n | processeur (médiane) |",
        "|---|---|---|---|---|---|",
    ]
    for cle, libelle in (("titre", "titre Markdown"), ("recit", "paragraphe %%recit")):
        s = resultats[cle]
        lignes.append(
            f"| {libelle} | {s['mediane']:.2f} s | {s['min']:.2f} s | {s['max']:.2f} s "
            f"| {len(s['mesures'])} | {s['cpu_mediane']:.2f} s |"
        )
    lignes.append(
        f"| premier récit (section exécutée une fois) | {resultats['recit_premier']:.2f} s "
        "| | | 1 | |"
    )
    lignes.append(f"| premier aperçu | {resultats['demarrage']:.2f} s | | | 1 | |")
    lignes.append(f"\ncharge de la machine (1 min) : {psutil.getloadavg()[0]:.1f}")
    return "\n".join(lignes)


if __name__ == "__main__":
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    mesurer_apercu(repetitions=repetitions)
