"""Séries de l'agence : référentiel des IHU, dotations, versements, dépenses déclarées et
répartition prévisionnelle (totaux publiés imposés)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthese_ihu.generation import parametres as P
from synthese_ihu.generation.outils import bruit, eur, matrice_entiere, plus_forts_restes

NATURES = ["equipement_immobilier", "equipement_mobilier", "personnel", "fonctionnement"]


# --- Référentiel -------------------------------------------------------------------------------
def referentiel(fig: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Référentiel des IHU (7 suivis + 12 IHU3) et catégories Web of Science.

    Parameters
    ----------
    fig : dict
        Chiffres publiés (YAML).

    Returns
    -------
    tuple of pandas.DataFrame
        ``ihu.csv`` et ``categories_wos.csv``.
    """
    lignes = []
    for d in fig["ihu"]["followed"]:
        code = P.CODES[d["name"]]
        lignes.append(
            {
                "ihu": code,
                "nom": d["name"],
                "theme": d["theme"],
                "ville": d["city"],
                "region": d["region"],
                "appel": d["call"],
                "annee_selection": P.SELECTION[code],
                "premiere_annee_indicateurs": P.PREMIERE[code],
                "fin_financement": P.FIN[code],
            }
        )
    for code, nom, _, theme, ville, region in P.IHU3:
        lignes.append(
            {
                "ihu": code,
                "nom": nom,
                "theme": theme,
                "ville": ville,
                "region": region,
                "appel": "IHU3",
                "annee_selection": 2023,
                "premiere_annee_indicateurs": None,
                "fin_financement": None,
            }
        )
    ihu = pd.DataFrame(lignes)
    ihu["premiere_annee_indicateurs"] = ihu["premiere_annee_indicateurs"].astype("Int64")
    cats = [
        {"ihu": P.CODES[nom], "categorie_wos": c}
        for nom, liste in fig["ihu"]["wos_categories"].items()
        for c in liste
    ]
    cats = pd.DataFrame(cats)
    cats["_o"] = cats["ihu"].map(P.SUIVIS.index)
    cats = cats.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)
    return ihu, cats


