"""Banc de mesure de la construction (``make bench``) : plancher, chaîne naïve, cache, mémoire.

Usage : ``.venv/bin/python benchmarks/bench.py [--repetitions 3] [--repetitions-f 1]
[--annee 2022]``.

Tout est mesuré sur un INSTANTANÉ du dépôt (fichiers suivis et non ignorés copiés dans un dossier
temporaire, ``PYTHONPATH`` pointé sur sa copie de ``src/``) : les modifications faites pendant
la mesure dans le dépôt de travail ne faussent ni les temps ni les clés du cache, et les carnets
du dépôt ne sont jamais modifiés. Chaque mesure est la médiane de ``--repetitions`` passages
(``f`` : ``--repetitions-f`` passages, 1 par défaut : onze rapports à froid coûtent cher).

Mesures (secondes, horloge murale, chaque commande dans un processus neuf) :

(a) plancher : un seul processus Python, sans noyau. Il exécute le code de chaque carnet dans
    un ``InteractiveShell`` IPython en mémoire (mêmes cellules, même magie ``%%recit``, mêmes
    appels ``s.figure`` qui calculent valeurs et figures SVG), recueille les sorties en carnets
    et appelle le même moteur de rendu (HTML autonome + PDF WeasyPrint) ;
(b) chaîne naïve : ``papermill in out -p annee N`` (CLI) sur chaque carnet l'un après l'autre,
    puis ``jupyter nbconvert --to html`` des carnets exécutés ; le PDF de nbconvert (LaTeX) n'est
    mesuré que si ``xelatex`` est installé (sinon la chaîne naïve se limite au HTML, c'est dit) ;
(c) construction du projet à froid (``--sans-cache``, dossier ``build/`` vidé) ;
(d) reconstruction sans changement ;
(e) reconstruction après modification d'une cellule Markdown d'une section (dans la copie) ;
(f) toutes les années 2012 à N, à froid, en une commande (``construire --annee 2012-N
    --sans-cache`` : un groupe de noyaux pour tous les carnets, rendus sur deux processus) ;
et la mémoire résidente maximale (RSS) de l'arbre de processus (noyaux compris), échantillonnée
toutes les 50 ms avec psutil (somme des RSS du processus lancé et de tous ses descendants).

Écrit ``benchmarks/resultats.json`` et ``benchmarks/resultats.md``. Ce n'est pas un test : aucun
seuil ne fait échouer quoi que ce soit, les cibles sont affichées ATTEINTE / MANQUÉE.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RACINE = Path(__file__).resolve().parents[1]
GIB = 1024**3

#: Cibles (issue « Fast builds ») : nom, description, test sur les mesures.
CIBLES: tuple[tuple[str, str, Callable[[dict[str, float]], tuple[float, float]]], ...] = (
    ("c ≤ 1,5 × a", "froid / plancher", lambda m: (m["c"] / m["a"], 1.5)),
    ("c ≤ b / 4", "froid / naïf", lambda m: (m["c"] / m["b"], 0.25)),
    ("d ≤ 1 s", "rien de changé", lambda m: (m["d"], 1.0)),
    ("e ≤ 3 s", "une cellule Markdown changée", lambda m: (m["e"], 3.0)),
    ("f ≤ 4 × c", "toutes les années / froid", lambda m: (m["f"] / m["c"], 4.0)),
    ("RSS ≤ 1 Gio", "mémoire maximale (Gio)", lambda m: (m["rss_max_octets"] / GIB, 1.0)),
)


# --------------------------------------------------------------------------------------------
# Processus mesurés


class Echantillonneur:
    """Mémoire résidente maximale d'un processus et de ses descendants (psutil, toutes les 50 ms).

    Parameters
    ----------
    pid : int
        Processus racine.
    """

    def __init__(self, pid: int) -> None:
        import psutil

        self._psutil = psutil
        self.racine = psutil.Process(pid)
        self.maximum = 0
        self._fin = threading.Event()
        self._fil = threading.Thread(target=self._boucle, daemon=True)
        self._fil.start()

    def _boucle(self) -> None:
        ps = self._psutil
        while not self._fin.is_set():
            total = 0
            try:
                processus = [self.racine, *self.racine.children(recursive=True)]
            except ps.Error:
                processus = []
            for p in processus:
                try:
                    total += p.memory_info().rss
                except ps.Error:
                    pass
            self.maximum = max(self.maximum, total)
            self._fin.wait(0.05)

    def arreter(self) -> int:
        """Arrête l'échantillonnage ; rend le maximum observé (octets)."""
        self._fin.set()
        self._fil.join()
        return self.maximum


