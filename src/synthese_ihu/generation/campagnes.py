"""Séries des classeurs de campagne : cofinancements, indicateurs communs, soins spécifiques,
start-up (valeurs finales, avant réactualisation)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthese_ihu.generation import parametres as P
from synthese_ihu.generation.outils import bruit, eur, matrice_entiere, plus_forts_restes


def cofinancements(rng: np.random.Generator) -> pd.DataFrame:
    """Cofinancements déclarés par IHU, année et origine (vraies valeurs).

    Parameters
    ----------
    rng : numpy.random.Generator
        Générateur à graine fixe.

    Returns
    -------
    pandas.DataFrame
        Colonnes ``ihu``, ``annee``, ``origine``, ``montant_eur`` (montants > 0 seulement).
    """
    annees = P.ANNEES_COFIN
    forme = np.array(P.COFIN_ANNEE) / np.mean(P.COFIN_ANNEE)
    graine = np.zeros((7, len(annees)))
    for i, c in enumerate(P.SUIVIS):
        for j, a in enumerate(annees):
            if (c, a) not in P.COFIN_SANS_DECLARATION:
                graine[i, j] = P.COFIN_IHU[c] * forme[j] * rng.uniform(0.8, 1.2)
    mat = matrice_entiere(graine, [P.COFIN_IHU[c] for c in P.SUIVIS], eur(P.COFIN_ANNEE))
    cellules = {}
    for i, c in enumerate(P.SUIVIS):
        for j, a in enumerate(annees):
            if mat[i, j] > 0:
                parts = np.array(P.PARTS_ORIGINE[c]) * bruit(rng, 3, 0.15)
                cellules[(c, a)] = plus_forts_restes(int(mat[i, j]), parts)
    # ajustement exact des parts globales par origine, total de chaque cellule inchangé
    total = int(mat.sum())
    cible = plus_forts_restes(total, P.CIBLE_ORIGINE)
    ecart = cible - sum(cellules.values())
    cles = sorted(cellules, key=lambda k: -int(cellules[k].sum()))
    poids = np.array([cellules[k].sum() for k in cles], dtype=float)
    for o in (0, 2):  # publique, europe ; la part privée compense dans chaque cellule
        signe = 1 if ecart[o] >= 0 else -1
        for k, v in zip(cles, plus_forts_restes(abs(int(ecart[o])), poids), strict=True):
            cellules[k][o] += signe * v
            cellules[k][1] -= signe * v
    if min(v.min() for v in cellules.values()) < 0:
        raise ValueError("cofinancements : ajustement des origines impossible")
    return pd.DataFrame(
        [
            {"ihu": c, "annee": a, "origine": o, "montant_eur": int(v)}
            for (c, a), vals in sorted(
                cellules.items(), key=lambda kv: (P.SUIVIS.index(kv[0][0]), kv[0][1])
            )
            for o, v in zip(P.ORIGINES, vals, strict=True)
            if v > 0
        ]
    )


# --- Indicateurs communs -------------------------------------------------------------------
def _par_annee(rng, totaux, valeurs_2022, forme, fixes):
    """Répartit des totaux annuels entre les six IHU de 2011 ; 2022 et FOReSIGHT fixés."""
    res = {c: {} for c in P.SUIVIS}
    for j, a in enumerate(P.ANNEES_IND):
        if a == P.N:
            for c in P.SUIVIS:
                res[c][a] = valeurs_2022[c]
            continue
        reste = totaux[j] - fixes.get(a, 0)
        poids = [valeurs_2022[c] * forme(c, a) * rng.uniform(0.96, 1.04) for c in P.SIX]
        for c, v in zip(P.SIX, plus_forts_restes(reste, poids), strict=True):
            res[c][a] = int(v)
        if a in fixes:
            res["foresight"][a] = fixes[a]
    return res


def _matrice_six(rng, totaux, cumuls, valeurs_2022, fixes, forme):
    """Six IHU x 2012-2021 aux marges exactes (cumuls par IHU et totaux annuels)."""
    annees = P.ANNEES_IND[:-1]
    lignes = [cumuls[c] - valeurs_2022[c] for c in P.SIX]
    cols = [totaux[j] - fixes.get(a, 0) for j, a in enumerate(annees)]
    graine = np.array(
        [[cumuls[c] * forme(c, a) * rng.uniform(0.9, 1.1) for a in annees] for c in P.SIX]
    )
    m = matrice_entiere(graine, lignes, cols)
    res = {c: {a: int(m[i, j]) for j, a in enumerate(annees)} for i, c in enumerate(P.SIX)}
    res["foresight"] = dict(fixes)
    for c in P.SUIVIS:
        res[c][P.N] = valeurs_2022[c]
    return res


def indicateurs(rng: np.random.Generator) -> pd.DataFrame:
    """Indicateurs communs par IHU et année, valeurs finales (après réactualisation).

    Parameters
    ----------
    rng : numpy.random.Generator
        Générateur à graine fixe.

    Returns
    -------
    pandas.DataFrame
        Colonnes ``ihu``, ``annee``, ``indicateur``, ``valeur`` (entiers >= 0).
    """
    debut = {"icm": 0.45, "mi": 0.5, "imagine": 0.4, "ican": 0.5, "liryc": 0.4, "mixsurg": 0.45}

    def plateau(c, a):
        return debut[c] + (1 - debut[c]) * min(1.0, (a - P.D) / 6)

    series = {
        "projets_recherche": _par_annee(
            rng, P.PROJETS_ANNEE, P.PROJETS_2022, plateau, P.PROJETS_FORESIGHT
        )
    }

    forme_ch = dict(zip(P.ANNEES_IND, np.array(P.CHERCHEURS_ANNEE) / 130, strict=True))
    series["chercheurs_etrangers"] = _matrice_six(
        rng,
        P.CHERCHEURS_ANNEE,
        P.CHERCHEURS_CUMUL,
        P.CHERCHEURS_2022,
        P.CHERCHEURS_FORESIGHT,
        lambda c, a: forme_ch[a],
    )

    etu = {}
    for c, (v19, v21, v22) in P.ETUDIANTS.items():
        s = {2019: v19, 2020: round((v19 + v21) / 2 + 0.1), 2021: v21, 2022: v22}
        if c != "foresight":
            for a in range(P.D, 2019):
                s[a] = max(1, round(v19 * (0.45 + 0.55 * (a - P.D) / 7) * rng.uniform(0.93, 1.07)))
        etu[c] = s
    series["etudiants_double_cursus"] = etu

    forme_br = dict(zip(P.ANNEES_IND, np.array(P.BREVETS_ANNEE) / 45, strict=True))
    series["brevets_deposes"] = _matrice_six(
        rng,
        P.BREVETS_ANNEE,
        P.BREVETS_CUMUL,
        P.BREVETS_2022,
        P.BREVETS_FORESIGHT,
        lambda c, a: forme_br[a],
    )

    actifs = {"foresight": dict(P.ACTIFS_FORESIGHT)}
    for c in P.SIX:
        v = P.ACTIFS_2022[c]
        actifs[c] = {
            a: max(
                1,
                round(
                    v
                    * (0.3 + 0.7 * ((a - P.D) / 10) ** 0.8)
                    * (rng.uniform(0.95, 1.05) if a < P.N else 1)
                ),
            )
            for a in P.ANNEES_IND
        }
    series["brevets_actifs"] = actifs

    reco = {"foresight": dict(P.RECOMMANDATIONS_FORESIGHT)}
    for c in P.SIX:
        poids = [(1 + 0.12 * (a - P.D)) * rng.uniform(0.75, 1.25) for a in P.ANNEES_IND]
        reco[c] = dict(
            zip(
                P.ANNEES_IND,
                map(int, plus_forts_restes(P.RECOMMANDATIONS_CUMUL[c], poids)),
                strict=True,
            )
        )
    series["recommandations"] = reco

    def essais(c, a):
        pic = 1.4 if (c == "mi" and a in (2020, 2021)) else 1.0
        return (0.55 + 0.6 * min(1.0, (a - P.D) / 7)) * pic

    series["essais_cliniques"] = _par_annee(
        rng, P.ESSAIS_ANNEE, P.ESSAIS_2022, essais, P.ESSAIS_FORESIGHT
    )

    lignes = [
        {"ihu": c, "annee": a, "indicateur": ind, "valeur": int(v)}
        for ind, par_ihu in series.items()
        for c in P.SUIVIS
        for a, v in sorted(par_ihu[c].items())
        if a >= P.PREMIERE[c]
    ]
    return pd.DataFrame(lignes)


def soins(rng: np.random.Generator) -> pd.DataFrame:
    """Indicateurs de soin propres à certains IHU (séries lissées et bruitées).

    Parameters
    ----------
    rng : numpy.random.Generator
        Générateur à graine fixe.

    Returns
    -------
    pandas.DataFrame
        Colonnes ``ihu``, ``annee``, ``indicateur``, ``valeur``, ``unite``.
    """
    lignes = []
    for c, liste in P.SOINS.items():
        for code, unite, v0, v1 in liste:
            for a in P.ANNEES_IND:
                v = (v0 + (v1 - v0) * (a - P.D) / 10) * rng.uniform(0.97, 1.03)
                v = round(v, 1) if unite in ("%", "jours") else float(round(v))
                lignes.append(
                    {"ihu": c, "annee": a, "indicateur": code, "valeur": v, "unite": unite}
                )
    return pd.DataFrame(lignes)


def startups(rng: np.random.Generator) -> pd.DataFrame:
    """Start-up par IHU : création, et éventuel arrêt (cessation ou rachat) avec son année.

    Parameters
    ----------
    rng : numpy.random.Generator
        Générateur à graine fixe.

    Returns
    -------
    pandas.DataFrame
        Colonnes ``ihu``, ``nom``, ``annee_creation``, ``fin`` (statut final), ``annee_fin``.
    """
    lignes, pris = [], set()
    for c, annees in P.STARTUPS.items():
        for a in annees:
            while True:
                racine = str(rng.choice(P.RACINES_STARTUP[c]))
                nom = racine + str(rng.choice(P.SUFFIXES_STARTUP[racine[-1] in "aeiouy"]))
                if nom not in pris:
                    break
            pris.add(nom)
            lignes.append(
                {"ihu": c, "nom": nom, "annee_creation": a, "fin": "active", "annee_fin": pd.NA}
            )
    df = pd.DataFrame(lignes)
    eligibles = np.flatnonzero(df["annee_creation"].to_numpy() <= 2019)
    arretees = rng.choice(eligibles, size=P.STARTUPS_ARRETEES, replace=False)
    fins = ["cessee"] * 10 + ["rachetee"] * (P.STARTUPS_ARRETEES - 10)
    for k, fin in zip(sorted(arretees), rng.permutation(fins), strict=True):
        a = int(df.at[k, "annee_creation"])
        df.at[k, "fin"] = str(fin)
        df.at[k, "annee_fin"] = min(P.N, a + int(rng.integers(2, 7)))
    df["annee_fin"] = df["annee_fin"].astype("Int64")
    return df
