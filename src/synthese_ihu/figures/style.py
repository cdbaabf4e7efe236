"""Style commun des figures : palette sobre et accessible, police fixe, nombres à la française.

Tout le réglage graphique vit ici. Les paramètres ne sont jamais appliqués globalement : le rendu
les pose dans un ``matplotlib.rc_context`` (:func:`contexte`), pour ne rien changer au noyau du
carnet qui appelle les figures.

Palette : Okabe & Ito (2008), sûre pour les daltonismes courants ; les catégories de revues,
ordonnées, suivent une rampe séquentielle (viridis) ; le gris sert aux références (Monde, NC).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from babel.numbers import format_decimal
from matplotlib.axes import Axes
from matplotlib.ticker import Formatter, MaxNLocator

from synthese_ihu import formatage

#: Taille fixe des figures (pouces) : 16 × 9 cm, lisible en pleine largeur d'une page A4.
TAILLE = (16 / 2.54, 9 / 2.54)
#: Taille des figures à deux panneaux superposés.
TAILLE_HAUTE = (16 / 2.54, 11 / 2.54)
#: Résolution fixe (sans effet sur le SVG vectoriel, mais fixée pour le PNG de relecture).
DPI = 150
POLICE = "DejaVu Sans"
#: Largeur minimale de l'axe des années, en nombre de barres (années cibles 2012, 2013…).
MIN_ANNEES = 6

# Okabe & Ito
BLEU = "#0072B2"
BLEU_CIEL = "#56B4E9"
VERMILLON = "#D55E00"
ORANGE = "#E69F00"
VERT = "#009E73"
POURPRE = "#CC79A7"
JAUNE = "#F0E442"
GRIS = "#8C8C8C"
GRIS_CLAIR = "#C8C8C8"
ENCRE = "#262626"
#: Textes des figures (notes, graduations colorées) : contraste d'au moins 4,5:1 sur blanc
#: (WCAG 2.1 AA), là où la couleur de la série (gris 3,4:1, vermillon 3,9:1) n'y suffit pas.
GRIS_TEXTE = "#6B6B6B"
VERMILLON_TEXTE = "#A84300"

#: Natures de dépenses : bleus pour l'équipement, chauds pour le fonctionnement.
COULEURS_NATURES = {
    "equipement_immobilier": BLEU,
    "equipement_mobilier": BLEU_CIEL,
    "personnel": VERMILLON,
    "fonctionnement": ORANGE,
}
#: Catégories de revues A (meilleures) à E : rampe séquentielle ; NC en gris.
COULEURS_CATEGORIES = {
    "A": "#440154",
    "B": "#3B528B",
    "C": "#21918C",
    "D": "#5EC962",
    "E": "#D4E21A",
    "NC": GRIS_CLAIR,
}
#: Séries comparées : l'IHU en bleu, la France en orange, le monde en gris.
COULEURS_SERIES = {"IHU": BLEU, "France": ORANGE, "Monde": GRIS}
#: Périodes comparées : l'ancienne claire, la récente foncée.
COULEURS_PERIODES = {"P1": BLEU_CIEL, "P2": BLEU}
COULEURS_ORIGINES = {
    "publique_nationale": BLEU,
    "privee": ORANGE,
    "europe_international": VERT,
}
#: Couleur des séries uniques (une barre par année).
COULEUR_UNIQUE = BLEU
#: Couleur des cumuls tracés en ligne sur un second axe (et de leur texte).
COULEUR_CUMUL = VERMILLON
TEXTE_CUMUL = VERMILLON_TEXTE

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [POLICE],
    "font.size": 8.5,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
    "legend.frameon": False,
    "axes.edgecolor": ENCRE,
    "axes.labelcolor": ENCRE,
    "text.color": ENCRE,
    "xtick.color": ENCRE,
    "ytick.color": ENCRE,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3,
    "ytick.major.size": 0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#E3E3E3",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.unicode_minus": True,
    "axes.formatter.use_locale": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "path.simplify": True,
    "hatch.linewidth": 0.6,
}


def contraste(couleur: str, fond: str = "#FFFFFF") -> float:
    """Rapport de contraste WCAG 2.1 entre deux couleurs ``#RRGGBB`` (1 à 21)."""

    def luminance(hexa: str) -> float:
        canaux = (int(hexa[i : i + 2], 16) / 255 for i in (1, 3, 5))
        r, v, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in canaux)
        return 0.2126 * r + 0.7152 * v + 0.0722 * b

    clair, sombre = sorted((luminance(couleur), luminance(fond)), reverse=True)
    return (clair + 0.05) / (sombre + 0.05)


def encre_sur(fond: str) -> str:
    """Couleur du texte écrit sur un aplat ``fond`` : blanc ou noir, le plus contrasté."""
    return "#FFFFFF" if contraste("#FFFFFF", fond) >= contraste("#000000", fond) else "#000000"


@contextmanager
def contexte(id_figure: str) -> Iterator[None]:
    """Pose le style et le sel de hachage SVG propre à la figure, le temps du rendu.

    Parameters
    ----------
    id_figure : str
        Identifiant de la figure, utilisé comme ``svg.hashsalt`` : les identifiants internes
        du SVG ne dépendent alors que de la figure.
    """
    with mpl.rc_context({**RC, "svg.hashsalt": id_figure}):
        yield


