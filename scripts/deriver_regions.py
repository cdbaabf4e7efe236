"""Dérive ``data/geo/regions_metropole.geojson`` du fichier ``regions-version-simplifiee.geojson``
du dépôt public gregoiredavid/france-geojson (voir ``data/geo/README.md``).

Usage : ``python scripts/deriver_regions.py SOURCE.geojson data/geo/regions_metropole.geojson``.
Simplification Douglas-Peucker (tolérance 0,02°), coordonnées arrondies à 3 décimales, îles de
moins de 0,002 degré carré retirées. Bibliothèque standard seule ; jamais lancé par le rapport
(le fichier dérivé est versionné : aucun téléchargement à l'exécution).
"""

from __future__ import annotations

import json
import sys

TOLERANCE = 0.02
AIRE_MIN = 0.002


def _distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplifier(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas-Peucker itératif (les extrémités sont gardées)."""
    garder = [False] * len(points)
    garder[0] = garder[-1] = True
    pile = [(0, len(points) - 1)]
    while pile:
        debut, fin = pile.pop()
        loin, indice = 0.0, None
        for i in range(debut + 1, fin):
            d = _distance(points[i], points[debut], points[fin])
            if d > loin:
                loin, indice = d, i
        if indice is not None and loin > tolerance:
            garder[indice] = True
            pile += [(debut, indice), (indice, fin)]
    return [p for p, g in zip(points, garder, strict=True) if g]


def _aire(anneau: list) -> float:
    paires = zip(anneau, anneau[1:], strict=False)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in paires)) / 2


def main(source: str, cible: str) -> None:
    brut = json.load(open(source, encoding="utf-8"))
    entites = []
    for entite in brut["features"]:
        g = entite["geometry"]
        polygones = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        garde = []
        for polygone in polygones:
            exterieur = polygone[0]
            if _aire(exterieur) < AIRE_MIN:
                continue
            anneau = [[round(x, 3), round(y, 3)] for x, y in simplifier(exterieur)]
            if len(anneau) >= 4:
                garde.append([anneau])
        entites.append({"type": "Feature",
                        "properties": {"code": entite["properties"]["code"],
                                       "nom": entite["properties"]["nom"]},
                        "geometry": {"type": "MultiPolygon", "coordinates": garde}})
    entites.sort(key=lambda e: e["properties"]["code"])
    with open(cible, "w", encoding="utf-8", newline="\n") as f:
        json.dump({"type": "FeatureCollection", "features": entites}, f, ensure_ascii=False,
                  separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
