"""Ligne de commande ``synthese-ihu`` : un point d'entrée, une sous-commande par tâche."""

from __future__ import annotations

import argparse
import importlib
import sys

# sous-commande -> (module, fonction, aide). Les modules sont importés à la demande.
COMMANDES: dict[str, tuple[str, str, str]] = {
    "construire": ("synthese_ihu.construction", "main", "construit le rapport d'une année"),
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
}


#: sous-commandes qui reçoivent des fichiers de l'extérieur : une erreur imprévue y est dite en
#: une phrase, la trace Python seulement avec ``--debug``
SANS_TRACE = frozenset({"ingerer", "modele"})


def main(argv: list[str] | None = None) -> int:
    """Aiguille vers la sous-commande ; les arguments restants lui sont passés.

    ``synthese-ihu ingerer|modele ... --debug`` : montre la trace Python d'une erreur imprévue
    (sans ``--debug``, une phrase en français et le code de sortie 4).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="synthese-ihu", description=__doc__)
    parser.add_argument("commande", choices=sorted(COMMANDES))
    if not argv or argv[0] in {"-h", "--help"}:
        parser.print_help()
        return 0
    args, reste = parser.parse_known_args(argv[:1])
    module, fonction, _ = COMMANDES[args.commande]
    arguments = argv[1:]
    if args.commande not in SANS_TRACE:
        return int(getattr(importlib.import_module(module), fonction)(arguments) or 0)
    debug = "--debug" in arguments
    arguments = [a for a in arguments if a != "--debug"]
    try:
        return int(getattr(importlib.import_module(module), fonction)(arguments) or 0)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - une trace est un défaut
        if debug:
            raise
        quoi = "interrompue" if isinstance(exc, KeyboardInterrupt) else (
            f"arrêtée par une erreur imprévue ({type(exc).__name__} : {exc})")
        etat = (" ; data/raw garde la campagne précédente ou la nouvelle (la prochaine "
                "ingestion termine ou annule)" if args.commande == "ingerer" else "")
        print(f"La commande « synthese-ihu {args.commande} » a été {quoi}{etat} : relancez avec "
              "--debug pour la trace et signalez-la.", file=sys.stderr)
        return 4


if __name__ == "__main__":
    raise SystemExit(main())
