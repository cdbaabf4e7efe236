"""La magie de cellule ``%%recit`` : un paragraphe de Markdown où chaque nombre est calculé.

Dans un carnet de section, l'analyste écrit du texte, pas du code ::

    %%recit
    Au 31 décembre {annee}, {v.verse_cumul} ont été versés sur les {v.dotation_engagee} engagés.

À l'exécution de la cellule, chaque ``{référence}`` est remplacée par la valeur calculée du même
nom dans le carnet, mise en forme à la française (:class:`~synthese_ihu.formatage.Valeur`), et le
paragraphe s'affiche en Markdown. Une référence inconnue ou une valeur absente est une erreur :
la construction s'arrête sur cette cellule, jamais sur un blanc.

Options de la première ligne :

``%%recit --si v.cofinancements``
    n'affiche le paragraphe que si la valeur existe et est vraie ;
``%%recit --sauf v.cofinancements``
    ne l'affiche que si elle est absente ou fausse (texte de remplacement).
"""

from __future__ import annotations

import html
import re
import shlex
import string
from collections.abc import Mapping
from typing import Any

from synthese_ihu.formatage import Valeur


class Fragment(str):
    """Texte Markdown produit par le code du paquet (formulations calculées) : inséré tel quel."""


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
    if isinstance(valeur, Fragment):
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


def _options(ligne: str) -> tuple[str | None, str | None]:
    mots = shlex.split(ligne)
    si = sauf = None
    while mots:
        option = mots.pop(0)
        if option not in {"--si", "--sauf"} or not mots:
            raise ErreurRecit(
                f"option de %%recit inconnue ou incomplète : {ligne!r} "
                "(attendu : --si NOM ou --sauf NOM)"
            )
        if option == "--si":
            si = mots.pop(0)
        else:
            sauf = mots.pop(0)
    return si, sauf


def _present(reference: str, espace: Mapping[str, Any]) -> bool:
    valeur = resoudre(reference, espace)
    return valeur is not None and bool(valeur)


def recit(ligne: str, cellule: str) -> None:
    """Corps de la magie ``%%recit`` : remplit et affiche le paragraphe en Markdown."""
    from IPython import get_ipython
    from IPython.display import Markdown, display

    espace = get_ipython().user_ns
    si, sauf = _options(ligne)
    if si is not None and not _present(si, espace):
        return
    if sauf is not None and _present(sauf, espace):
        return
    display(Markdown(remplir(cellule.strip("\n"), espace)))


def load_ipython_extension(ipython: Any) -> None:
    """Enregistre ``%%recit`` (``%load_ext synthese_ihu.recit``)."""
    ipython.register_magic_function(recit, magic_kind="cell", magic_name="recit")
