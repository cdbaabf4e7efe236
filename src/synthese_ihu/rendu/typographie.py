"""Typographie française appliquée une fois, au rendu, au texte que le lecteur voit.

Les carnets et les données écrivent du texte ordinaire (espaces sécables, apostrophes droites,
traits d'union) ; ce module le compose à la française avant qu'il n'entre dans le HTML publié,
donc dans le PDF :

- espace fine insécable (U+202F) avant ``;`` ``!`` ``?`` ;
- espace insécable (U+00A0) avant ``:`` et à l'intérieur des guillemets « » ;
- apostrophe typographique (’) entre deux lettres ;
- demi-cadratin (–) dans les intervalles d'années (2012–2016) ;
- signe moins (−) devant un nombre négatif (−15 %) ;
- espace insécable avant ``%`` et les unités monétaires (``15 %``, ``3,2 M€``) : jamais seules en
  début de ligne ;
- une seule forme de date, longue (``25/09/2023`` devient ``25 septembre 2023``), espaces
  insécables dans une date (``25 septembre 2023``, ``juin 2023``) ;
- un intervalle d'années (``2018–2022``) jamais coupé en fin de ligne : dans le texte du HTML
  (hors SVG, titre du document et attributs), il est placé dans ``<span class="insecable">``.

Jamais dans le code, les URL, les adresses électroniques, la géométrie SVG ni les CSV : seul le
texte des nœuds HTML (hors ``code``, ``pre``, ``script``, ``style``, ``kbd``, ``samp``), les
attributs lus par le lecteur (``alt``, ``aria-label``, ``title``) et le texte des ``<text>`` SVG
passent ici. Le texte déjà composé reste tel quel (la passe est idempotente).
"""

from __future__ import annotations

import html
import re

__all__ = ["ESPACE_FINE", "ESPACE_INSECABLE", "corriger", "corriger_html"]

#: Espace fine insécable (avant ; ! ? et dans les nombres, comme babel).
ESPACE_FINE = "\u202f"
#: Espace insécable (avant : et à l'intérieur des guillemets).
ESPACE_INSECABLE = "\u00a0"

_BLANCS = " \u00a0\u202f\u2009"
_B = f"[{_BLANCS}]"
_LETTRE = r"[^\W\d_]"
_PONCTUATION = ";!?:"

# Ce qui n'est jamais composé : URL, adresses électroniques, chemins (data/raw/…).
_PROTEGE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)[^\s<>«»]*[^\s<>«».,;:!?)]"  # URL
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # adresse électronique
    r"|(?<![\w/])(?!\d{1,2}/\d{1,2}/\d{4}\b)(?:[\w.-]+/)+[\w.<>&-]*",  # chemin (data/raw/…)
    re.IGNORECASE,
)

#: Noms de mois (dates « 25 septembre 2023 », « juin 2023 »).
_MOIS = (r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
         r"|décembre)\b")

#: Règles (motif, remplacement), dans l'ordre. Chaque motif ne consomme que des caractères du
#: texte composé ; le contexte (caractère d'avant, caractère d'après, éventuellement dans un
#: nœud voisin) n'est lu que par des assertions : un texte coupé par une balise (« <em>x</em> »)
#: se compose comme s'il ne l'était pas.
REGLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"(?<={_LETTRE})'(?={_LETTRE})"), "\u2019"),
    (re.compile(r"(?<![\w.,/-])((?:19|20)\d\d)-((?:19|20)\d\d)(?![\w/-]|[.,]\w)"), "\\1\u2013\\2"),
    (re.compile(r"(?:^|(?<=[\s(\[«=/]))-(?=\d)"), "\u2212"),
    (re.compile(r"(?<=\d)[ \u2009]+(?=(?:%|‰|€|k€|M€|Md€)(?!\w))"), ESPACE_INSECABLE),
    (re.compile(rf"(?<=«){_B}*(?=[^\s{_BLANCS}])"), ESPACE_INSECABLE),
    (re.compile(rf"(?<=[^\s{_BLANCS}]){_B}*(?=»)"), ESPACE_INSECABLE),
    (re.compile(rf"(?<=[^\s{_BLANCS}(\[«{_PONCTUATION}]){_B}*(?=[;!?]+(?:[\s{_BLANCS})\]»]|$))"),
     ESPACE_FINE),
    (re.compile(rf"(?<=[^\s{_BLANCS}(\[«{_PONCTUATION}]){_B}*(?=:(?:[\s{_BLANCS}»]|$))"),
     ESPACE_INSECABLE),
    (re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\w/])"), "date"),
    (re.compile(rf"\b(\d{{1,2}}|1er)[ \u2009]+(?={_MOIS})"), "\\1\u00a0"),
    (re.compile(rf"\b({_MOIS})[ \u2009]+(?=(?:19|20)\d\d\b)"), "\\1\u00a0"),
)


