"""Construction des tableaux du jeu de référence (tout en mémoire, rien n'est écrit ici).

Chaque total publié est imposé par construction (répartitions entières exactes, IPF) ; le bruit
tiré de la graine ne sert qu'à rendre les séries par IHU moins régulières.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml

from synthese_ihu.generation import parametres as P
from synthese_ihu.generation.outils import matrice_entiere, plus_forts_restes

NATURES = ["equipement_immobilier", "equipement_mobilier", "personnel", "fonctionnement"]


@dataclass
class Jeu:
    """Jeu de référence complet, prêt à écrire.

    Attributes
    ----------
    csv : dict of str to pandas.DataFrame
        Fichiers CSV, par chemin relatif à la racine des données brutes.
    campagnes : dict of str to pandas.DataFrame
        Contenu des classeurs, une table longue par feuille, avec les colonnes ``ihu`` et
        ``campagne`` (année de la campagne qui fournit la ligne).
    reactualisations : list of dict
        Lignes réactualisées (feuille, IHU, année, clé, campagne, valeur initiale, valeur finale).
    textes : dict of str to str
        Fichiers texte (TOML) écrits tels quels, par chemin relatif.
    """

    csv: dict[str, pd.DataFrame] = field(default_factory=dict)
    textes: dict[str, str] = field(default_factory=dict)
    campagnes: dict[str, pd.DataFrame] = field(default_factory=dict)
    reactualisations: list[dict] = field(default_factory=list)


def lire_figures() -> dict:
    """Lit les chiffres publiés (``published_figures.yaml``).

    Returns
    -------
    dict
        Contenu du fichier YAML.
    """
    with open(P.FIGURES_PUBLIEES, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _bruit(rng: np.random.Generator, forme, ecart: float) -> np.ndarray:
    return rng.uniform(1 - ecart, 1 + ecart, size=forme)


def _eur(millions: list[float]) -> np.ndarray:
    return np.array([round(v * 10) * 100_000 for v in millions], dtype=np.int64)


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
        lignes.append({
            "ihu": code, "nom": d["name"], "theme": d["theme"], "ville": d["city"],
            "region": d["region"], "appel": d["call"], "annee_selection": P.SELECTION[code],
            "premiere_annee_indicateurs": P.PREMIERE[code], "fin_financement": P.FIN[code]})
    for code, nom, _, theme, ville, region in P.IHU3:
        lignes.append({
            "ihu": code, "nom": nom, "theme": theme, "ville": ville, "region": region,
            "appel": "IHU3", "annee_selection": 2023, "premiere_annee_indicateurs": None,
            "fin_financement": None})
    ihu = pd.DataFrame(lignes)
    ihu["premiere_annee_indicateurs"] = ihu["premiere_annee_indicateurs"].astype("Int64")
    cats = [{"ihu": P.CODES[nom], "categorie_wos": c}
            for nom, liste in fig["ihu"]["wos_categories"].items() for c in liste]
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
    dot = [{"ihu": c, "annee_engagement": P.F, "tranche": "initiale", "montant_eur": int(v)}
           for c, v in zip(P.SIX, initiale, strict=True)]
    dot += [{"ihu": c, "annee_engagement": 2020, "tranche": "prolongation_2020",
             "montant_eur": v} for c, v in P.PROLONGATION_2020.items()]
    dot.append({"ihu": "foresight", "annee_engagement": 2018, "tranche": "initiale",
                "montant_eur": int(round(fig["public_grant_foresight_meur"] * P.M))})
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
        graine[i] *= _bruit(rng, n, 0.05)
    vers = matrice_entiere(graine, [P.VERSE_IHU[c] for c in P.SUIVIS], _eur(P.VERSE_ANNEE))
    versements = pd.DataFrame([
        {"ihu": c, "annee": int(a), "montant_eur": int(vers[i, j])}
        for i, c in enumerate(P.SUIVIS) for j, a in enumerate(annees) if vers[i, j] > 0])

    # dépenses : montée en charge, puis décrue lorsque les bâtiments sont livrés
    forme_d = np.array([0.25, 0.8, 1.05, 1.15, 1.12, 1.02, 0.92, 0.82, 0.72, 0.75, 0.78, 0.68])
    graine = np.zeros((7, n))
    for i, c in enumerate(P.SUIVIS):
        if c == "foresight":
            graine[i] = np.where(annees >= 2019, [0] * 8 + [0.7, 1.0, 1.1, 1.2], 0)
        else:
            graine[i] = forme_d * P.DEPENSE_IHU[c]
        graine[i] *= _bruit(rng, n, 0.05)
    dep = matrice_entiere(graine, [P.DEPENSE_IHU[c] for c in P.SUIVIS], _eur(P.DEPENSE_ANNEE))
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
            imm = np.clip(P.PART_IMMOBILIER[c] * (1.15 - 0.04 * j) * rng.uniform(0.95, 1.05),
                          0.1, 0.9)
            pers = P.PART_PERSONNEL[c] * rng.uniform(0.97, 1.03)
            parts = [f * imm, f * (1 - imm), (1 - f) * pers, (1 - f) * (1 - pers)]
            for nat, v in zip(NATURES, plus_forts_restes(int(dep[i, j]), parts), strict=True):
                lignes.append({"ihu": c, "annee": int(a), "nature": nat, "montant_eur": int(v)})
    depenses = pd.DataFrame(lignes)

    # répartition prévisionnelle : la dotation, avec moins d'équipement que l'observé
    obs = depenses.pivot_table(index="ihu", columns="nature", values="montant_eur",
                               aggfunc="sum")
    prev = []
    for c in P.SUIVIS:
        o = obs.loc[c, NATURES].to_numpy(dtype=float)
        eq = o[0] + o[1]
        eq_prev = max(0.12, eq / o.sum() - 0.09)
        imm = o[0] / eq
        pers = P.PART_PERSONNEL[c]
        parts = [eq_prev * imm, eq_prev * (1 - imm), (1 - eq_prev) * pers,
                 (1 - eq_prev) * (1 - pers)]
        for nat, v in zip(NATURES, plus_forts_restes(int(dot_ihu[c]), parts), strict=True):
            prev.append({"ihu": c, "nature": nat, "montant_eur": int(v)})
    return {"dotations": dotations, "versements": versements, "depenses": depenses,
            "repartition_previsionnelle": pd.DataFrame(prev)}


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
    mat = matrice_entiere(graine, [P.COFIN_IHU[c] for c in P.SUIVIS], _eur(P.COFIN_ANNEE))
    cellules = {}
    for i, c in enumerate(P.SUIVIS):
        for j, a in enumerate(annees):
            if mat[i, j] > 0:
                parts = np.array(P.PARTS_ORIGINE[c]) * _bruit(rng, 3, 0.15)
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
    return pd.DataFrame([
        {"ihu": c, "annee": a, "origine": o, "montant_eur": int(v)}
        for (c, a), vals in sorted(cellules.items(), key=lambda kv: (P.SUIVIS.index(kv[0][0]),
                                                                    kv[0][1]))
        for o, v in zip(P.ORIGINES, vals, strict=True) if v > 0])


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
    graine = np.array([[cumuls[c] * forme(c, a) * rng.uniform(0.9, 1.1) for a in annees]
                       for c in P.SIX])
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
    debut = {"icm": .45, "mi": .5, "imagine": .4, "ican": .5, "liryc": .4, "mixsurg": .45}

    def plateau(c, a):
        return debut[c] + (1 - debut[c]) * min(1.0, (a - P.D) / 6)

    series = {"projets_recherche": _par_annee(
        rng, P.PROJETS_ANNEE, P.PROJETS_2022, plateau, P.PROJETS_FORESIGHT)}

    forme_ch = dict(zip(P.ANNEES_IND, np.array(P.CHERCHEURS_ANNEE) / 130, strict=True))
    series["chercheurs_etrangers"] = _matrice_six(
        rng, P.CHERCHEURS_ANNEE, P.CHERCHEURS_CUMUL, P.CHERCHEURS_2022, P.CHERCHEURS_FORESIGHT,
        lambda c, a: forme_ch[a])

    etu = {}
    for c, (v19, v21, v22) in P.ETUDIANTS.items():
        s = {2019: v19, 2020: round((v19 + v21) / 2 + 0.1), 2021: v21, 2022: v22}
        if c != "foresight":
            for a in range(P.D, 2019):
                s[a] = max(1, round(v19 * (0.45 + 0.55 * (a - P.D) / 7) * rng.uniform(.93, 1.07)))
        etu[c] = s
    series["etudiants_double_cursus"] = etu

    forme_br = dict(zip(P.ANNEES_IND, np.array(P.BREVETS_ANNEE) / 45, strict=True))
    series["brevets_deposes"] = _matrice_six(
        rng, P.BREVETS_ANNEE, P.BREVETS_CUMUL, P.BREVETS_2022, P.BREVETS_FORESIGHT,
        lambda c, a: forme_br[a])

    actifs = {"foresight": dict(P.ACTIFS_FORESIGHT)}
    for c in P.SIX:
        v = P.ACTIFS_2022[c]
        actifs[c] = {a: max(1, round(v * (0.3 + 0.7 * ((a - P.D) / 10) ** 0.8)
                                     * (rng.uniform(.95, 1.05) if a < P.N else 1)))
                     for a in P.ANNEES_IND}
    series["brevets_actifs"] = actifs

    reco = {"foresight": dict(P.RECOMMANDATIONS_FORESIGHT)}
    for c in P.SIX:
        poids = [(1 + 0.12 * (a - P.D)) * rng.uniform(0.75, 1.25) for a in P.ANNEES_IND]
        reco[c] = dict(zip(P.ANNEES_IND, map(int, plus_forts_restes(
            P.RECOMMANDATIONS_CUMUL[c], poids)), strict=True))
    series["recommandations"] = reco

    def essais(c, a):
        pic = 1.4 if (c == "mi" and a in (2020, 2021)) else 1.0
        return (0.55 + 0.6 * min(1.0, (a - P.D) / 7)) * pic

    series["essais_cliniques"] = _par_annee(
        rng, P.ESSAIS_ANNEE, P.ESSAIS_2022, essais, P.ESSAIS_FORESIGHT)

    lignes = [{"ihu": c, "annee": a, "indicateur": ind, "valeur": int(v)}
              for ind, par_ihu in series.items() for c in P.SUIVIS
              for a, v in sorted(par_ihu[c].items()) if a >= P.PREMIERE[c]]
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
                lignes.append({"ihu": c, "annee": a, "indicateur": code, "valeur": v,
                               "unite": unite})
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
            lignes.append({"ihu": c, "nom": nom, "annee_creation": a, "fin": "active",
                           "annee_fin": pd.NA})
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
        poids = [P.TAILLE_ARTICLES[c] * (1 + P.CROISSANCE_ARTICLES[c]) ** (a - P.D)
                 * rng.uniform(0.98, 1.02) for c in P.SIX]
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
    rem = dict(zip(p2, plus_forts_restes(rem_p2, [tot[a] * P.POIDS_REMERCIEMENTS[a]
                                                  for a in p2]), strict=True))
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
                np.array(P.DERIVE_CATEGORIES) * (a - 2014))
            cats = np.concatenate([[ne], plus_forts_restes(n - ne, parts_hors_e)])
            cats = cats[[1, 2, 3, 4, 0, 5]]  # A, B, C, D, E, NC
            if a <= 2016:
                parts_pos = P.PARTS_POSITION_P1
            elif a >= 2018:
                parts_pos = P.PARTS_POSITION_P2
            else:
                parts_pos = (np.array(P.PARTS_POSITION_P1) + P.PARTS_POSITION_P2) / 2
            bloc = pd.DataFrame({
                "ihu": np.repeat(ihus, n_ihu),
                "annee": a,
                "categorie": _attribuer(rng, n, cats, P.CATEGORIES),
                "position": _attribuer(rng, n, plus_forts_restes(n, parts_pos), P.POSITIONS),
            })
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
    art = art[["id_article", "ihu", "annee", "categorie", "position", "top1", "top10",
               "remerciement"]].reset_index(drop=True)

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
        f0 = s1 / P.PART_FRANCE_P1[c] / sum(r ** k for k in range(5))
        m0 = f0 / P.PART_FRANCE_MONDE[c]
        for a in annees:
            fr = round(f0 * r ** (a - P.D) * rng.uniform(0.995, 1.005))
            monde = round(m0 * rm ** (a - P.D) * rng.uniform(0.997, 1.003))
            t10 = rng.uniform(0.112, 0.118)
            refs.append({"ihu": c, "annee": a, "perimetre": "France", "articles": fr,
                         "articles_top1": round(fr * t10 / 9), "articles_top10": round(fr * t10)})
            refs.append({"ihu": c, "annee": a, "perimetre": "Monde", "articles": monde,
                         "articles_top1": round(monde * 0.01),
                         "articles_top10": round(monde * 0.10)})
    return art, pd.DataFrame(refs)


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
                brevets.append({"annee": a, "territoire": terr, "perimetre": "tous_domaines",
                                "depots": france[a], "statut": (pub if a == P.N else est)[0],
                                "source": (pub if a == P.N else est)[1]})
                continue
            if a == P.N:
                vt, vd, s = tous, dom, pub
            else:
                vt = round(tous * ratio * rng.uniform(0.96, 1.04))
                vd = round(dom * ratio * rng.uniform(0.9, 1.1))
                s = est
            dom_regions += vd
            brevets += [{"annee": a, "territoire": terr, "perimetre": "tous_domaines",
                         "depots": vt, "statut": s[0], "source": s[1]},
                        {"annee": a, "territoire": terr, "perimetre": "domaines_ihu",
                         "depots": vd, "statut": s[0], "source": s[1]}]
        brevets.append({"annee": a, "territoire": "France", "perimetre": "domaines_ihu",
                        "depots": round(dom_regions * 2.05), "statut": est[0],
                        "source": est[1]})
    brevets = pd.DataFrame(brevets)
    brevets["_t"] = brevets["territoire"].map((["France"] + P.REGIONS_IHU).index)
    brevets = brevets.sort_values(["annee", "_t", "perimetre"], ascending=[True, True, False],
                                  kind="stable").drop(columns="_t").reset_index(drop=True)

    essais = []
    for a, v in zip(P.ANNEES_IND, P.ESSAIS_FRANCE_ANNEE, strict=True):
        if a == P.N:
            essais.append({"annee": a, "essais_en_cours": v,
                           "dont_promotion_academique": P.ESSAIS_ACADEMIQUES_2022,
                           "statut": "publie", "source": P.SOURCE_ESSAIS})
        else:
            acad = round(v * (0.585 + 0.003 * (a - P.D)) * rng.uniform(0.99, 1.01))
            essais.append({"annee": a, "essais_en_cours": v, "dont_promotion_academique": acad,
                           "statut": "estime", "source": P.SOURCE_ESTIMATION})
    creations = []
    for a, v in zip(P.ANNEES_IND, P.CREATIONS_FRANCE, strict=True):
        s = ("publie", P.SOURCE_CREATIONS) if a == P.N else ("estime", P.SOURCE_ESTIMATION)
        reg = (P.CREATIONS_REGIONS_2022 if a == P.N
               else round(v * 0.469 * rng.uniform(0.985, 1.015)))
        creations += [{"annee": a, "territoire": "France", "creations": v, "statut": s[0],
                       "source": s[1]},
                      {"annee": a, "territoire": "regions_ihu", "creations": reg,
                       "statut": s[0], "source": s[1]}]
    return {"brevets_inpi": brevets, "essais_cliniques_france": pd.DataFrame(essais),
            "creations_entreprises_sante": pd.DataFrame(creations)}


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
    ihu3 = pd.DataFrame([{"nom": nom, "intitule": intitule, "ville": ville, "region": region,
                          "appel": "IHU3"} for _, nom, intitule, _, ville, region in P.IHU3])
    meditwin = pd.DataFrame(P.MEDITWIN, columns=["partenaire", "type", "role"])
    paragraphes = pd.DataFrame(P.FAITS_MARQUANTS, columns=COLONNES_FAITS_MARQUANTS)
    return {"faits_marquants": paragraphes, "ihu_selectionnes_2023": ihu3,
            "meditwin_partenaires": meditwin}


# --- Assemblage ------------------------------------------------------------------------------
# (feuille, ihu, année réactualisée, clé, campagne qui réactualise, valeur initiale - finale)
REACTUALISATIONS = [
    ("Depenses", "liryc", 2015, "personnel", 2016, -186_420),
    ("Indicateurs", "mixsurg", 2017, "brevets_deposes", 2018, 2),
    ("Indicateurs", "ican", 2018, "projets_recherche", 2019, -9),
    ("Indicateurs", "mi", 2020, "essais_cliniques", 2021, 24),
    ("Depenses", "imagine", 2021, "fonctionnement", 2022, 95_310),
]


def campagnes_ihu(ihu: str) -> list[int]:
    """Années de campagne d'un IHU suivi (2011 pour les six IHU de 2011, 2019 pour FOReSIGHT).

    Parameters
    ----------
    ihu : str
        Code de l'IHU.

    Returns
    -------
    list of int
        Années de campagne jusqu'à 2022.
    """
    return list(range(P.F if ihu in P.SIX else P.PREMIERE[ihu], P.N + 1))


def construire(graine: int = P.GRAINE) -> Jeu:
    """Construit tout le jeu de référence en mémoire.

    Parameters
    ----------
    graine : int, optional
        Graine de ``numpy.random.default_rng``.

    Returns
    -------
    Jeu
        Fichiers CSV et contenu des classeurs de campagne.
    """
    rng = np.random.default_rng(graine)
    fig = lire_figures()
    jeu = Jeu()
    ihu, cats = referentiel(fig)
    jeu.csv["referentiel/ihu.csv"] = ihu
    jeu.csv["referentiel/categories_wos.csv"] = cats
    jeu.csv["referentiel/appels.csv"] = pd.DataFrame(
        P.APPELS, columns=["appel", "programme", "annee_selection", "annee_evaluation",
                           "instance_evaluation"]).astype({"annee_evaluation": "Int64"})
    jeu.textes["referentiel/metadonnees.toml"] = P.METADONNEES
    jeu.textes["contexte/references.toml"] = P.REFERENCES_CONTEXTE
    fin = finances(rng, fig)
    for nom in ("dotations", "versements", "repartition_previsionnelle"):
        jeu.csv[f"agence/{nom}.csv"] = fin[nom]
    art, refs = articles(rng)
    jeu.csv["bibliometrie/sampra_articles.csv"] = art
    jeu.csv["bibliometrie/references_wos.csv"] = refs
    for nom, df in contexte(rng).items():
        jeu.csv[f"contexte/{nom}.csv"] = df
    for nom, df in faits_marquants().items():
        jeu.csv[f"faits_marquants/{nom}.csv"] = df

    vraies = {"Depenses": fin["depenses"], "Indicateurs": indicateurs(rng),
              "Soins_specifiques": soins(rng), "Cofinancements": cofinancements(rng)}
    cle = {"Depenses": ("nature", "montant_eur"), "Indicateurs": ("indicateur", "valeur")}
    for feuille, df in vraies.items():
        df = df.copy()
        df["campagne"] = df["annee"]
        if feuille in cle:
            col, val = cle[feuille]
            for f, c, a, k, camp, delta in REACTUALISATIONS:
                if f != feuille:
                    continue
                masque = (df["ihu"] == c) & (df["annee"] == a) & (df[col] == k)
                if masque.sum() != 1:
                    raise ValueError(f"réactualisation introuvable : {f} {c} {a} {k}")
                finale = int(df.loc[masque, val].iloc[0])
                nouvelle = df.loc[masque].assign(campagne=camp)
                df.loc[masque, val] = finale + delta
                df = pd.concat([df, nouvelle], ignore_index=True)
                jeu.reactualisations.append({
                    "feuille": f, "ihu": c, "annee": a, "cle": k, "campagne": camp,
                    "valeur_initiale": finale + delta, "valeur_finale": finale})
        jeu.campagnes[feuille] = df

    sup = startups(rng)
    lignes = []
    for c in P.SUIVIS:
        for camp in campagnes_ihu(c):
            for s in sup[(sup["ihu"] == c) & (sup["annee_creation"] <= camp)].itertuples():
                arret = pd.notna(s.annee_fin) and s.annee_fin <= camp
                lignes.append({"ihu": c, "campagne": camp, "nom": s.nom,
                               "annee_creation": int(s.annee_creation),
                               "statut": s.fin if arret else "active"})
    jeu.campagnes["Startups"] = pd.DataFrame(lignes)
    return jeu
