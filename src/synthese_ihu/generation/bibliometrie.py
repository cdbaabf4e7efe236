"""Séries bibliométriques : export SAMPRA des articles des IHU et références Web of Science
(France, monde) par catégorie."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthese_ihu.generation import parametres as P
from synthese_ihu.generation.outils import plus_forts_restes


# --- Bibliométrie ----------------------------------------------------------------------------
def _attribuer(rng, n, comptes, valeurs):
    """Liste de ``n`` valeurs, ``comptes[k]`` fois ``valeurs[k]``, dans un ordre aléatoire."""
    return rng.permutation(np.repeat(np.array(valeurs, dtype=object), comptes))


def articles(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Export SAMPRA (une ligne par article et IHU) et références Web of Science.

    Parameters
    ----------
    rng : numpy.random.Generator
        Générateur à graine fixe.

    Returns
    -------
    tuple of pandas.DataFrame
        ``sampra_articles.csv`` et ``references_wos.csv``.
    """
    annees = P.ANNEES_IND
    p1 = [a for a in annees if a <= 2016]
    p2 = [a for a in annees if a >= 2018]
    # comptes labellisés par IHU et année
    compte = {c: {} for c in P.SUIVIS}
    for j, a in enumerate(annees):
        fs = P.ARTICLES_FORESIGHT[a] if a >= P.PREMIERE["foresight"] else 0
        poids = [
            P.TAILLE_ARTICLES[c]
            * (1 + P.CROISSANCE_ARTICLES[c]) ** (a - P.D)
            * rng.uniform(0.98, 1.02)
            for c in P.SIX
        ]
        for c, v in zip(P.SIX, plus_forts_restes(P.ARTICLES_ANNEE[j] - fs, poids), strict=True):
            compte[c][a] = int(v)
        compte["foresight"][a] = P.ARTICLES_FORESIGHT[a]  # y compris avant labellisation
    tot = dict(zip(annees, P.ARTICLES_ANNEE, strict=True))
    # catégorie E : comptes exacts par période (-15 %), répartis par année
    e_p1 = round(sum(tot[a] * P.PART_E[a] for a in p1))
    e_p2 = round(e_p1 * (1 + P.EVOLUTION_E))
    e = dict(zip(p1, plus_forts_restes(e_p1, [tot[a] * P.PART_E[a] for a in p1]), strict=True))
    e |= dict(zip(p2, plus_forts_restes(e_p2, [tot[a] * P.PART_E[a] for a in p2]), strict=True))
    e[2017] = round(tot[2017] * P.PART_E[2017])
    rem_p2 = round(P.REMERCIEMENTS_P2 * sum(tot[a] for a in p2))
    rem = dict(
        zip(
            p2,
            plus_forts_restes(rem_p2, [tot[a] * P.POIDS_REMERCIEMENTS[a] for a in p2]),
            strict=True,
        )
    )
    poids_cat = {"A": 5.0, "B": 3.0, "C": 1.5, "D": 0.7, "E": 0.3, "NC": 0.5}

    morceaux = []
    for a in annees:
        for labellise in (True, False):
            ihus = [c for c in P.SUIVIS if (a >= P.PREMIERE[c]) == labellise]
            n_ihu = [compte[c][a] for c in ihus]
            n = sum(n_ihu)
            if n == 0:
                continue
            if labellise:
                ne = int(e[a])
                nrem = int(rem[a]) if a in rem else round(n * P.POIDS_REMERCIEMENTS[a])
            else:
                ne, nrem = round(n * P.PART_E[a]), 0
            parts_hors_e = np.array(P.PARTS_HORS_E) * np.exp(
                np.array(P.DERIVE_CATEGORIES) * (a - 2014)
            )
            cats = np.concatenate([[ne], plus_forts_restes(n - ne, parts_hors_e)])
            cats = cats[[1, 2, 3, 4, 0, 5]]  # A, B, C, D, E, NC
            if a <= 2016:
                parts_pos = P.PARTS_POSITION_P1
            elif a >= 2018:
                parts_pos = P.PARTS_POSITION_P2
            else:
                parts_pos = (np.array(P.PARTS_POSITION_P1) + P.PARTS_POSITION_P2) / 2
            bloc = pd.DataFrame(
                {
                    "ihu": np.repeat(ihus, n_ihu),
                    "annee": a,
                    "categorie": _attribuer(rng, n, cats, P.CATEGORIES),
                    "position": _attribuer(rng, n, plus_forts_restes(n, parts_pos), P.POSITIONS),
                }
            )
            w_rem = bloc["ihu"].map(P.PROPENSION_REMERCIEMENTS).to_numpy(dtype=float)
            rem_ = rng.choice(n, size=nrem, replace=False, p=w_rem / w_rem.sum())
            bloc["remerciement"] = np.isin(np.arange(n), rem_)
            w = bloc["categorie"].map(poids_cat).to_numpy(dtype=float)
            k10, k1 = round(n * P.TOP10[a]), round(n * P.TOP1[a])
            top10 = rng.choice(n, size=k10, replace=False, p=w / w.sum())
            top1 = rng.choice(top10, size=k1, replace=False, p=w[top10] / w[top10].sum())
            bloc["top10"] = np.isin(np.arange(n), top10)
            bloc["top1"] = np.isin(np.arange(n), top1)
            morceaux.append(bloc)
    art = pd.concat(morceaux, ignore_index=True)
    art = art.sample(frac=1, random_state=rng).sort_values(["annee"], kind="stable")
    nums = np.sort(rng.choice(9_000_000, size=len(art), replace=False))
    art.insert(0, "id_article", [f"WOS:000{300_000_000 + 40 * int(x):012d}" for x in nums])
    art["_o"] = art["ihu"].map(P.SUIVIS.index)
    art = art.sort_values(["_o", "annee", "id_article"]).drop(columns="_o")
    art = art[
        ["id_article", "ihu", "annee", "categorie", "position", "top1", "top10", "remerciement"]
    ].reset_index(drop=True)

    # références WoS : France (IHU inclus) et Monde, par IHU et année
    refs = []
    for c in P.SUIVIS:
        prod = {a: compte[c][a] for a in annees}
        s1, s2 = sum(prod[a] for a in p1), sum(prod[a] for a in p2)
        g = s2 / s1 - 1
        g_fr = g + 0.06 if c == P.IHU_SOUS_FRANCE else P.CROISSANCE_FRANCE[c]
        if c != P.IHU_SOUS_FRANCE and g <= g_fr:
            raise ValueError(f"articles : croissance de {c} trop faible ({g:.1%})")
        r = (1 + g_fr) ** (1 / 6)
        rm = (1 + g_fr + P.EXCEDENT_MONDE[c]) ** (1 / 6)
        f0 = s1 / P.PART_FRANCE_P1[c] / sum(r**k for k in range(5))
        m0 = f0 / P.PART_FRANCE_MONDE[c]
        for a in annees:
            fr = round(f0 * r ** (a - P.D) * rng.uniform(0.995, 1.005))
            monde = round(m0 * rm ** (a - P.D) * rng.uniform(0.997, 1.003))
            t10 = rng.uniform(0.112, 0.118)
            refs.append(
                {
                    "ihu": c,
                    "annee": a,
                    "perimetre": "France",
                    "articles": fr,
                    "articles_top1": round(fr * t10 / 9),
                    "articles_top10": round(fr * t10),
                }
            )
            refs.append(
                {
                    "ihu": c,
                    "annee": a,
                    "perimetre": "Monde",
                    "articles": monde,
                    "articles_top1": round(monde * 0.01),
                    "articles_top10": round(monde * 0.10),
                }
            )
    return art, pd.DataFrame(refs)
