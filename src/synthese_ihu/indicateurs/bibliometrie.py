"""Indicateurs bibliométriques : articles labellisés, périodes comparées, positions d'auteur,
comparaisons à la France, articles très cités, remerciements."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from synthese_ihu import constats
from synthese_ihu.donnees import Donnees
from synthese_ihu.donnees.schemas import (
    PREMIERE_ANNEE,
)
from synthese_ihu.indicateurs.commun import (
    Periode,
    Tendance,
    _cible,
    _labellise,
    _part,
    ihu_suivis,
    pente,
    periodes_comparaison,
    sens_variation,
    variation_relative,
)

#: Part des revues par catégorie dans chaque discipline (méthode SAMPRA) ; NC = non classées.
PARTS_CATEGORIES_REVUES: Mapping[str, float] = {
    "A": 0.10,
    "B": 0.15,
    "C": 0.25,
    "D": 0.25,
    "E": 0.25,
}
#: Premier ou dernier auteur ; deuxième ou avant-dernier auteur (meilleure position par article).
POSITIONS_PREMIER_DERNIER = ("1", "DA")
POSITIONS_DEUXIEME_AVANT_DERNIER = ("2", "PA")


# --- bibliométrie -------------------------------------------------------------------------------
def fin_bibliometrie(d: Donnees, annee: int | None = None) -> int:
    """Dernière année couverte par l'export bibliométrique, au plus ``annee``.

    Un export arrêté avant N (pas d'export nouveau pour la campagne) ne compte pas zéro article
    pour les années qu'il ne couvre pas : périodes, cumuls et séries s'arrêtent à cette année.
    """
    annee = _cible(d, annee)
    couverture = d.metadonnees.couvertures.get("articles")
    if couverture is not None:  # déclarée et vérifiée au chargement
        return couverture.fin(annee)
    annees = d.articles["annee"]
    return min(annee, int(annees.max())) if len(annees) else annee


def ihu_bibliometrie(d: Donnees, annee: int | None = None) -> list[str]:
    """IHU suivis présents dans l'export bibliométrique (un IHU entrant n'y est pas encore)."""
    return sorted(set(ihu_suivis(d, annee)) & set(d.articles["ihu"].astype(str)))


def periodes_bibliometrie(d: Donnees, annee: int | None = None) -> tuple[Periode, Periode] | None:
    """Périodes comparées de la bibliométrie : celles de l'année couverte par l'export."""
    return periodes_comparaison(fin_bibliometrie(d, annee))


def articles_labellises(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Lignes SAMPRA du périmètre labellisé, ``2012 <= annee <= fin de l'export``."""
    fin = fin_bibliometrie(d, annee)
    art = d.articles.loc[d.articles["annee"].between(PREMIERE_ANNEE, fin)]
    return _labellise(d, art)


def articles_cumul(d: Donnees, annee: int | None = None) -> int:
    """Nombre d'articles (couples article-IHU) du périmètre labellisé, 2012..N."""
    return len(articles_labellises(d, annee))


def articles_par_annee(
    d: Donnees, annee: int | None = None, par: str | None = None
) -> pd.Series | pd.DataFrame:
    """Articles du périmètre labellisé par année (et par ``categorie``/``position`` si ``par``)."""
    art = articles_labellises(d, annee)
    annees = range(PREMIERE_ANNEE, fin_bibliometrie(d, annee) + 1)
    if par is None:
        return art.groupby("annee").size().reindex(annees, fill_value=0)
    table = art.groupby(["annee", par], observed=False).size().unstack(par, fill_value=0)
    return table.reindex(annees, fill_value=0)


def _dans(art: pd.DataFrame, periode: Periode) -> pd.DataFrame:
    return art.loc[art["annee"].between(periode.debut, periode.fin)]


def articles_evolution(d: Donnees, annee: int | None = None) -> float | None:
    """Évolution du nombre d'articles labellisés de P1 à P2 (``P2/P1 - 1``)."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    art = articles_labellises(d, annee)
    return variation_relative(len(_dans(art, periodes[0])), len(_dans(art, periodes[1])))


def ihu_perimetre_constant(d: Donnees, annee: int | None = None) -> list[str]:
    """IHU suivis dès le début de la période ancienne : périmètre constant des deux périodes."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return []
    premiere = d.ihu.set_index("ihu")["premiere_annee_indicateurs"]
    return sorted(i for i in ihu_suivis(d, annee)
                  if pd.notna(premiere.get(i)) and premiere[i] <= periodes[0].debut)


def articles_evolution_constante(d: Donnees, annee: int | None = None) -> float | None:
    """Évolution P1 → P2 des articles des seuls IHU suivis dès P1 (périmètre constant) ; les
    IHU entrés entre-temps ne comptent que dans P2 de :func:`articles_evolution`."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    art = articles_labellises(d, annee)
    art = art.loc[art["ihu"].astype(str).isin(ihu_perimetre_constant(d, annee))]
    return variation_relative(len(_dans(art, periodes[0])), len(_dans(art, periodes[1])))


def articles_evolution_par_categorie(d: Donnees, annee: int | None = None) -> pd.Series | None:
    """Évolution P1 → P2 des articles labellisés, par catégorie de revue."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    art = articles_labellises(d, annee)
    p1 = _dans(art, periodes[0]).groupby("categorie", observed=False).size()
    p2 = _dans(art, periodes[1]).groupby("categorie", observed=False).size()
    return pd.Series({c: variation_relative(p1[c], p2[c]) for c in p1.index}, dtype="float64")


