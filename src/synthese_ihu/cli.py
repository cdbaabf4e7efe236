"""Ligne de commande ``synthese-ihu`` : un point d'entrée, une sous-commande par tâche.

``synthese-ihu construire --annee 2022 [--sortie DIR] [--sections id,id] [--sans-cache]
[--interne]`` (``make report``), ou ``--annee 2012-2022`` (``make reports-all``) : les options
sont analysées et validées ici, avant toute exécution (:mod:`synthese_ihu.config`), la
construction (:func:`synthese_ihu.construction.construire`) suit l'avancement, puis un résumé
est imprimé. Codes de sortie : 0 rapports en place, 1 une année en échec (son rapport précédent
est intact), 2 paramètres ou configuration refusés (rien n'a été exécuté), 3 erreur du système
(disque plein, lecture seule, permission, verrou : une phrase qui nomme le fichier), 4 erreur
imprévue, 128 + n au signal n (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP : une ligne, noyaux et
processus de rendu arrêtés). Toutes les commandes : une phrase par échec, la trace Python
seulement avec ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from synthese_ihu.signaux import Interruption, arreter_enfants, signaux_d_arret

# sous-commande -> (module, fonction, aide). Les modules sont importés à la demande.
COMMANDES: dict[str, tuple[str, str, str]] = {
    "construire": ("synthese_ihu.cli", "construire", "construit les rapports d'une année (plage)"),
    "golden": (
        "synthese_ihu.golden",
        "main",
        "réécrit les carnets de référence des tests (tests/golden/ANNEE)",
    ),
    "generer-donnees": (
        "synthese_ihu.generation.generateur",
        "main",
        "régénère les données de référence (graine fixe)",
    ),
    "modele": (
        "synthese_ihu.ingestion.modeles",
        "main",
        "écrit les classeurs vierges d'une campagne (data/incoming/ANNEE/modeles)",
    ),
    "revue": (
        "synthese_ihu.revue",
        "main",
        "note de revue des révisions de l'édition ANNEE (diffusion restreinte)",
    ),
    "ingerer": (
        "synthese_ihu.ingestion.ingerer",
        "main",
        "contrôle et fait entrer les classeurs reçus (data/incoming/ANNEE)",
    ),
    "apercu": (
        "synthese_ihu.apercu",
        "main",
        "aperçu HTML refait à chaque carnet enregistré (build/ANNEE/apercu, make preview)",
    ),
}


#: code de sortie d'une erreur du système (disque plein, lecture seule, permission, verrou)
CODE_SYSTEME = 3
#: code de sortie d'une erreur imprévue (trace avec --debug)
CODE_IMPREVU = 4


def main(argv: list[str] | None = None) -> int:
    """Aiguille vers la sous-commande ; les arguments restants lui sont passés.

    Une erreur n'imprime qu'une phrase en français : erreur du système (code 3), erreur
    imprévue (code 4), interruption (code 128 + signal). ``--debug`` (toute sous-commande)
    montre la trace Python à la place.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="synthese-ihu", description=__doc__)
    parser.add_argument("commande", choices=sorted(COMMANDES))
    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0
    args, reste = parser.parse_known_args(argv[:1])
    module, fonction, _ = COMMANDES[args.commande]
    debug = "--debug" in argv[1:]
    arguments = [a for a in argv[1:] if a != "--debug"]
    try:
        with signaux_d_arret():
            if args.commande == "construire":  # dit lui-même l'état des rapports
                return construire(arguments, debug=debug)
            return int(getattr(importlib.import_module(module), fonction)(arguments) or 0)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - une trace est un défaut
        if debug:
            raise
        arreter_enfants()
        texte, code = phrase_echec(args.commande, exc)
        print(texte, file=sys.stderr)
        return code


def phrase_echec(commande: str, exc: BaseException) -> tuple[str, int]:
    """La phrase d'échec d'une sous-commande et son code de sortie."""
    from synthese_ihu import erreurs

    etat = (
        " ; data/raw garde la campagne précédente ou la nouvelle (la prochaine "
        "ingestion termine ou annule)"
        if commande == "ingerer"
        else ""
    )
    nom = f"La commande « synthese-ihu {commande} »"
    if isinstance(exc, KeyboardInterrupt):
        code = exc.code if isinstance(exc, Interruption) else 128 + signal.SIGINT
        return f"{nom} a été interrompue{etat}.", code
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{nom} a échoué : {erreurs.phrase(exc)}{etat}.", CODE_SYSTEME
    return (
        f"{nom} a été arrêtée par une erreur imprévue ({type(exc).__name__} : {exc}){etat} : "
        "relancez avec --debug pour la trace et signalez-la.",
        CODE_IMPREVU,
    )


# --------------------------------------------------------------------------------------------
# synthese-ihu construire


