"""Chaque constat imprimé, relu sur les données publiées de son année.

Les carnets exécutés d'une construction portent, pour chaque paragraphe ``%%recit`` affiché, les
faits qu'il énonce (métadonnée ``synthese_recit`` : références citées, conditions ``--si`` /
``--sauf``, avec leur valeur). Ce module relit ces faits et les confronte aux données publiées
du rapport (``donnees/*.csv``) — ou, pour un constat par IHU que les CSV anonymes ne portent pas,
aux tableaux chargés en mémoire — par des calculs écrits ici, directement sur ces tableaux, sans
appeler la fonction qui a décidé le constat.

Une règle par fait du récit (:data:`VERIFICATIONS`) ; un fait des constats
(:data:`synthese_ihu.valeurs.FAITS`) imprimé sans vérification ni exemption motivée
(:data:`EXEMPTS`) est lui-même une erreur.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synthese_ihu.cadre import annees_posterieures
from synthese_ihu.constats import SEUILS
from synthese_ihu.valeurs import FAITS

#: Faits des constats qui ne sont pas des constats sur les données de l'année, et pourquoi.
EXEMPTS = {
    **dict.fromkeys(["annee_ihu3", "fin_prolongation_pia1", "nb_suivis_ihu1", "nb_suivis_ihu2",
                     "nb_suivis_ihu3", "appel_ihu1_connu", "appel_ihu2_connu",
                     "appel_ihu3_connu"], "référentiel des IHU (appels, dates), pas une série"),
    **dict.fromkeys(["part_revues_a", "part_revues_b", "part_revues_c", "part_revues_d",
                     "part_revues_e"], "constante de la méthode SAMPRA"),
    **dict.fromkeys(["edition_precedente", "nb_chiffres_precedente", "nb_chiffres_revises",
                     "nb_chiffres_inchanges", "nb_valeurs_revisees", "nb_extractions_revisees",
                     "sources_sans_millesime"],
                    "révisions entre deux éditions : tests/revisions/ les recalcule"),
    **dict.fromkeys(["depots_regions", "depots_regions_domaines"],
                    "dépôts de contexte (INPI) recopiés tels quels"),
    **dict.fromkeys(["fin_versements", "fin_inpi", "fin_creations", "depenses_cumul_dotes"],
                    "couverture ou montant vérifié par les tests de données"),
}


@dataclass(frozen=True)
class Enonce:
    """Un paragraphe affiché : carnet, cellule et faits énoncés (nom -> valeur)."""

    carnet: str
    cellule: str
    faits: dict[str, Any]


def enonces(carnets: Path) -> list[Enonce]:
    """Les paragraphes ``%%recit`` affichés dans les carnets exécutés d'une année."""
    resultat = []
    for chemin in sorted(carnets.glob("*.ipynb")):
        for cellule in json.loads(chemin.read_text(encoding="utf-8"))["cells"]:
            for sortie in cellule.get("outputs", []):
                meta = sortie.get("metadata", {}).get("synthese_recit")
                if meta is None:
                    continue
                faits = {nom: v for nom, v in meta["faits"].items()}
                faits |= {c["reference"]: c["valeur"] for c in meta["conditions"]}
                faits = {n.removeprefix("v."): v for n, v in faits.items() if n.startswith("v.")}
                resultat.append(Enonce(chemin.name, cellule["id"], faits))
    return resultat


@dataclass
class Publie:
    """Les données publiées d'un rapport (``donnees/*.csv``) et, pour les constats par IHU, les
    tableaux de la vue de l'année chargés en mémoire."""

    annee: int
    dossier: Path
    racine_donnees: Path | None = None
    _csv: dict[str, pd.DataFrame] = field(default_factory=dict)

    def csv(self, nom: str) -> pd.DataFrame:
        if nom not in self._csv:
            chemin = self.dossier / "donnees" / f"{nom}.csv"
            self._csv[nom] = pd.read_csv(chemin) if chemin.exists() else pd.DataFrame()
        return self._csv[nom]

    def serie(self, nom: str, colonne: str, **filtre: str) -> pd.Series:
        t = self.csv(nom)
        if t.empty:
            return pd.Series(dtype=float)
        for cle, valeur in filtre.items():
            t = t.loc[t[cle] == valeur]
        return t.groupby("annee")[colonne].sum().astype(float).sort_index()

    @cached_property
    def suivis(self) -> pd.Series:
        """IHU suivis par année, lus dans les exports des figures annuelles."""
        for nom in ("projets_annee", "chercheurs_etrangers_annee", "startups_annee"):
            t = self.csv(nom)
            if not t.empty:
                return t.set_index("annee")["ihu_suivis"].astype(int).sort_index()
        return pd.Series(dtype=int)

    @cached_property
    def vue(self):
        from synthese_ihu.donnees import charger

        racine = None if self.racine_donnees is None else self.racine_donnees / "raw"
        return charger(racine).pour_annee(self.annee)