def parts_positions(d: Donnees, annee: int | None = None) -> pd.Series | None:
    """Part des articles labellisés de P2 par meilleure position d'auteur (0-1)."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p2 = _dans(articles_labellises(d, annee), periodes[1])
    if p2.empty:
        return None
    return p2["position"].value_counts(normalize=True, sort=False)


def position_premier_dernier(d: Donnees, annee: int | None = None) -> float | None:
    """Part des articles de P2 dont un membre de l'IHU est premier ou dernier auteur."""
    parts = parts_positions(d, annee)
    return None if parts is None else float(parts.reindex(POSITIONS_PREMIER_DERNIER).sum())


def position_deuxieme_avant_dernier(d: Donnees, annee: int | None = None) -> float | None:
    """Part des articles de P2 dont la meilleure position est deuxième ou avant-dernière."""
    parts = parts_positions(d, annee)
    return None if parts is None else float(parts.reindex(POSITIONS_DEUXIEME_AVANT_DERNIER).sum())


def position_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """La hausse des articles de P1 à P2 vient surtout de la position k (Δk > Δtotal / 2).

    Returns
    -------
    Tendance
        ``sens`` de P1 à P2 ; faits : ``delta_par_position``, ``delta_total``, ``part_k``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return Tendance("stable", False, {})
    art = articles_labellises(d, annee)
    p1 = _dans(art, periodes[0]).groupby("position", observed=False).size()
    p2 = _dans(art, periodes[1]).groupby("position", observed=False).size()
    delta = p2 - p1
    total = int(delta.sum())
    part_k = _part(float(delta.get("k", 0)), total) if total > 0 else None
    return Tendance(
        sens=sens_variation(int(p1.sum()), int(p2.sum())),
        verifiee=bool(total > 0 and delta.get("k", 0) > total / 2),
        faits={
            "periodes": periodes,
            "delta_par_position": delta,
            "delta_total": total,
            "part_k": part_k,
        },
    )


def _wos_france(d: Donnees) -> pd.DataFrame:
    return d.references_wos.loc[d.references_wos["perimetre"] == "France"]


def evolution_vs_france(d: Donnees, annee: int | None = None) -> pd.DataFrame | None:
    """Par IHU : croissance P1 → P2 de toute sa production SAMPRA et des articles France.

    Returns
    -------
    DataFrame or None
        Index IHU ; colonnes ``croissance_ihu``, ``croissance_france``, ``plus_rapide``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p1, p2 = periodes
    art, fr = d.articles, _wos_france(d)
    lignes = {}
    for ihu in ihu_bibliometrie(d, annee):
        a, f = art.loc[art["ihu"] == ihu], fr.loc[fr["ihu"] == ihu]
        c_ihu = variation_relative(len(_dans(a, p1)), len(_dans(a, p2)))
        c_fr = variation_relative(_dans(f, p1)["articles"].sum(), _dans(f, p2)["articles"].sum())
        lignes[ihu] = {
            "croissance_ihu": c_ihu,
            "croissance_france": c_fr,
            "plus_rapide": constats.plus_rapide(c_ihu, c_fr),
        }
    return pd.DataFrame.from_dict(lignes, orient="index")


def evolution_vs_france_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Tous les IHU sauf un croissent plus vite que la France (P1 → P2).

    Returns
    -------
    Tendance
        faits : ``tableau`` (voir :func:`evolution_vs_france`), ``moins_rapides`` (IHU).
    """
    tab = evolution_vs_france(d, annee)
    if tab is None or tab["plus_rapide"].isna().any():
        return Tendance("stable", False, {"tableau": tab})
    moins = [str(i) for i in tab.index[~tab["plus_rapide"].astype(bool)]]
    return Tendance("hausse", len(moins) == 1, {"tableau": tab, "moins_rapides": moins})


def part_france(d: Donnees, annee: int | None = None) -> pd.DataFrame | None:
    """Par IHU : articles de l'IHU / articles France (ses catégories WoS) sur P1 et P2.

    Returns
    -------
    DataFrame or None
        Index IHU ; colonnes ``part_p1``, ``part_p2``, ``hausse``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    art, fr = d.articles, _wos_france(d)
    lignes = {}
    for ihu in ihu_bibliometrie(d, annee):
        a, f = art.loc[art["ihu"] == ihu], fr.loc[fr["ihu"] == ihu]
        parts = [_part(len(_dans(a, p)), _dans(f, p)["articles"].sum()) for p in periodes]
        hausse = None if None in parts else parts[1] > parts[0]
        lignes[ihu] = {"part_p1": parts[0], "part_p2": parts[1], "hausse": hausse}
    return pd.DataFrame.from_dict(lignes, orient="index")


