"""Valeurs imprimées par une édition : les références ``{v.nom}`` des récits affichés.

L'annexe de méthode dit combien de valeurs imprimées sont des chiffres publiés par l'agence et
liste celles qui n'en sont pas : elle ne doit compter que ce que le lecteur lit. Un récit
(cellule ``%%recit``) est affiché si ses conditions ``--si``/``--sauf`` tiennent : elles sont
évaluées ici comme dans le carnet (:func:`synthese_ihu.recit.options`, même ``Valeurs``). Les
carnets sont lus en JSON (sans noyau) ; la section qui s'en sert déclare
``depend_des_recits = true`` (``synthese.toml``) pour que sa clé de cache comprenne leurs récits
(:func:`empreinte_recits`).
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from synthese_ihu import recit

MAGIE = "%%recit"


def recits(carnet: Path) -> list[tuple[str, str]]:
    """(ligne d'options, corps) de chaque cellule ``%%recit`` d'un carnet, dans l'ordre."""
    sortie = []
    for cellule in json.loads(Path(carnet).read_text(encoding="utf-8"))["cells"]:
        source = "".join(cellule.get("source", []))
        if cellule.get("cell_type") == "code" and source.startswith(MAGIE):
            ligne, _, corps = source.partition("\n")
            sortie.append((ligne[len(MAGIE):], corps))
    return sortie


def _references(texte: str) -> set[str]:
    return {ref.strip()[2:] for _, ref, _, _ in string.Formatter().parse(texte)
            if ref and ref.strip().startswith("v.")}


def valeurs_imprimees(valeurs: Any, annee: int, carnets: Iterable[Path], *,
                      sauf: Iterable[str] = ()) -> frozenset[str]:
    """Noms des valeurs que les récits affichés de ``carnets`` citent pour ``annee``.

    ``sauf`` : valeurs dont un récit ne doit pas être évalué (celles qui appellent cette
    fonction : l'annexe qui compte les valeurs imprimées) ; un récit qui les cite est ignoré.
    """
    sauf = set(sauf)
    espace = {"v": valeurs, "annee": annee}
    imprimees: set[str] = set()
    for carnet in carnets:
        for ligne, corps in recits(carnet):
            conditions = recit.options(ligne)
            cites = _references(corps) | {c.reference[2:] for c in conditions
                                          if c.reference.startswith("v.")}
            if cites & sauf:
                continue
            if all(c.vraie(recit.resoudre(c.reference, espace)) for c in conditions):
                imprimees |= _references(corps)
    return frozenset(imprimees)


def carnets_du_rapport() -> list[Path]:
    """Carnets des sections du rapport (``synthese.toml``), dans leur ordre."""
    from synthese_ihu.config import charger_configuration

    return [s.chemin for s in charger_configuration().sections]


def empreinte_recits(carnets: Iterable[Path]) -> str:
    """sha256 des cellules ``%%recit`` de ``carnets`` (clé de cache d'une section qui les lit)."""
    h = hashlib.sha256()
    for carnet in carnets:
        h.update(Path(carnet).name.encode() + b"\0")
        for ligne, corps in recits(carnet):
            h.update(f"{ligne}\n{corps}\0".encode())
    return h.hexdigest()
