#!/usr/bin/env bash
# Re-vendor the web app's front-end assets from the npm registry (no CDN at run time):
#   echarts 5.x   dist/echarts.min.js                       charts and choropleths
#   echarts 4.9.0 map/json/china.json, map/json/province/*  boundaries (ECharts 5 no longer ships maps)
# Writes src/minsheng/web/static/vendor/ and its SOURCE.md (versions, licences, sizes).
# Run from the repository root: scripts/vendor_web_assets.sh [echarts5-version]
set -euo pipefail
cd "$(dirname "$0")/.."
v5=${1:-5}
out=src/minsheng/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@$v5" "echarts@4.9.0" >/dev/null)
mkdir -p "$work/e5" "$work/e4"
tar xzf "$work"/echarts-5*.tgz -C "$work/e5"
tar xzf "$work"/echarts-4.9.0.tgz -C "$work/e4"
rm -rf "$out" && mkdir -p "$out/map/province"
cp "$work/e5/package/dist/echarts.min.js" "$out/"
cp "$work/e5/package/LICENSE" "$out/LICENSE-echarts"
cp "$work/e5/package/NOTICE" "$out/NOTICE-echarts" 2>/dev/null || true
cp "$work/e4/package/map/json/china.json" "$out/map/"
cp "$work/e4/package/map/json/province/"*.json "$out/map/province/"
# index: the 2-digit province code of each province file (read from the features' GB/T 2260 ids)
python3 - "$out/map" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
index = {}
for path in sorted((root / "province").glob("*.json")):
    ids = [f.get("id") or f["properties"].get("id") for f in json.loads(path.read_text())["features"]]
    prefixes = {str(i)[:2] for i in ids if i}
    if len(prefixes) == 1:
        index[prefixes.pop()] = f"province/{path.name}"
(root / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True))
PY
version5=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['version'])" "$work/e5/package/package.json")
{
  echo "# Vendored front-end assets"
  echo
  echo "Written by \`scripts/vendor_web_assets.sh\` from the npm registry on $(date -u +%Y-%m-%d); served from /static/vendor, nothing is fetched from a CDN."
  echo
  echo "| file | npm package | version | licence | size |"
  echo "|---|---|---|---|---|"
  echo "| echarts.min.js | echarts (dist/echarts.min.js) | $version5 | Apache-2.0 (LICENSE-echarts, NOTICE-echarts) | $(du -h "$out/echarts.min.js" | cut -f1) |"
  echo "| map/china.json | echarts (map/json/china.json) | 4.9.0 | Apache-2.0 | $(du -h "$out/map/china.json" | cut -f1) |"
  echo "| map/province/*.json | echarts (map/json/province) | 4.9.0 | Apache-2.0 | $(du -sh "$out/map/province" | cut -f1) |"
  echo
  echo "map/index.json (written by the script) names the province file of each 2-digit province code;"
  echo "each feature's id is its GB/T 2260 code, so regions are matched by code, never by name."
  echo "The 4.x map files hold provinces (china.json) and each province's prefecture-level units"
  echo "(counties for the four municipalities); there are no county boundaries inside prefectures."
} > "$out/SOURCE.md"
echo "vendored into $out"
