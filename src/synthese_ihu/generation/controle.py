"""Garde-fou de la génération : recalcule chaque chiffre publié depuis les tableaux générés.

Calculs volontairement directs (``docs/definitions.md``), indépendants du chargeur officiel
(``synthese_ihu.donnees``) et des fonctions d'indicateurs : une divergence lève une erreur avant
toute écriture. Les constats (baisse depuis, tous sauf un, plateau…) sont décidés par les règles
de :mod:`synthese_ihu.constats`, les mêmes que celles du rapport, sur les séries recalculées ici.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from synthese_ihu import constats
from synthese_ihu.generation.parametres import C, D, N

#: Périodes comparées de l'édition publiée (cinq ans chacune).
P1, P2 = range(D, D + 5), range(N - 4, N + 1)
SECTIONS = ["finance", "research", "attractiveness", "training", "valorisation", "care",
            "cofinancing", "context"]


class ErreurGeneration(ValueError):
    """Le jeu généré ne redonne pas un chiffre publié ou viole une contrainte."""


def _dernieres(df: pd.DataFrame, cles: list[str]) -> pd.DataFrame:
    """Valeurs de campagne ``<= N`` : la campagne la plus récente l'emporte par clé."""
    df = df[(df["campagne"] <= N) & (df["annee"] <= N)]
    return df.sort_values("campagne", kind="stable").drop_duplicates(cles, keep="last")


def _pente(y) -> float:
    y = np.asarray(y, dtype=float)
    return float(np.polyfit(np.arange(len(y)), y, 1)[0])


