#!/usr/bin/env bash
# Copies the dashboard's pinned browser libraries into ../static/dashboard/vendor/ (committed):
# `npm ci` of package-lock.json in a scratch folder (no node_modules in the tree), then each built
# file, its licence, and VENDORED.json, which records the locked version and integrity of each
# package and the SHA-256 of the file copied. tests/api/test_dashboard_vendor.py fails when the
# copy is not the locked version. Run it after changing package.json (`npm install` relocks).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/../static/dashboard/vendor"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$scratch/"
(cd "$scratch" && npm ci --ignore-scripts --no-audit --no-fund)
mkdir -p "$vendor"
# Without its `//# sourceMappingURL=` line: the map (1 MB) is not shipped, and collectstatic's
# manifest storage refuses a reference to a file that is not there.
grep -v '^//# sourceMappingURL=' "$scratch/node_modules/chart.js/dist/chart.umd.min.js" \
  >"$vendor/chart.umd.min.js"
cp "$scratch/node_modules/chart.js/LICENSE.md" "$vendor/chart.js.LICENSE.md"
# Chart.js's UMD build bundles @kurkle/color: its licence travels with it.
cp "$scratch/node_modules/@kurkle/color/LICENSE.md" "$vendor/kurkle-color.LICENSE.md"
node - "$scratch" "$vendor" <<'JS'
const fs = require("fs");
const crypto = require("crypto");
const [scratch, vendor] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(`${scratch}/package-lock.json`, "utf8")).packages;
const sha256 = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const entry = (name, file, from) => ({
  package: name,
  version: lock[`node_modules/${name}`].version,
  integrity: lock[`node_modules/${name}`].integrity,
  from,
  upstream_sha256: sha256(`${scratch}/node_modules/${name}/${from}`),
  file,
  sha256: sha256(`${vendor}/${file}`),
  changes: "the final sourceMappingURL comment removed (the map is not shipped)",
});
const files = [entry("chart.js", "chart.umd.min.js", "dist/chart.umd.min.js")];
fs.writeFileSync(`${vendor}/VENDORED.json`, JSON.stringify(files, null, 2) + "\n");
JS
echo "vendored into $vendor"
