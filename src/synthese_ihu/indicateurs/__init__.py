"""Indicateurs du rapport : fonctions pures sur une vue :class:`~synthese_ihu.donnees.Donnees`.

Chaque fonction reçoit la vue déjà restreinte par ``Donnees.pour_annee(N)`` et l'année cible
``annee`` (par défaut celle de la vue) et rend des nombres bruts (euros, effectifs, fractions
0-1), des ``pandas.Series``/``DataFrame`` ou de petites classes de données — jamais du texte mis
en forme. Les définitions suivent ``docs/definitions.md`` ; quand une période ou une série
n'existe pas encore pour l'année cible (pas de cofinancement avant la première campagne qui les
recueille, pas de périodes comparées la première année…), la fonction rend ``None``.

Les fonctions ``*_tendance`` rendent une :class:`Tendance` : le sens observé, les faits qui le
fondent et ``verifiee``, vrai si l'énoncé type du rapport (celui de l'édition de référence,
transposé à l'année cible) est vrai pour ces données. Le récit choisit ses mots d'après ces
résultats.

Un module par domaine : :mod:`.commun` (résultats structurés, périmètre), :mod:`.finances`,
:mod:`.activite` (indicateurs de campagne, valorisation, soin, contexte), :mod:`.bibliometrie`,
:mod:`.cofinancements`. Tout est réexporté ici : ``from synthese_ihu import indicateurs as ind ;
ind.verse_cumul(d, 2022)``.
"""

from synthese_ihu.indicateurs.activite import *  # noqa: F403
from synthese_ihu.indicateurs.bibliometrie import *  # noqa: F403
from synthese_ihu.indicateurs.cofinancements import *  # noqa: F403
from synthese_ihu.indicateurs.commun import *  # noqa: F403
from synthese_ihu.indicateurs.finances import *  # noqa: F403