def calculer(jeu) -> dict:
    """Recalcule les chiffres publiés et les tendances depuis le jeu généré.

    Parameters
    ----------
    jeu : synthese_ihu.generation.series.Jeu
        Jeu de référence en mémoire.

    Returns
    -------
    dict
        Identifiant du YAML -> valeur (euros ou pourcentage non arrondis, compte, couple
        ``(min, max)`` ou booléen pour une tendance).
    """
    c, k = jeu.csv, jeu.campagnes
    ref = c["referentiel/ihu.csv"]
    suivis = ref[ref["premiere_annee_indicateurs"].notna()
                 & (ref["premiere_annee_indicateurs"] <= N)]
    prem = dict(zip(suivis["ihu"], suivis["premiere_annee_indicateurs"].astype(int),
                    strict=True))
    r: dict = {
        "ihu_selected_2011": int((ref["annee_selection"] == 2011).sum()),
        "ihu_selected_2018": int((ref["annee_selection"] == 2018).sum()),
        "ihu_selected_2023": int((ref["annee_selection"] == 2023).sum()),
        "ihu_followed": len(prem)}

    # finances
    dot = c["agence/dotations.csv"]
    engage = dot.loc[dot["annee_engagement"] <= N, "montant_eur"].sum()
    ver = c["agence/versements.csv"]
    ver = ver[ver["annee"] <= N]
    dep = _dernieres(k["Depenses"], ["ihu", "annee", "nature"])
    dep = dep[dep["ihu"].isin(prem)]
    r |= {"dotation_engagee": engage, "verse_cumul": ver["montant_eur"].sum(),
          "verse_annee": ver.loc[ver["annee"] == N, "montant_eur"].sum(),
          "depenses_cumul": dep["montant_eur"].sum(),
          "depenses_annee": dep.loc[dep["annee"] == N, "montant_eur"].sum()}
    r["verse_cumul_part_dotation"] = 100 * r["verse_cumul"] / engage
    r["depenses_cumul_part_dotation"] = 100 * r["depenses_cumul"] / engage
    nat = dep.pivot_table(index="annee", columns="nature", values="montant_eur", aggfunc="sum")
    equip = nat["equipement_immobilier"] + nat["equipement_mobilier"]
    fonct = nat["personnel"] + nat["fonctionnement"]
    avant, apres = nat.index <= 2018, nat.index >= 2019
    prev = c["agence/repartition_previsionnelle.csv"].groupby("nature")["montant_eur"].sum()
    cumul = nat.cumsum()
    ecart = (cumul.div(cumul.sum(axis=1), axis=0) - prev / prev.sum()).abs().sum(axis=1)
    r["depenses_nature"] = bool(
        (equip[avant] > fonct[avant]).all() and (fonct[apres] > equip[apres]).all()
        and (nat[apres].idxmax(axis=1) == "personnel").all()
        and (np.diff(ecart.loc[2016:].to_numpy()) < 0).all())
    par_ihu = dep.pivot_table(index="ihu", columns="nature", values="montant_eur",
                              aggfunc="sum")
    part_eq = 100 * (par_ihu["equipement_immobilier"] + par_ihu["equipement_mobilier"]) \
        / par_ihu.sum(axis=1)
    r["depenses_nature_par_ihu"] = bool(part_eq.max() - part_eq.min() > 30)

    # indicateurs de campagne (périmètre labellisé)
    ind = _dernieres(k["Indicateurs"], ["ihu", "annee", "indicateur"])
    ind = ind[ind["ihu"].isin(prem) & (ind["annee"] >= ind["ihu"].map(prem))]
    tab = {nom: g.pivot_table(index="annee", columns="ihu", values="valeur", aggfunc="sum")
           for nom, g in ind.groupby("indicateur")}

    def annee_et_cumul(nom, cle, cle_cumul=None):
        t = tab[nom]
        r[cle] = int(t.loc[N].sum())
        r[cle + "_range"] = (int(t.loc[N].min()), int(t.loc[N].max()))
        if cle_cumul:
            cu = t.loc[D:N].sum()
            r[cle_cumul], r[cle_cumul + "_range"] = int(cu.sum()), (int(cu.min()), int(cu.max()))
        return t.sum(axis=1)

    pr = annee_et_cumul("projets_recherche", "projets_annee")
    r["projets_tendance"] = constats.fin_hausse_puis_plateau(pr.loc[D:N]) == 2018
    ch = annee_et_cumul("chercheurs_etrangers", "chercheurs_etrangers_annee",
                        "chercheurs_etrangers_cumul")
    r["chercheurs_etrangers_tendance"] = constats.repli_puis_reprise(ch.loc[D:N], N)
    annee_et_cumul("etudiants_double_cursus", "etudiants_double_cursus_annee")
    r["etudiants_double_cursus_range"] = r.pop("etudiants_double_cursus_annee_range")
    et = tab["etudiants_double_cursus"]
    hausse = (et.loc[2021] - et.loc[2019]).sort_values(ascending=False)
    r["etudiants_tendance"] = bool(hausse.sum() > 0 and hausse.iloc[:2].sum() >= 0.8 * hausse.sum())
    br = tab["brevets_deposes"]
    r["brevets_annee"] = int(br.loc[N].sum())
    cu = br.loc[D:N].sum()
    r["brevets_cumul"], r["brevets_cumul_range"] = int(cu.sum()), (int(cu.min()), int(cu.max()))
    annee_et_cumul("brevets_actifs", "brevets_actifs")
    re_ = tab["recommandations"].loc[D:N].sum()
    r["recommandations_cumul"] = int(re_.sum())
    r["recommandations_cumul_range"] = (int(re_.min()), int(re_.max()))
    es = annee_et_cumul("essais_cliniques", "essais_cliniques_annee")
    r["essais_cliniques_range"] = r.pop("essais_cliniques_annee_range")
    ef = c["contexte/essais_cliniques_france.csv"].set_index("annee")["essais_en_cours"]
    r["essais_cliniques_part_france"] = 100 * r["essais_cliniques_annee"] / ef[N]
    r["essais_cliniques_tendance"] = bool(constats.debut_baisse(es.loc[D:N], N) == 2020
                                          and constats.hausse_chaque_annee(ef, 2020, N))

    # brevets : parts du contexte INPI
    inpi = c["contexte/brevets_inpi.csv"]
    inpi = inpi[inpi["annee"] == N]
    regions = set(ref.loc[ref["ihu"].isin(prem), "region"])

    def depots(terr, perim):
        return inpi.loc[inpi["territoire"].isin(terr) & (inpi["perimetre"] == perim),
                        "depots"].sum()

    r["brevets_part_france"] = 100 * r["brevets_annee"] / depots(["France"], "tous_domaines")
    r["brevets_part_regions"] = 100 * r["brevets_annee"] / depots(regions, "tous_domaines")
    r["brevets_part_regions_domaines"] = 100 * r["brevets_annee"] / depots(regions,
                                                                           "domaines_ihu")

    # start-up : liste de la campagne la plus récente de chaque IHU
    su = k["Startups"]
    su = su[su["ihu"].isin(prem) & (su["campagne"] <= N)]
    su = su[su["campagne"] == su.groupby("ihu")["campagne"].transform("max")]
    r["startups_annee"] = int((su["annee_creation"] == N).sum())
    r["startups_cumul"] = int(su["annee_creation"].between(D, N).sum())
    r["startups_actives_plus_3_ans"] = int(((su["annee_creation"] <= N - 3)
                                            & (su["statut"] == "active")).sum())

    # bibliométrie
    art = c["bibliometrie/sampra_articles.csv"]
    art = art[art["ihu"].isin(prem) & art["annee"].between(D, N)]
    lab = art[art["annee"] >= art["ihu"].map(prem)]
    a1, a2 = lab[lab["annee"].isin(P1)], lab[lab["annee"].isin(P2)]
    r["articles_cumul"] = len(lab)
    r["articles_evolution"] = 100 * (len(a2) / len(a1) - 1)
    evo_cat = a2["categorie"].value_counts() / a1["categorie"].value_counts() - 1
    r["articles_evolution_cat_e"] = 100 * evo_cat["E"]
    r["articles_evolution_cat_e_autres"] = bool((evo_cat.drop("E") > 0).all())
    r["position_premier_dernier"] = 100 * a2["position"].isin(["1", "DA"]).mean()
    r["position_deuxieme_avant_dernier"] = 100 * a2["position"].isin(["2", "PA"]).mean()
    dpos = a2["position"].value_counts() - a1["position"].value_counts()
    r["position_tendance"] = bool(dpos["k"] > (len(a2) - len(a1)) / 2)
    wos = c["bibliometrie/references_wos.csv"]
    fr = wos[wos["perimetre"] == "France"]
    plus_vite, part_hausse = {}, {}
    for ihu in prem:
        tout = art[art["ihu"] == ihu]
        f = fr[fr["ihu"] == ihu].set_index("annee")
        n1, n2 = tout["annee"].isin(P1).sum(), tout["annee"].isin(P2).sum()
        f1, f2 = f.loc[list(P1), "articles"].sum(), f.loc[list(P2), "articles"].sum()
        plus_vite[ihu] = n2 / n1 > f2 / f1
        part_hausse[ihu] = n2 / f2 > n1 / f1
        if not (f["articles"] > tout.groupby("annee").size().reindex(f.index, fill_value=0)).all():
            raise ErreurGeneration(f"références WoS : France <= articles de {ihu}")
        a2i = a2[a2["ihu"] == ihu]
        if not a2i["top10"].mean() > f.loc[list(P2), "articles_top10"].sum() / f2:
            r["top_cites_vs_france_ihu"] = False
    r["evolution_vs_france"] = constats.nombre_sauf(pd.Series(plus_vite)) == 1
    r["part_france"] = constats.nombre_sauf(pd.Series(part_hausse)) == 1
    tops = lab.groupby("annee")[["top1", "top10"]].sum()
    r["top_cites"] = bool(all(_pente(tops.loc[D:N - 1, t]) > 0 and tops.at[N, t] < tops.at[N - 1, t]
                              for t in ("top1", "top10")))
    fr2 = fr[fr["annee"].isin(P2)]
    r["top_cites_vs_france"] = bool(
        a2["top10"].mean() > fr2["articles_top10"].sum() / fr2["articles"].sum()
        and a2["top1"].mean() > fr2["articles_top1"].sum() / fr2["articles"].sum()
        and r.pop("top_cites_vs_france_ihu", True))
    r["remerciements"] = 100 * a2["remerciement"].mean()

    # cofinancements
    cof = _dernieres(k["Cofinancements"], ["ihu", "annee", "origine"])
    cof = cof[cof["ihu"].isin(prem) & cof["annee"].between(C, N)]
    r["cofinancements_cumul"] = cof["montant_eur"].sum()
    r["cofinancements_annee"] = cof.loc[cof["annee"] == N, "montant_eur"].sum()
    r["effet_levier"] = 100 * r["cofinancements_cumul"] / r["verse_cumul"]
    lev = 100 * cof.groupby("ihu")["montant_eur"].sum() / ver.groupby("ihu")["montant_eur"].sum()
    r["effet_levier_range"] = (lev.min(), lev.max())
    orig = 100 * cof.groupby("origine")["montant_eur"].sum() / r["cofinancements_cumul"]
    for o in orig.index:
        r[f"origine_{o}"] = orig[o]
    decl = cof.groupby(["ihu", "annee"])["montant_eur"].sum()
    attendues = {(i, a) for i in prem for a in range(max(C, prem[i]), N + 1)}
    manquantes = attendues - set(decl[decl > 0].index)
    r["cofinancements_declarants"] = bool(all((i, N) not in manquantes for i in prem)
                                          and len(manquantes) > 0)

    cr = c["contexte/creations_entreprises_sante.csv"]
    cr = cr[cr["annee"] == N].set_index("territoire")["creations"]
    r["creations_entreprises_sante_france"] = int(cr["France"])
    r["creations_entreprises_sante_regions"] = int(cr["regions_ihu"])
    return r