def part_france_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """La part de chaque IHU dans la production française augmente, sauf pour un IHU."""
    tab = part_france(d, annee)
    if tab is None or tab["hausse"].isna().any():
        return Tendance("stable", False, {"tableau": tab})
    sans = [str(i) for i in tab.index[~tab["hausse"].astype(bool)]]
    return Tendance("hausse", len(sans) == 1, {"tableau": tab, "sans_hausse": sans})


def top_cites_par_annee(d: Donnees, annee: int | None = None) -> pd.DataFrame:
    """Articles labellisés parmi les 1 % et 10 % les plus cités, par année (``top1``,
    ``top10``)."""
    art = articles_labellises(d, annee)
    table = art.groupby("annee")[["top1", "top10"]].sum()
    fin = fin_bibliometrie(d, annee)
    return table.reindex(range(PREMIERE_ANNEE, fin + 1), fill_value=0).astype("int64")


def top_cites_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Articles top 1 % et top 10 % : pente positive de 2012 à N-1, baisse en N (vs N-1).

    Returns
    -------
    Tendance
        faits : ``series``, ``pentes`` (par an, 2012..N-1), ``baisse_derniere_annee``.
    """
    annee = fin_bibliometrie(d, annee)
    table = top_cites_par_annee(d, annee)
    if len(table) < 3:
        return Tendance("stable", False, {"series": table})
    pentes = {c: pente(table[c].loc[: annee - 1]) for c in ("top1", "top10")}
    baisse = {c: bool(table[c].loc[annee] < table[c].loc[annee - 1]) for c in ("top1", "top10")}
    ok = all(p is not None and p > 0 for p in pentes.values()) and all(baisse.values())
    return Tendance(
        "hausse" if pentes["top10"] and pentes["top10"] > 0 else "stable",
        ok,
        {"series": table, "pentes": pentes, "baisse_derniere_annee": baisse},
    )


def top_cites_vs_france(d: Donnees, annee: int | None = None) -> pd.DataFrame | None:
    """Parts top 1 % / top 10 % des articles de P2, IHU contre France (mêmes catégories WoS).

    Les articles de l'IHU sont toute sa production SAMPRA de P2 ; la France est la somme des
    références WoS des IHU. La ligne ``"ensemble"`` porte les parts globales.

    Returns
    -------
    DataFrame or None
        Index IHU + ``"ensemble"`` ; colonnes ``top10_ihu``, ``top10_france``, ``top1_ihu``,
        ``top1_france``.
    """
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p2 = periodes[1]
    art = _dans(d.articles.loc[d.articles["ihu"].isin(ihu_suivis(d, annee))], p2)
    fr = _dans(_wos_france(d), p2)
    fr = fr.loc[fr["ihu"].isin(ihu_bibliometrie(d, annee))]

    def ligne(a: pd.DataFrame, f: pd.DataFrame) -> dict[str, float | None]:
        n, nf = len(a), f["articles"].sum()
        return {
            "top10_ihu": _part(a["top10"].sum(), n),
            "top10_france": _part(f["articles_top10"].sum(), nf),
            "top1_ihu": _part(a["top1"].sum(), n),
            "top1_france": _part(f["articles_top1"].sum(), nf),
        }

    lignes = {
        i: ligne(art.loc[art["ihu"] == i], fr.loc[fr["ihu"] == i])
        for i in ihu_bibliometrie(d, annee)
    }
    lignes["ensemble"] = ligne(art, fr)
    return pd.DataFrame.from_dict(lignes, orient="index").astype("float64")


def top_cites_vs_france_tendance(d: Donnees, annee: int | None = None) -> Tendance:
    """Part d'articles très cités plus élevée dans les IHU qu'en France (P2).

    Vérifié si les parts top 10 % et top 1 % globales des IHU dépassent celles de la France
    et si la part top 10 % de chaque IHU dépasse celle de la France sur ses catégories.
    """
    tab = top_cites_vs_france(d, annee)
    if tab is None or tab.isna().any().any():
        return Tendance("stable", False, {"tableau": tab})
    ens = tab.loc["ensemble"]
    par_ihu = tab.drop(index="ensemble")
    en_dessous = [str(i) for i in par_ihu.index[par_ihu["top10_ihu"] <= par_ihu["top10_france"]]]
    ok = bool(
        ens["top10_ihu"] > ens["top10_france"]
        and ens["top1_ihu"] > ens["top1_france"]
        and not en_dessous
    )
    return Tendance(
        sens_variation(ens["top10_france"], ens["top10_ihu"]),
        ok,
        {"tableau": tab, "ihu_top10_sous_france": en_dessous},
    )


def remerciements(d: Donnees, annee: int | None = None) -> float | None:
    """Part des articles labellisés de P2 qui remercient l'aide de l'État (0-1)."""
    annee = _cible(d, annee)
    periodes = periodes_bibliometrie(d, annee)
    if periodes is None:
        return None
    p2 = _dans(articles_labellises(d, annee), periodes[1])
    return None if p2.empty else float(p2["remerciement"].mean())
