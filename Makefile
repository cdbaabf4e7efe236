# Synthèse annuelle de l'action IHU — point d'entrée unique.
# `make help` liste les cibles.
.DEFAULT_GOAL := help
SHELL := /bin/bash

YEAR ?= 2022
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
# Un processus de test par cœur (pytest-xdist) ; un module reste sur un processus (--dist loadscope
# de pyproject.toml) et les rapports construits sont partagés (tests/partage.py).
PARALLELE := -n logical

# YEAR, INTERNAL et SUJET sont des données, jamais du texte de commande : leur valeur brute
# ($(value …) : ni « $(shell …) » évalué par make, ni « ; » ou « --sortie » lus par le shell)
# passe par l'environnement et n'est lue qu'entre guillemets ("$$MAKE_YEAR"). YEAR est refusé
# avant tout appel à Python s'il n'est pas une année (quatre chiffres) ; INTERNAL est un oui/non
# (vide, 0, non, no, false : rapport public ; 1, oui, yes, true : variante interne).
export MAKE_YEAR := $(value YEAR)
export MAKE_INTERNAL := $(value INTERNAL)
export MAKE_SUJET := $(value SUJET)
unexport YEAR INTERNAL SUJET
ANNEE_VALIDE = [[ $$MAKE_YEAR =~ ^[0-9]{4}$$ ]] || { printf '%s\n' "Erreur : YEAR doit \
	être une année de quatre chiffres (YEAR=2022), pas « $$MAKE_YEAR » ; rien n'a été lancé." >&2; \
	exit 2; }
INTERNE_VALIDE = case "$${MAKE_INTERNAL,,}" in ''|0|non|no|false|1|oui|yes|true) ;; \
	*) printf '%s\n' "Erreur : INTERNAL est un oui/non (INTERNAL=1 : variante interne ; \
	vide ou INTERNAL=0 : rapport public), pas « $$MAKE_INTERNAL » ; rien n'a été lancé." >&2; \
	exit 2 ;; esac
SUJET_VALIDE = [[ -z $$MAKE_SUJET || ( $$MAKE_SUJET =~ ^[A-Za-z0-9_]+$$ && -d \
	tests/$$MAKE_SUJET ) ]] || { printf '%s\n' "Erreur : SUJET doit nommer un dossier de \
	tests/ (SUJET=recit), pas « $$MAKE_SUJET » ; rien n'a été lancé." >&2; exit 2; }
# --interne si INTERNAL vaut oui (déjà vérifié par INTERNE_VALIDE), dans le tableau bash interne
OPTION_INTERNE = case "$${MAKE_INTERNAL,,}" in 1|oui|yes|true) interne=(--interne) ;; \
	*) interne=() ;; esac

.PHONY: help env parametres-annee parametres-sujet clean-cache report test test-unit test-lent test-donnees test-carnets golden lab data clean \
	template ingest bench preview reports-all revue

help: ## Affiche cette aide
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'
	@echo "Paramètres : YEAR=AAAA (une année, défaut 2022), INTERNAL=1|0 (oui/non, défaut : \
	rapport public), SUJET=<dossier de tests/> ; toute autre valeur est refusée avant de rien lancer."

$(STAMP): pyproject.toml requirements.lock scripts/paquets-systeme.sh
	scripts/paquets-systeme.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

env: $(STAMP) ## Crée l'environnement (.venv depuis requirements.lock, paquets système manquants)

# Vérifiées AVANT $(STAMP) (prérequis de gauche) : un paramètre refusé ne lance rien, pas même pip.
parametres-annee:
	@$(ANNEE_VALIDE); $(INTERNE_VALIDE)

parametres-sujet:
	@$(SUJET_VALIDE)

report: parametres-annee $(STAMP) ## Construit le rapport de l'année YEAR : reports/YEAR/ (INTERNAL=1 : reports/interne/YEAR/)
	@$(OPTION_INTERNE); set -x; $(BIN)/synthese-ihu construire --annee "$$MAKE_YEAR" "$${interne[@]}"

