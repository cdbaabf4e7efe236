"""Figures des financements par effet levier : cofinancements par année, par origine, par IHU."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure as FigureMpl

from synthese_ihu import indicateurs
from synthese_ihu.figures import style, traces
from synthese_ihu.figures.anonymisation import anonymiser
from synthese_ihu.figures.base import (
    PREMIERE_ANNEE_COFINANCEMENTS,
    Contexte,
    Figure,
    Mesure,
    tiret,
)
from synthese_ihu.figures.colonnes import ANNEE, GROUPE, LIBELLE, MONTANT_MEUR, RANG, Colonne
from synthese_ihu.figures.textes import nombre, pourcentage

ORIGINES = {
    "publique_nationale": "Publique nationale",
    "privee": "Privée",
    "europe_international": "Européenne ou internationale",
}


def _annees(annee: int) -> range:
    return range(PREMIERE_ANNEE_COFINANCEMENTS, annee + 1)


# --- par année --------------------------------------------------------------------------------
def donnees_annee(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Cofinancements déclarés par année (2014..N), en M€ (au millier d'euros).

    Source : :func:`synthese_ihu.indicateurs.cofinancements_par_annee_et_origine`.
    """
    if ctx.annee < PREMIERE_ANNEE_COFINANCEMENTS:
        return pd.DataFrame(columns=["annee", "montant_meur"])
    table = indicateurs.cofinancements_par_annee_et_origine(donnees, ctx.annee)
    somme = table.sum(axis=1)
    if somme.sum() == 0:
        return pd.DataFrame(columns=["annee", "montant_meur"])
    return pd.DataFrame({"annee": somme.index.astype("int64"),
                         "montant_meur": (somme / 1e6).round(3).to_numpy()})