def _conforme(item: dict, valeur) -> bool:
    """Compare une valeur recalculée à la valeur publiée, à la précision imprimée."""
    def proche(x, publie, signe=1):
        txt = str(publie)
        dec = len(txt.split(".")[1]) if "." in txt else 0
        x = x / 1e6 if item.get("unit") == "M€" and item["kind"] == "total" else x
        return abs(x - signe * publie) < 0.5 * 10 ** -dec - 1e-9

    if item["kind"] == "range":
        return proche(valeur[0], item["min"]) and proche(valeur[1], item["max"])
    return proche(valeur, item["value"], -1 if item.get("sign") == "-" else 1)


def verifier(jeu, fig: dict) -> dict:
    """Vérifie chaque chiffre publié et les contraintes de vraisemblance ; lève si un échoue.

    Parameters
    ----------
    jeu : synthese_ihu.generation.series.Jeu
        Jeu de référence en mémoire.
    fig : dict
        Chiffres publiés (``published_figures.yaml``).

    Returns
    -------
    dict
        Identifiant -> ``(valeur recalculée, conforme)`` pour chaque élément vérifié.

    Raises
    ------
    ErreurGeneration
        Liste de tous les éléments non conformes.
    """
    r = calculer(jeu)
    bilan, erreurs = {}, []
    for cle, publie in fig["programme"].items():
        bilan[cle] = (r[cle], r[cle] == publie)
    for section in SECTIONS:
        for item in fig[section]:
            i = item["id"]
            if item["kind"] == "context" and "value" not in item:
                continue
            if i not in r:
                erreurs.append(f"{i} : non recalculé par le contrôle")
                continue
            ok = bool(r[i]) if item["kind"] == "trend" else _conforme(item, r[i])
            if i == "articles_evolution_cat_e":
                ok = ok and r["articles_evolution_cat_e_autres"]
            bilan[i] = (r[i], ok)
    erreurs += [f"{i} : obtenu {v!r}" for i, (v, ok) in bilan.items() if not ok]
    erreurs += _vraisemblance(jeu)
    if erreurs:
        raise ErreurGeneration("jeu de référence non conforme :\n- " + "\n- ".join(erreurs))
    return bilan