reports-all: parametres-annee $(STAMP) ## Construit tous les rapports 2012 à YEAR : un groupe de noyaux, rendus en parallèle
	@$(OPTION_INTERNE); set -x; $(BIN)/synthese-ihu construire --annee "2012-$$MAKE_YEAR" "$${interne[@]}"

test: parametres-sujet $(STAMP) ## Lance toute la suite de tests sur tous les cœurs (rapides et lents ; SUJET=recit : un dossier de tests/)
	$(BIN)/python -m pytest $(PARALLELE) $${MAKE_SUJET:+"tests/$$MAKE_SUJET"}

test-unit: parametres-sujet $(STAMP) ## Tests rapides seuls (marque rapide, ≈ 35 s ; SUJET=recit : un dossier de tests/)
	$(BIN)/python -m pytest $(PARALLELE) -m rapide $${MAKE_SUJET:+"tests/$$MAKE_SUJET"}

test-lent: parametres-sujet $(STAMP) ## Tests lents seuls (marque lent : rapports construits, noyaux, navigateur)
	$(BIN)/python -m pytest $(PARALLELE) -m lent $${MAKE_SUJET:+"tests/$$MAKE_SUJET"}

test-donnees: $(STAMP) ## Indicateurs et chiffres publiés de l'édition 2022 recalculés (tests/indicateurs/)
	$(BIN)/python -m pytest $(PARALLELE) tests/indicateurs

test-carnets: $(STAMP) ## Carnets de référence 2022 vérifiés par nbval, et le filet (tests/golden/)
	$(BIN)/python -m pytest $(PARALLELE) tests/golden

golden: $(STAMP) ## Réécrit tests/golden/2022/ (après un changement voulu : relire git diff tests/golden)
	$(BIN)/synthese-ihu golden

data: $(STAMP) ## Régénère les données de référence (graine fixe) dans data/raw
	$(BIN)/synthese-ihu generer-donnees

template: parametres-annee $(STAMP) ## Écrit les classeurs vierges de la campagne YEAR : data/incoming/YEAR/modeles/
	$(BIN)/synthese-ihu modele --annee "$$MAKE_YEAR"

ingest: parametres-annee $(STAMP) ## Contrôle et fait entrer data/incoming/YEAR/*.xlsx dans data/raw/campagnes/YEAR/
	$(BIN)/synthese-ihu ingerer --annee "$$MAKE_YEAR"

revue: parametres-annee $(STAMP) ## Note de revue des révisions de YEAR face à YEAR-1 : reports/interne/revue/YEAR/ (après ingest)
	$(BIN)/synthese-ihu revue --annee "$$MAKE_YEAR"

bench: $(STAMP) ## Banc (plancher, naïf complet, froid, retouches, toutes années, chaque mécanisme désactivé ; ≈ 30 min) : benchmarks/resultats.*
	$(BIN)/python benchmarks/bench.py

preview: parametres-annee $(STAMP) ## Aperçu HTML de YEAR, refait dès qu'un carnet est enregistré (watchfiles) : build/YEAR/apercu/
	$(BIN)/synthese-ihu apercu --annee "$$MAKE_YEAR"

$(VENV)/.lab: $(STAMP) requirements-lab.lock
	$(BIN)/pip install --quiet -r requirements-lab.lock -c requirements.lock
	touch $@

lab: $(VENV)/.lab ## Ouvre JupyterLab (figé dans requirements-lab.lock) avec l'environnement du projet
	$(BIN)/jupyter lab notebooks/

clean: ## Supprime les fichiers de construction (build/), après la construction en cours
	mkdir -p build && flock build/.verrou rm -rf build/

clean-cache: ## Vide le cache (build/cache : carnets exécutés, données ouvertes) et l’état des rapports publiés (build/etat), après la construction en cours
	mkdir -p build && flock build/.verrou rm -rf build/cache build/etat
