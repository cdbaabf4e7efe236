"""Générateur du jeu de référence reconstruit (``synthese-ihu generer-donnees``, ``make data``).

Les séries par IHU sont reconstruites (graine fixe) pour que chaque chiffre publié de l'édition
2022 (``data/reference/published_figures.yaml``) ressorte exactement, calculé selon
``docs/definitions.md``. Point d'entrée : :func:`synthese_ihu.generation.generateur.main`.
"""