_NOMS_MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")


def _date_longue(m: re.Match[str]) -> str:
    """« 25/09/2023 » -> « 25 septembre 2023 » (une seule forme de date dans le rapport)."""
    jour, mois, annee = int(m.group(1)), int(m.group(2)), m.group(3)
    if not (1 <= mois <= 12 and 1 <= jour <= 31):
        return m.group(0)
    return f"{'1er' if jour == 1 else jour}\u00a0{_NOMS_MOIS[mois - 1]}\u00a0{annee}"


#: Un texte sans aucun de ces caractères n'a rien à composer (la plupart des nœuds : nombres
#: des graduations, mots isolés) : il est rendu tel quel, sans passer par les règles.
_CANDIDAT = re.compile(r"['\-:;!?«»%‰€/]|\d[ \u2009][a-zé]|[a-zé][ \u2009](?:19|20)\d\d")


def _proteges(texte: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTEGE.finditer(texte)]


def corriger(texte: str, *, avant: str = "", apres: str = "") -> str:
    """Compose un texte brut (non échappé) à la française ; URL et chemins restent intacts.

    Parameters
    ----------
    texte : str
        Texte d'un nœud, d'un texte alternatif ou d'une légende.
    avant, apres : str
        Texte voisin (nœuds d'à côté, hors balises), lu comme contexte et jamais modifié.

    Returns
    -------
    str
        Le texte composé (inchangé s'il l'était déjà).

    Examples
    --------
    >>> corriger("Note : l'IHU ; -15 % de 2012-2016")
    'Note\\xa0: l’IHU\\u202f; −15\\xa0% de 2012–2016'
    """
    if not texte:
        return texte
    avant, apres = avant[-1:], apres[:1]
    if not _CANDIDAT.search(texte) and not _CANDIDAT.search(apres) and avant != "«":
        return texte
    chaine = avant + texte + apres
    debut, fin = len(avant), len(avant) + len(texte)
    for motif, remplacement in REGLES:
        trouves = list(motif.finditer(chaine))
        if not trouves:
            continue
        proteges = _proteges(chaine)
        morceaux: list[str] = []
        curseur = 0
        for m in trouves:
            a, b = m.span()
            dedans = debut <= a and b <= fin and (a < b or a < fin)
            if not dedans or any(a < pb and pa < b or pa < a < pb for pa, pb in proteges):
                continue
            morceaux.append(chaine[curseur:a])
            morceaux.append(_date_longue(m) if remplacement == "date" else m.expand(remplacement))
            curseur = b
        if not morceaux:
            continue
        morceaux.append(chaine[curseur:])
        nouvelle = "".join(morceaux)
        fin += len(nouvelle) - len(chaine)
        chaine = nouvelle
    return chaine[debut:fin]


# -- HTML ------------------------------------------------------------------------------------

#: Éléments dont le texte n'est jamais composé (code, scripts, styles).
ELEMENTS_PROTEGES = frozenset({"code", "pre", "script", "style", "kbd", "samp", "textarea"})
#: Attributs lus par le lecteur (ou son lecteur d'écran).
ATTRIBUTS_TEXTE = ("alt", "aria-label", "title")

_JETON = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[^>]*>|[^<]+", re.S)
_NOM_BALISE = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w:-]*)")
_NOMS_ATTRIBUTS = "|".join(ATTRIBUTS_TEXTE)
_ATTRIBUT = re.compile(
    rf"""(\s(?:{_NOMS_ATTRIBUTS})\s*=\s*)("([^"]*)"|'([^']*)')""", re.IGNORECASE
)


def _attributs(balise: str) -> str:
    def remplacer(m: re.Match[str]) -> str:
        valeur = m.group(3) if m.group(3) is not None else m.group(4)
        compose = corriger(html.unescape(valeur))
        return f'{m.group(1)}"{html.escape(compose, quote=True)}"'

    return _ATTRIBUT.sub(remplacer, balise)