def tracer_annee(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Une barre par année, montant écrit au-dessus."""
    fig = traces.barres_annuelles(cadre, "montant_meur", "Cofinancements déclarés (M€)",
                                  decimales=1)
    return fig


def alt_annee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Total et année."""
    serie = cadre.set_index("annee")["montant_meur"]
    return (
        f"Barres des cofinancements déclarés par année, {tiret(int(serie.index.min()), ctx.annee)}"
        f", en M€ : {nombre(serie.sum(), 1)} M€ au total, dont {nombre(serie.loc[ctx.annee], 1)} "
        f"M€ en {ctx.annee}."
    )


def legende_annee(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Définition."""
    return (
        "Sommes reçues de sources extérieures aux établissements partenaires, en plus de la "
        "dotation ; les apports des fondateurs ne sont pas comptés. Montants déclarés, sans "
        "doute sous-estimés (certains IHU ne déclarent rien certaines années)."
    )


# --- effet levier par IHU ---------------------------------------------------------------------
def donnees_levier(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Effet levier (%) par IHU : cofinancements 2014..fin / aide versée jusqu'à fin (anonymisé,
    tri décroissant), et pour l'ensemble (``rang`` vide).

    Sources : :func:`synthese_ihu.indicateurs.effet_levier_par_ihu` et
    :func:`synthese_ihu.indicateurs.effet_levier`.
    """
    vide = pd.DataFrame(columns=["rang", "groupe", "effet_levier_pct"])
    if ctx.annee < PREMIERE_ANNEE_COFINANCEMENTS:
        return vide
    par_ihu = indicateurs.effet_levier_par_ihu(donnees, ctx.annee)
    ensemble = indicateurs.effet_levier(donnees, ctx.annee)
    if par_ihu is None or ensemble is None or indicateurs.cofinancements_cumul(
            donnees, ctx.annee) == 0:
        return vide
    par_ihu = par_ihu.dropna()
    par_ihu.index = par_ihu.index.astype(str)
    levier = (100 * par_ihu).round(2)
    cadre = pd.DataFrame({"ihu": levier.index, "groupe": "IHU",
                          "effet_levier_pct": levier.to_numpy()})
    cadre = anonymiser(cadre, levier, "effet_levier_ihu", croissant=False, interne=interne)
    cadre["rang"] = cadre["rang"].astype("Int64")
    total = pd.DataFrame({"rang": pd.array([pd.NA], dtype="Int64"),
                          "groupe": ["Ensemble des IHU"],
                          "effet_levier_pct": [round(100 * ensemble, 2)]})
    return pd.concat([cadre, total], ignore_index=True)


def tracer_levier(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Une barre par IHU, trait pointillé pour l'ensemble."""
    return traces.barres_ihu_et_ensemble(
        cadre, "effet_levier_pct", 0, "Ensemble des IHU : {ensemble}\u00a0%",
        "Cofinancements / aide versée",
    )


def alt_levier(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Effet levier global et étendue."""
    ihu = cadre.loc[cadre["groupe"] == "IHU", "effet_levier_pct"]
    ensemble = float(cadre.loc[cadre["groupe"] != "IHU", "effet_levier_pct"].iloc[0])
    return (
        "Barres, par IHU anonyme, des cofinancements déclarés rapportés à l'aide versée : "
        f"{nombre(ensemble)} % pour l'ensemble, de {nombre(ihu.min())} % à "
        f"{nombre(ihu.max())} % selon l'IHU."
    )


def legende_levier(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Définition et anonymisation (cadre de l'effet levier : versements connus)."""
    fin = ctx.fin_versements or ctx.annee
    return (
        f"Cofinancements déclarés sur {tiret(PREMIERE_ANNEE_COFINANCEMENTS, fin)} par les IHU qui "
        f"ont reçu l'aide, rapportés à l'aide versée par l'ANR jusqu'en {fin}. IHU anonymes, "
        "triés par effet levier décroissant : ordre propre à cette figure ; pointillés : "
        "ensemble des IHU."
    )


# --- par origine ------------------------------------------------------------------------------
def donnees_origine(donnees: Any, ctx: Contexte, interne: bool = False) -> pd.DataFrame:
    """Cofinancements par année (2014..N) et origine, en M€ (au millier d'euros).

    Source : :func:`synthese_ihu.indicateurs.cofinancements_par_annee_et_origine`.
    """
    colonnes = ["annee", "origine", "libelle", "montant_meur"]
    if ctx.annee < PREMIERE_ANNEE_COFINANCEMENTS:
        return pd.DataFrame(columns=colonnes)
    table = indicateurs.cofinancements_par_annee_et_origine(donnees, ctx.annee)
    if table.to_numpy().sum() == 0:
        return pd.DataFrame(columns=colonnes)
    table.columns = [str(c) for c in table.columns]
    longue = (table.reindex(columns=list(ORIGINES), fill_value=0.0) / 1e6).round(3)
    longue = longue.stack().rename("montant_meur").reset_index()
    longue.columns = ["annee", "origine", "montant_meur"]
    longue["annee"] = longue["annee"].astype("int64")
    longue.insert(2, "libelle", longue["origine"].map(ORIGINES))
    return longue[colonnes]


def tracer_origine(cadre: pd.DataFrame, ctx: Contexte) -> FigureMpl:
    """Barres empilées par origine."""
    return traces.barres_empilees_annuelles(
        cadre, "origine", "montant_meur", style.COULEURS_ORIGINES, ORIGINES,
        "Cofinancements déclarés (M€)",
    )


def alt_origine(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Parts de chaque origine sur la période."""
    parts = cadre.groupby("origine")["montant_meur"].sum()
    parts = parts / parts.sum()
    detail = ", ".join(f"{ORIGINES[o].lower()} {pourcentage(parts[o])}" for o in ORIGINES)
    return (
        "Barres empilées des cofinancements déclarés par année et par origine, en M€ ; sur "
        f"{tiret(int(cadre['annee'].min()), ctx.annee)} : {detail}."
    )


def legende_origine(cadre: pd.DataFrame, ctx: Contexte) -> str:
    """Origines."""
    return (
        "Publique nationale : régions, collectivités, agences nationales de financement ; "
        "privée : contrats avec des entreprises, fondations, associations, mécénat."
    )


ABSENTE = ("les cofinancements sont déclarés à partir de la campagne "
           f"{PREMIERE_ANNEE_COFINANCEMENTS}")

EFFET_LEVIER_PCT = Colonne(
    nom="effet_levier_pct", titre="Effet levier (%)",
    description="Cofinancements déclarés rapportés à l'aide versée, en pourcentage.", unite="%")
ORIGINE = Colonne(
    nom="origine", titre="Origine",
    description="Origine des cofinancements : publique_nationale, privee, europe_international.")

FIGURES = [
    Figure(id="cofinancements_annee", section="effet_levier",
           titre="Cofinancements déclarés par année, {c} (M€)",
           legende=legende_annee, alt=alt_annee, donnees=donnees_annee, tracer=tracer_annee,
           colonnes=(ANNEE, MONTANT_MEUR), absente=ABSENTE),
    Figure(id="effet_levier_ihu", section="effet_levier",
           titre="Effet levier par IHU : cofinancements {l} rapportés à l'aide versée",
           legende=legende_levier, alt=alt_levier, donnees=donnees_levier, tracer=tracer_levier,
           colonnes=(RANG, GROUPE, EFFET_LEVIER_PCT), par_ihu=True, decimales=0,
           absente=ABSENTE,
           mesures=(Mesure(colonne="effet_levier_pct", lignes={"groupe": "IHU"}, echelle="log",
                           propres={"log_cofinancements": 1, "log_aide_versee": -1}),)),
    Figure(id="cofinancements_origine_annee", section="effet_levier",
           titre="Cofinancements déclarés par origine et par année, {c} (M€)",
           legende=legende_origine, alt=alt_origine, donnees=donnees_origine,
           tracer=tracer_origine, colonnes=(ANNEE, ORIGINE, LIBELLE, MONTANT_MEUR),
           absente=ABSENTE),
]
