"""Exportateurs nbconvert de la synthèse : HTML autonome et PDF A4 (WeasyPrint).

Les deux classes sont utilisables par ``jupyter nbconvert --to …`` une fois déclarées comme
points d'entrée ``nbconvert.exporters`` ; :func:`synthese_ihu.rendu.rendre` s'en sert pour
le rapport assemblé.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode
from traitlets import Bool, Integer, Unicode, default

from synthese_ihu.config import periodes

from .figures_pdf import svg_en_images
from .mise_en_page import ajustements, css_ajustements, titres_isoles
from .preparation import PreparationSynthese
from .typographie import corriger_html

#: Mises en page au plus (la dernière est écrite, ajustée ou non).
PASSES_MISE_EN_PAGE = 4  # mises en page pour les figures (plus une pour les titres)

#: Dossier des gabarits nbconvert du paquet (données du paquet).
GABARITS = Path(__file__).resolve().parent / "gabarits"

#: Nom du gabarit nbconvert (sous-dossier de :data:`GABARITS`).
NOM_GABARIT = "synthese_ihu"

#: Configuration du rapport (titres par défaut).
CONFIGURATION = Path(__file__).resolve().parents[1] / "synthese.toml"

#: Première année de l'action IHU (mention de couverture « 2011-<année> »).
ANNEE_DEBUT_ACTION = periodes().premiere_annee_finances

#: ``SOURCE_DATE_EPOCH`` utilisé pour dater les polices incorporées (1er janvier 2011, début de
#: l'action), quand l'environnement n'en fixe pas.
DATE_SOURCE = "1293840000"

#: Variante PDF de WeasyPrint : PDF/UA-1, PDF balisé (arbre de structure, /Lang, titre affiché,
#: texte alternatif des figures) lisible par les technologies d'assistance.
VARIANTE_PDF = "pdf/ua-1"

#: Fichiers DejaVu de matplotlib déclarés pour le PDF : (famille, graisse, style, fichier).
POLICES_DEJAVU = (
    ("DejaVu Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("DejaVu Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("DejaVu Sans", "normal", "italic", "DejaVuSans-Oblique.ttf"),
    ("DejaVu Sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ("DejaVu Serif", "normal", "normal", "DejaVuSerif.ttf"),
    ("DejaVu Serif", "bold", "normal", "DejaVuSerif-Bold.ttf"),
    ("DejaVu Serif", "normal", "italic", "DejaVuSerif-Italic.ttf"),
    ("DejaVu Serif", "bold", "italic", "DejaVuSerif-BoldItalic.ttf"),
    ("DejaVu Sans Mono", "normal", "normal", "DejaVuSansMono.ttf"),
    ("DejaVu Sans Mono", "bold", "normal", "DejaVuSansMono-Bold.ttf"),
)


@lru_cache(maxsize=1)
def configuration_rapport() -> dict[str, Any]:
    """Section ``[rapport]`` de ``synthese.toml`` (titre, sous-titre, année par défaut…).

    Returns
    -------
    dict
        Valeurs de la section ``[rapport]``.
    """
    with CONFIGURATION.open("rb") as fichier:
        return dict(tomllib.load(fichier).get("rapport", {}))


def date_edition(annee: int, dates: dict[str, str]) -> str:
    """Date d'édition imprimée sur la couverture : ``de juin 2023``, ou l'année suivant l'année
    cible si ``[rapport.dates_edition]`` ne la donne pas (jamais la date du jour : les mêmes
    entrées donnent les mêmes octets).

    Parameters
    ----------
    annee : int
        Année cible.
    dates : dict
        ``[rapport.dates_edition]`` : ``{"2022": "2023-06-30"}``.

    Returns
    -------
    str
        Par exemple ``de juin 2023`` ou ``2024`` (« Édition de juin 2023 », « Édition 2024 »).
    """
    jour = dates.get(str(annee))
    if not jour:
        return str(int(annee) + 1)
    from datetime import date

    from babel.dates import format_date

    return "de " + format_date(date.fromisoformat(jour), "MMMM y", locale="fr_FR")


def css_polices() -> str:
    """Déclarations ``@font-face`` des polices DejaVu de matplotlib (URI ``file:``).

    Ces fichiers sont présents partout où l'environnement du projet est installé : le PDF ne
    dépend donc pas des polices du système.

    Returns
    -------
    str
        Feuille de style à passer à WeasyPrint.
    """
    # Dossier mpl-data de matplotlib, trouvé sans importer matplotlib (ni numpy) : ≈ 0,2 s de
    # moins pour le processus de construction (même chemin que matplotlib.get_data_path()).
    origine = importlib.util.find_spec("matplotlib").origin
    dossier = Path(origine).with_name("mpl-data") / "fonts" / "ttf"
    regles = []
    for famille, graisse, style, fichier in POLICES_DEJAVU:
        chemin = dossier / fichier
        if chemin.is_file():
            regles.append(
                f'@font-face {{ font-family: "{famille}"; font-weight: {graisse}; '
                f'font-style: {style}; src: url("{chemin.as_uri()}"); }}'
            )
    return "\n".join(regles)


def html_vers_pdf(
    html: str, *, base_url: str | Path | None = None, variante: str | None = VARIANTE_PDF
) -> bytes:
    """Convertit le HTML de la synthèse en PDF A4 avec WeasyPrint, octet pour octet stable.

    Seules les URI ``file:`` et ``data:`` sont chargées (aucun accès réseau). Le PDF ne porte ni
    date de création ni date de modification ; son identifiant ``/ID`` est une empreinte du
    HTML : les mêmes entrées donnent les mêmes octets.

    Parameters
    ----------
    html : str
        Document HTML complet (celui de :class:`SyntheseHTMLExporter`).
    base_url : str or Path, optional
        Base des chemins relatifs du document (par défaut : dossier courant).
    variante : str or None, default :data:`VARIANTE_PDF`
        Variante PDF de WeasyPrint (``None`` : PDF sans balisage).

    Returns
    -------
    bytes
        Le PDF.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    recuperateur = URLFetcher(allowed_protocols={"file", "data"})
    polices = FontConfiguration()
    feuille_polices = CSS(string=css_polices(), font_config=polices, url_fetcher=recuperateur)
    base = str(base_url) if base_url is not None else str(Path.cwd())
    # Figures en images data: : même PDF, sans analyser ni styler chaque élément SVG en HTML.
    source = svg_en_images(html)
    identifiant = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    options = {"pdf_identifier": identifiant, "pdf_variant": variante}
    regles: dict[str, str] = {}
    images: dict[str, Any] = {}  # SVG des figures analysés une fois pour toutes les passes
    with _date_source_fixe():
        # Mise en page, puis figures réduites tant qu'une page y gagne ; enfin, un titre resté
        # seul en bas de page ouvre la suivante (une mise en page de plus, s'il y en a un).
        def mettre_en_page() -> Any:
            ajuste = source.replace("</style>", css_ajustements(regles) + "</style>", 1)
            return HTML(string=ajuste, base_url=base, url_fetcher=recuperateur).render(
                stylesheets=[feuille_polices], font_config=polices, cache=images, **options
            )

        document = mettre_en_page()
        for _passe in range(PASSES_MISE_EN_PAGE - 1):
            nouvelles = ajustements(document, regles)
            if not nouvelles:
                break
            regles.update(nouvelles)
            document = mettre_en_page()
        titres = titres_isoles(document)
        if titres:
            regles.update(titres)
            document = mettre_en_page()
        return document.write_pdf(**options)


