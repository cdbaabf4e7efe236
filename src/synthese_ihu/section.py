"""Ce qu'un carnet de section appelle : données de l'année, valeurs citées, figures, tableaux.

Un carnet commence par ::

    from synthese_ihu.section import ouvrir

    s = ouvrir("suivi_financier", annee, interne=interne)
    v = s.valeurs

(``annee`` et ``interne`` viennent de la cellule ``parameters``, injectés à la construction) puis
alterne récits (``%%recit``), figures (``s.figure("…")``), tableaux et textes venus des données
(``s.faits_marquants()``, échappés).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from synthese_ihu import chemins, mecanismes
from synthese_ihu import indicateurs as ind
from synthese_ihu.donnees import Donnees, charger
from synthese_ihu.valeurs import Valeurs

#: Intitulés des indicateurs de soin propres à certains IHU (codes des classeurs de campagne).
INTITULES_SOINS_SPECIFIQUES = {
    "patients_extraregionaux": "Part des patients venus d'une autre région pris en charge",
    "couples_patient_medecin_traitant": (
        "Couples patient-médecin traitant suivis ou bénéficiant de référentiels de l'IHU "
        "hors hospitalisation"
    ),
    "patients_cohorte": "Patients inclus dans une cohorte de l'IHU",
    "cout_prise_en_charge_patient": "Coût de prise en charge d'un patient dans le service",
    "duree_moyenne_sejour_sans_rehospitalisation": (
        "Durée moyenne de séjour sans ré-hospitalisation"
    ),
    "taux_mortalite": "Taux de mortalité dans le pôle IHU",
    "taux_occupation_blocs": "Taux d'occupation des salles d'opération de l'IHU",
}


def _empreinte(racine: Path) -> tuple:
    """Noms, tailles et dates des fichiers de données : change dès qu'un fichier change."""
    return tuple(
        (str(p.relative_to(racine)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(racine.rglob("*"))
        if p.is_file()
    )


@functools.lru_cache(maxsize=2)
def _charger_en_cache(racine: str, empreinte: tuple) -> Donnees:
    return charger(Path(racine))


def donnees_chargees(racine: Path | None = None) -> Donnees:
    """Toutes les données, chargées une fois par processus (tant que les fichiers ne changent pas).

    Un noyau réutilisé pour plusieurs carnets ne relit donc pas ``data/raw`` à chaque section.
    """
    racine = Path(racine or chemins.DONNEES_BRUTES).resolve()
    if not mecanismes.actif("donnees_en_memoire"):
        return charger(racine)
    return _charger_en_cache(str(racine), _empreinte(racine))


def _cle_alphabetique(texte: object) -> str:
    """Clé de tri à la française : sans accents ni casse (« re-Connect » parmi les R)."""
    import unicodedata

    decompose = unicodedata.normalize("NFKD", str(texte))
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()


def _afficher_html(html: str) -> None:
    from IPython.display import HTML, display

    display(HTML(html))


def _tableau_html(tableau: pd.DataFrame, legende: str) -> str:
    corps = tableau.to_html(index=False, escape=True, border=0, classes="tableau", na_rep="")
    return corps.replace(
        '<table class="dataframe tableau">',
        f'<table class="tableau"><caption>{_echapper(legende)}</caption>',
        1,
    )


def _echapper(texte: str) -> str:
    import html

    return html.escape(texte, quote=True)


#: Début de ligne qui ferait d'un paragraphe une liste ou un trait (« - », « + », « = », « 1. »).
_DEBUT_DE_BLOC = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def _texte_libre(texte: object) -> str:
    """Un texte des données en un seul paragraphe Markdown qui s'affiche tel quel.

    Espaces et retours à la ligne réduits à une espace, puis :func:`synthese_ihu.recit.echapper`
    (balises, ``*``, ``_``, ``#``, ``{``…) ; un début de liste ou de trait est échappé aussi.
    """
    from synthese_ihu.recit import echapper

    texte = echapper(" ".join(str(texte).split()))
    return _DEBUT_DE_BLOC.sub(
        lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", texte, count=1
    )


@dataclass
class Section:
    """Une section du rapport pour une année cible.

    Attributes
    ----------
    id : str
        Identifiant de la section (``synthese.toml``).
    annee : int
        Année cible.
    donnees : Donnees
        Vue des données pour ``annee`` (:meth:`Donnees.pour_annee`).
    valeurs : Valeurs
        Les valeurs et faits que le récit de la section peut citer (jamais des phrases).
    complet : Donnees
        Toutes les données chargées, toutes campagnes (réactualisations).
    interne : bool
        Variante interne (pilotage de l'agence, « Diffusion restreinte ») : les figures par IHU
        montrent les IHU. Jamais vrai pour le rapport public.
    """

    id: str
    annee: int
    donnees: Donnees
    valeurs: Valeurs
    complet: Donnees
    interne: bool = False

    def figure(self, identifiant: str) -> None:
        """Affiche une figure du rapport (SVG, légende, texte alternatif).

        Dans la variante interne, les figures par IHU nomment les IHU (codes en graduations).
        """
        from synthese_ihu.figures import html_figure

        _afficher_html(html_figure(identifiant, self.donnees, self.annee, interne=self.interne))

    def tableau_ihu(self) -> None:
        """Les IHU suivis et ceux déjà retenus : nom, thème, ville, appel (sans valeur par IHU)."""
        ref = self.complet.ihu
        connus = ind.ihu_de_l_edition(ref, self.annee)
        tableau = connus.assign(_cle=connus["nom"].map(_cle_alphabetique)).sort_values(
            ["appel", "_cle"]
        )[["nom", "theme", "ville", "appel"]]
        tableau.columns = ["IHU", "Thème", "Ville", "Appel"]
        _afficher_html(_tableau_html(tableau, "Les IHU, leur ville et leur appel à projets"))

    def tableau_categories_wos(self) -> None:
        """Les catégories du Web of Science retenues pour chaque IHU suivi."""
        cat = self.donnees.categories_wos
        noms = self.donnees.ihu.set_index("ihu")["nom"]
        suivis = cat.loc[cat["ihu"].isin(self._ihu_suivis())]
        tableau = (
            suivis.assign(IHU=suivis["ihu"].map(noms))
            .groupby("IHU", sort=True)["categorie_wos"]
            .agg(" ; ".join)
            .reset_index()
            .rename(columns={"categorie_wos": "Catégories du Web of Science"})
        )
        _afficher_html(_tableau_html(tableau, "Domaines de recherche de chaque IHU"))

    def liste_soins_specifiques(self) -> None:
        """Les intitulés des indicateurs de soin propres à certains IHU (sans valeur ni nom)."""
        from IPython.display import Markdown, display

        from synthese_ihu.recit import echapper

        codes = sorted(set(self.donnees.soins_specifiques["indicateur"].dropna().astype(str)))
        if not codes:
            display(Markdown("Aucun indicateur propre n'est déclaré pour cette année."))
            return
        intitules = [INTITULES_SOINS_SPECIFIQUES.get(c, c.replace("_", " ")) for c in codes]
        display(Markdown("\n".join(f"- {echapper(i)}" for i in intitules)))

    def faits_marquants(self, ordre: int | None = None) -> None:
        """Affiche les faits marquants de l'édition : titres, paragraphes et tableaux.

        Les paragraphes viennent de ``faits_marquants/faits_marquants.csv`` (lignes dont
        ``edition`` est l'année cible, rangées par ``ordre``) : un titre ``###`` quand la ligne
        en porte un, puis le texte. Titre et texte sont du texte libre des données : échappés
        (:func:`synthese_ihu.recit.echapper`), ils ne deviennent jamais du Markdown ni du HTML, et
        aucune référence ``{…}`` n'y est remplie. Quand la colonne ``tableau`` d'une ligne est
        renseignée, le tableau de référence nommé (``schemas.TABLEAUX_REFERENCE``) suit le
        paragraphe.

        Parameters
        ----------
        ordre : int, optional
            N'affiche que le paragraphe de ce rang (et son tableau) ; rien si l'édition n'en a
            pas. Par défaut, tous les paragraphes de l'édition.
        """
        from IPython.display import Markdown, display

        paragraphes = self.donnees.faits_marquants
        paragraphes = paragraphes.loc[paragraphes["edition"] == self.annee]
        if ordre is not None:
            paragraphes = paragraphes.loc[paragraphes["ordre"] == ordre]
        morceaux: list[str] = []
        for ligne in paragraphes.sort_values("ordre", kind="stable").itertuples(index=False):
            if pd.notna(ligne.titre) and str(ligne.titre).strip():
                morceaux.append(f"### {_texte_libre(ligne.titre)}")
            morceaux.append(_texte_libre(ligne.texte))
            if pd.notna(ligne.tableau):
                display(Markdown("\n\n".join(morceaux)))
                morceaux = []
                _afficher_html(self._html_tableau_reference(str(ligne.tableau)))
        if morceaux:
            display(Markdown("\n\n".join(morceaux)))

    def _html_tableau_reference(self, ident: str) -> str:
        """Tableau de référence ``ident`` (``schemas.TABLEAUX_REFERENCE``) en HTML, légendé."""
        from synthese_ihu.donnees.schemas import TABLEAUX_REFERENCE

        ref = TABLEAUX_REFERENCE[ident]
        tableau = self.complet.tableaux[ident][[c for c, _ in ref.colonnes]]
        if ref.tri:
            tableau = tableau.sort_values(list(ref.tri))
        tableau.columns = [titre for _, titre in ref.colonnes]
        legende = ref.legende.format(annee_selection=self.valeurs.annee_selection_suivante,
                                     appel=self.valeurs.appel_selection_suivante)
        return _tableau_html(tableau, legende)

    def tableau_revisions(self) -> None:
        """Chiffres clés de l'édition précédente révisés par celle-ci (annexe, sans nom d'IHU)."""
        from synthese_ihu.revisions_faits import comparaison_de, tableau_public

        comparaison = comparaison_de(self.complet, self.annee)
        if comparaison.precedente is None or comparaison.revises.empty:
            return
        legende = (f"Valeurs de l'édition {comparaison.precedente} révisées par "
                   f"l'édition {self.annee}")
        _afficher_html(_tableau_html(tableau_public(comparaison), legende))

    def _ihu_suivis(self) -> list[str]:
        ref = self.donnees.ihu
        return list(ref.loc[(ref["premiere_annee_indicateurs"] <= self.annee).fillna(False), "ihu"])


def ouvrir(section: str, annee: int, interne: bool = False) -> Section:
    """Prépare une section pour l'année ``annee`` : données, valeurs, magie ``%%recit``, style.

    Parameters
    ----------
    section : str
        Identifiant de la section (``synthese.toml``).
    annee : int
        Année cible (injectée par Papermill à la construction).
    interne : bool, default False
        Variante interne (injectée par Papermill avec ``--interne``) : figures nominatives.

    Returns
    -------
    Section
    """
    from synthese_ihu import recit

    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # hors d'IPython : pas de magie à enregistrer
        shell = None
    if shell is not None:
        recit.load_ipython_extension(shell)
    complet = donnees_chargees()
    vue = complet.pour_annee(annee)
    if not isinstance(interne, bool):
        raise TypeError(f"interne : vrai ou faux attendu, reçu {interne!r}")
    valeurs = Valeurs(vue, annee, complet)
    return Section(section, annee, vue, valeurs, complet, interne=interne)
