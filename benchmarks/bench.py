"""Banc de mesure de la construction (``make bench``) : références, mécanismes activés ou non.

Usage : ``.venv/bin/python benchmarks/bench.py [--repetitions 5] [--repetitions-f 1]
[--annee 2022] [--parties references,mecanismes]`` ; ``--parties d`` : la reconstruction sans
changement seule (d), résultats dans ``resultats-d.*``.

Tout est mesuré sur un INSTANTANÉ du dépôt (fichiers suivis et non ignorés copiés dans un dossier
temporaire, ``PYTHONPATH`` pointé sur sa copie de ``src/``) : les modifications faites pendant
la mesure dans le dépôt de travail ne faussent ni les temps ni les clés du cache, et les carnets
du dépôt ne sont jamais modifiés. Chaque mesure est la médiane de ``--repetitions`` passages,
donnée avec son étendue (minimum–maximum) ; ``f`` (onze rapports à froid, ≈ 1 à 3 min) en compte
``--repetitions-f`` (dit dans la sortie).

Mesures (secondes, horloge murale, chaque commande dans un processus neuf) :

(a) plancher : un seul processus Python, sans noyau. Il exécute le code de chaque carnet dans
    un ``InteractiveShell`` IPython en mémoire (mêmes cellules, même magie ``%%recit``, mêmes
    appels ``s.figure`` qui calculent valeurs et figures SVG), recueille les sorties en carnets
    et appelle le même moteur de rendu (HTML autonome + PDF WeasyPrint) ;
(b) chaîne naïve complète : ``papermill in out -p annee N`` (CLI) sur chaque carnet l'un après
    l'autre, ``jupyter nbconvert --to html`` des carnets exécutés, puis la CLI ``weasyprint``
    sur chaque HTML (un PDF par carnet) : HTML et PDF, comme (c) ;
(c) construction du projet à froid (``--sans-cache``, dossier ``build/`` vidé) ;
(d) reconstruction sans changement, vérification comprise : clé de la construction et empreintes
    des fichiers publiés comparées (``etat_publie``), l'année est alors sautée ;
(e) reconstruction après modification d'une cellule Markdown d'une section (dans la copie) ;
(g) reconstruction après modification du texte d'un paragraphe ``%%recit`` (cellule de code :
    la section est réexécutée) ;
(f) toutes les années 2012 à N, à froid, en une commande (``construire --annee 2012-N
    --sans-cache``) ;
et la mémoire résidente maximale (RSS) de l'arbre de processus (noyaux compris), échantillonnée
toutes les 50 ms avec psutil (somme des RSS du processus lancé et de tous ses descendants).

**Mécanismes activés ou non** : c, d, e, g (et f pour les mécanismes qui peuvent la changer)
sont mesurés une fois tout activé, puis une fois par mécanisme de
:data:`synthese_ihu.mecanismes.MECANISMES`, désactivé seul (``SYNTHESE_IHU_SANS=<nom>``). Un
mécanisme « paie » s'il fait gagner au moins 10 % de c, e, g ou f et que les étendues ne se
recouvrent pas (minimum désactivé > maximum activé) ; sinon il est à retirer (le plus simple
l'emporte dans le doute). Les mesures sans objet pour un mécanisme (un cache, avec
``--sans-cache`` : c et f) ne sont pas prises.

**Aperçu** (``make preview``) : mesuré par ``benchmarks/apercu.py`` s'il existe (fonction
``mesurer(banc, annee, repetitions) -> dict[str, list[float]]``), voir :func:`mesurer_apercu`.

Écrit ``benchmarks/resultats.json`` et ``benchmarks/resultats.md``. Ce n'est pas un test : aucun
seuil ne fait échouer quoi que ce soit, les cibles sont affichées ATTEINTE / MANQUÉE.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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

#: Cibles (issue « Fast builds ») : nom, description, test sur les médianes.
CIBLES: tuple[tuple[str, str, Callable[[dict[str, float]], tuple[float, float]]], ...] = (
    ("c ≤ 1,5 × a", "froid / plancher", lambda m: (m["c"] / m["a"], 1.5)),
    ("c ≤ b / 4", "froid / naïf", lambda m: (m["c"] / m["b"], 0.25)),
    ("d ≤ 1 s", "rien de changé", lambda m: (m["d"], 1.0)),
    ("e ≤ 3 s", "une cellule Markdown changée", lambda m: (m["e"], 3.0)),
    ("f ≤ 4 × c", "toutes les années / froid", lambda m: (m["f"] / m["c"], 4.0)),
    ("RSS ≤ 1 Gio", "mémoire maximale (Gio)", lambda m: (m["rss_max_octets"] / GIB, 1.0)),
)

#: Libellés des mesures d'une construction du projet.
LIBELLES = {
    "c": "(c) construction à froid (--sans-cache)",
    "d": "(d) reconstruction, rien de changé (rapport publié vérifié)",
    "e": "(e) reconstruction, une cellule Markdown changée",
    "g": "(g) reconstruction, un paragraphe %%recit changé",
    "f": "(f) toutes les années 2012–N, à froid, une commande",
}

#: Mesures prises pour chaque mécanisme désactivé : celles où il peut jouer (« c » et « f » sont
#: en ``--sans-cache`` : sans objet pour un cache ; « g » ne diffère de « e » que par une section
#: exécutée dans un noyau neuf, ce qu'aucun mécanisme autre que les noyaux ne change). Un
#: mécanisme absent de la table est mesuré sur c, d, e, g, f.
PERTINENTES = {
    "cache_execution": "e",
    "cache_publication": "e",  # d : année sautée (rapport vérifié), aucun cache n'y joue
    "donnees_en_memoire": "cf",
}

#: Mécanismes dont l'absence rend l'état de départ indifférent (tout est réexécuté) : pas de
#: construction de préparation avant leurs mesures.
SANS_PREPARATION = {"cache_execution"}

#: Mesures sur lesquelles un mécanisme doit faire gagner ≥ 10 % (froid, boucle d'édition,
#: toutes les années).
DECISIVES = "cegf"
SEUIL_GAIN = 0.10


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
        self.cpu = 0.0
        self.rss_par_mesure: dict[str, int] = {}
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = str(arbre / "src")
        self.env.pop("SYNTHESE_IHU_DONNEES", None)
        self.env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        self.bin = Path(sys.executable).parent

    def lancer(
        self, commande: Sequence[str], mesure: str, cwd: Path | None = None, sans: str = ""
    ) -> float:
        """Lance une commande ; rend sa durée (s). Échec : affiche la fin du journal et lève.

        ``sans`` : valeur de ``SYNTHESE_IHU_SANS`` (mécanismes désactivés) pour cette commande.
        """
        env = dict(self.env)
        env.pop("SYNTHESE_IHU_SANS", None)
        if sans:
            env["SYNTHESE_IHU_SANS"] = sans
        with self.journal.open("a", encoding="utf-8") as sortie:
            sortie.write(f"\n$ SYNTHESE_IHU_SANS={sans} {' '.join(map(str, commande))}\n")
            sortie.flush()
            debut = time.perf_counter()
            proc = subprocess.Popen(
                [str(c) for c in commande],
                cwd=cwd or self.arbre,
                env=env,
                stdout=sortie,
                stderr=subprocess.STDOUT,
            )
            echantillons = Echantillonneur(proc.pid)
            avant = resource.getrusage(resource.RUSAGE_CHILDREN)
            code = proc.wait()
            apres = resource.getrusage(resource.RUSAGE_CHILDREN)
            duree = time.perf_counter() - debut
            rss = echantillons.arreter()
        # Temps CPU (utilisateur + système) de la commande et de tous ses descendants attendus
        # (noyaux, processus PDF et de rendu) : bien moins sensible que l'horloge murale à la
        # charge de la machine partagée, mais aveugle au parallélisme.
        self.cpu = (apres.ru_utime - avant.ru_utime) + (apres.ru_stime - avant.ru_stime)
        self.rss_max = max(self.rss_max, rss)
        self.rss_par_mesure[mesure] = max(self.rss_par_mesure.get(mesure, 0), rss)
        if code != 0:
            fin = self.journal.read_text(encoding="utf-8").splitlines()[-30:]
            texte = " ".join(map(str, commande))
            raise RuntimeError(f"échec ({code}) de {texte} :\n" + "\n".join(fin))
        return duree

    def construire(self, annee: int | str, *options: str, mesure: str, sans: str = "") -> float:
        """``synthese-ihu construire`` dans l'instantané (sortie : ``<arbre>/sortie``).

        ``annee`` : une année ou une plage ``"2012-2022"`` (construction de plusieurs années) ;
        ``sans`` : mécanismes désactivés (``SYNTHESE_IHU_SANS``).
        """
        commande = [sys.executable, "-m", "synthese_ihu.cli", "construire", "--annee", str(annee)]
        sortie = ["--sortie", str(self.arbre / "sortie")]
        return self.lancer([*commande, *sortie, *options], mesure, sans=sans)

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


def _modifier_carnet(chemin: Path, original: bytes, quoi: str, k: int) -> None:
    """Écrit dans la copie le carnet modifié : une cellule Markdown ou un paragraphe ``%%recit``."""
    nb = json.loads(original)
    if quoi == "markdown":
        cellule = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    else:
        cellule = next(
            c
            for c in nb["cells"]
            if c["cell_type"] == "code" and "".join(c["source"]).startswith("%%recit\n")
        )
    cellule["source"] = "".join(cellule["source"]) + f" Révision de mesure n° {k + 1}."
    chemin.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", "utf-8")


def mesurer_references(banc: Banc, annee: int, repetitions: int) -> dict[str, list[float]]:
    """(a) plancher et (b) chaîne naïve complète (papermill, nbconvert HTML, weasyprint PDF)."""
    arbre = banc.arbre
    py = sys.executable
    brutes: dict[str, list[float]] = {"a": [], "b": []}
    for k in range(repetitions):
        print(f"  … (a) plancher {k + 1}/{repetitions}", flush=True)
        dossier = arbre / "plancher"
        shutil.rmtree(dossier, ignore_errors=True)
        commande = [py, arbre / "benchmarks" / "bench.py", "--plancher", str(dossier)]
        brutes["a"].append(banc.lancer([*commande, "--annee", str(annee)], "a"))
    carnets = sorted((arbre / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for k in range(repetitions):
        print(f"  … (b) chaîne naïve {k + 1}/{repetitions} ({len(carnets)} carnets)", flush=True)
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
        for html in sorted(dossier.glob("*.html")):
            total += banc.lancer([banc.bin / "weasyprint", html, html.with_suffix(".pdf")], "b")
        brutes["b"].append(total)
    return brutes


def mesurer_construction(
    banc: Banc, annee: int, repetitions: int, sans: str = "", quelles: str = "cdeg"
) -> dict[str, list[float]]:
    """Mesures c, d, e, g (ou f seule) de la construction ; ``sans`` : mécanisme désactivé.

    Sans ``c`` (mécanisme sans objet à froid), la construction n'est pas vidée entre deux
    passages : une construction de préparation, non chronométrée, remet l'état de départ.
    """
    brutes: dict[str, list[float]] = {k: [] for k in quelles}
    brutes.update({f"{k}_cpu": [] for k in quelles})
    carnet_modifie = banc.arbre / "notebooks" / "03_recherche.ipynb"
    original = carnet_modifie.read_bytes()
    etiquette = f"sans {sans}" if sans else "tout activé"
    for k in range(repetitions if set(quelles) & set("cdeg") else 0):
        print(f"  … {etiquette} : construction {k + 1}/{repetitions}", flush=True)
        if "c" in quelles:
            banc.vider_construction()
            brutes["c"].append(banc.construire(annee, "--sans-cache", mesure="c", sans=sans))
            brutes["c_cpu"].append(banc.cpu)
        elif sans not in SANS_PREPARATION:  # état de départ : construction faite, sans `sans`
            banc.construire(annee, mesure="preparation", sans=sans)
        for mesure, quoi in (("d", None), ("e", "markdown"), ("g", "recit")):
            if mesure not in quelles:
                continue
            if quoi is not None:
                _modifier_carnet(carnet_modifie, original, quoi, k)
            try:
                brutes[mesure].append(banc.construire(annee, mesure=mesure, sans=sans))
                brutes[f"{mesure}_cpu"].append(banc.cpu)
                if mesure == "d":
                    print(f"    (d) rien de changé, vérifié : {_v(brutes['d'][-1])} s", flush=True)
            finally:
                carnet_modifie.write_bytes(original)
    annees = list(range(2012, annee + 1))
    for k in range(repetitions if "f" in quelles else 0):
        print(f"  … {etiquette} : années {annees[0]}–{annees[-1]} {k + 1}/{repetitions}")
        banc.vider_construction()
        plage = f"{annees[0]}-{annees[-1]}"
        brutes["f"].append(banc.construire(plage, "--sans-cache", mesure="f", sans=sans))
        brutes["f_cpu"].append(banc.cpu)
    return brutes


def mesurer_apercu(banc: Banc, annee: int, repetitions: int) -> dict[str, list[float]] | None:
    """Temps de l'aperçu (``make preview``), mesuré par ``benchmarks/apercu.py`` (s'il existe).

    ------------------------------------------------------------------------------------------
    EMPLACEMENT RÉSERVÉ : ``benchmarks/apercu.py`` (écrit avec ``synthese_ihu.apercu``) fournit
    ``mesurer(banc, annee, repetitions) -> dict[str, list[float]]`` : nom de mesure (par exemple
    « enregistrement %%recit → aperçu à jour ») → durées des passages (s). Le banc en affiche la
    médiane et l'étendue et les écrit dans ``resultats.*`` sous « aperçu ».
    ------------------------------------------------------------------------------------------
    """
    chemin = RACINE / "benchmarks" / "apercu.py"
    if not chemin.is_file():
        return None
    import importlib.util

    spec = importlib.util.spec_from_file_location("banc_apercu", chemin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.mesurer(banc, annee, repetitions)


def _etendue(valeurs: list[float]) -> dict[str, float]:
    return {
        "mediane": round(_mediane(valeurs), 3),
        "min": round(min(valeurs), 3),
        "max": round(max(valeurs), 3),
        "n": len(valeurs),
    }


def verdict(active: dict[str, list[float]], desactive: dict[str, list[float]]) -> dict[str, Any]:
    """Gain d'un mécanisme sur chaque mesure et s'il paie (≥ 10 % au-delà de l'étendue)."""
    gains: dict[str, Any] = {}
    paie = []
    for k, off in desactive.items():
        on = active.get(k)
        if not off or not on:
            continue
        gain = (_mediane(off) - _mediane(on)) / _mediane(on)
        hors_etendue = min(off) > max(on)
        gains[k] = {"gain": round(gain, 3), "hors_etendue": hors_etendue}
        if k[0] in DECISIVES and gain >= SEUIL_GAIN and (hors_etendue or len(off) == 1):
            paie.append(k)
    return {"gains": gains, "paie_sur": paie, "paie": bool(paie)}


def mesurer(
    banc: Banc,
    annee: int,
    repetitions: dict[str, int],
    parties: set[str],
    mecanismes: dict[str, str],
    ecrire: Callable[[dict[str, Any]], None] = lambda resultats: None,
) -> dict[str, Any]:
    """Toutes les mesures ; ``ecrire`` reçoit les résultats après chaque étape (un banc
    interrompu laisse ce qu'il a mesuré). Ordre : tout activé (c, d, e, g), chaque mécanisme
    désactivé, toutes les années (f), aperçu, références (a, b)."""
    brutes: dict[str, list[float]] = {}
    onoff: dict[str, dict[str, list[float]]] = {}
    apercu: dict[str, list[float]] | None = None

    def etat() -> dict[str, Any]:
        return resultats(banc, annee, repetitions, brutes, onoff, mecanismes, apercu)

    seule_d = parties == {"d"}
    quelles = "d" if seule_d else "cdeg"
    brutes.update(mesurer_construction(banc, annee, repetitions["construction"], quelles=quelles))
    ecrire(etat())
    if seule_d:
        return etat()
    if "mecanismes" in parties:
        for nom in mecanismes:
            quelles = PERTINENTES.get(nom, "cdegf").replace("f", "")
            onoff[nom] = mesurer_construction(
                banc, annee, repetitions["mecanismes"], sans=nom, quelles=quelles
            )
            ecrire(etat())
    if repetitions["f"]:
        brutes.update(mesurer_construction(banc, annee, repetitions["f"], quelles="f"))
        ecrire(etat())
        for nom in mecanismes if "mecanismes" in parties else ():
            if "f" in PERTINENTES.get(nom, "cdegf"):
                f = mesurer_construction(banc, annee, repetitions["f"], sans=nom, quelles="f")
                onoff[nom].update(f)
                ecrire(etat())
    apercu = mesurer_apercu(banc, annee, repetitions["construction"])
    if "references" in parties and repetitions["references"]:
        brutes.update(mesurer_references(banc, annee, repetitions["references"]))
    return etat()


def resultats(
    banc: Banc,
    annee: int,
    repetitions: dict[str, int],
    brutes: dict[str, list[float]],
    onoff: dict[str, dict[str, list[float]]],
    mecanismes: dict[str, str],
    apercu: dict[str, list[float]] | None,
) -> dict[str, Any]:
    """Médianes, étendues, gains et verdicts des mécanismes, ratios et cibles."""
    notes = []
    if apercu is None:
        notes.append("Aperçu : benchmarks/apercu.py absent, temps de l'aperçu non mesuré.")
    notes.append(
        f"Passages : {repetitions['construction']} tout activé (c, d, e, g), "
        f"{repetitions['mecanismes']} par mécanisme désactivé, {repetitions['f']} pour (f) "
        f"toutes les années (≈ 1 à 3 min chacun), {repetitions['references']} pour (a) et (b)."
    )
    absents = [n for n in mecanismes if n not in onoff]
    if absents:
        notes.append("Mécanismes non mesurés (pas encore, ou non demandés) : " + ", ".join(absents))
    mesures = {k: _mediane(v) for k, v in brutes.items() if v}
    mesures["rss_max_octets"] = banc.rss_max
    ratios = {}
    for nom, (x, y) in {"c/a": ("c", "a"), "c/b": ("c", "b"), "f/c": ("f", "c")}.items():
        if x in mesures and y in mesures:
            ratios[nom] = round(mesures[x] / mesures[y], 3)
    cibles = []
    for nom, libelle, test in CIBLES:
        try:
            v, seuil = test(mesures)
        except KeyError:
            continue
        cibles.append(
            {
                "cible": nom,
                "mesure": libelle,
                "valeur": round(v, 3),
                "seuil": seuil,
                "atteinte": v <= seuil,
            }
        )
    return {
        "annee": annee,
        "repetitions": repetitions,
        "mesures_s": {k: _etendue(v) for k, v in brutes.items() if v},
        "passages_s": {k: [round(x, 3) for x in v] for k, v in brutes.items()},
        "mecanismes": {
            nom: {
                "desactive": {k: _etendue(v) for k, v in off.items() if v},
                "passages_s": {k: [round(x, 3) for x in v] for k, v in off.items()},
                **verdict(brutes, off),
            }
            for nom, off in onoff.items()
        },
        "descriptions_mecanismes": mecanismes,
        "apercu_s": {k: _etendue(v) for k, v in (apercu or {}).items() if v},
        "rss_max_octets": banc.rss_max,
        "rss_max_par_mesure_octets": banc.rss_par_mesure,
        "ratios": ratios,
        "cibles": cibles,
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


def _me(e: dict[str, float] | None) -> str:
    """« médiane (min–max) »."""
    if not e:
        return "—"
    if e["n"] == 1:
        return f"{_v(e['mediane'])} (1 passage)"
    return f"{_v(e['mediane'])} ({_v(e['min'])}–{_v(e['max'])})"


def en_texte(r: dict[str, Any]) -> str:
    """Tableaux lisibles des résultats (Markdown)."""
    m = r["mesures_s"]
    libelles = {
        "a": "(a) plancher : un processus, sans noyau, HTML + PDF",
        "b": "(b) chaîne naïve : papermill CLI × carnets + nbconvert HTML + weasyprint PDF",
        **LIBELLES,
    }
    libelles["f"] = libelles["f"].replace("N", str(r["annee"]))
    lignes = [
        f"# Banc de construction, rapport {r['annee']}",
        "",
        "Médiane (minimum–maximum) des passages (nombre par mesure : voir les notes) ; "
        f"{r['machine']['processeurs']} cœurs, Python {r['machine']['python']}, charge moyenne "
        f"(1 min) {_v(r['machine'].get('charge_moyenne_1min_debut', 0))} au début, "
        f"{_v(r['machine']['charge_moyenne_1min_fin'])} à la fin.",
        "",
        "| mesure | médiane (min–max), s | passages (s) |",
        "|---|---:|---|",
    ]
    for k, libelle in libelles.items():
        for cle, suffixe in ((k, ""), (f"{k}_cpu", " — temps CPU")):
            if cle in m:
                passages = " ; ".join(_v(x) for x in r["passages_s"][cle])
                lignes.append(f"| {libelle}{suffixe} | {_me(m[cle])} | {passages} |")
    lignes.append(
        f"| RSS maximale (arbre de processus, noyaux compris) | "
        f"{_v(r['rss_max_octets'] / 2**20)} Mio | |"
    )
    for nom, e in r.get("apercu_s", {}).items():
        lignes.append(f"| aperçu : {nom} | {_me(e)} | |")
    if r["mecanismes"]:
        colonnes = [x for k in "cdegf" for x in (k, f"{k}_cpu") if x in m]
        lignes += [
            "",
            "## Chaque mécanisme désactivé seul (`SYNTHESE_IHU_SANS=<nom>`)",
            "",
            f"Gain = (désactivé − activé) / activé, médianes ; un mécanisme paie s'il gagne au "
            f"moins {SEUIL_GAIN:.0%} sur c, e, g ou f (horloge ou CPU) et que minimum désactivé > "
            "maximum activé (« * » : étendues disjointes). CPU : temps utilisateur + système de "
            "la commande et de ses descendants (noyaux, processus PDF et de rendu), peu sensible "
            "à la charge de la machine mais aveugle au parallélisme.".replace("%", " %"),
            "",
            "| configuration | "
            + " | ".join(f"({k[0]}) {'CPU ' if k.endswith('_cpu') else ''}s" for k in colonnes)
            + " | paie ? |",
            "|---|" + "---:|" * len(colonnes) + "---|",
            "| tout activé | " + " | ".join(_me(m.get(k)) for k in colonnes) + " | |",
        ]
        for nom, o in r["mecanismes"].items():
            cellules = []
            for k in colonnes:
                e = o["desactive"].get(k)
                g = o["gains"].get(k)
                if e is None or g is None:
                    cellules.append("sans objet")
                    continue
                signe = "+" if g["gain"] >= 0 else "−"
                marque = " *" if g["hors_etendue"] else ""
                cellules.append(f"{_me(e)}, {signe}{_v(abs(g['gain']) * 100)} %{marque}")
            paie = ("oui (" + ", ".join(o["paie_sur"]) + ")") if o["paie"] else "non"
            lignes.append(f"| sans {nom} | " + " | ".join(cellules) + f" | {paie} |")
        lignes.append("")
        for nom, description in r["descriptions_mecanismes"].items():
            lignes.append(f"- `{nom}` : {description}")
    lignes += [
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
    from synthese_ihu.mecanismes import MECANISMES

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repetitions", type=int, default=5, help="tout activé (c, d, e, g)")
    p.add_argument("--repetitions-mecanismes", type=int, help="par mécanisme (défaut : idem)")
    p.add_argument("--repetitions-f", type=int, default=1, help="toutes les années (f)")
    p.add_argument("--repetitions-references", type=int, help="(a) et (b) (défaut : idem)")
    p.add_argument("--annee", type=int, default=2022)
    p.add_argument(
        "--parties",
        default="references,mecanismes",
        help="references (a, b) et/ou mecanismes (un passage par mécanisme désactivé) ; d seule : "
        "la reconstruction sans changement (résultats dans resultats-d.*)",
    )
    p.add_argument("--mecanismes", help="sous-ensemble des mécanismes (noms séparés par des ,)")
    p.add_argument("--sortie", type=Path, default=Path(__file__).resolve().parent)
    p.add_argument("--garder", action="store_true", help="garde l'instantané (débogage)")
    p.add_argument("--plancher", type=Path, help=argparse.SUPPRESS)  # mesure (a), interne
    args = p.parse_args(argv)
    if args.plancher is not None:
        print(json.dumps(plancher(args.annee, args.plancher)))
        return 0
    parties = {x.strip() for x in args.parties.split(",") if x.strip()}
    noms = args.mecanismes.split(",") if args.mecanismes else list(MECANISMES)
    mecanismes = {n: MECANISMES[n] for n in noms}
    repetitions = {
        "construction": args.repetitions,
        "mecanismes": args.repetitions_mecanismes or args.repetitions,
        "f": args.repetitions_f,
        "references": (
            args.repetitions if args.repetitions_references is None else args.repetitions_references
        ),
    }

    temporaire = Path(tempfile.mkdtemp(prefix="synthese-ihu-banc-"))
    arbre = instantane(temporaire / "arbre")
    journal = temporaire / "journal.txt"
    print(f"Banc de construction {args.annee} : instantané {arbre}, journal {journal}", flush=True)
    debut = time.perf_counter()
    charge_debut = os.getloadavg()[0]
    args.sortie.mkdir(parents=True, exist_ok=True)

    nom = "resultats-d" if parties == {"d"} else "resultats"

    def ecrire(r: dict[str, Any]) -> str:
        r["duree_banc_s"] = round(time.perf_counter() - debut, 1)
        machine = r["machine"]
        machine["charge_moyenne_1min_debut"] = round(charge_debut, 2)
        r["notes"].append(
            f"Charge moyenne (1 min) de la machine partagée : {_v(charge_debut)} au début, "
            f"{_v(machine['charge_moyenne_1min_fin'])} à la fin du banc "
            f"({machine['processeurs']} cœurs ; banc de {_v(r['duree_banc_s'])} s) : "
            "sur une machine partagée, juger sur les médianes et leurs étendues."
        )
        texte = en_texte(r)
        (args.sortie / f"{nom}.json").write_text(
            json.dumps(r, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        (args.sortie / f"{nom}.md").write_text(texte, encoding="utf-8")
        return texte

    try:
        r = mesurer(Banc(arbre, journal), args.annee, repetitions, parties, mecanismes, ecrire)
    finally:
        if not args.garder:
            shutil.rmtree(arbre, ignore_errors=True)
    print()
    print(ecrire(r))
    print(f"Résultats : {args.sortie / (nom + '.json')}, {args.sortie / (nom + '.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
