#!/usr/bin/env bash
# Paquets Debian dont le projet a besoin hors de Python : pango pour WeasyPrint (PDF) ;
# chromium (piloté par Playwright) pour les tests de l'édition ; poppler-utils (pdftotext) pour le contrôle de
# confidentialité de la construction (texte du PDF) et les tests.
# Installe ce qui manque (en root, comme en CI) ; sinon dit quoi installer.
set -euo pipefail
PAQUETS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium poppler-utils)
manquants=()
for p in "${PAQUETS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || manquants+=("$p")
done
[ ${#manquants[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${manquants[@]}" >/dev/null
else
  echo "Paquets système manquants : ${manquants[*]} (sudo apt-get install ${manquants[*]})" >&2
  exit 1
fi
