"""Aperçu de la boucle d'édition : Markdown sans noyau, récits dans le noyau vivant, événements."""

from __future__ import annotations

import threading

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from projet_jetable import ANNEES, projet_jetable

from synthese_ihu import apercu, construction, execution
from synthese_ihu.config import charger_configuration, valider_parametres
from synthese_ihu.construction import Emplacements


@pytest.fixture
def projet(tmp_path) -> Emplacements:
    """Une section : valeurs calculées, un récit, du Markdown ; données et paquet jetables."""
    nb = new_notebook(
        cells=[
            new_code_cell("annee = 2000", metadata={"tags": ["parameters"]}),
            new_markdown_cell("## Section d'essai"),
            new_code_cell(
                "from types import SimpleNamespace\n"
                "from synthese_ihu import recit\n"
                "recit.load_ipython_extension(get_ipython())\n"
                "v = SimpleNamespace(total=annee * 10)"
            ),
            new_code_cell("%%recit\nLe total vaut {v.total} en {annee}."),
            new_markdown_cell("Texte d'origine."),
        ]
    )
    return projet_jetable(tmp_path, nb)


def retoucher(projet: Emplacements, index: int, texte: str):
    chemin = projet.carnets / "00_essai.ipynb"
    nb = nbformat.read(str(chemin), as_version=4)
    nb.cells[index].source = texte
    nbformat.write(nb, str(chemin))
    return chemin


@pytest.mark.lent
def test_retouche_markdown_sans_noyau(projet, monkeypatch):
    messages: list[str] = []
    ap = apercu.Apercu(2021, projet, annees=ANNEES, afficher=messages.append)
    html = ap.construire()
    assert html == projet.construction / "2021" / "apercu" / "synthese-ihu-2021.html"
    texte = html.read_text(encoding="utf-8")
    assert "Le total vaut 20210 en 2021." in texte and "Texte d’origine." in texte
    assert str(html) in messages[-1]
    assert not list(html.parent.glob("*.pdf")) and not projet.rapports.exists()

    monkeypatch.setattr(execution.Noyau, "demarrer", _interdit)
    ap.retoucher([retoucher(projet, 4, "Texte retouché.")])
    texte = html.read_text(encoding="utf-8")
    assert "Texte retouché." in texte and "Texte d’origine." not in texte
    assert "Le total vaut 20210 en 2021." in texte
    ap.fermer()
    # le carnet de l'aperçu est celui de la construction (ici repris du cache), à l'octet
    configuration = charger_configuration(projet.configuration, projet.carnets)
    parametres = valider_parametres({"annee": 2021}, configuration, ANNEES)
    [construit], _, _ = construction.executer_sections(
        parametres, configuration, projet, afficher=lambda m: None
    )
    assert execution.en_octets(ap.finals["essai"]) == execution.en_octets(construit)


@pytest.mark.lent
def test_retouche_de_recit_dans_le_noyau_vivant_comme_une_construction(projet, monkeypatch):
    ap = apercu.Apercu(2021, projet, annees=ANNEES, afficher=lambda m: None)
    ap.construire()
    # premier récit retouché : la section s'exécute une fois, son noyau reste vivant
    ap.retoucher([retoucher(projet, 3, "%%recit\nTotal de {v.total}.")])
    assert "Total de 20210." in ap.chemin.read_text(encoding="utf-8")
    assert list(ap.noyaux) == ["essai"]
    # récits suivants (modifié, ajouté) : dans ce noyau, aucun autre n'est démarré
    with monkeypatch.context() as m:
        m.setattr(execution.Noyau, "demarrer", _interdit)
        chemin = retoucher(projet, 3, "%%recit --si v.total\nEn {annee}, le total vaut {v.total}.")
        nb = nbformat.read(str(chemin), as_version=4)
        nb.cells.append(new_code_cell("%%recit\nAnnée {annee}."))
        nbformat.write(nb, str(chemin))
        ap.retoucher([chemin])
    texte = ap.chemin.read_text(encoding="utf-8")
    assert "En 2021, le total vaut 20210." in texte and "Année 2021." in texte
    # le carnet de l'aperçu est celui qu'une construction complète écrit, à l'octet
    ap.fermer()
    configuration = charger_configuration(projet.configuration, projet.carnets)
    parametres = valider_parametres({"annee": 2021, "sans_cache": True}, configuration, ANNEES)
    [construit], _, _ = construction.executer_sections(
        parametres, configuration, projet, afficher=lambda m: None
    )
    assert execution.en_octets(ap.finals["essai"]) == execution.en_octets(construit)


@pytest.mark.lent
def test_retouche_du_code_reexecute_la_section(projet):
    ap = apercu.Apercu(2021, projet, annees=ANNEES, afficher=lambda m: None)
    ap.construire()
    chemin = projet.carnets / "00_essai.ipynb"
    code = nbformat.read(str(chemin), as_version=4).cells[2].source
    ap.retoucher([retoucher(projet, 2, code.replace("annee * 10", "annee * 100"))])
    ap.fermer()
    assert "Le total vaut 202100 en 2021." in ap.chemin.read_text(encoding="utf-8")


async def _interdit(self):
    raise AssertionError("un noyau a été démarré")


@pytest.mark.lent
def test_surveiller_refait_a_chaque_lot_enregistre(projet, monkeypatch):
    messages: list[str] = []
    chemin = retoucher(projet, 4, "Premier texte.")
    lots = iter([{chemin}])

    def suivant():
        for lot in lots:
            retoucher(projet, 4, "Second texte.")
            yield lot

    apercu.surveiller(2021, projet, annees=ANNEES, afficher=messages.append, lots=suivant())
    html = projet.construction / "2021" / "apercu" / "synthese-ihu-2021.html"
    assert "Second texte." in html.read_text(encoding="utf-8")
    assert sum(m.startswith("Aperçu HTML refait") for m in messages) == 2


@pytest.mark.lent
def test_evenements_du_systeme_de_fichiers(projet):
    arret = threading.Event()
    chemin = projet.carnets / "00_essai.ipynb"
    minuteur = threading.Timer(0.3, lambda: retoucher(projet, 4, "Enregistré."))
    minuteur.start()
    try:
        lot = next(iter(apercu.evenements(projet, arret)))
    finally:
        arret.set()
        minuteur.cancel()
    assert chemin in lot


@pytest.mark.rapide
def test_apercu_annee_refusee(projet):
    messages: list[str] = []
    ap = apercu.Apercu(1990, projet, annees=ANNEES, afficher=messages.append)
    apercu._tenter(ap.construire, messages.append)
    ap.fermer()
    assert messages and messages[0].startswith("Erreur : ") and "1990" in messages[0]
