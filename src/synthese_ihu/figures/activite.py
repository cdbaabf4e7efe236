"""Figures annuelles d'attractivité, de formation, de valorisation et de soin."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure as FigureMpl
from matplotlib.patches import Patch

from synthese_ihu import constats, indicateurs, statuts
from synthese_ihu.figures import style, traces
from synthese_ihu.figures.base import PREMIERE_ANNEE, Contexte, Figure, tiret
from synthese_ihu.figures.colonnes import ANNEE, CUMUL, IHU_SUIVIS, LIBELLE, SERIE, Colonne
from synthese_ihu.figures.commun import serie_avec_suivis, suivis_par_annee
from synthese_ihu.figures.rendu import nouvelle_figure
from synthese_ihu.figures.textes import forme_serie, nombre

NOTE_SUIVIS = "Les pointillés marquent un changement du nombre d'IHU suivis."


def _serie(indicateur: str, colonne: str):
    def donnees(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
        return serie_avec_suivis(donnees, ctx.annee, indicateur, colonne)

    donnees.__doc__ = f"Somme de ``{indicateur}`` sur les IHU suivis, par année (D..N)."
    return donnees


def _barres(colonne: str, etiquette: str):
    def tracer(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
        return traces.barres_annuelles(cadre, colonne, etiquette)

    tracer.__doc__ = "Une barre par année, nombre d'IHU suivis marqué."
    return tracer


def _alt(colonne: str, quoi: str):
    def alt(cadre: pd.DataFrame, ctx: Contexte) -> str:
        serie = cadre.set_index("annee")[colonne]
        de = "d'" if quoi[0] in "aeéèiouy" else "de "
        return (f"Barres du nombre {de}{quoi} par année, {serie.index.min()}–{ctx.annee} : "
                f"{forme_serie(serie)}.")

    alt.__doc__ = "Forme de la série et valeur de l'année."
    return alt


def note_suivis(cadre: pd.DataFrame) -> str:
    """La note des pointillés, seulement si le nombre d'IHU suivis change sur la figure."""
    return NOTE_SUIVIS if cadre["ihu_suivis"].nunique() > 1 else ""


def _legende(texte_legende: str):
    def legende(cadre: pd.DataFrame, ctx: Contexte) -> str:
        return f"{texte_legende} {note_suivis(cadre)}".strip()

    return legende