# --- lectures directes des séries ---------------------------------------------------------------
def _run(s: pd.Series, fin: int, signe: int) -> int | None:
    """Première année Y telle que chaque année de Y à ``fin`` varie dans le sens ``signe``."""
    if fin not in s.index or fin - 1 not in s.index:
        return None
    if not signe * (s[fin] - s[fin - 1]) > 0:
        return None
    y = fin
    while y - 2 in s.index and signe * (s[y - 1] - s[y - 2]) > 0:
        y -= 1
    return y


def _forme(s: pd.Series) -> dict[str, Any] | None:
    if len(s) < 2:
        return None
    debut, fin = int(s.index.min()), int(s.index.max())
    pic = s.max()
    hausse = _run(s, fin, +1)
    repli = _run(s, hausse - 1, -1) if hausse is not None and hausse - 1 > debut else None
    var = s[fin] / s[fin - 1] - 1 if s[fin - 1] else None
    return {
        "pic": pic, "pic_annee": int(s.index[s == pic][0]), "valeur_debut": s[debut],
        "hausse_continue": bool((s.diff().dropna() > 0).all()),
        "baisse_depuis": _run(s, fin, -1), "hausse_depuis": hausse,
        "repli_debut": repli, "repli_fin": None if repli is None else hausse - 1,
        "repli_un_an": repli is not None and repli == hausse - 1,
        "reprise_un_an": hausse is not None and hausse == fin,
        "baisse_un_an": _run(s, fin, -1) == fin,
        "hausse_legere": var is not None and 0 < var < SEUILS["leger"], "variation_fin": var,
    }


SERIES: dict[str, Callable[[Publie], pd.Series]] = {
    "projets": lambda p: p.serie("projets_annee", "projets"),
    "chercheurs": lambda p: p.serie("chercheurs_etrangers_annee", "chercheurs"),
    "etudiants": lambda p: p.serie("etudiants_double_cursus_annee", "etudiants"),
    "essais": lambda p: p.serie("essais_cliniques_annee", "essais", serie="IHU"),
    "articles": lambda p: p.serie("articles_categorie_annee", "articles"),
}


#: Faits relus dans un export arrondi (évolutions en % à deux décimales) : écart toléré.
TOLERANCES = {"articles_evolution": 5e-5, "categorie_baisse_evolution": 5e-5}


def _egal(valeur: Any, attendu: Any, tolerance: float = 1e-9) -> bool:
    if attendu is None or valeur is None:
        return valeur is None and attendu is None
    if isinstance(attendu, bool | np.bool_) or isinstance(valeur, bool):
        return bool(valeur) == bool(attendu)
    if isinstance(attendu, str) or isinstance(valeur, str):
        return str(valeur) == str(attendu)
    return abs(float(valeur) - float(attendu)) <= tolerance * max(1.0, abs(float(attendu)))


#: Série de forme -> indicateur de campagne (les articles viennent de l'export SAMPRA).
_INDICATEURS = {"projets": "projets_recherche", "chercheurs": "chercheurs_etrangers",
                "etudiants": "etudiants_double_cursus", "essais": "essais_cliniques"}


def _par_ihu(prefixe: str, p: Publie) -> pd.DataFrame:
    """Années × IHU de la série (tableaux en mémoire, périmètre labellisé)."""
    premiere = p.vue.ihu.set_index("ihu")["premiere_annee_indicateurs"]
    if prefixe == "articles":
        t = p.vue.articles.loc[p.vue.articles["annee"].between(2012, _fin_biblio(p))]
        t = t.assign(valeur=1)
    else:
        t = p.vue.indicateurs.loc[(p.vue.indicateurs["indicateur"] == _INDICATEURS[prefixe])
                                  & p.vue.indicateurs["annee"].between(2012, p.annee)]
    t = t.loc[(t["annee"] >= t["ihu"].map(premiere).astype(float)).fillna(False).astype(bool)]
    return t.pivot_table(index="annee", columns="ihu", values="valeur", aggfunc="sum")


def _constante(t: pd.DataFrame, annee: int) -> tuple[float, float, float]:
    """(avant, après, apport des entrants) de ``annee - 1`` à ``annee``."""
    a, b = t.loc[annee - 1], t.loc[annee]
    deux = a.notna() & b.notna()
    return float(a[deux].sum()), float(b[deux].sum()), float(b[a.isna() & b.notna()].sum())


def _verif_forme(prefixe: str, champ: str) -> Callable[[Any, Enonce, Publie], Any]:
    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        f = _forme(SERIES[prefixe](p))
        if champ == "pic_entree":
            if f is None:
                return False
            a = f["pic_annee"]
            if not (a - 1 in p.suivis.index and p.suivis[a] > p.suivis[a - 1]):
                return False
            t = _par_ihu(prefixe, p)
            apport = _constante(t, a)[2]
            autres = t.sum(axis=1).drop(index=a)
            return bool(apport > 0 and t.loc[a].sum() - apport < autres.max())
        if champ == "hausse_continue" and f is not None and f[champ]:
            t = _par_ihu(prefixe, p)
            return all(_constante(t, a)[1] > _constante(t, a)[0] for a in t.index[1:])
        return None if f is None else f[champ]

    return verifier


