"""La magie de cellule ``%%recit`` : un paragraphe de Markdown où chaque nombre est calculé.

Dans un carnet de section, l'analyste écrit du texte, pas du code ::

    %%recit
    Au 31 décembre {annee}, {v.verse_cumul} ont été versés sur les {v.dotation_engagee} engagés.

À l'exécution de la cellule, chaque ``{référence}`` est remplacée par la valeur calculée du même
nom dans le carnet, mise en forme à la française (:class:`~synthese_ihu.formatage.Valeur`), et le
paragraphe s'affiche en Markdown. Une référence inconnue ou une valeur absente est une erreur :
la construction s'arrête sur cette cellule, jamais sur un blanc.

Options de la première ligne (plusieurs à la suite : toutes doivent tenir) :

``%%recit --si v.cofinancements``
    n'affiche le paragraphe que si la valeur existe et est vraie ;
``%%recit --sauf v.cofinancements``
    ne l'affiche que si elle est absente ou fausse (texte de remplacement) ;
``%%recit --si v.startups_annee == 1``
    compare la valeur à un nombre (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) : accords et
    variantes choisis dans le carnet (une valeur absente ne vérifie aucune comparaison).

Le paragraphe affiché porte dans ses métadonnées (``synthese_recit``) les faits qu'il énonce :
chaque référence citée et chaque condition, avec sa valeur. Le test de vérité
(``tests/verite/``) relit ces faits dans les carnets exécutés de chaque année et les confronte
aux données publiées.
"""

from __future__ import annotations

import html
import operator
import re
import shlex
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from synthese_ihu.formatage import Valeur


class Fragment(str):
    """Markdown inséré tel quel. Le catalogue des valeurs n'en rend plus : les phrases sont dans
    les carnets (``tests/recit/test_valeurs_faits.py`` refuse toute valeur rédigée)."""


class TexteDonnees(str):
    """Texte lu dans les données (source, thème…) : échappé par le récit, jamais une phrase du
    paquet."""


class Enumeration(tuple):
    """Énumération de couples (libellé lu dans les données, valeur) : « A 12, B 7 et C 3 ».

    Les libellés sont des données (échappés), les valeurs des nombres mis en forme : ce n'est
    pas une phrase du paquet.
    """

    def __str__(self) -> str:
        mots = [f"{echapper(str(libelle))} {valeur}" for libelle, valeur in self]
        return mots[0] if len(mots) == 1 else ", ".join(mots[:-1]) + " et " + mots[-1]


class ErreurRecit(Exception):
    """Une référence du récit ne peut pas être remplie."""


_CARACTERES_MARKDOWN = re.compile(r"([\\`*_\[\]{}#|~])")


def echapper(texte: str) -> str:
    """Échappe un texte venu des données pour qu'il reste du texte en Markdown comme en HTML.

    ``<script>`` devient ``&lt;script&gt;`` ; ``*``, ``_``, ``#``, ``[``… sont précédés d'une
    barre oblique inverse.
    """
    return _CARACTERES_MARKDOWN.sub(r"\\\1", html.escape(texte, quote=False))


def _en_texte(reference: str, valeur: Any) -> str:
    if valeur is None:
        raise ErreurRecit(
            f"« {{{reference}}} » : la valeur est absente pour cette année ; encadrer le "
            f"paragraphe par « %%recit --si {reference} »"
        )
    if isinstance(valeur, Fragment | Enumeration):
        return str(valeur)
    if isinstance(valeur, Valeur):
        return str(valeur)
    if isinstance(valeur, bool):
        raise ErreurRecit(f"« {{{reference}}} » est un booléen : il ne s'écrit pas dans un texte")
    if isinstance(valeur, int):  # années, rangs : écrits sans séparateur de milliers
        return str(valeur)
    if isinstance(valeur, str):
        return echapper(valeur)
    raise ErreurRecit(
        f"« {{{reference}}} » vaut un {type(valeur).__name__} : seules les valeurs calculées "
        "(Valeur), les textes et les entiers s'écrivent dans un récit"
    )


def resoudre(reference: str, espace: Mapping[str, Any]) -> Any:
    """Retrouve la valeur d'une référence (``v.verse_cumul``, ``annee``) dans ``espace``."""
    try:
        valeur, _ = string.Formatter().get_field(reference, (), espace)
    except (KeyError, AttributeError, IndexError) as erreur:
        nom = reference.split(".")[0].split("[")[0]
        if nom not in espace:
            message = f"« {{{reference}}} » : « {nom} » n'existe pas dans le carnet"
            raise ErreurRecit(message) from None
        raise ErreurRecit(f"« {{{reference}}} » : la valeur n'existe pas ({erreur})") from None
    return valeur