class _Analyseur(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        from synthese_ihu.config import ErreurParametres

        attendu = re.fullmatch(r"argument (\S+): expected one argument", message)
        if attendu:
            message = f"l'option {attendu.group(1)} attend une valeur"
        raise ErreurParametres(message)


def analyser(argv: list[str]) -> dict[str, Any]:
    """Options de ``construire`` ; une option inconnue lève :class:`ErreurParametres`."""
    from synthese_ihu.config import ErreurParametres

    p = _Analyseur(
        prog="synthese-ihu construire",
        description="Construit la synthèse d'une année (ou d'une plage) : reports/<année>/.",
        allow_abbrev=False,
    )
    p.add_argument(
        "--annee",
        help="année cible, ou plage début-fin (2012-2022) ; défaut : [rapport] annee_defaut",
    )
    p.add_argument("--sortie", help="dossier racine des rapports (défaut : reports/)")
    p.add_argument("--sections", help="identifiants séparés par des virgules (aperçu partiel)")
    p.add_argument("--sans-cache", action="store_true", help="tout réexécuter et re-rendre")
    p.add_argument("--interne", action="store_true", help="variante interne (diffusion restreinte)")
    args, inconnues = p.parse_known_args(argv)
    if inconnues:
        raise ErreurParametres(
            f"option(s) inconnue(s) : {' '.join(inconnues)} "
            "(options : --annee, --sortie, --sections, --sans-cache, --interne)."
        )
    options: dict[str, Any] = {"sans_cache": args.sans_cache, "interne": args.interne}
    for nom in ("annee", "sortie", "sections"):
        if getattr(args, nom) is not None:
            options[nom] = getattr(args, nom)
    return options


def _ligne(libelle: str, duree: float, detail: str = "") -> str:
    from synthese_ihu.construction import secondes

    return f"  {libelle:<16}{secondes(duree):>10}" + (f"  ({detail})" if detail else "")


def resume(bilan: Any) -> str:
    """Résumé d'une construction : étapes, puis une ligne par année (détail pour une seule)."""
    from synthese_ihu.construction import secondes

    premiere, derniere = bilan.annees[0], bilan.annees[-1]
    total = secondes(bilan.durees.get("total", 0.0))
    if len(bilan.annees) == 1 and premiere in bilan.bilans:
        b = bilan.bilans[premiere]
        if b.a_jour:
            lignes = [f"Synthèse {premiere} déjà à jour (vérifiée en {total}) : rien à refaire."]
            return "\n".join(
                lignes + [f"  → {cle} : {chemin}" for cle, chemin in b.fichiers.items()]
            )
        lignes = [f"Synthèse {premiere} construite en {total} :"]
        if "validation" in bilan.durees:
            lignes.append(_ligne("validation", bilan.durees["validation"]))
        execution = f"{len(b.executees)} exécutée(s), {len(b.en_cache)} en cache"
        lignes.append(_ligne("exécution", bilan.durees.get("execution", 0.0), execution))
        lignes.append(_ligne("rendu", b.durees.get("rendu", 0.0)))
        for etape, duree in b.durees.items():
            if etape.startswith("rendu:"):
                lignes.append(_ligne(etape.replace("rendu:", "  dont "), duree))
        lignes.append(_ligne("mise en place", b.durees.get("mise en place", 0.0)))
        lignes += [f"  → {cle} : {chemin}" for cle, chemin in b.fichiers.items()]
        return "\n".join(lignes)
    lignes = [
        f"Synthèses {premiere} à {derniere} : {len(bilan.bilans)} rapport(s) sur "
        f"{len(bilan.annees)} en place, en {total} :",
    ]
    executees = sum(len(b.executees) for b in bilan.bilans.values())
    en_cache = sum(len(b.en_cache) for b in bilan.bilans.values())
    for etape, libelle, detail in (
        ("validation", "validation", ""),
        ("execution", "exécution", f"{executees} carnet(s) exécuté(s), {en_cache} en cache"),
        ("rendu", "fin des rendus", "après l'exécution, rendus et mises en place"),
    ):
        if etape in bilan.durees:
            lignes.append(_ligne(libelle, bilan.durees[etape], detail))
    for annee in bilan.annees:
        if annee not in bilan.bilans:
            lignes.append(f"  {annee}  ÉCHEC : rapport précédent inchangé")
            continue
        b = bilan.bilans[annee]
        if b.a_jour:
            lignes.append(f"  {annee}  déjà à jour (vérifié) → {b.destination}")
            continue
        rendu = (
            f"rendu {secondes(b.durees.get('rendu', 0.0))}, dont PDF "
            f"{secondes(b.durees.get('rendu:pdf', 0.0))}"
        )
        lignes.append(
            f"  {annee}  {len(b.executees):>2} exécutée(s), {len(b.en_cache):>2} en cache, "
            f"{rendu} → {b.destination}"
        )
    return "\n".join(lignes)


def construire(
    argv: list[str] | None = None,
    *,
    emplacements: Any = None,
    rendre: Callable[..., Any] | None = None,
    publication: bool = True,
    annees: Iterable[int] | None = None,
    processus: int | None = None,
    debug: bool = False,
) -> int:
    """``synthese-ihu construire`` : analyse, validation, construction, résumé ; code de sortie.

    Les paramètres nommés servent aux tests (dossiers jetables, moteur de rendu d'essai, années
    couvertes) ; voir :func:`synthese_ihu.construction.construire`. Un signal d'arrêt ou une
    erreur du système donne une ligne qui dit quels rapports sont remplacés ou inchangés
    (``debug`` : la trace à la place).
    """
    from synthese_ihu import construction
    from synthese_ihu.config import (
        ErreurConfiguration,
        ErreurParametres,
        charger_configuration,
        valider_construction,
    )
    from synthese_ihu.edition import ErreurDateEdition, verifier_date_edition

    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        try:
            analyser(["--help"])
        except SystemExit:
            return 0
    emplacements = emplacements or construction.Emplacements()
    debut = time.perf_counter()
    try:
        options = analyser(argv)
        configuration = charger_configuration(emplacements.configuration, emplacements.carnets)
        liste = valider_construction(options, configuration, annees)
        for parametres in liste:
            verifier_date_edition(configuration, parametres.annee, emplacements.donnees)
    except (ErreurParametres, ErreurConfiguration, ErreurDateEdition) as exc:
        print(f"Erreur : {exc}\nRien n'a été exécuté.", file=sys.stderr)
        return 2
    validation = time.perf_counter() - debut
    variante = " (variante interne)" if liste[0].interne else ""
    if len(liste) == 1:
        entete = f"Synthèse {liste[0].annee}{variante} : {len(liste[0].sections)} section(s)"
    else:
        entete = (
            f"Synthèses {liste[0].annee} à {liste[-1].annee}{variante} : {len(liste)} années × "
            f"{len(liste[0].sections)} section(s), {construction.TRAVAILLEURS} noyaux, "
            f"rendus sur {construction.PROCESSUS_RENDU} processus"
        )
    print(entete, flush=True)
    avant = {
        destination: _identite(destination)
        for parametres in liste
        if (destination := construction.destination_rapport(parametres, emplacements))
    }
    try:
        with signaux_d_arret():
            bilan = construction.construire(
                liste,
                configuration,
                emplacements,
                processus=processus,
                rendre=rendre,
                publication=publication,
                afficher=lambda m: print(m, flush=True),
            )
    except (KeyboardInterrupt, OSError) as exc:
        if debug or (isinstance(exc, OSError) and exc.errno is None):
            raise
        arreter_enfants()
        from synthese_ihu import erreurs

        etat = etat_rapports(avant)
        if isinstance(exc, KeyboardInterrupt):
            print(f"Construction interrompue : {etat}.", file=sys.stderr, flush=True)
            return exc.code if isinstance(exc, Interruption) else 128 + signal.SIGINT
        print(f"Construction arrêtée : {erreurs.phrase(exc)} ; {etat}.", file=sys.stderr)
        return CODE_SYSTEME
    bilan.durees = {"validation": validation, **bilan.durees}
    bilan.durees["total"] += validation
    if not bilan.echecs:
        print(resume(bilan), flush=True)
        return 0
    if len(liste) == 1:
        print(f"Échec : {bilan.echecs[liste[0].annee]}", file=sys.stderr)
        print("Le rapport précédent n'a pas été modifié.", file=sys.stderr)
        return 1
    print(resume(bilan), flush=True)
    annees_en_echec = ", ".join(map(str, sorted(bilan.echecs)))
    print(
        f"Échec pour {annees_en_echec} : ces rapports n'ont pas été modifiés ; les autres "
        "années sont en place.",
        file=sys.stderr,
    )
    return 1


def _identite(chemin: Path) -> tuple[int, int] | None:
    """(périphérique, inode) du dossier, ``None`` s'il n'existe pas : un rapport remplacé d'un
    coup change d'inode."""
    try:
        etat = os.stat(chemin)
    except OSError:
        return None
    return etat.st_dev, etat.st_ino


def etat_rapports(avant: dict[Path, tuple[int, int] | None]) -> str:
    """« reports/2022 inchangé », ou quels rapports sont remplacés et lesquels inchangés."""
    from synthese_ihu.erreurs import montrer

    if not avant:
        return "aperçu partiel, aucun rapport touché"
    remplaces = [d for d, identite in avant.items() if _identite(d) != identite]
    inchanges = [d for d in avant if d not in remplaces]
    parties = []
    for dossiers, singulier in ((remplaces, "remplacé"), (inchanges, "inchangé")):
        if dossiers:
            noms = [montrer(d) for d in dossiers]
            liste = noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]
            parties.append(f"{liste} {singulier}{'s' if len(noms) > 1 else ''}")
    return ", ".join(parties)


if __name__ == "__main__":
    raise SystemExit(main())