def _entrees(p: Publie) -> list[tuple[int, int]]:
    d = p.suivis.diff().dropna()
    return [(int(a), int(n)) for a, n in d.items() if n > 0]


def _entree(rang: int, quoi: str) -> Callable[[Any, Enonce, Publie], Any]:
    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        ent = _entrees(p)
        if len(ent) <= rang:
            return None
        annee, n = ent[rang]
        return {"annee": annee, "nb": n, "avant": annee - 1,
                "apres": int(p.suivis[annee])}[quoi]

    return verifier


def _projets_fin_hausse(valeur: Any, e: Enonce, p: Publie) -> Any:
    s = SERIES["projets"](p)
    for i, a in enumerate(s.index[1:-1], start=1):
        if not s[a] > s[s.index[i - 1]]:
            return None
        apres = s.loc[s.index > a]
        if (abs(apres / s[a] - 1) <= 0.05).all():
            return int(a)
    return None


def _projets_entree(quoi: str) -> Callable[[Any, Enonce, Publie], Any]:
    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        fin = _projets_fin_hausse(None, e, p)
        if fin is None:
            return None
        ent = [(a, n) for a, n in _entrees(p) if a > fin]
        if not ent:
            return None
        return ent[0][0] if quoi == "annee" else sum(n for _, n in ent)

    return verifier


def _essais_france_hausse(valeur: Any, e: Enonce, p: Publie) -> Any:
    ihu = SERIES["essais"](p)
    depuis = _run(ihu, p.annee, -1)
    if depuis is None:
        return None
    fr = p.serie("essais_cliniques_annee", "essais", serie="France")
    return all(a in fr.index and a - 1 in fr.index and fr[a] > fr[a - 1]
               for a in range(depuis, p.annee + 1))


def _evolutions(p: Publie) -> pd.Series:
    t = p.csv("evolution_categories")
    return t.set_index("categorie")["evolution_pct"] if not t.empty else pd.Series(dtype=float)


def _categories(p: Publie) -> pd.Series:
    return _evolutions(p).drop("Ensemble", errors="ignore").dropna()


def _categorie_baisse(valeur: Any, e: Enonce, p: Publie) -> Any:
    baisse = _categories(p).loc[lambda x: x < 0]
    return str(baisse.index[0]) if len(baisse) == 1 else None


def _compte_ecarts(imprime: Any, ecarts: pd.Series, au_dessus: bool) -> int:
    """IHU au-dessus (ou non) de leur référence d'après les écarts publiés, arrondis à la
    précision de la figure : un écart publié « 0 » ne tranche pas, l'IHU peut compter d'un côté
    comme de l'autre. Rend le nombre imprimé s'il tient dans cet intervalle, sinon la borne la
    plus proche (l'écart est alors signalé)."""
    strict = int((ecarts > 0).sum()) if au_dessus else int((ecarts < 0).sum())
    large = strict + int((ecarts == 0).sum())
    ok = isinstance(imprime, int | float) and not isinstance(imprime, bool)
    return imprime if ok and strict <= imprime <= large else strict


def _croissance(p: Publie) -> pd.DataFrame:
    t = p.csv("croissance_ihu_france_monde")
    if t.empty:
        return t
    # écart en points de chaque IHU (anonyme) à la croissance de sa référence France et monde
    return t.pivot_table(index="rang", columns="reference", values="ecart_points")


