"""Nombres dans les légendes et textes alternatifs : :mod:`synthese_ihu.formatage`, qui
n'accepte que des ``int``/``float`` Python, appliqué aux scalaires numpy des tableaux."""

from __future__ import annotations

from synthese_ihu import formatage


def nombre(valeur: float, decimales: int = 0) -> str:
    """``31 639`` ; ``104,5`` (voir :func:`synthese_ihu.formatage.nombre`)."""
    return formatage.nombre(float(valeur), decimales)


def pourcentage(part: float, decimales: int = 0, signe: bool = False) -> str:
    """Part 0-1 en ``13 %`` ; ``+20 %`` avec ``signe`` (voir :func:`formatage.pourcentage`)."""
    return formatage.pourcentage(float(part), decimales, signe=signe)


def forme_serie(serie, unite: str = "") -> str:
    """Ce que montre une série annuelle, d'après les faits du récit (:func:`constats.forme`).

    Même règle que le texte des carnets (``v.<série>_pic``, ``_baisse_depuis``…) : le texte
    alternatif et le paragraphe voisin ne peuvent pas se contredire. Exemple : « 160 en 2022 ;
    maximum 180 en 2019 ; recul de 2020 à 2021, puis hausse en 2022 ».
    """
    from synthese_ihu import constats

    f = constats.forme(serie)
    if f is None:
        return ""
    morceaux = [f"{nombre(f.valeur_fin)}{unite} en {f.fin}"]
    if f.hausse_continue:
        morceaux.append(f"en hausse chaque année depuis {f.debut} ({nombre(f.valeur_debut)})")
    else:
        morceaux.append(f"maximum {nombre(f.pic)} en {f.pic_annee}")
        if f.baisse_depuis == f.fin:
            morceaux.append(f"en baisse en {f.fin}")
        elif f.baisse_depuis is not None:
            morceaux.append(f"en baisse chaque année depuis {f.baisse_depuis}")
        elif f.repli_debut is not None:
            periode = (f"en {f.repli_fin}" if f.repli_debut == f.repli_fin
                       else f"de {f.repli_debut} à {f.repli_fin}")
            morceaux.append(f"recul {periode}, puis hausse en {f.fin}")
        elif f.hausse_depuis == f.fin:
            morceaux.append(f"en hausse en {f.fin}")
        elif f.hausse_depuis is not None:
            morceaux.append(f"en hausse chaque année depuis {f.hausse_depuis}")
    return " ; ".join(morceaux)