def _vraisemblance(jeu) -> list[str]:
    """Contraintes non publiées : signes, versements couverts, réactualisations, start-up,
    faits marquants."""
    c, k, err = jeu.csv, jeu.campagnes, []
    for nom, df in list(c.items()) + list(k.items()):
        for col in ("montant_eur", "valeur", "depots", "articles", "creations"):
            if col in df and (pd.to_numeric(df[col]) < 0).any():
                err.append(f"{nom} : {col} négatif")
    dot = c["agence/dotations.csv"]
    ver = c["agence/versements.csv"]
    for ihu, g in ver.groupby("ihu"):
        d = dot[dot["ihu"] == ihu]
        for a, cumul in g.sort_values("annee").set_index("annee")["montant_eur"].cumsum().items():
            if cumul > d.loc[d["annee_engagement"] <= a, "montant_eur"].sum():
                err.append(f"versements {ihu} : cumul {a} au-delà de la dotation engagée")
    for rea in jeu.reactualisations:
        if rea["valeur_initiale"] == rea["valeur_finale"] or rea["annee"] >= rea["campagne"]:
            err.append(f"réactualisation sans effet : {rea}")
    su = k["Startups"].sort_values("campagne")
    for (ihu, nom), g in su.groupby(["ihu", "nom"]):
        st = g["statut"].tolist()
        if st != sorted(st, key=lambda s: s != "active") or len(set(st) - {"active"}) > 1:
            err.append(f"start-up {ihu}/{nom} : statuts incohérents {st}")
    if c["bibliometrie/sampra_articles.csv"]["id_article"].duplicated().any():
        err.append("sampra_articles : id_article en double")
    return err + _faits_marquants(jeu) + _bibliometrie_vraisemblable(jeu)