class Banc:
    """Lance les commandes dans l'instantané, chronomètre, suit la mémoire.

    Parameters
    ----------
    arbre : Path
        Copie du dépôt.
    journal : Path
        Fichier où vont les sorties des commandes.
    """

    def __init__(self, arbre: Path, journal: Path) -> None:
        self.arbre = arbre
        self.journal = journal
        self.rss_max = 0
        self.rss_par_mesure: dict[str, int] = {}
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = str(arbre / "src")
        self.env.pop("SYNTHESE_IHU_DONNEES", None)
        self.env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        self.bin = Path(sys.executable).parent

    def lancer(self, commande: Sequence[str], mesure: str, cwd: Path | None = None) -> float:
        """Lance une commande ; rend sa durée (s). Échec : affiche la fin du journal et lève."""
        with self.journal.open("a", encoding="utf-8") as sortie:
            sortie.write(f"\n$ {' '.join(map(str, commande))}\n")
            sortie.flush()
            debut = time.perf_counter()
            proc = subprocess.Popen(
                [str(c) for c in commande],
                cwd=cwd or self.arbre,
                env=self.env,
                stdout=sortie,
                stderr=subprocess.STDOUT,
            )
            echantillons = Echantillonneur(proc.pid)
            code = proc.wait()
            duree = time.perf_counter() - debut
            rss = echantillons.arreter()
        self.rss_max = max(self.rss_max, rss)
        self.rss_par_mesure[mesure] = max(self.rss_par_mesure.get(mesure, 0), rss)
        if code != 0:
            fin = self.journal.read_text(encoding="utf-8").splitlines()[-30:]
            texte = " ".join(map(str, commande))
            raise RuntimeError(f"échec ({code}) de {texte} :\n" + "\n".join(fin))
        return duree

    def construire(self, annee: int | str, *options: str, mesure: str) -> float:
        """``synthese-ihu construire`` dans l'instantané (sortie : ``<arbre>/sortie``).

        ``annee`` : une année ou une plage ``"2012-2022"`` (construction de plusieurs années).
        """
        commande = [sys.executable, "-m", "synthese_ihu.cli", "construire", "--annee", str(annee)]
        return self.lancer([*commande, "--sortie", str(self.arbre / "sortie"), *options], mesure)

    def vider_construction(self) -> None:
        """Supprime ``build/`` et les rapports de l'instantané (construction à froid)."""
        for dossier in ("build", "sortie"):
            shutil.rmtree(self.arbre / dossier, ignore_errors=True)


def instantane(destination: Path) -> Path:
    """Copie les fichiers suivis et non ignorés du dépôt (sans ``build/`` ni ``reports/``)."""
    fichiers = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=RACINE,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for relatif in filter(None, fichiers):
        source = RACINE / relatif
        if not source.is_file() or relatif.startswith(("build/", "reports/")):
            continue
        cible = destination / relatif
        cible.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, cible)
    return destination


# --------------------------------------------------------------------------------------------
# (a) plancher : tout dans un processus, sans noyau


def plancher(annee: int, sortie: Path) -> dict[str, float]:
    """Exécute le code des carnets dans un ``InteractiveShell`` en mémoire, puis rend HTML + PDF.

    Appelée dans un processus neuf (``bench.py --plancher``) : les imports comptent.

    Returns
    -------
    dict
        Durées des étapes (``execution``, ``rendu``).
    """
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from synthese_ihu import chemins
    from synthese_ihu.config import charger_configuration
    from synthese_ihu.rendu import rendre

    debut = time.perf_counter()
    configuration = charger_configuration(chemins.PAQUET / "synthese.toml", chemins.CARNETS)
    shell = InteractiveShell.instance()
    os.chdir(chemins.CARNETS)
    carnets = []
    for section in configuration.sections:
        nb = nbformat.read(section.chemin, as_version=4)
        shell.reset(new_session=False)
        for cellule in nb.cells:
            if cellule.cell_type != "code":
                continue
            parametres = "parameters" in cellule.metadata.get("tags", [])
            code = f"{cellule.source}\nannee = {annee}\n" if parametres else cellule.source
            with capture_output() as capture:
                resultat = shell.run_cell(code, store_history=False)
            if not resultat.success:
                raise RuntimeError(f"{section.id} : {resultat.error_in_exec!r}")
            sorties = []
            if capture.stdout:
                sorties.append(nbformat.v4.new_output("stream", name="stdout", text=capture.stdout))
            for riche in capture.outputs:
                sorties.append(
                    nbformat.v4.new_output(
                        "display_data", data=riche.data, metadata=riche.metadata or {}
                    )
                )
            cellule["outputs"] = sorties
        nb.metadata["synthese_ihu"] = {"section": section.id, "titre": section.titre}
        nb.metadata["papermill"] = {"parameters": {"annee": annee}}
        carnets.append(nb)
    execution = time.perf_counter() - debut
    debut = time.perf_counter()
    rendre(carnets, annee, sortie)
    return {"execution": execution, "rendu": time.perf_counter() - debut}


