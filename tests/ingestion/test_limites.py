"""``limites.toml`` : lu et validé au départ ; une clé inconnue, un type faux ou une plage vide
est une erreur qui nomme la clé."""

from __future__ import annotations

import pytest

from synthese_ihu.ingestion.limites import FICHIER_LIMITES, ErreurLimites, lire_limites

pytestmark = pytest.mark.rapide


def test_limites_du_projet():
    lim = lire_limites()
    assert lim.classeur.lignes_max == 5000 and lim.classeur.colonnes_max == 26
    assert lim.plausibilite[("Depenses", "montant_eur")] == (0, 100_000_000)


@pytest.mark.parametrize("remplacer, message", [
    (("lignes_max = 5_000", "lignes_max = 5_000\nlignes_maxi = 3"),
     "clé inconnue « classeur.lignes_maxi »"),
    (("lignes_max = 5_000", "lignes_max = \"beaucoup\""), "clé « classeur.lignes_max » : attendu "
     "un entier > 0"),
    (("lignes_max = 5_000", ""), "clé « classeur.lignes_max » absente"),
    (("[plausibilite.Indicateurs]", "[plausibilite.Indicateur]"),
     "table inconnue « plausibilite.Indicateur »"),
    (("valeur = [0, 10_000]", "valeur = [10_000, 0]"),
     "clé « plausibilite.Indicateurs.valeur » : attendu [minimum, maximum]"),
    (("montant_eur = [0, 100_000_000]", "montant = [0, 1]"),
     "clé inconnue « plausibilite.Depenses.montant »"),
    (("[classeur]", "[divers]\na = 1\n[classeur]"), "table inconnue « divers »"),
])
def test_limites_invalides(tmp_path, remplacer, message):
    texte = FICHIER_LIMITES.read_text(encoding="utf-8")
    assert remplacer[0] in texte
    chemin = tmp_path / "limites.toml"
    chemin.write_text(texte.replace(remplacer[0], remplacer[1], 1), encoding="utf-8")
    with pytest.raises(ErreurLimites, match=message.replace("[", r"\[").replace("]", r"\]")):
        lire_limites(chemin)