@contextmanager
def _date_source_fixe() -> Iterator[None]:
    """Fixe ``SOURCE_DATE_EPOCH`` le temps du rendu, s'il n'est pas déjà défini.

    Sans HarfBuzz-Subset, WeasyPrint sous-ensemble les polices avec fontTools, qui date la
    table ``head`` de l'instant présent sauf si ``SOURCE_DATE_EPOCH`` est défini : sans cela,
    deux rendus identiques diffèrent par les octets des polices incorporées.
    """
    deja = os.environ.get("SOURCE_DATE_EPOCH")
    if deja is not None:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = DATE_SOURCE
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


class SyntheseHTMLExporter(HTMLExporter):
    """Exportateur HTML autonome de la synthèse IHU (gabarit ``synthese_ihu``).

    Un seul fichier : CSS inclus, figures en SVG, aucun code, aucune invite, aucun script ni
    lien externe (ni MathJax ni require.js), ``<html lang="fr">``, sommaire ancré, figures
    numérotées.

    Attributes
    ----------
    annee : int or None
        Année du rapport ; par défaut le paramètre ``annee``/``year`` injecté par Papermill,
        sinon ``annee_defaut`` de ``synthese.toml``.
    interne : bool
        Variante interne : « Diffusion restreinte » sur la couverture et sur chaque page.
    titre, sous_titre : str or None
        Titres de couverture ; par défaut ceux de ``synthese.toml``.
    donnees_dossier, donnees_href : str
        Liens des figures vers leurs données CSV (voir :class:`PreparationSynthese`).
    colophon : str
        HTML de fin de document (provenance), inséré tel quel ; vide : pas de colophon.
    pdf_href, paquet_href : str
        Liens, montrés à l'écran seulement, vers le PDF et vers ``donnees/datapackage.json``.
    """

    export_from_notebook = "Synthèse IHU – HTML"

    annee = Integer(None, allow_none=True, help="Année du rapport.").tag(config=True)
    interne = Bool(False, help="Variante interne « Diffusion restreinte ».").tag(config=True)
    titre = Unicode(None, allow_none=True, help="Titre de couverture.").tag(config=True)
    sous_titre = Unicode(None, allow_none=True, help="Sous-titre de couverture.").tag(config=True)
    donnees_dossier = Unicode("", help="Dossier des CSV des figures.").tag(config=True)
    donnees_href = Unicode("donnees", help="Chemin relatif des CSV depuis le HTML.").tag(
        config=True
    )
    colophon = Unicode("", help="HTML du colophon (fin du document).").tag(config=True)
    pdf_href = Unicode("", help="Lien relatif vers le PDF (écran seulement ; vide : aucun).").tag(
        config=True
    )
    paquet_href = Unicode(
        "", help="Lien relatif vers datapackage.json (écran seulement ; vide : aucun)."
    ).tag(config=True)

    @default("template_name")
    def _default_template_name(self) -> str:
        return NOM_GABARIT

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self) -> list[str]:
        return [str(GABARITS)]

    @default("exclude_input")
    def _default_exclude_input(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _default_exclude_input_prompt(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _default_exclude_output_prompt(self) -> bool:
        return True

    @default("exclude_anchor_links")
    def _default_exclude_anchor_links(self) -> bool:
        return True

    @default("embed_images")
    def _default_embed_images(self) -> bool:
        return True

    @default("preprocessors")
    def _default_preprocessors(self) -> list[Any]:
        return [PreparationSynthese]

    def _annee(self, nb: NotebookNode) -> int:
        if self.annee is not None:
            return int(self.annee)
        parametres = nb.get("metadata", {}).get("papermill", {}).get("parameters", {})
        for cle in ("annee", "year"):
            if isinstance(parametres.get(cle), int):
                return int(parametres[cle])
        return int(configuration_rapport().get("annee_defaut", 2022))

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Exporte le carnet (assemblé) en un document HTML autonome.

        Parameters
        ----------
        nb : NotebookNode
            Carnet exécuté (ou carnets concaténés par :func:`~synthese_ihu.rendu.assembler`).
        resources : dict, optional
            Ressources nbconvert.
        **kw
            Transmis à nbconvert.

        Returns
        -------
        tuple
            Le HTML et les ressources (``resources["synthese"]`` : sommaire, figures…).
        """
        config = configuration_rapport()
        annee = self._annee(nb)
        resources = dict(resources or {})
        resources["synthese"] = {
            "annee": annee,
            "interne": bool(self.interne),
            "titre": self.titre or config.get("titre", ""),
            "sous_titre": self.sous_titre or config.get("sous_titre", ""),
            "periode": f"{ANNEE_DEBUT_ACTION}\u2013{annee}",
            "organisme": config.get("organisme", ""),
            "edition": date_edition(annee, config.get("dates_edition", {})),
            "pdf_href": self.pdf_href,
            "paquet_href": self.paquet_href,
            "donnees_dossier": self.donnees_dossier,
            "donnees_href": self.donnees_href,
            "colophon": self.colophon,
        }
        # HTMLExporter.from_notebook_node repasse le document dans BeautifulSoup, qui trie les
        # attributs et met en minuscules ceux du SVG (viewBox) : on l'évite en appelant
        # directement TemplateExporter, après avoir enregistré les mêmes filtres.
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", Highlight2HTML(parent=self))
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            ),
        )
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        # Typographie française, une seule fois, sur tout le texte que le lecteur voit.
        return corriger_html(html), resources


class SyntheseWebPDFExporter(SyntheseHTMLExporter):
    """Exportateur PDF A4 de la synthèse : le HTML de :class:`SyntheseHTMLExporter` imprimé
    par WeasyPrint (couverture, sommaire paginé, titre courant, « page N / M »).

    Le PDF est reproductible octet pour octet (voir :func:`html_vers_pdf`).
    """

    export_from_notebook = "Synthèse IHU – PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _default_file_extension(self) -> str:
        return ".pdf"

    @default("template_file")
    def _default_template_file(self) -> str:
        return "index.html.j2"

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        """Exporte le carnet en PDF.

        Parameters
        ----------
        nb : NotebookNode
            Carnet exécuté ou assemblé.
        resources : dict, optional
            Ressources nbconvert ; ``resources["metadata"]["path"]`` sert de base aux chemins
            relatifs.
        **kw
            Transmis à nbconvert.

        Returns
        -------
        tuple
            Le PDF (octets) et les ressources.
        """
        html, resources = super().from_notebook_node(nb, resources, **kw)
        base = resources.get("metadata", {}).get("path") or None
        pdf = html_vers_pdf(html, base_url=base)
        resources["output_extension"] = ".pdf"
        return pdf, resources