def nombre(valeur: float, decimales: int = 0, fixes: bool = False) -> str:
    """Nombre à la française pour les graduations (``1 234``, ``12,5``, ``−3``).

    Parameters
    ----------
    valeur : float
        Valeur à formater.
    decimales : int
        Décimales au plus (facultatives), ou exactement si ``fixes``.
    fixes : bool
        Décimales obligatoires (``30,0`` à côté de ``104,5``) : étiquettes de barres.
    """
    if fixes and decimales > 0:
        motif = "#,##0." + "0" * decimales
        texte = format_decimal(float(valeur), format=motif, locale=formatage.LOCALE)
    else:
        texte = formatage.nombre(float(valeur), decimales)
    return texte.replace("-", "\u2212")


class FormateurAxe(Formatter):
    """Graduations à la française, toutes avec le même nombre de décimales sur un axe.

    ``0,8`` et ``1,0`` plutôt que ``0,8`` et ``1`` : le nombre de décimales est celui qu'il
    faut à la graduation la plus fine (au plus ``decimales``), appliqué à toutes.
    """

    def __init__(self, decimales: int = 0, *, pourcentage: bool = False,
                 signe: bool = False) -> None:
        self.decimales, self.pourcentage, self.signe = decimales, pourcentage, signe
        self._fixes = 0

    def _texte(self, x: float, decimales: int) -> str:
        x = 0.0 if abs(x) < 1e-9 else float(x)
        texte = nombre(x, decimales, fixes=decimales > 0)
        if self.signe and x > 0:
            texte = "+" + texte
        return texte + ("\u00a0%" if self.pourcentage else "")

    def _decimales(self, valeurs: list[float]) -> int:
        for decimales in range(self.decimales + 1):
            if all(abs(round(v, decimales) - v) < 1e-9 for v in valeurs):
                return decimales
        return self.decimales

    def format_ticks(self, values: Any) -> list[str]:
        self._fixes = self._decimales([float(v) for v in values])
        return [self._texte(v, self._fixes) for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._texte(x, self._fixes if pos is not None else self._decimales([x]))


def formateur_nombre(decimales: int = 0) -> FormateurAxe:
    """Formateur de graduations : nombres à la française (babel), décimales égales sur l'axe."""
    return FormateurAxe(decimales)


def formateur_pourcentage(decimales: int = 0, signe: bool = False) -> FormateurAxe:
    """Formateur de graduations pour des valeurs déjà en pourcents (``45`` → ``45 %``).

    Décimales égales sur un axe : ``2,0 %``, ``2,5 %``.
    """
    return FormateurAxe(decimales, pourcentage=True, signe=signe)


def axe_valeurs(ax: Axes, etiquette: str, *, pourcentage: bool = False, decimales: int = 0,
                signe: bool = False, entier: bool = False) -> None:
    """Habille l'axe des valeurs (y) : libellé, graduations à la française.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        L'axe.
    etiquette : str
        Libellé de l'axe, unité comprise.
    pourcentage : bool
        Valeurs en pourcents (``45`` pour 45 %).
    decimales : int
        Décimales des graduations.
    signe : bool
        Signe ``+`` sur les graduations positives (évolutions).
    entier : bool
        Graduations entières seulement (comptes).
    """
    ax.set_ylabel(etiquette)
    if pourcentage:
        ax.yaxis.set_major_formatter(formateur_pourcentage(decimales, signe))
    else:
        ax.yaxis.set_major_formatter(formateur_nombre(decimales))
    if entier:
        ax.yaxis.set_major_locator(
            MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 2.5, 5, 10])
        )


def axe_annees(ax: Axes, annees: list[int], etiquette: str = "", *,
               libelles_max: int = 12) -> None:
    """Graduations d'années sur un axe catégoriel (positions 0..n-1), sans séparateur.

    Les années restent horizontales : au-delà de ``libelles_max`` années (12 sur toute la
    largeur, moins sur un panneau étroit), une graduation sur deux (ou trois…) porte son libellé,
    la dernière toujours ; en deçà de :data:`MIN_ANNEES` années, l'axe garde la largeur de
    ``MIN_ANNEES`` barres.
    """
    positions = list(range(len(annees)))
    ax.set_xticks(positions)
    pas = -(-len(annees) // libelles_max)
    dernier = len(annees) - 1
    ax.set_xticklabels(
        [str(a) if (dernier - i) % pas == 0 else "" for i, a in enumerate(annees)]
    )
    marge = max(0.0, (MIN_ANNEES - len(annees)) / 2)  # peu d'années : barres pas trop larges
    ax.set_xlim(-0.6 - marge, len(annees) - 0.4 + marge)
    ax.set_xlabel(etiquette)
    ax.tick_params(axis="x", length=0)


def legende(ax: Axes, **kwargs: object) -> None:
    """Légende sobre, au-dessus de l'axe, sur une ligne ; sans effet s'il n'y a rien à légender."""
    poignees, libelles = ax.get_legend_handles_labels()
    if not poignees:
        return
    options = {
        "loc": "lower left",
        "bbox_to_anchor": (0.0, 1.0),
        "ncols": len(poignees),
        "frameon": False,
        "borderaxespad": 0.3,
        "handlelength": 1.2,
        "columnspacing": 1.2,
    }
    options.update(kwargs)
    ax.legend(poignees, libelles, **options)