def _periodes_publiees(p: Publie) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Périodes comparées P1 et P2, lues dans les libellés publiés (« 2012–2016 »)."""
    t = p.csv("part_production_francaise")
    if t.empty:
        return None
    libelles = t.drop_duplicates("periode").set_index("periode")["libelle_periode"]

    def bornes(texte: str) -> tuple[int, int]:
        debut, _, fin = str(texte).partition("\u2013")
        return int(debut), int(fin or debut)

    return bornes(libelles["P1"]), bornes(libelles["P2"])


def _plus_vite_monde(valeur: Any, e: Enonce, p: Publie) -> Any:
    # l'écart au monde n'est plus publié par IHU (il se retrancherait de l'écart à la France) :
    # recalculé sur les tableaux en mémoire (articles SAMPRA, références monde du WoS)
    periodes = _periodes_publiees(p)
    if periodes is None:
        return None
    art, ref = p.vue.articles, p.vue.references_wos
    monde = ref.loc[ref["perimetre"].astype(str) == "Monde"]
    ecarts = []
    for ihu in sorted(set(monde["ihu"].astype(str))):
        annees = art.loc[art["ihu"].astype(str) == ihu, "annee"]
        m = monde.loc[monde["ihu"].astype(str) == ihu]
        n1, n2 = (int(annees.between(*q).sum()) for q in periodes)
        m1, m2 = (float(m.loc[m["annee"].between(*q), "articles"].sum()) for q in periodes)
        if n1 and m1:
            ecarts.append((n2 / n1) - (m2 / m1))
    return _compte_ecarts(valeur, pd.Series(ecarts, dtype=float), True)


def _part_france(p: Publie) -> pd.DataFrame:
    t = p.csv("part_production_francaise")
    if t.empty:
        return t
    return t.pivot_table(index="rang", columns="periode", values="part_pct")


def _top_ihu(p: Publie) -> pd.DataFrame:
    t = p.csv("top_cites_ihu_france")
    return t.loc[t["indicateur"] == "top10"] if not t.empty else t


def _top10_ensemble(valeur: Any, e: Enonce, p: Publie) -> Any:
    t = _top_ihu(p)
    ens = t.loc[t["rang"].isna()].set_index("serie")["part_pct"]
    return None if ens.empty else bool(ens["IHU"] > ens["France"])


def _top10_sous_france(valeur: Any, e: Enonce, p: Publie) -> Any:
    # écart en points de chaque IHU (anonyme) à la part France de ses catégories
    t = _top_ihu(p).dropna(subset=["rang"])
    return None if t.empty else _compte_ecarts(valeur, t["ecart_points"], False)


def _top_series(p: Publie) -> pd.DataFrame:
    t = p.csv("top_cites_annee")
    return t.pivot_table(index="annee", columns="indicateur", values="articles") if not t.empty \
        else t


def _top_en_hausse(valeur: Any, e: Enonce, p: Publie) -> Any:
    t = _top_series(p)
    if len(t) < 3:
        return None
    avant = t.iloc[:-1]
    return all(np.polyfit(avant.index.to_numpy(float), avant[c].to_numpy(float), 1)[0] > 0
               for c in ("top1", "top10"))


def _top_recul(valeur: Any, e: Enonce, p: Publie) -> Any:
    t = _top_series(p)
    return len(t) >= 3 and all(t[c].iloc[-1] < t[c].iloc[-2] for c in ("top1", "top10"))


def _positions(p: Publie) -> pd.Series:
    t = p.csv("positions_auteurs")
    if t.empty:
        return pd.Series(dtype=float)
    t = t.pivot_table(index="position", columns="periode", values="articles")
    return t["P2"] - t["P1"]


def _depenses(p: Publie) -> pd.DataFrame:
    t = p.csv("depenses_nature_annee")
    return t.pivot_table(index="annee", columns="nature", values="montant_meur", aggfunc="sum")


def _equip_fonct(p: Publie) -> tuple[pd.Series, pd.Series]:
    t = _depenses(p)
    return (t["equipement_immobilier"] + t["equipement_mobilier"],
            t["personnel"] + t["fonctionnement"])


def _bascule(valeur: Any, e: Enonce, p: Publie) -> Any:
    equip, fonct = _equip_fonct(p)
    for b in equip.index[1:]:
        if (equip.loc[:b - 1] > fonct.loc[:b - 1]).all() and (fonct.loc[b:] > equip.loc[b:]).all():
            return int(b)
    return None


def _personnel_premier(valeur: Any, e: Enonce, p: Publie) -> Any:
    b = _bascule(None, e, p)
    return b is not None and bool((_depenses(p).loc[b:].idxmax(axis=1) == "personnel").all())


def _rapprochement(p: Publie) -> bool | None:
    cumul = _depenses(p).cumsum()
    parts = cumul.div(cumul.sum(axis=1), axis=0)
    prev = p.csv("repartition_observee_prevue")
    prev = prev.loc[prev["repartition"] == "prevue"].set_index("nature")["part_pct"] / 100
    ecart = (parts - prev).abs().sum(axis=1) / 2
    if len(ecart) < 2:
        return None
    recent = ecart.loc[ecart.index >= p.annee - 4]
    return bool(recent.iloc[-1] < recent.iloc[0])


def _etudiants(quoi: str) -> Callable[[Any, Enonce, Publie], Any]:
    """Hausse de N-3 à N-1 portée pour 80 % au moins par deux IHU (tableaux en mémoire)."""

    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        ind = p.vue.indicateurs
        premiere = p.vue.ihu.set_index("ihu")["premiere_annee_indicateurs"]
        t = ind.loc[ind["indicateur"] == "etudiants_double_cursus"]
        t = t.loc[t["annee"] >= t["ihu"].map(premiere).astype(float)]
        table = t.pivot_table(index="annee", columns="ihu", values="valeur", aggfunc="sum")
        debut, fin = p.annee - 3, p.annee - 1
        if debut not in table.index or fin not in table.index or debut < 2012:
            return {"verifiee": False}.get(quoi)
        delta = (table.loc[fin].fillna(0) - table.loc[debut].fillna(0)).sort_values(
            ascending=False)
        part = delta.head(2).sum() / delta.sum() if delta.sum() > 0 else None
        return {"verifiee": part is not None and part >= 0.8, "debut": debut, "fin": fin,
                "part": part}[quoi]

    return verifier


def _cofinancements(quoi: str) -> Callable[[Any, Enonce, Publie], Any]:
    """Déclarations de cofinancements par IHU et par année (tableaux en mémoire)."""

    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        ref = p.vue.ihu
        suivis = ref.loc[(ref["premiere_annee_indicateurs"] <= p.annee).fillna(False)]
        premiere = suivis.set_index("ihu")["premiere_annee_indicateurs"].astype(int)
        cof = p.vue.cofinancements
        total = cof.loc[cof["annee"] >= 2014].groupby(["ihu", "annee"])["montant_eur"].sum()
        declares = {(str(i), int(a)) for (i, a), m in total.items() if m > 0}
        en_n = [i for i in premiere.index if (i, p.annee) in declares]
        lacunes = [(i, a) for i in premiere.index for a in range(max(2014, premiere[i]), p.annee)
                   if (i, a) not in declares]
        return {"lacunes": bool(lacunes), "sans": len(premiere) - len(en_n),
                "declarants": len(en_n)}[quoi]

    return verifier


def _finances(quoi: str) -> Callable[[Any, Enonce, Publie], Any]:
    """Cadre des dépenses rapportées à la dotation (tableaux en mémoire) : IHU dotés, payés et
    déclarants, jusqu'à la dernière année déclarée du fichier des dotations."""

    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        fin = min(p.annee, p.vue.metadonnees.couvertures["dotations"].derniere)
        dot = p.vue.dotations.loc[p.vue.dotations["annee_engagement"] <= p.annee]
        dep = p.vue.depenses.loc[p.vue.depenses["annee"] <= p.annee]
        ver = p.vue.versements.loc[(p.vue.versements["annee"] <= fin)
                                   & (p.vue.versements["montant_eur"] > 0)]
        dotes, declarants = set(dot["ihu"].astype(str)), set(dep["ihu"].astype(str))
        cadre = (set(dot.loc[dot["annee_engagement"] <= fin, "ihu"].astype(str))
                 & set(ver["ihu"].astype(str))
                 & set(dep.loc[dep["annee"] <= fin, "ihu"].astype(str)))
        dep_c = dep.loc[(dep["annee"] <= fin) & dep["ihu"].astype(str).isin(cadre)]
        dot_c = dot.loc[(dot["annee_engagement"] <= fin) & dot["ihu"].astype(str).isin(cadre)]
        return {"differents": fin != p.annee or dotes != cadre or declarants != cadre,
                "dotes": len(dotes), "depenses": len(declarants),
                "sans": len(declarants - dotes), "hors_cadre": len(dotes - cadre),
                "cadre": len(cadre), "fin": fin, "arrete": fin < p.annee,
                "hors": fin < p.annee or declarants != cadre,
                "part": dep_c["montant_eur"].sum() / dot_c["montant_eur"].sum(),
                "verses": len(set(ver["ihu"].astype(str))),
                "dotes_sans_versement": len(dotes - set(ver["ihu"].astype(str)))}[quoi]

    return verifier