def _bibliometrie_vraisemblable(jeu, ecart_min: float | None = None) -> list[str]:
    """Figures de bibliométrie qui ne doivent pas sembler inventées.

    - évolution par catégorie de revue (hors E) : l'écart entre la plus forte et la plus faible
      est d'au moins ``ecart_min`` points (``ECART_MIN_CATEGORIES``) — une figure où toutes les
      catégories progressent du même pourcentage est refusée ;
    - références Web of Science : la production mondiale croît au moins autant que la
      française dans les catégories de chaque IHU, et certains IHU (pas tous, pas aucun parmi
      ceux qui dépassent la France) croissent plus vite que le monde.
    """
    from synthese_ihu.generation.parametres import ECART_MIN_CATEGORIES

    seuil = ECART_MIN_CATEGORIES if ecart_min is None else ecart_min
    c, err = jeu.csv, []
    ref = c["referentiel/ihu.csv"]
    prem = dict(zip(ref["ihu"], ref["premiere_annee_indicateurs"], strict=True))
    prem = {i: int(a) for i, a in prem.items() if pd.notna(a) and a <= N}
    art = c["bibliometrie/sampra_articles.csv"]
    art = art[art["ihu"].isin(prem) & art["annee"].between(D, N)]
    lab = art[art["annee"] >= art["ihu"].map(prem)]
    evo = 100 * (lab.loc[lab["annee"].isin(P2), "categorie"].value_counts()
                 / lab.loc[lab["annee"].isin(P1), "categorie"].value_counts() - 1)
    hors_e = evo.drop("E")
    if hors_e.max() - hors_e.min() < seuil:
        err.append(f"articles : évolutions par catégorie trop proches ({hors_e.min():.1f} à "
                   f"{hors_e.max():.1f} %, écart minimal {seuil:.0f} points)")
    wos = c["bibliometrie/references_wos.csv"]
    plus_vite_france = plus_vite_monde = 0
    for ihu in prem:
        tout = art[art["ihu"] == ihu]
        g = tout["annee"].isin(P2).sum() / tout["annee"].isin(P1).sum()
        w = wos[wos["ihu"] == ihu]
        croissance = {}
        for perimetre in ("France", "Monde"):
            x = w[w["perimetre"] == perimetre]
            croissance[perimetre] = (x.loc[x["annee"].isin(P2), "articles"].sum()
                                     / x.loc[x["annee"].isin(P1), "articles"].sum())
        if croissance["Monde"] < croissance["France"]:
            err.append(f"références WoS {ihu} : le monde croît moins vite que la France")
        plus_vite_france += bool(constats.plus_rapide(g, croissance["France"]))
        plus_vite_monde += bool(constats.plus_rapide(g, croissance["Monde"]))
    if not 0 < plus_vite_monde < plus_vite_france:
        err.append(f"références WoS : {plus_vite_monde} IHU plus rapides que le monde pour "
                   f"{plus_vite_france} plus rapides que la France (attendu : certains, pas tous)")
    return err


#: Effectifs écrits en toutes lettres dans les faits marquants.
_EN_LETTRES = dict(enumerate(
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf vingt".split()))


def _faits_marquants(jeu) -> list[str]:
    """Paragraphes des faits marquants : clé unique, tableaux connus, effectifs annoncés.

    Le paragraphe suivi d'un tableau annonce un effectif d'IHU (« douze nouveaux IHU », « sept
    IHU ») : c'est celui du tableau (IHU retenus, IHU membres de MEDITWIN).
    """
    c, err = jeu.csv, []
    fm = c["faits_marquants/faits_marquants.csv"]
    if fm.duplicated(["edition", "ordre"]).any():
        err.append("faits_marquants : (edition, ordre) en double")
    if fm["texte"].isna().any() or (fm["texte"].str.strip() == "").any():
        err.append("faits_marquants : paragraphe sans texte")
    if N not in set(fm["edition"]):
        err.append(f"faits_marquants : aucun paragraphe pour l'édition {N}")
    meditwin = c["faits_marquants/meditwin_partenaires.csv"]
    effectifs = {"ihu_selectionnes": len(c["faits_marquants/ihu_selectionnes_2023.csv"]),
                 "meditwin": int((meditwin["type"] == "IHU").sum())}
    for ligne in fm.itertuples(index=False):
        if pd.isna(ligne.tableau):
            continue
        if ligne.tableau not in effectifs or not effectifs[ligne.tableau]:
            err.append(f"faits_marquants {ligne.edition}/{ligne.ordre} : tableau "
                       f"« {ligne.tableau} » inconnu ou vide")
            continue
        n = effectifs[ligne.tableau]
        motif = rf"\b(?:{n}|{_EN_LETTRES.get(n, n)})(?: nouveaux)? IHU\b"
        if not re.search(motif, ligne.texte):
            err.append(f"faits_marquants {ligne.edition}/{ligne.ordre} : le texte n'annonce pas "
                       f"les {n} IHU du tableau « {ligne.tableau} »")
    return err