# --------------------------------------------------------------------------------------------
# Mesures


def _mediane(valeurs: list[float]) -> float:
    return statistics.median(valeurs)


def mesurer(banc: Banc, annee: int, repetitions: int, repetitions_f: int) -> dict[str, Any]:
    """Toutes les mesures ; rend le dictionnaire des résultats."""
    arbre = banc.arbre
    py = sys.executable
    brutes: dict[str, list[float]] = {k: [] for k in "abcdef"}
    notes: list[str] = []

    def etape(nom: str) -> None:
        print(f"  … {nom}", flush=True)

    # (a) plancher
    for k in range(repetitions):
        etape(f"(a) plancher {k + 1}/{repetitions}")
        dossier = arbre / "plancher"
        shutil.rmtree(dossier, ignore_errors=True)
        brutes["a"].append(
            banc.lancer(
                [
                    py,
                    arbre / "benchmarks" / "bench.py",
                    "--plancher",
                    str(dossier),
                    "--annee",
                    str(annee),
                ],
                "a",
            )
        )

    # (b) chaîne naïve
    xelatex = shutil.which("xelatex")
    if xelatex is None:
        notes.append(
            "xelatex absent : la chaîne naïve (b) se limite à papermill + nbconvert HTML "
            "(pas de PDF LaTeX, TeX non installé)."
        )
    carnets = sorted((arbre / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for k in range(repetitions):
        etape(f"(b) chaîne naïve {k + 1}/{repetitions} ({len(carnets)} carnets)")
        dossier = arbre / "naif"
        shutil.rmtree(dossier, ignore_errors=True)
        dossier.mkdir()
        total = 0.0
        for carnet in carnets:
            total += banc.lancer(
                [banc.bin / "papermill", carnet, dossier / carnet.name, "-p", "annee", str(annee)],
                "b",
                cwd=arbre / "notebooks",
            )
        executes = sorted(dossier.glob("*.ipynb"))
        total += banc.lancer([banc.bin / "jupyter", "nbconvert", "--to", "html", *executes], "b")
        if xelatex is not None:
            total += banc.lancer([banc.bin / "jupyter", "nbconvert", "--to", "pdf", *executes], "b")
        brutes["b"].append(total)

    # (c) froid, (d) rien de changé, (e) une cellule Markdown changée
    carnet_modifie = arbre / "notebooks" / "03_recherche.ipynb"
    original = carnet_modifie.read_bytes()
    for k in range(repetitions):
        etape(f"(c, d, e) construction {k + 1}/{repetitions}")
        banc.vider_construction()
        brutes["c"].append(banc.construire(annee, "--sans-cache", mesure="c"))
        brutes["d"].append(banc.construire(annee, mesure="d"))
        nb = json.loads(original)
        cellule = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
        source = "".join(cellule["source"])
        cellule["source"] = source + f" Révision de mesure n° {k + 1}."
        carnet_modifie.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", "utf-8")
        try:
            brutes["e"].append(banc.construire(annee, mesure="e"))
        finally:
            carnet_modifie.write_bytes(original)

    # (f) toutes les années, à froid
    annees = list(range(2012, annee + 1))
    for k in range(repetitions_f):
        etape(f"(f) années {annees[0]}–{annees[-1]} à froid {k + 1}/{repetitions_f}")
        banc.vider_construction()
        plage = f"{annees[0]}-{annees[-1]}"
        brutes["f"].append(banc.construire(plage, "--sans-cache", mesure="f"))

    mesures = {k: _mediane(v) for k, v in brutes.items()}
    mesures["rss_max_octets"] = banc.rss_max
    return {
        "annee": annee,
        "repetitions": repetitions,
        "repetitions_f": repetitions_f,
        "mesures_s": {k: round(v, 3) for k, v in mesures.items() if k != "rss_max_octets"},
        "passages_s": {k: [round(x, 3) for x in v] for k, v in brutes.items()},
        "rss_max_octets": banc.rss_max,
        "rss_max_par_mesure_octets": banc.rss_par_mesure,
        "ratios": {
            "c/a": round(mesures["c"] / mesures["a"], 3),
            "c/b": round(mesures["c"] / mesures["b"], 3),
            "f/c": round(mesures["f"] / mesures["c"], 3),
        },
        "cibles": [
            {"cible": nom, "mesure": libelle, "valeur": round(v, 3), "seuil": s, "atteinte": v <= s}
            for nom, libelle, test in CIBLES
            for v, s in [test(mesures)]
        ],
        "notes": notes,
        "machine": {
            "processeurs": os.cpu_count(),
            "python": platform.python_version(),
            "systeme": platform.platform(),
            "charge_moyenne_1min_fin": round(os.getloadavg()[0], 2),
        },
        "memoire": "RSS maximale de l'arbre de processus (psutil, échantillon toutes les 50 ms).",
    }


def _v(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def en_texte(r: dict[str, Any]) -> str:
    """Tableau lisible des résultats (Markdown)."""
    m = r["mesures_s"]
    libelles = {
        "a": "(a) plancher : un processus, sans noyau, HTML + PDF",
        "b": "(b) chaîne naïve : papermill CLI × carnets + nbconvert HTML",
        "c": "(c) construction à froid (--sans-cache)",
        "d": "(d) reconstruction, rien de changé",
        "e": "(e) reconstruction, une cellule Markdown changée",
        "f": f"(f) toutes les années 2012–{r['annee']}, à froid (--annee 2012-{r['annee']})",
    }
    lignes = [
        f"# Banc de construction, rapport {r['annee']}",
        "",
        f"Médiane de {r['repetitions']} passages (f : {r['repetitions_f']}) ; "
        f"{r['machine']['processeurs']} cœurs, Python {r['machine']['python']}.",
        "",
        "| mesure | médiane (s) | passages (s) |",
        "|---|---:|---|",
    ]
    for k, libelle in libelles.items():
        passages = " ; ".join(_v(x) for x in r["passages_s"][k])
        lignes.append(f"| {libelle} | {_v(m[k])} | {passages} |")
    lignes += [
        f"| RSS maximale (arbre de processus, noyaux compris) | "
        f"{_v(r['rss_max_octets'] / 2**20)} Mio | |",
        "",
        "Ratios : " + " ; ".join(f"{k} = {_v(v)}" for k, v in r["ratios"].items()),
        "",
        "| cible | valeur | seuil | résultat |",
        "|---|---:|---:|---|",
    ]
    for c in r["cibles"]:
        resultat = "ATTEINTE" if c["atteinte"] else "MANQUÉE"
        lignes.append(
            f"| {c['cible']} ({c['mesure']}) | {_v(c['valeur'])} | {_v(c['seuil'])} | {resultat} |"
        )
    lignes += ["", *[f"- {n}" for n in r["notes"]], f"- {r['memoire']}"]
    return "\n".join(lignes) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Point d'entrée de ``make bench``."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repetitions", type=int, default=3)
    p.add_argument("--repetitions-f", type=int, default=1)
    p.add_argument("--annee", type=int, default=2022)
    p.add_argument("--sortie", type=Path, default=Path(__file__).resolve().parent)
    p.add_argument("--garder", action="store_true", help="garde l'instantané (débogage)")
    p.add_argument("--plancher", type=Path, help=argparse.SUPPRESS)  # mesure (a), interne
    args = p.parse_args(argv)
    if args.plancher is not None:
        print(json.dumps(plancher(args.annee, args.plancher)))
        return 0

    temporaire = Path(tempfile.mkdtemp(prefix="synthese-ihu-banc-"))
    arbre = instantane(temporaire / "arbre")
    journal = temporaire / "journal.txt"
    print(f"Banc de construction {args.annee} : instantané {arbre}, journal {journal}", flush=True)
    debut = time.perf_counter()
    charge_debut = os.getloadavg()[0]
    try:
        resultats = mesurer(Banc(arbre, journal), args.annee, args.repetitions, args.repetitions_f)
    finally:
        if not args.garder:
            shutil.rmtree(arbre, ignore_errors=True)
    resultats["duree_banc_s"] = round(time.perf_counter() - debut, 1)
    machine = resultats["machine"]
    machine["charge_moyenne_1min_debut"] = round(charge_debut, 2)
    resultats["notes"].append(
        f"Charge moyenne (1 min) de la machine partagée : {_v(charge_debut)} au début, "
        f"{_v(machine['charge_moyenne_1min_fin'])} à la fin du banc "
        f"({machine['processeurs']} cœurs ; banc de {_v(resultats['duree_banc_s'])} s)."
    )
    texte = en_texte(resultats)
    print()
    print(texte)
    args.sortie.mkdir(parents=True, exist_ok=True)
    (args.sortie / "resultats.json").write_text(
        json.dumps(resultats, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (args.sortie / "resultats.md").write_text(texte, encoding="utf-8")
    print(f"Résultats : {args.sortie / 'resultats.json'}, {args.sortie / 'resultats.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