def _estimees(quoi: str, etendue: str) -> Callable[[Any, Enonce, Publie], Any]:
    """Certaines (pas toutes) ou toutes les valeurs de contexte imprimées sont des estimations
    (tableaux en mémoire : lignes que le texte cite, et points France de la figure des essais,
    relus dans son CSV)."""

    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        v = p.vue
        inpi = v.brevets_inpi.loc[v.brevets_inpi["annee"] == p.annee]
        regions = set(v.ihu["region"].astype(str))
        inpi = inpi.loc[((inpi["territoire"] == "France") & (inpi["perimetre"] == "tous_domaines"))
                        | inpi["territoire"].isin(regions)]
        cre = v.creations_entreprises.loc[v.creations_entreprises["annee"] == p.annee]
        ess = v.essais_france.loc[v.essais_france["annee"] == p.annee]
        figure = p.csv("essais_cliniques_annee")
        figure = figure.loc[figure["serie"] == "France", "statut"] if len(figure) else []
        lignes = {"inpi": list(inpi["statut"]), "creations": list(cre["statut"]),
                  "essais": list(ess["statut"])}
        lignes["contexte"] = [*lignes["inpi"], *lignes["creations"], *lignes["essais"],
                              *figure]
        n = sum(s == "estime" for s in lignes[quoi])
        return (0 < n < len(lignes[quoi])) if etendue == "certaines" else (
            n > 0 and n == len(lignes[quoi]))

    return verifier


def _fin_biblio(p: Publie) -> int:
    s = SERIES["articles"](p)
    return int(s.index.max()) if len(s) else p.annee


Verification = Callable[[Any, Enonce, Publie], Any]

