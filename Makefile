# Synthèse annuelle de l'action IHU — point d'entrée unique.
# `make help` liste les cibles.
.DEFAULT_GOAL := help
SHELL := /bin/bash

YEAR ?= 2022
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe

.PHONY: help env report test test-unit test-lent test-donnees test-carnets golden lab data clean \
	template ingest bench preview reports-all revue

help: ## Affiche cette aide
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock scripts/paquets-systeme.sh
	scripts/paquets-systeme.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

env: $(STAMP) ## Crée l'environnement (.venv depuis requirements.lock, paquets système manquants)

report: $(STAMP) ## Construit le rapport de l'année YEAR : reports/YEAR/ (INTERNAL=1 : reports/interne/YEAR/)
	$(BIN)/synthese-ihu construire --annee $(YEAR) $(if $(INTERNAL),--interne)

reports-all: $(STAMP) ## Construit tous les rapports 2012 à YEAR : un groupe de noyaux, rendus en parallèle
	$(BIN)/synthese-ihu construire --annee 2012-$(YEAR) $(if $(INTERNAL),--interne)

test: $(STAMP) ## Lance toute la suite de tests (rapides et lents ; SUJET=recit : un dossier de tests/)
	$(BIN)/python -m pytest $(if $(SUJET),tests/$(SUJET))

test-unit: $(STAMP) ## Tests rapides seuls (marque rapide, < 1 min ; SUJET=recit : un dossier de tests/)
	$(BIN)/python -m pytest -m rapide $(if $(SUJET),tests/$(SUJET))

test-lent: $(STAMP) ## Tests lents seuls (marque lent : rapports construits, noyaux, navigateur)
	$(BIN)/python -m pytest -m lent $(if $(SUJET),tests/$(SUJET))

test-donnees: $(STAMP) ## Indicateurs et chiffres publiés de l'édition 2022 recalculés (tests/indicateurs/)
	$(BIN)/python -m pytest tests/indicateurs

test-carnets: $(STAMP) ## Carnets de référence 2022 vérifiés par nbval, et le filet (tests/golden/)
	$(BIN)/python -m pytest tests/golden

golden: $(STAMP) ## Réécrit tests/golden/2022/ (après un changement voulu : relire git diff tests/golden)
	$(BIN)/synthese-ihu golden

data: $(STAMP) ## Régénère les données de référence (graine fixe) dans data/raw
	$(BIN)/synthese-ihu generer-donnees

template: $(STAMP) ## Écrit les classeurs vierges de la campagne YEAR : data/incoming/YEAR/modeles/
	$(BIN)/synthese-ihu modele --annee $(YEAR)

ingest: $(STAMP) ## Contrôle et fait entrer data/incoming/YEAR/*.xlsx dans data/raw/campagnes/YEAR/
	$(BIN)/synthese-ihu ingerer --annee $(YEAR)

revue: $(STAMP) ## Note de revue des révisions de YEAR face à YEAR-1 : reports/interne/revue/YEAR/ (après ingest)
	$(BIN)/synthese-ihu revue --annee $(YEAR)

bench: $(STAMP) ## Banc (plancher, naïf complet, froid, retouches, toutes années, chaque mécanisme désactivé ; ≈ 30 min) : benchmarks/resultats.*
	$(BIN)/python benchmarks/bench.py

preview: $(STAMP) ## Aperçu HTML de YEAR, refait dès qu'un carnet est enregistré (watchfiles) : build/YEAR/apercu/
	$(BIN)/python -m synthese_ihu.apercu --annee $(YEAR)

$(VENV)/.lab: $(STAMP) requirements-lab.lock
	$(BIN)/pip install --quiet -r requirements-lab.lock -c requirements.lock
	touch $@

lab: $(VENV)/.lab ## Ouvre JupyterLab (figé dans requirements-lab.lock) avec l'environnement du projet
	$(BIN)/jupyter lab notebooks/

clean: ## Supprime les fichiers de construction (build/)
	rm -rf build/

.PHONY: clean-cache
clean-cache: ## Vide le cache (build/cache : carnets exécutés, données ouvertes) et l’état des rapports publiés (build/etat), après la construction en cours
	mkdir -p build && flock build/.verrou rm -rf build/cache build/etat