#: Balises qui coupent le fil du texte : le contexte d'un nœud ne les traverse pas.
BLOCS = frozenset({
    "p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "caption", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "footer", "nav", "main",
    "br", "dt", "dd", "dl", "blockquote", "body", "html", "head", "title", "svg", "text",
})


def _jetons(fragment: str) -> list[list]:
    """Découpe en jetons ``[genre, texte]`` : ``balise``, ``fixe`` (jamais composé), ``texte``."""
    jetons: list[list] = []
    protege = dans_svg = texte_svg = dans_tete = 0
    for m in _JETON.finditer(fragment):
        jeton = m.group(0)
        if jeton.startswith("<!--") or jeton.startswith("<![CDATA["):
            jetons.append(["fixe", jeton, ""])
            continue
        if jeton.startswith("<"):
            nom = _NOM_BALISE.match(jeton)
            if nom is None:
                jetons.append(["fixe", jeton, ""])
                continue
            fermante, balise = nom.group(1) == "/", nom.group(2).lower()
            auto = jeton.rstrip(">").rstrip().endswith("/")
            delta = -1 if fermante else (0 if auto else 1)
            if balise in ELEMENTS_PROTEGES:
                protege = max(0, protege + delta)
            elif balise == "svg":
                dans_svg = max(0, dans_svg + delta)
            elif balise in ("head", "title", "option", "textarea"):
                dans_tete = max(0, dans_tete + delta)
            elif dans_svg and balise in ("text", "title", "desc"):
                texte_svg = max(0, texte_svg + delta)
            if not fermante and not protege:
                jeton = _attributs(jeton)
            jetons.append(["balise", jeton, balise])
            continue
        if protege or (dans_svg and not texte_svg):
            jetons.append(["fixe", jeton, "code" if protege else ""])
        else:
            jetons.append(["texte", jeton, "svg" if dans_svg or dans_tete else ""])
    return jetons


#: Intervalle d'années composé (« 2018–2022 »), tenu sur une ligne dans le texte HTML.
_INTERVALLE = re.compile(r"(?<![\w.,/])(?:19|20)\d\d\u2013(?:19|20)\d\d(?![\w/])")
_INSECABLE_OUVRANT = '<span class="insecable">'


def _insecables(texte_html: str) -> str:
    return _INTERVALLE.sub(lambda m: f"{_INSECABLE_OUVRANT}{m.group(0)}</span>", texte_html)


def corriger_html(fragment: str) -> str:
    """Compose le texte d'un fragment HTML (nœuds texte et attributs ``alt``, ``aria-label``,
    ``title``), jamais le code, les scripts, les styles, les URL ni la géométrie SVG.

    Dans un ``<svg>``, seul le texte des éléments ``<text>``, ``<title>`` et ``<desc>`` est
    composé (les attributs de dessin ne sont pas du texte). Un nœud est composé avec le texte
    voisin pour contexte (« <strong>Note</strong> : » reçoit son espace insécable), sans
    franchir un bloc (paragraphe, cellule, titre…).

    Parameters
    ----------
    fragment : str
        HTML (fragment ou document).

    Returns
    -------
    str
        Le même HTML, texte composé à la française.
    """
    jetons = _jetons(fragment)
    # Texte visible (décodé) de chaque jeton, et coupures aux blocs.
    visibles: list[str | None] = []
    for genre, jeton, balise in jetons:
        if genre == "balise":
            visibles.append(None if balise in BLOCS else "")
        elif genre == "fixe":
            visibles.append(html.unescape(jeton) if balise == "code" else "")
        else:
            visibles.append(html.unescape(jeton))
    precedent = ""
    for i, (genre, jeton, lieu) in enumerate(jetons):
        vu = visibles[i]
        if vu is None:
            precedent = ""
            continue
        if genre != "texte" or not jeton.strip() and not precedent:
            precedent = (precedent + vu)[-1:] if vu else precedent
            continue
        suivant = ""
        for v in visibles[i + 1 :]:
            if v is None:
                break
            if v:
                suivant = v[:1]
                break
        compose = corriger(vu, avant=precedent, apres=suivant)
        visibles[i] = compose
        jetons[i][1] = html.escape(compose, quote=False) if compose != vu else jeton
        deja = i > 0 and jetons[i - 1][1] == _INSECABLE_OUVRANT
        if not lieu and not deja:
            jetons[i][1] = _insecables(jetons[i][1])
        precedent = (precedent + compose)[-1:]
    return "".join(j[1] for j in jetons)