def remplir(modele: str, espace: Mapping[str, Any]) -> str:
    """Remplace chaque ``{référence}`` de ``modele`` par sa valeur mise en forme.

    Parameters
    ----------
    modele : str
        Le texte Markdown de l'analyste ; ``{{`` et ``}}`` écrivent des accolades.
    espace : Mapping
        Les noms du carnet (``get_ipython().user_ns``).

    Raises
    ------
    ErreurRecit
        Référence inconnue, valeur absente ou d'un type qui ne s'écrit pas.
    """
    morceaux: list[str] = []
    for texte, reference, spec, conversion in string.Formatter().parse(modele):
        morceaux.append(texte)
        if reference is None:
            continue
        if not reference.strip():
            raise ErreurRecit("« {} » vide dans le récit : nommer la valeur entre les accolades")
        if spec or conversion:
            raise ErreurRecit(f"« {{{reference}}} » : ni format ni conversion dans un récit")
        morceaux.append(_en_texte(reference, resoudre(reference.strip(), espace)))
    return "".join(morceaux)


_COMPARAISONS: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}


@dataclass(frozen=True)
class Condition:
    """``--si``/``--sauf`` d'un récit : une référence, éventuellement comparée à un nombre."""

    sauf: bool
    reference: str
    comparaison: str | None = None
    seuil: float | None = None

    def vraie(self, valeur: Any) -> bool:
        """La condition tient-elle pour ``valeur`` ?"""
        if self.comparaison is None:
            tenue = valeur is not None and bool(valeur)
        else:
            nombre = valeur.valeur if isinstance(valeur, Valeur) else valeur
            tenue = (nombre is not None and not isinstance(nombre, str)
                     and _COMPARAISONS[self.comparaison](nombre, self.seuil))
        return tenue != self.sauf

    def __str__(self) -> str:
        texte = ("--sauf " if self.sauf else "--si ") + self.reference
        if self.comparaison is not None:
            texte += f" {self.comparaison} {self.seuil:g}"
        return texte


def options(ligne: str) -> list[Condition]:
    """Lit la première ligne d'un récit : ``--si REF [OP NOMBRE]``, ``--sauf …``, répétés."""
    mots = shlex.split(ligne)
    conditions: list[Condition] = []
    while mots:
        option = mots.pop(0)
        if option not in {"--si", "--sauf"} or not mots:
            raise ErreurRecit(
                f"option de %%recit inconnue ou incomplète : {ligne!r} "
                "(attendu : --si NOM, --sauf NOM ou --si NOM == 1)"
            )
        reference, comparaison, seuil = mots.pop(0), None, None
        if mots and mots[0] in _COMPARAISONS:
            comparaison = mots.pop(0)
            try:
                seuil = float(mots.pop(0))
            except (IndexError, ValueError):
                raise ErreurRecit(
                    f"%%recit {ligne!r} : « {reference} {comparaison} » attend un nombre"
                ) from None
        conditions.append(Condition(option == "--sauf", reference, comparaison, seuil))
    return conditions


def _json(valeur: Any) -> Any:
    """Valeur d'un fait, telle que le test de vérité la relit (nombres bruts, textes)."""
    if isinstance(valeur, Valeur):
        return valeur.valeur
    if valeur is None or isinstance(valeur, bool | int | float):
        return valeur
    return str(valeur)


def faits_cites(modele: str, conditions: list[Condition], espace: Mapping[str, Any]
                ) -> dict[str, Any]:
    """Faits qu'énonce un récit affiché : références citées et conditions, avec leur valeur."""
    faits: dict[str, Any] = {}
    for _, reference, _, _ in string.Formatter().parse(modele):
        if reference and reference.strip():
            faits[reference.strip()] = _json(resoudre(reference.strip(), espace))
    conditions_vues = [
        {"condition": str(c), "reference": c.reference,
         "valeur": _json(resoudre(c.reference, espace))}
        for c in conditions
    ]
    return {"faits": faits, "conditions": conditions_vues}


def recit(ligne: str, cellule: str) -> None:
    """Corps de la magie ``%%recit`` : remplit et affiche le paragraphe en Markdown."""
    from IPython import get_ipython
    from IPython.display import Markdown, display

    espace = get_ipython().user_ns
    conditions = options(ligne)
    if not all(c.vraie(resoudre(c.reference, espace)) for c in conditions):
        return
    modele = cellule.strip("\n")
    display(Markdown(remplir(modele, espace)),
            metadata={"synthese_recit": faits_cites(modele, conditions, espace)})


def load_ipython_extension(ipython: Any) -> None:
    """Enregistre ``%%recit`` (``%load_ext synthese_ihu.recit``)."""
    ipython.register_magic_function(recit, magic_kind="cell", magic_name="recit")