VERIFICATIONS: dict[str, Verification] = {
    "nb_ihu_suivis": lambda v, e, p: int(p.suivis[p.annee]),
    "nb_ihu_premiere_annee": lambda v, e, p: int(p.suivis.iloc[0]),
    "perimetre_change": lambda v, e, p: bool(_entrees(p)),
    "annee_entree_1": _entree(0, "annee"), "nb_entres_1": _entree(0, "nb"),
    "avant_entree_1": _entree(0, "avant"), "nb_ihu_apres_entree_1": _entree(0, "apres"),
    "annee_entree_2": _entree(1, "annee"), "nb_entres_2": _entree(1, "nb"),
    "avant_entree_2": _entree(1, "avant"), "nb_ihu_apres_entree_2": _entree(1, "apres"),
    "entree_1_cette_annee": lambda v, e, p: len(_entrees(p)) == 1 and _entrees(p)[0][0] == p.annee,
    "entree_2_cette_annee": lambda v, e, p: len(_entrees(p)) > 1 and _entrees(p)[1][0] == p.annee,
    "fin_entree_1": lambda v, e, p: None if not _entrees(p) else (
        _entrees(p)[1][0] - 1 if len(_entrees(p)) > 1 else p.annee),
    "projets_fin_hausse": _projets_fin_hausse,
    "projets_entree_plateau": _projets_entree("annee"),
    "projets_nb_entres_plateau": _projets_entree("nb"),
    "essais_france_hausse": _essais_france_hausse,
    "fin_essais_france": lambda v, e, p: int(p.serie("essais_cliniques_annee", "essais",
                                                     serie="France").index.max()),
    "crise_sanitaire": lambda v, e, p: bool(
        p.annee >= 2020 and (s := SERIES["chercheurs"](p))[2020] < s[2019]),
    "articles_cumul": lambda v, e, p: SERIES["articles"](p).sum(),
    "fin_bibliometrie": lambda v, e, p: _fin_biblio(p),
    "bibliometrie_incomplete": lambda v, e, p: _fin_biblio(p) < p.annee,
    "articles_hausse": lambda v, e, p: None if _evolutions(p).empty else bool(
        _evolutions(p)["Ensemble"] > 0),
    "articles_baisse": lambda v, e, p: None if _evolutions(p).empty else bool(
        _evolutions(p)["Ensemble"] < 0),
    "articles_evolution": lambda v, e, p: _evolutions(p)["Ensemble"] / 100,
    "nb_categories": lambda v, e, p: len(_categories(p)),
    "nb_categories_baisse": lambda v, e, p: int((_categories(p) < 0).sum()),
    "categorie_baisse": _categorie_baisse,
    "categorie_baisse_evolution": lambda v, e, p: None if (c := _categorie_baisse(v, e, p))
    is None else _categories(p)[c] / 100,
    "hausse_surtout_k": lambda v, e, p: bool(len(_positions(p)) and _positions(p).sum() > 0
                                             and _positions(p)["k"] > _positions(p).sum() / 2),
    "position_principale": lambda v, e, p: None if not len(_positions(p))
    or _positions(p).sum() <= 0 else str(_positions(p).idxmax()),
    "nb_ihu_articles": lambda v, e, p: len(_croissance(p)),
    "nb_ihu_hors_export": lambda v, e, p: int(p.suivis[p.annee]) - len(_croissance(p)),
    "comparaison_france": lambda v, e, p: bool(len(_croissance(p)))
    and not _croissance(p)["France"].isna().any(),
    "nb_ihu_compares": lambda v, e, p: len(_croissance(p)),
    "nb_ihu_plus_vite_monde": _plus_vite_monde,
    "nb_ihu_plus_rapides": lambda v, e, p: _compte_ecarts(v, _croissance(p)["France"], True),
    "nb_ihu_moins_rapides": lambda v, e, p: _compte_ecarts(v, _croissance(p)["France"], False),
    "comparaison_part_france": lambda v, e, p: bool(len(_part_france(p)))
    and not _part_france(p).isna().any().any(),
    "nb_ihu_part_hausse": lambda v, e, p: int((_part_france(p)["P2"]
                                               > _part_france(p)["P1"]).sum()),
    "nb_ihu_part_recul": lambda v, e, p: int((_part_france(p)["P2"]
                                              <= _part_france(p)["P1"]).sum()),
    "top10_ihu_au_dessus": _top10_ensemble,
    "nb_ihu_top10_sous_france": _top10_sous_france,
    "top_cites_en_hausse": _top_en_hausse,
    "top_cites_sans_hausse": lambda v, e, p: None if (h := _top_en_hausse(v, e, p)) is None
    else not h,
    "top_cites_serie_courte": lambda v, e, p: _top_en_hausse(v, e, p) is None,
    "top_cites_recul_final": _top_recul,
    "bascule_fonctionnement": _bascule,
    "derniere_annee_equipement": lambda v, e, p: None if (b := _bascule(v, e, p)) is None
    else b - 1,
    "personnel_premier_depuis_bascule": _personnel_premier,
    "equipement_premier": lambda v, e, p: bool(
        (eq := _equip_fonct(p))[0][p.annee] > eq[1][p.annee]),
    "prevision_se_rapproche": lambda v, e, p: _rapprochement(p),
    "prevision_depuis": lambda v, e, p: None if len(d := _depenses(p)) < 2
    else int(d.index[d.index >= p.annee - 4].min()),
    "nb_annees_suivi": lambda v, e, p: len(p.suivis),
    "nb_annees_bibliometrie": lambda v, e, p: len(SERIES["articles"](p)),
    "prevision_s_eloigne": lambda v, e, p: None if (r := _rapprochement(p)) is None else not r,
    "startups_annee": lambda v, e, p: float(p.csv("startups_annee").set_index("annee")
                                            ["creees"].get(p.annee, 0)),
    "etudiants_concentration": _etudiants("verifiee"),
    "etudiants_concentration_debut": _etudiants("debut"),
    "etudiants_concentration_fin": _etudiants("fin"),
    "etudiants_concentration_part": _etudiants("part"),
    "cofinancements_lacunes": _cofinancements("lacunes"),
    "nb_ihu_sans_cofinancement": _cofinancements("sans"),
    "nb_ihu_declarants_cofinancements": _cofinancements("declarants"),
    "perimetres_finances_differents": _finances("differents"),
    "nb_ihu_dotes": _finances("dotes"),
    "nb_ihu_depenses": _finances("depenses"),
    "nb_ihu_sans_dotation": _finances("sans"),
    "depenses_cumul_part_dotation": _finances("part"),
    "nb_ihu_dotes_hors_cadre": _finances("hors_cadre"),
    "nb_ihu_cadre_dotation": _finances("cadre"),
    "fin_cadre_dotation": _finances("fin"),
    "cadre_dotation_arrete": _finances("arrete"),
    "depenses_hors_cadre": _finances("hors"),
    "nb_ihu_verses": _finances("verses"),
    "nb_ihu_dotes_sans_versement": _finances("dotes_sans_versement"),
    "inpi_estimees_en_partie": _estimees("inpi", "certaines"),
    "inpi_estimees": _estimees("inpi", "toutes"),
    "creations_estimees_en_partie": _estimees("creations", "certaines"),
    "creations_estimees": _estimees("creations", "toutes"),
    "essais_france_estimees": _estimees("essais", "toutes"),
    "contexte_estime_en_partie": _estimees("contexte", "certaines"),
    "contexte_estime": _estimees("contexte", "toutes"),
}
def _constante_n(prefixe: str, champ: str) -> Verification:
    """Ce que les entrants ajoutent en N, et la série à périmètre constant de N-1 à N."""

    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        t = _par_ihu(prefixe, p)
        if p.annee not in t.index or p.annee - 1 not in t.index:
            return None
        avant, apres, apport = _constante(t, p.annee)
        if not apport > 0:
            return None
        return {"hausse_par_entrants": t.loc[p.annee].sum() > avant >= apres,
                "constant_avant": avant, "constant_apres": apres,
                "apport_entrants": apport}[champ]

    return verifier


