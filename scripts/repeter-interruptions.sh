#!/usr/bin/env bash
# Preuve de robustesse des tests d'interruption (#22) : lance N fois de suite
# tests/construction/test_interruptions.py et compte les passages verts.
#
#   scripts/repeter-interruptions.sh N normal   # lancé comme d'habitude
#   scripts/repeter-interruptions.sh N nohup    # chaque passage sous nohup, en arrière-plan
#   scripts/repeter-interruptions.sh N charge   # deux boucles actives à côté (2 cœurs occupés)
#
# Aucun nouvel essai : un passage rouge est compté rouge, et son journal est gardé dans
# build/repetitions/<mode>/echec-<n>.log pour en trouver la cause.
set -uo pipefail
cd "$(dirname "$0")/.."
N=${1:?nombre de passages}
MODE=${2:?normal, nohup ou charge}
case "$MODE" in normal|nohup|charge) ;; *) echo "mode inconnu : $MODE" >&2; exit 2 ;; esac
DOSSIER=build/repetitions/$MODE
mkdir -p "$DOSSIER"
PYTEST=(.venv/bin/python -m pytest -q -p no:cacheprovider -p no:randomly
        tests/construction/test_interruptions.py)
boucles=()
if [ "$MODE" = charge ]; then
  for _ in 1 2; do (while :; do :; done) & boucles+=($!); done
fi
trap '[ ${#boucles[@]} -gt 0 ] && kill "${boucles[@]}" 2>/dev/null' EXIT
verts=0 rouges=0
for ((n = 1; n <= N; n++)); do
  journal=$DOSSIER/passage-$n.log
  if [ "$MODE" = nohup ]; then
    nohup "${PYTEST[@]}" >"$journal" 2>&1 </dev/null &
    wait $!
    code=$?
  else
    "${PYTEST[@]}" >"$journal" 2>&1 </dev/null
    code=$?
  fi
  if [ $code -eq 0 ]; then
    verts=$((verts + 1)); rm -f "$journal"
  else
    rouges=$((rouges + 1)); mv "$journal" "$DOSSIER/echec-$n.log"
  fi
  printf '%s %s : passage %d/%d, code %d (verts %d, rouges %d)\n' \
    "$(date +%T)" "$MODE" "$n" "$N" "$code" "$verts" "$rouges"
done
echo "$MODE : $verts verts, $rouges rouges sur $N passages"
[ $rouges -eq 0 ]
