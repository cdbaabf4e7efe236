#!/bin/bash
# Compare, octet par octet, les rapports publics construits par deux révisions du dépôt.
#
# Usage : scripts/comparer-rapports.sh REV_AVANT REV_APRES [PLAGE]     (PLAGE : 2012-2022)
#
# Chaque révision est extraite hors de git (git archive) dans un dossier temporaire, où
# `make env` crée son propre environnement (depuis son requirements.lock, cache de pip), puis
# construite sans cache. Hors dépôt git, le colophon dit « paquet <version> » au lieu de
# `git describe` : deux révisions au code équivalent donnent alors les mêmes octets. Sortie :
# une ligne par fichier différent, puis le bilan ; code 1 si un fichier diffère.
# Sert à prouver qu'un remaniement ne change aucun rapport (#16), et à borner ce qu'un
# changement voulu modifie.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "Usage : $0 REV_AVANT REV_APRES [PLAGE]" >&2
  exit 2
fi
plage=${3:-2012-2022}
[[ $plage =~ ^[0-9]{4}(-[0-9]{4})?$ ]] || { echo "Plage invalide : « $plage »" >&2; exit 2; }
racine=$(cd "$(dirname "$0")/.." && pwd)
travail=$(mktemp -d "${TMPDIR:-/tmp}/comparer-rapports.XXXXXX")
trap 'rm -rf "$travail"' EXIT

construire() { # construire REV NOM
  local rev=$1 nom=$2 arbre=$travail/$2
  mkdir -p "$arbre"
  git -C "$racine" archive "$rev" | tar -x -C "$arbre"
  echo "▶ $rev ($(git -C "$racine" rev-parse --short "$rev")) : construction $plage…" >&2
  (cd "$arbre" && make --no-print-directory env >"$travail/$nom.log" 2>&1 &&
    env -u SYNTHESE_IHU_DONNEES -u SYNTHESE_IHU_SANS .venv/bin/synthese-ihu construire \
      --annee "$plage" --sortie "$travail/rapports-$nom" --sans-cache >>"$travail/$nom.log" 2>&1) ||
    { cat "$travail/$nom.log" >&2; exit 1; }
  (cd "$travail/rapports-$nom" && find . -type f | LC_ALL=C sort | xargs sha256sum) \
    >"$travail/$nom.sha256"
}

construire "$1" avant
construire "$2" apres
n=$(wc -l <"$travail/apres.sha256")
if diff -q "$travail/avant.sha256" "$travail/apres.sha256" >/dev/null; then
  echo "IDENTIQUES : $n fichiers, $plage, $1 → $2"
  exit 0
fi
join -j 2 -a 1 -a 2 -e absent -o 0,1.1,2.1 \
  <(awk '{print $1, $2}' "$travail/avant.sha256" | sort -k 2) \
  <(awk '{print $1, $2}' "$travail/apres.sha256" | sort -k 2) |
  awk '$2 != $3 {print "DIFFÉRENT : " $1}'
echo "DIFFÉRENTS : voir ci-dessus ($n fichiers après), $plage, $1 → $2"
exit 1