def _repli_pire(prefixe: str, champ: str) -> Verification:
    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        s, f = SERIES[prefixe](p), _forme(SERIES[prefixe](p))
        if f is None or f["repli_debut"] is None:
            return None
        var = {a: s[a] / s[a - 1] - 1 for a in range(f["repli_debut"], f["repli_fin"] + 1)}
        a = max(var, key=lambda k: (abs(var[k]), -k))
        return a if champ == "annee" else var[a]

    return verifier


VERIFICATIONS["nb_ihu_deja_suivis"] = lambda v, e, p: int(p.suivis[p.annee - 1])
for _prefixe in SERIES:
    for _champ in ("hausse_par_entrants", "constant_avant", "constant_apres", "apport_entrants"):
        VERIFICATIONS[f"{_prefixe}_{_champ}"] = _constante_n(_prefixe, _champ)
    VERIFICATIONS[f"{_prefixe}_repli_pire_annee"] = _repli_pire(_prefixe, "annee")
    VERIFICATIONS[f"{_prefixe}_repli_pire"] = _repli_pire(_prefixe, "variation")
for _prefixe in SERIES:
    for _champ in ("pic", "pic_annee", "valeur_debut", "hausse_continue", "baisse_depuis",
                   "hausse_depuis", "repli_debut", "repli_fin", "repli_un_an", "hausse_legere",
                   "variation_fin", "pic_entree", "reprise_un_an",
                   "baisse_un_an"):
        VERIFICATIONS[f"{_prefixe}_{_champ}"] = _verif_forme(_prefixe, _champ)


def verifier(rapport_carnets: Path, publie: Publie) -> tuple[list[str], int]:
    """Erreurs (année, carnet, cellule, constat, imprimé, données) et nombre de faits vérifiés."""
    erreurs, verifies = [], 0
    for e in enonces(rapport_carnets):
        for nom, valeur in e.faits.items():
            if nom in VERIFICATIONS:
                attendu = VERIFICATIONS[nom](valeur, e, publie)
                verifies += 1
                if not _egal(valeur, attendu, TOLERANCES.get(nom, 1e-9)):
                    erreurs.append(f"{publie.annee} · {e.carnet} · cellule {e.cellule} · "
                                   f"{nom} : imprimé {valeur!r}, données {attendu!r}")
            elif nom in FAITS and nom not in EXEMPTS:
                erreurs.append(f"{publie.annee} · {e.carnet} · cellule {e.cellule} · {nom} : "
                               "fait du récit sans vérification (tests/verite/verite.py)")
    return erreurs, verifies


