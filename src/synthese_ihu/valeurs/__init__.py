"""Les valeurs que la narration cite : ``{v.nom}`` dans un ``%%recit``.

Une valeur est un fait : une :class:`~synthese_ihu.formatage.Valeur` (nombre mis en forme, avec
son libellé et sa période, exportée dans ``chiffres_cles.csv``), un entier (année, effectif sans
séparateur), un booléen (constat, pour ``%%recit --si``), un mot ou une date, un texte venu des
données (échappé par le récit) ou ``None`` quand elle n'existe pas pour l'année. Jamais une
phrase : les phrases, leurs variantes et leurs accords sont dans les carnets
(``tests/recit/test_valeurs_faits.py`` le vérifie).

Un module par section du rapport, dans l'ordre des carnets : :mod:`.programme` (00, 01),
:mod:`.finances` (02), :mod:`.recherche` (03), :mod:`.attractivite` (04, 05),
:mod:`.valorisation` (06), :mod:`.soin` (07), :mod:`.effet_levier` (08), :mod:`.annexe` (09,
10) ; le catalogue et :class:`Valeurs` sont dans :mod:`.registre`. Les faits des constats du
récit (:mod:`synthese_ihu.faits`, :mod:`synthese_ihu.faits_recherche`) s'enregistrent dans le
même catalogue. Un carnet n'importe rien d'ici : ``s = ouvrir(...)`` puis ``v = s.valeurs``.
"""

from synthese_ihu.valeurs import (  # noqa: F401 -- chaque module enregistre ses valeurs
    annexe,
    attractivite,
    effet_levier,
    finances,
    programme,
    recherche,
    soin,
    valorisation,
)
from synthese_ihu.valeurs.registre import (
    _CALCULS,
    FAITS,
    SUR_DONNEES_COMPLETES,
    Valeurs,
    enregistrer,
    valeur,
)

__all__ = [
    "FAITS",
    "SUR_DONNEES_COMPLETES",
    "Valeurs",
    "_CALCULS",
    "enregistrer",
    "valeur",
]

# Les faits des constats du récit s'enregistrent dans le même catalogue.
from synthese_ihu import faits as _faits  # noqa: E402, F401

# Faits de l'annexe des révisions (édition N face à N−1), même catalogue.
from synthese_ihu import revisions_faits as _revisions  # noqa: E402, F401
