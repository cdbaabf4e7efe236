"""Une série publiée par IHU anonyme ne doit pas pouvoir être rapprochée d'une liste nominative.

Le rapport nomme les catégories du Web of Science de chaque IHU : avec les outils
bibliométriques publics, un lecteur recalcule pour chaque IHU **nommé** les références France et
monde (croissance des articles entre les deux périodes, part des articles les plus cités,
production française). Si une figure par IHU publiait ces références par rang, il suffirait de
comparer les deux listes pour étiqueter chaque barre.

Protection retenue (``figures/bibliometrie.py``, ``figures/precision.py``) : par IHU, seul
l'écart à la référence est publié, à la précision de la figure ; les références ne le sont qu'en
fourchette. Ce test calcule, depuis les données, toutes les séries « nominatives » (une valeur
par IHU nommé, recalculable de l'extérieur) et cherche, dans chaque tableau publié d'une figure par
IHU (CSV), une série (une colonne numérique pour une combinaison des colonnes de libellé) dont les
valeurs s'apparient une à une à une série nominative, à la précision publiée près (appariement
des valeurs triées, au moins trois IHU). Un tableau falsifié qui publie une référence par rang est
signalé : le contrôle peut échouer.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from synthese_ihu import figures, indicateurs
from synthese_ihu.figures import precision
from synthese_ihu.figures.commun import contexte

PAR_IHU = [i for i, f in figures.FIGURES.items() if f.par_ihu]
#: Années où les périodes comparées existent (références par IHU).
ANNEES = list(range(2014, 2023))


def series_nominatives(donnees, annee: int) -> dict[str, pd.Series]:
    """Séries par IHU nommé qu'un lecteur peut recalculer à partir des catégories WoS nommées,
    en % (comme les figures) : croissances France et monde, parts France du top 10 % et du
    top 1 % sur P2, articles France sur P1 et P2 (en milliers et en unités)."""
    ctx = contexte(annee)
    if ctx.p1 is None:
        return {}
    vue = donnees.pour_annee(annee)
    ref = vue.references_wos.astype({"ihu": str, "perimetre": str})
    series: dict[str, pd.Series] = {}
    for perimetre in ("France", "Monde"):
        r = ref.loc[ref["perimetre"] == perimetre]
        p1 = r.loc[r["annee"].between(*ctx.p1)].groupby("ihu")[
            ["articles", "articles_top10", "articles_top1"]].sum()
        p2 = r.loc[r["annee"].between(*ctx.p2)].groupby("ihu")[
            ["articles", "articles_top10", "articles_top1"]].sum()
        series[f"croissance_{perimetre}"] = 100 * (p2["articles"] / p1["articles"] - 1)
        series[f"top10_{perimetre}"] = 100 * p2["articles_top10"] / p2["articles"]
        series[f"top1_{perimetre}"] = 100 * p2["articles_top1"] / p2["articles"]
        for cle, p in (("p1", p1), ("p2", p2)):
            series[f"articles_{perimetre}_{cle}"] = p["articles"].astype(float)
    suivis = set(map(str, indicateurs.ihu_suivis(vue, annee)))
    return {nom: s.loc[s.index.isin(suivis)].dropna() for nom, s in series.items()}


def series_publiees(cadre: pd.DataFrame) -> dict[str, np.ndarray]:
    """Séries par IHU d'un tableau publié : pour chaque colonne numérique (hors ``rang``) et
    chaque combinaison des colonnes de libellé, les valeurs des lignes ayant un rang."""
    ihu = cadre.loc[cadre["rang"].notna()] if "rang" in cadre else cadre.iloc[0:0]
    numeriques = [c for c in ihu.columns
                  if c != "rang" and pd.api.types.is_numeric_dtype(ihu[c])]
    libelles = [c for c in ihu.columns if c != "rang" and c not in numeriques]
    sortie = {}
    groupes = ihu.groupby(libelles, dropna=False) if libelles else [((), ihu)]
    for cle, groupe in groupes:
        for colonne in numeriques:
            valeurs = groupe[colonne].dropna().to_numpy(dtype=float)
            if len(valeurs) >= 3:
                sortie[f"{colonne}{list(np.atleast_1d(cle))}"] = valeurs
    return sortie


def s_apparient(publiees: np.ndarray, nominatives: np.ndarray, tolerance: float) -> bool:
    """Vrai si chaque valeur publiée s'apparie à une valeur nominative distincte à
    ``tolerance`` près (même nombre de valeurs ; appariement des valeurs triées)."""
    if len(publiees) != len(nominatives) or len(publiees) < 3:
        return False
    return bool(np.all(np.abs(np.sort(publiees) - np.sort(nominatives)) <= tolerance))


def rapprochements(id_figure: str, cadre: pd.DataFrame,
                   nominatives: dict[str, pd.Series]) -> list[str]:
    """Séries du tableau publié qu'on peut rapprocher d'une série nominative."""
    decimales = precision.decimales(id_figure)
    tolerance = 0.5 * 10 ** -(decimales if decimales is not None else 6) + 1e-9
    return [f"{id_figure} : {nom_p} ≈ {nom_n}"
            for nom_p, valeurs in series_publiees(cadre).items()
            for nom_n, serie in nominatives.items()
            if s_apparient(valeurs, serie.to_numpy(dtype=float), tolerance)]


@pytest.mark.rapide
def test_s_apparient():
    assert s_apparient(np.array([10.0, 4.0, 7.0]), np.array([3.8, 10.2, 7.4]), 0.5)
    assert not s_apparient(np.array([10.0, 4.0, 7.0]), np.array([3.8, 10.2, 7.6]), 0.5)
    assert not s_apparient(np.array([1.0, 2.0]), np.array([1.0, 2.0]), 0.5)  # trop court


@pytest.mark.lent
def test_une_reference_publiee_par_rang_est_signalee(donnees):
    """Falsification : la figure publie la croissance France de chaque IHU au lieu de l'écart."""
    nominatives = series_nominatives(donnees, 2022)
    cadre = figures.donnees_figure("croissance_ihu_france_monde", donnees, 2022)
    france = nominatives["croissance_France"].round(0).to_numpy()
    falsifie = cadre.copy()
    masque = falsifie["reference"] == "France"
    falsifie.loc[masque, "ecart_points"] = np.roll(france, 2)  # ordre quelconque : le rang ment
    assert rapprochements("croissance_ihu_france_monde", falsifie, nominatives)
    # la part France du top 10 % publiée par rang, à une décimale
    top = figures.donnees_figure("top_cites_ihu_france", donnees, 2022)
    masque = top["rang"].notna() & (top["indicateur"] == "top10")
    top.loc[masque, "ecart_points"] = nominatives["top10_France"].round(1).to_numpy()
    assert rapprochements("top_cites_ihu_france", top, nominatives)


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_aucune_serie_publiee_ne_se_rapproche_d_une_liste_nominative(donnees, annee):
    nominatives = series_nominatives(donnees, annee)
    assert nominatives, "aucune série nominative : le contrôle passerait à vide"
    trouves = []
    for id_figure in PAR_IHU:
        cadre = figures.donnees_figure(id_figure, donnees, annee)
        if not cadre.empty:
            trouves += rapprochements(id_figure, cadre, nominatives)
    assert not trouves, "\n".join(trouves)