def _levier(quoi: str) -> Verification:
    """Cadre de l'effet levier (tableaux en mémoire) : IHU payés, versements connus."""

    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        fin = min(p.annee, p.vue.metadonnees.couvertures["versements"].derniere)
        ver = p.vue.versements.loc[(p.vue.versements["annee"] <= fin)
                                   & (p.vue.versements["montant_eur"] > 0)]
        payes = set(ver["ihu"].astype(str))
        ref = p.vue.ihu
        suivis = set(ref.loc[(ref["premiere_annee_indicateurs"] <= p.annee).fillna(False), "ihu"])
        return {"nb": len(payes), "fin": fin,
                "reduit": fin < p.annee or not suivis <= payes}[quoi]

    return verifier


VERIFICATIONS.update({"nb_ihu_levier": _levier("nb"), "fin_levier": _levier("fin"),
                      "levier_cadre_reduit": _levier("reduit")})


def _avant_labellisation(valeur: Any, e: Enonce, p: Publie) -> bool:
    ref = p.vue.ihu
    suivis = ref.loc[(ref["premiere_annee_indicateurs"] <= p.annee).fillna(False)]
    premiere = suivis.set_index("ihu")["premiere_annee_indicateurs"].astype(int)
    art = p.vue.articles.loc[p.vue.articles["ihu"].isin(premiere.index)]
    return bool((art["annee"].astype(int) < art["ihu"].map(premiere)).any())


def _fiabilisation(valeur: Any, e: Enonce, p: Publie) -> int | None:
    annee = p.vue.metadonnees.couvertures["articles"].fiabilisation
    return annee if annee is not None and annee <= p.annee else None


VERIFICATIONS.update({"bibliometrie_avant_labellisation": _avant_labellisation,
                      "fiabilisation_bibliometrie": _fiabilisation})


def anachronismes(carnets: Path, annee: int) -> list[str]:
    """Années écrites en toutes lettres dans le texte affiché des carnets (Markdown, modèles
    ``%%recit`` affichés, hors références ``{…}``) postérieures à l'édition : une année du récit
    est calculée (``{v.…}``, vérifiée par :data:`VERIFICATIONS`), gardée par une condition
    vérifiée, ou n'est pas future. Une erreur par extrait, qui nomme carnet et cellule."""
    erreurs = []
    for chemin in sorted(carnets.glob("*.ipynb")):
        for cellule in json.loads(chemin.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cellule["source"])
            if cellule["cell_type"] == "code":
                affiche = any("synthese_recit" in o.get("metadata", {})
                              for o in cellule.get("outputs", []))
                if not source.startswith("%%recit") or not affiche:
                    continue  # paragraphe non affiché : sa condition (vérifiée) l'a écarté
                source = re.sub(r"\{[^}]*\}", "", source.split("\n", 1)[-1])
            erreurs += [f"{annee} · {chemin.name} · cellule {cellule['id']} · année "
                        f"postérieure à l'édition : « {extrait} »"
                        for extrait in annees_posterieures(source, annee)]
    return erreurs


def _constant_biblio(quoi: str) -> Verification:
    """Articles des périodes comparées sur les IHU suivis dès le début de P1 (tableaux en
    mémoire) ; périodes de même durée L = min(5, (n - 1) // 2) terminées à la fin de l'export."""

    def verifier(valeur: Any, e: Enonce, p: Publie) -> Any:
        fin = _fin_biblio(p)
        longueur = min(5, (fin - 2012) // 2)
        if longueur < 1:
            return None
        a1, b1 = fin - 2 * longueur, fin - longueur - 1
        a2, b2 = fin - longueur + 1, fin
        ref = p.vue.ihu.set_index("ihu")["premiere_annee_indicateurs"]
        suivis = [str(i) for i, a in ref.items() if pd.notna(a) and a <= p.annee]
        anciens = [i for i in suivis if ref[i] <= a1]
        avec = set(p.vue.articles["ihu"].astype(str)) & set(suivis)
        art = p.vue.articles.loc[p.vue.articles["ihu"].astype(str).isin(anciens)]
        art = art.loc[art["annee"] >= art["ihu"].map(ref).astype(float)]
        n1 = int(art["annee"].between(a1, b1).sum())
        n2 = int(art["annee"].between(a2, b2).sum())
        return {"change": len(anciens) < len(avec), "nb": len(anciens),
                "evolution": n2 / n1 - 1 if n1 else None}[quoi]

    return verifier


VERIFICATIONS.update({"articles_perimetre_change": _constant_biblio("change"),
                      "nb_ihu_perimetre_constant": _constant_biblio("nb"),
                      "articles_evolution_constante": _constant_biblio("evolution")})