# --- Finances ------------------------------------------------------------------------------
def finances(rng: np.random.Generator, fig: dict) -> dict[str, pd.DataFrame]:
    """Dotations, versements, dépenses déclarées (vraies valeurs) et répartition prévue.

    Parameters
    ----------
    rng : numpy.random.Generator
        Générateur à graine fixe.
    fig : dict
        Chiffres publiés (subventions 2011 annoncées).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``dotations``, ``versements``, ``depenses`` (ihu, annee, nature, montant_eur) et
        ``repartition_previsionnelle``.
    """
    subv = {P.CODES[k]: v for k, v in fig["public_grants_2011_meur"].items()}
    initiale = plus_forts_restes(P.DOTATION_INITIALE_SIX, [subv[c] for c in P.SIX])
    dot = [
        {"ihu": c, "annee_engagement": P.F, "tranche": "initiale", "montant_eur": int(v)}
        for c, v in zip(P.SIX, initiale, strict=True)
    ]
    dot += [
        {"ihu": c, "annee_engagement": 2020, "tranche": "prolongation_2020", "montant_eur": v}
        for c, v in P.PROLONGATION_2020.items()
    ]
    dot.append(
        {
            "ihu": "foresight",
            "annee_engagement": 2018,
            "tranche": "initiale",
            "montant_eur": int(round(fig["public_grant_foresight_meur"] * P.M)),
        }
    )
    dotations = pd.DataFrame(dot)
    dot_ihu = dotations.groupby("ihu")["montant_eur"].sum()

    annees = np.array(P.ANNEES_FIN)
    n = len(annees)
    # versements : tranches annuelles, plus fortes au lancement, reprise avec la prolongation
    forme_v = np.array([0.5, 1.0, 1.15, 1.15, 1.05, 0.95, 0.85, 0.75, 0.8, 0.85, 0.85, 0.9])
    graine = np.zeros((7, n))
    for i, c in enumerate(P.SUIVIS):
        if c == "foresight":
            graine[i] = np.where(annees >= 2019, [0] * 8 + [1.0, 1.1, 1.2, 1.2], 0)
        else:
            graine[i] = forme_v * dot_ihu[c]
            if c == "mi":  # pas de prolongation : versements finaux plus faibles
                graine[i, annees >= 2019] *= 0.5
        graine[i] *= bruit(rng, n, 0.05)
    vers = matrice_entiere(graine, [P.VERSE_IHU[c] for c in P.SUIVIS], eur(P.VERSE_ANNEE))
    versements = pd.DataFrame(
        [
            {"ihu": c, "annee": int(a), "montant_eur": int(vers[i, j])}
            for i, c in enumerate(P.SUIVIS)
            for j, a in enumerate(annees)
            if vers[i, j] > 0
        ]
    )

    # dépenses : montée en charge, puis décrue lorsque les bâtiments sont livrés
    forme_d = np.array([0.25, 0.8, 1.05, 1.15, 1.12, 1.02, 0.92, 0.82, 0.72, 0.75, 0.78, 0.68])
    graine = np.zeros((7, n))
    for i, c in enumerate(P.SUIVIS):
        if c == "foresight":
            graine[i] = np.where(annees >= 2019, [0] * 8 + [0.7, 1.0, 1.1, 1.2], 0)
        else:
            graine[i] = forme_d * P.DEPENSE_IHU[c]
        graine[i] *= bruit(rng, n, 0.05)
    dep = matrice_entiere(graine, [P.DEPENSE_IHU[c] for c in P.SUIVIS], eur(P.DEPENSE_ANNEE))
    lignes = []
    for i, c in enumerate(P.SUIVIS):
        for j, a in enumerate(annees):
            if dep[i, j] == 0:
                continue
            if c == "foresight":
                f = P.EQUIPEMENT_FORESIGHT[int(a)]
            else:
                f = min(0.85, P.PART_EQUIPEMENT[c] * P.PROFIL_EQUIPEMENT[j])
            f *= rng.uniform(0.97, 1.03)
            imm = np.clip(
                P.PART_IMMOBILIER[c] * (1.15 - 0.04 * j) * rng.uniform(0.95, 1.05), 0.1, 0.9
            )
            pers = P.PART_PERSONNEL[c] * rng.uniform(0.97, 1.03)
            parts = [f * imm, f * (1 - imm), (1 - f) * pers, (1 - f) * (1 - pers)]
            for nat, v in zip(NATURES, plus_forts_restes(int(dep[i, j]), parts), strict=True):
                lignes.append({"ihu": c, "annee": int(a), "nature": nat, "montant_eur": int(v)})
    depenses = pd.DataFrame(lignes)

    # répartition prévisionnelle : la dotation, avec moins d'équipement que l'observé
    obs = depenses.pivot_table(index="ihu", columns="nature", values="montant_eur", aggfunc="sum")
    prev = []
    for c in P.SUIVIS:
        o = obs.loc[c, NATURES].to_numpy(dtype=float)
        eq = o[0] + o[1]
        eq_prev = max(0.12, eq / o.sum() - 0.09)
        imm = o[0] / eq
        pers = P.PART_PERSONNEL[c]
        parts = [
            eq_prev * imm,
            eq_prev * (1 - imm),
            (1 - eq_prev) * pers,
            (1 - eq_prev) * (1 - pers),
        ]
        for nat, v in zip(NATURES, plus_forts_restes(int(dot_ihu[c]), parts), strict=True):
            prev.append({"ihu": c, "nature": nat, "montant_eur": int(v)})
    return {
        "dotations": dotations,
        "versements": versements,
        "depenses": depenses,
        "repartition_previsionnelle": pd.DataFrame(prev),
    }