@pytest.mark.lent
@pytest.mark.parametrize("annee", ANNEES)
def test_precision_publiee_de_chaque_figure_par_ihu(donnees, annee):
    """Chaque valeur par IHU publiée a au plus les décimales de sa figure (CSV, SVG, texte
    alternatif partent du même tableau arrondi)."""
    for id_figure in PAR_IHU:
        decimales = precision.decimales(id_figure)
        assert decimales is not None, f"{id_figure} : précision non décidée"
        cadre = figures.donnees_figure(id_figure, donnees, annee)
        for colonne in cadre.columns:
            if colonne == "rang" or not pd.api.types.is_float_dtype(cadre[colonne]):
                continue
            valeurs = cadre[colonne].dropna().to_numpy(dtype=float)
            assert np.allclose(valeurs, np.round(valeurs, decimales)), (id_figure, colonne)
        if cadre.empty:
            continue
        _, alt = figures.legende_figure(id_figure, donnees, annee)
        for nombre in pd.Series([alt]).str.findall(r"\d+,(\d+)").iloc[0]:
            assert len(nombre) <= decimales, (id_figure, alt)


@pytest.mark.lent
def test_donnees_publiees_sans_serie_nominative(rapports_publics, donnees):
    """Les CSV réellement publiés (rapport 2022) : aucune série rapprochable."""
    dossier = rapports_publics[2022] / "donnees"
    nominatives = series_nominatives(donnees, 2022)
    trouves = []
    for id_figure in PAR_IHU:
        chemin = dossier / f"{id_figure}.csv"
        if chemin.is_file():
            cadre = pd.read_csv(io.StringIO(chemin.read_text(encoding="utf-8")))
            trouves += rapprochements(id_figure, cadre, nominatives)
    assert not trouves, "\n".join(trouves)