# --- start-up et recommandations : annuel et cumul --------------------------------------------
def donnees_startups(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Start-up créées par année (D..N) et cumul depuis D (liste la plus récente de chaque IHU).

    Source : :func:`synthese_ihu.indicateurs.startups_par_annee`.
    """
    compte = indicateurs.startups_par_annee(donnees, ctx.annee).astype("int64")
    if compte.sum() == 0:
        return pd.DataFrame(columns=["annee", "creees", "cumul", "ihu_suivis"])
    suivis = suivis_par_annee(donnees, PREMIERE_ANNEE, ctx.annee).reindex(compte.index)
    return pd.DataFrame({"annee": compte.index.astype("int64"), "creees": compte.to_numpy(),
                         "cumul": compte.cumsum().to_numpy(),
                         "ihu_suivis": suivis.to_numpy("int64")})


def tracer_startups(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres des créations, courbe du cumul (panneau du haut)."""
    return traces.barres_et_cumul(cadre, "creees", "cumul", "Start-up créées dans l'année",
                                  f"Cumul depuis {PREMIERE_ANNEE}")


def alt_startups(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Créations de l'année, cumul."""
    derniere = cadre.set_index("annee").loc[ctx.annee]
    creees = int(derniere["creees"])
    annee = {0: f"aucune créée en {ctx.annee}", 1: f"une créée en {ctx.annee}"}.get(
        creees, f"{nombre(creees)} créées en {ctx.annee}")
    return (
        "Barres des start-up créées chaque année et courbe de leur cumul : "
        f"{annee}, {nombre(derniere['cumul'])} depuis {int(cadre['annee'].min())} ; au plus "
        f"{nombre(cadre['creees'].max())} en une année."
    )


def legende_startups(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Source de la liste."""
    ajouts = cadre["ihu_suivis"].diff().fillna(0)
    nouveaux = "".join(
        f" ; {'un IHU supplémentaire' if n == 1 else f'{int(n)} IHU supplémentaires'} à partir "
        f"de {int(a)}, sans antériorité"
        for a, n in zip(cadre["annee"], ajouts, strict=True)
        if n > 0
    )
    return (
        "Start-up issues des travaux de recherche des IHU, d'après la liste la plus récente "
        f"déclarée par chaque IHU{nouveaux}."
    )


def donnees_recommandations(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Recommandations déclarées par année (D..N) et cumul depuis D."""
    serie = indicateurs.indicateur_serie(donnees, "recommandations", ctx.annee)
    if serie.sum() == 0:
        return pd.DataFrame(columns=["annee", "recommandations", "cumul"])
    return pd.DataFrame({"annee": serie.index.astype("int64"),
                         "recommandations": serie.to_numpy("int64"),
                         "cumul": serie.cumsum().to_numpy("int64")})


def tracer_recommandations(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres annuelles, courbe du cumul (panneau du haut)."""
    return traces.barres_et_cumul(cadre, "recommandations", "cumul",
                                  "Recommandations de l'année", f"Cumul depuis {PREMIERE_ANNEE}")


def alt_recommandations(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Cumul et forme."""
    serie = cadre.set_index("annee")["recommandations"]
    return (
        "Barres des recommandations déclarées chaque année et courbe de leur cumul : "
        f"{nombre(cadre['cumul'].iloc[-1])} depuis {int(cadre['annee'].min())}, dont "
        f"{nombre(serie.loc[ctx.annee])} en {ctx.annee}."
    )


def legende_recommandations(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Ce qu'est une recommandation."""
    return (
        "Recommandations de prévention ou de prise en charge s'appuyant sur des travaux de "
        "l'IHU, de portée locale, nationale ou internationale."
    )


# --- essais cliniques : IHU et France ---------------------------------------------------------
SERIES_ESSAIS = {"IHU": "Essais en cours dans les IHU", "France": "Essais en cours en France"}
#: Hachure des points estimés (une entrée de légende l'explique).
HACHURE_ESTIME = "////"


def donnees_essais(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Essais cliniques en cours par année : Σ des IHU suivis et France (ClinicalTrials.gov),
    avec le statut de chaque point (France : colonne ``statut`` du fichier de contexte)."""
    ihu = indicateurs.indicateur_serie(donnees, "essais_cliniques", ctx.annee)
    if ihu.sum() == 0:
        return pd.DataFrame(columns=["annee", "serie", "libelle", "essais", "statut"])
    fr = donnees.essais_france
    fr = fr.loc[fr["annee"].astype("int64").between(PREMIERE_ANNEE, ctx.annee)]
    blocs = [
        pd.DataFrame({"annee": ihu.index.astype("int64"), "serie": "IHU",
                      "essais": ihu.to_numpy("int64"),
                      "statut": statuts.statut_jeu(getattr(donnees, "metadonnees", None))}),
        pd.DataFrame({"annee": fr["annee"].astype("int64").to_numpy(), "serie": "France",
                      "essais": fr["essais_en_cours"].astype("int64").to_numpy(),
                      "statut": fr["statut"].astype(str).to_numpy()}),
    ]
    cadre = pd.concat(blocs, ignore_index=True)
    cadre.insert(2, "libelle", cadre["serie"].map(SERIES_ESSAIS))
    cadre["essais"] = cadre["essais"].astype("int64")
    return cadre.sort_values(["serie", "annee"], ascending=[False, True],
                             kind="mergesort").reset_index(drop=True)


def tracer_essais(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Deux panneaux superposés, même axe des années, échelles propres ; points estimés
    hachurés, avec une entrée de légende."""
    fig = nouvelle_figure(style.TAILLE_HAUTE)
    axes = fig.subplots(2, 1, sharex=True)
    fig.get_layout_engine().set(hspace=0.1)  # « 0 » du haut loin de la graduation d'en bas
    annees = sorted(int(a) for a in cadre["annee"].unique())
    for ax, (cle, libelle) in zip(axes, SERIES_ESSAIS.items(), strict=True):
        lignes = cadre.loc[cadre["serie"] == cle].set_index("annee")
        sous = lignes["essais"].reindex(annees)
        estime = (lignes["statut"].reindex(annees) == statuts.ESTIME).to_numpy()
        positions = np.arange(len(annees))
        couleur = style.COULEURS_SERIES[cle]
        barres = ax.bar(positions, sous.astype(float).to_numpy(), width=0.7, color=couleur)
        for barre, hachure in zip(barres, estime, strict=True):
            if hachure:
                barre.set_facecolor("white")
                barre.set_edgecolor(couleur)
                barre.set_hatch(HACHURE_ESTIME)
        if estime.any():
            ax.legend(handles=[Patch(facecolor=couleur, label="Valeur publiée"),
                               Patch(facecolor="white", edgecolor=couleur, hatch=HACHURE_ESTIME,
                                     label="Estimation")],
                      loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False,
                      fontsize=7, borderaxespad=0.2)
        traces.etiqueter_barres(ax, positions, sous.astype(float).to_numpy())
        ax.margins(y=0.16)
        ax.set_ylim(bottom=0)
        ax.set_title(libelle, loc="left", fontsize=8.5, color=style.ENCRE)
        style.axe_valeurs(ax, "Essais", entier=True)
        style.axe_annees(ax, annees)
    return fig


def alt_essais(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Valeurs de l'année, forme des deux séries."""
    ihu = cadre.loc[cadre["serie"] == "IHU"].set_index("annee")["essais"]
    fr = cadre.loc[cadre["serie"] == "France"].set_index("annee")["essais"]
    texte_fr = (
        f" ; en France, {nombre(fr.loc[ctx.annee])} essais en cours en {ctx.annee}"
        if ctx.annee in fr.index else ""
    )
    part = (f", soit {nombre(100 * ihu.loc[ctx.annee] / fr.loc[ctx.annee], 1)} % des essais "
            "français" if ctx.annee in fr.index and fr.loc[ctx.annee] > 0 else "")
    hausse_fr = ""
    depuis = constats.debut_baisse(ihu, ctx.annee)
    if depuis is not None and constats.hausse_chaque_annee(fr, depuis, ctx.annee):
        hausse_fr = f", en hausse chaque année depuis {depuis}"
    annee, *forme = forme_serie(ihu).split(" ; ")
    return (
        "Deux diagrammes en barres superposés, essais cliniques en cours par année dans les IHU "
        f"(en haut) et en France (en bas) : dans les IHU, {annee}{part}"
        f"{''.join(' ; ' + m for m in forme)}{texte_fr}{hausse_fr}."
    )


def legende_essais(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Sources, échelles et années estimées (lues dans la colonne ``statut``)."""
    estimees = statuts.annees_estimees(cadre.loc[cadre["serie"] == "France"])
    note = (f" ; estimations hachurées : {_annees(estimees)}" if estimees else "")
    return (
        "En haut : essais cliniques observationnels et thérapeutiques en cours déclarés par les "
        f"IHU ; en bas : essais en cours en France (ClinicalTrials.gov{note}). Échelles "
        "différentes."
    )


def _annees(annees: list[int]) -> str:
    """Années groupées en plages : ``2012–2019, 2021``."""
    plages: list[list[int]] = []
    for a in annees:
        if plages and a == plages[-1][-1] + 1:
            plages[-1].append(a)
        else:
            plages.append([a])
    return ", ".join(tiret(p[0], p[-1]) for p in plages)


def _compte(nom: str, titre: str, description: str) -> Colonne:
    return Colonne(nom=nom, titre=titre, description=description, unite="nombre")


CREEES = _compte("creees", "Créées dans l'année", "Nombre créé dans l'année.")

FIGURES = [
    Figure(id="chercheurs_etrangers_annee", section="attractivite",
           titre="Chercheurs étrangers accueillis dans les IHU, par année, {d}",
           legende=_legende("Chercheurs et enseignants-chercheurs étrangers accueillis au moins "
                            "trois mois (ou 25 % de leur temps) dans l'année."),
           alt=_alt("chercheurs", "chercheurs étrangers accueillis"),
           donnees=_serie("chercheurs_etrangers", "chercheurs"),
           tracer=_barres("chercheurs", "Chercheurs étrangers accueillis"),
           colonnes=(ANNEE, _compte("chercheurs", "Chercheurs étrangers",
                                    "Chercheurs étrangers accueillis au moins 3 mois."),
                     IHU_SUIVIS),
           absente="aucune donnée d'accueil déclarée"),
    Figure(id="etudiants_double_cursus_annee", section="formation",
           titre="Étudiants en double cursus inscrits, par année, {d}",
           legende=_legende("Étudiants inscrits dans l'année en double cursus (MD-PhD, MD-MBA, "
                            "PhD-MBA ou autre)."),
           alt=_alt("etudiants", "étudiants en double cursus"),
           donnees=_serie("etudiants_double_cursus", "etudiants"),
           tracer=_barres("etudiants", "Étudiants en double cursus"),
           colonnes=(ANNEE, _compte("etudiants", "Étudiants",
                                    "Étudiants inscrits en double cursus."), IHU_SUIVIS),
           absente="aucun étudiant déclaré"),
    Figure(id="brevets_annee", section="valorisation",
           titre="Brevets déposés par les IHU, par année, {d}",
           legende=_legende("Nouveaux brevets, enveloppes Soleau ou dépôts APP de l'année, issus "
                            "des travaux de l'IHU (au moins un inventeur participant)."),
           alt=_alt("brevets", "brevets déposés"),
           donnees=_serie("brevets_deposes", "brevets"),
           tracer=_barres("brevets", "Brevets déposés"),
           colonnes=(ANNEE, _compte("brevets", "Brevets déposés", "Brevets déposés dans l'année."),
                     IHU_SUIVIS),
           absente="aucun brevet déclaré"),
    Figure(id="brevets_actifs_annee", section="valorisation",
           titre="Brevets actifs déclarés par les IHU, par année, {d}",
           legende=_legende("Brevets issus des travaux de l'IHU encore actifs en fin d'année."),
           alt=_alt("brevets_actifs", "brevets actifs"),
           donnees=_serie("brevets_actifs", "brevets_actifs"),
           tracer=_barres("brevets_actifs", "Brevets actifs"),
           colonnes=(ANNEE, _compte("brevets_actifs", "Brevets actifs",
                                    "Brevets actifs à la fin de l'année."), IHU_SUIVIS),
           absente="aucun brevet actif déclaré"),
    Figure(id="startups_annee", section="valorisation",
           titre="Start-up créées par année et cumul, {d}",
           legende=legende_startups, alt=alt_startups, donnees=donnees_startups,
           tracer=tracer_startups,
           colonnes=(ANNEE, CREEES, CUMUL, IHU_SUIVIS),
           absente="aucune start-up déclarée"),
    Figure(id="recommandations_annee", section="soin",
           titre="Recommandations de prévention ou de prise en charge, par année et cumul, {d}",
           legende=legende_recommandations, alt=alt_recommandations,
           donnees=donnees_recommandations, tracer=tracer_recommandations,
           colonnes=(ANNEE, _compte("recommandations", "Recommandations",
                                    "Recommandations émises dans l'année."), CUMUL),
           absente="aucune recommandation déclarée"),
    Figure(id="essais_cliniques_annee", section="soin",
           titre="Essais cliniques en cours dans les IHU et en France, par année, {d}",
           legende=legende_essais, alt=alt_essais, donnees=donnees_essais, tracer=tracer_essais,
           colonnes=(ANNEE, SERIE, LIBELLE,
                     _compte("essais", "Essais en cours", "Essais cliniques en cours.")),
           contexte=("essais_france",), absente="aucun essai clinique déclaré"),
]
