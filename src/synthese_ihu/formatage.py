"""Nombres, montants et pourcentages à la française, par babel.

Conventions typographiques (celles de babel pour ``fr_FR``) : espace fine insécable (U+202F)
entre les milliers, virgule décimale, espace insécable (U+00A0) avant l'unité et le signe %.
Exemples : ``31 639`` ; ``473,3 M€`` ; ``9,4 %``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from babel import Locale
from babel.numbers import format_decimal, format_percent

LOCALE = "fr_FR"
ESPACE_INSECABLE = "\u00a0"
_MOTIF_POURCENT = Locale.parse(LOCALE).percent_formats[None].pattern  # '#,##0\xa0%'


def _motif(decimales: int, facultatives: bool = False) -> str:
    """Motif babel « #,##0 » suivi de ``decimales`` chiffres (obligatoires ou facultatifs)."""
    if decimales <= 0:
        return "#,##0"
    return "#,##0." + ("#" if facultatives else "0") * decimales


def _verifier_nombre(valeur: object) -> float:
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        raise TypeError(f"nombre attendu, reçu {type(valeur).__name__} : {valeur!r}")
    if math.isnan(valeur) or math.isinf(valeur):
        raise ValueError(f"nombre fini attendu, reçu {valeur!r}")
    return float(valeur)


def nombre(valeur: float, decimales: int = 0) -> str:
    """Formate un nombre : ``nombre(31639)`` → ``'31 639'`` (espace fine insécable).

    Parameters
    ----------
    valeur : float
        Le nombre.
    decimales : int
        Nombre de décimales affichées (facultatives : ``33,0`` s'écrit ``33``).
    """
    valeur = _verifier_nombre(valeur)
    return format_decimal(valeur, format=_motif(decimales, facultatives=True), locale=LOCALE)


def millions_euros(montant_eur: float, decimales: int = 1) -> str:
    """Formate un montant en euros en millions : ``473_300_000`` → ``'473,3 M€'``."""
    montant_eur = _verifier_nombre(montant_eur)
    return f"{nombre(montant_eur / 1e6, decimales)}{ESPACE_INSECABLE}M€"


def pourcentage(part: float, decimales: int = 0, signe: bool = False) -> str:
    """Formate une part (0–1) en pourcentage : ``0.094`` → ``'9,4 %'``.

    Parameters
    ----------
    part : float
        La part, 1 valant 100 %.
    decimales : int
        Décimales affichées (obligatoires : ``9,4 %`` ; ``14,0 %``).
    signe : bool
        Affiche le signe ``+`` des hausses (évolutions : ``+20 %``, ``-15 %``).
    """
    part = _verifier_nombre(part)
    motif = _MOTIF_POURCENT.replace("#,##0", _motif(decimales))
    if signe:
        motif = f"+{motif};-{motif}"
    return format_percent(part, format=motif, locale=LOCALE)


@dataclass(frozen=True)
class Valeur:
    """Une valeur calculée citée dans le texte, avec son unité et sa précision d'affichage.

    ``str(valeur)`` donne la forme publiée (``473,3 M€``) ; les champs servent aux chiffres
    clés exportés et aux tests.

    Parameters
    ----------
    valeur : float
        La valeur brute (euros pour ``M€``, part 0–1 pour ``%``, compte sinon).
    unite : str
        ``""`` (compte), ``"M€"``, ``"%"`` ou ``"%+"`` (évolution signée).
    decimales : int
        Précision d'affichage.
    libelle : str
        Ce que la valeur mesure, en français.
    periode : str
        Année ou période (``2022``, ``2011-2022``).
    """

    valeur: float
    unite: str = ""
    decimales: int = 0
    libelle: str = ""
    periode: str = ""

    def __post_init__(self) -> None:
        if self.unite not in {"", "M€", "%", "%+"}:
            raise ValueError(f"unité inconnue : {self.unite!r} (attendu '', 'M€', '%', '%+')")
        _verifier_nombre(self.valeur)

    def __str__(self) -> str:
        if self.unite == "M€":
            return millions_euros(self.valeur, self.decimales)
        if self.unite == "%":
            return pourcentage(self.valeur, self.decimales)
        if self.unite == "%+":
            return pourcentage(self.valeur, self.decimales, signe=True)
        return nombre(self.valeur, self.decimales)

    def __format__(self, spec: str) -> str:
        if spec:
            raise ValueError(f"format {spec!r} non pris en charge : écrire {{valeur}} seul")
        return str(self)
