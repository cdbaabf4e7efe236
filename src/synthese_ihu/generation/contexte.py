"""Séries de contexte (brevets INPI, essais en France, créations d'entreprises) et faits
marquants de l'édition."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthese_ihu.generation import parametres as P


# --- Contexte et faits marquants ---------------------------------------------------------------
def contexte(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Chiffres de contexte : publiés pour 2022 (``publie``), estimés sinon (``estime``).

    Parameters
    ----------
    rng : numpy.random.Generator
        Générateur à graine fixe.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``brevets_inpi``, ``essais_cliniques_france``, ``creations_entreprises_sante``.
    """
    pub, est = ("publie", P.SOURCE_INPI), ("estime", P.SOURCE_ESTIMATION)
    france = dict(zip(P.ANNEES_IND, P.BREVETS_FRANCE_ANNEE + [12627], strict=True))
    brevets = []
    for a in P.ANNEES_IND:
        ratio = france[a] / france[P.N]
        dom_regions = 0
        for terr in ["France"] + P.REGIONS_IHU:
            tous, dom = P.BREVETS_2022_PUBLIES[terr]
            if terr == "France":
                brevets.append(
                    {
                        "annee": a,
                        "territoire": terr,
                        "perimetre": "tous_domaines",
                        "depots": france[a],
                        "statut": (pub if a == P.N else est)[0],
                        "source": (pub if a == P.N else est)[1],
                    }
                )
                continue
            if a == P.N:
                vt, vd, s = tous, dom, pub
            else:
                vt = round(tous * ratio * rng.uniform(0.96, 1.04))
                vd = round(dom * ratio * rng.uniform(0.9, 1.1))
                s = est
            dom_regions += vd
            brevets += [
                {
                    "annee": a,
                    "territoire": terr,
                    "perimetre": "tous_domaines",
                    "depots": vt,
                    "statut": s[0],
                    "source": s[1],
                },
                {
                    "annee": a,
                    "territoire": terr,
                    "perimetre": "domaines_ihu",
                    "depots": vd,
                    "statut": s[0],
                    "source": s[1],
                },
            ]
        brevets.append(
            {
                "annee": a,
                "territoire": "France",
                "perimetre": "domaines_ihu",
                "depots": round(dom_regions * 2.05),
                "statut": est[0],
                "source": est[1],
            }
        )
    brevets = pd.DataFrame(brevets)
    brevets["_t"] = brevets["territoire"].map((["France"] + P.REGIONS_IHU).index)
    brevets = (
        brevets.sort_values(
            ["annee", "_t", "perimetre"], ascending=[True, True, False], kind="stable"
        )
        .drop(columns="_t")
        .reset_index(drop=True)
    )

    essais = []
    for a, v in zip(P.ANNEES_IND, P.ESSAIS_FRANCE_ANNEE, strict=True):
        if a == P.N:
            essais.append(
                {
                    "annee": a,
                    "essais_en_cours": v,
                    "dont_promotion_academique": P.ESSAIS_ACADEMIQUES_2022,
                    "statut": "publie",
                    "source": P.SOURCE_ESSAIS,
                }
            )
        else:
            acad = round(v * (0.585 + 0.003 * (a - P.D)) * rng.uniform(0.99, 1.01))
            essais.append(
                {
                    "annee": a,
                    "essais_en_cours": v,
                    "dont_promotion_academique": acad,
                    "statut": "estime",
                    "source": P.SOURCE_ESTIMATION,
                }
            )
    creations = []
    for a, v in zip(P.ANNEES_IND, P.CREATIONS_FRANCE, strict=True):
        s = ("publie", P.SOURCE_CREATIONS) if a == P.N else ("estime", P.SOURCE_ESTIMATION)
        reg = P.CREATIONS_REGIONS_2022 if a == P.N else round(v * 0.469 * rng.uniform(0.985, 1.015))
        creations += [
            {"annee": a, "territoire": "France", "creations": v, "statut": s[0], "source": s[1]},
            {
                "annee": a,
                "territoire": "regions_ihu",
                "creations": reg,
                "statut": s[0],
                "source": s[1],
            },
        ]
    return {
        "brevets_inpi": brevets,
        "essais_cliniques_france": pd.DataFrame(essais),
        "creations_entreprises_sante": pd.DataFrame(creations),
    }


#: Colonnes de ``faits_marquants/faits_marquants.csv`` (un paragraphe par ligne).
COLONNES_FAITS_MARQUANTS = ["edition", "ordre", "titre", "texte", "date", "source", "tableau"]


def faits_marquants() -> dict[str, pd.DataFrame]:
    """Paragraphes des faits marquants, IHU sélectionnés en 2023, partenaires de MEDITWIN.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``faits_marquants`` (un paragraphe par ligne, par édition du rapport),
        ``ihu_selectionnes_2023`` et ``meditwin_partenaires``.
    """
    ihu3 = pd.DataFrame(
        [
            {"nom": nom, "intitule": intitule, "ville": ville, "region": region, "appel": "IHU3"}
            for _, nom, intitule, _, ville, region in P.IHU3
        ]
    )
    meditwin = pd.DataFrame(P.MEDITWIN, columns=["partenaire", "type", "role"])
    paragraphes = pd.DataFrame(P.FAITS_MARQUANTS, columns=COLONNES_FAITS_MARQUANTS)
    return {
        "faits_marquants": paragraphes,
        "ihu_selectionnes_2023": ihu3,
        "meditwin_partenaires": meditwin,
    }
