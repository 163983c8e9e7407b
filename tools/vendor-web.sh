#!/usr/bin/env bash
# Vendor the web pages' third-party components from the npm registry into
# src/aiaccess/server/static/: YASGUI (the SPARQL editor at /sparql), Chart.js
# (the charts), vis-timeline (the timeline view) and Cytoscape.js (the graph
# view). Only the built files are kept, with each package's licence and a
# VERSION note naming the tarball and its hash.
#
# For developers: run it to upgrade (change the versions below), then review
# the diff and run the browser tests. Tests and CI never run it; the server
# never fetches anything.
#
#   tools/vendor-web.sh
set -euo pipefail

YASGUI=@zazuko/yasgui@4.6.2
CHARTJS=chart.js@4.5.1
TIMELINE=vis-timeline@8.5.4
CYTOSCAPE=cytoscape@3.35.0

cd "$(dirname "$0")/.."
static=src/aiaccess/server/static
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Download a package's tarball (npm checks it against the registry's integrity
# hash), unpack it into $work/NAME, and write NAME's VERSION note into $2.
fetch() {
    local spec=$1 target=$2 name=$3 json
    json=$(cd "$work" && npm pack --json --silent "$spec" 2>/dev/null)
    mkdir -p "$work/$name" "$target"
    tar -xzf "$work/$(jq -r '.[0].filename' <<<"$json")" -C "$work/$name"
    jq -r --arg when "$(date -u +%Y-%m-%d)" '.[0] |
        "\(.name) \(.version) from the npm registry (vendored \($when) by tools/vendor-web.sh)\n" +
        "tarball: \(.filename)\nintegrity: \(.integrity)\nshasum: \(.shasum)"' \
        <<<"$json" >"$target/VERSION"
}

# Append the SHA-256 of the built files to the VERSION note in folder $1.
checksums() {
    (cd "$1" && echo "files (sha256):" && sha256sum -- *.min.*) >>"$1/VERSION"
}

rm -rf "$static/yasgui" "$static/chartjs" "$static/vis-timeline" "$static/cytoscape"

fetch "$YASGUI" "$static/yasgui" yasgui
cp "$work/yasgui/package/build/yasgui.min.js" "$work/yasgui/package/build/yasgui.min.css" \
    "$static/yasgui/"
checksums "$static/yasgui"
# The npm package ships no licence file; package.json and the upstream README
# (https://github.com/rdfjs/Yasgui) say MIT.
cat >"$static/yasgui/LICENSE" <<'LICENSE'
YASGUI (npm @zazuko/yasgui) — https://github.com/rdfjs/Yasgui

The MIT License (MIT)

Copyright (c) Triply B.V. (original author) and Zazuko GmbH (this fork)

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.

The npm package states "license": "MIT" and ships no licence file; the upstream
README says "This code is released under the MIT license" and "This is a fork
from Zazuko from software written by Triply."

yasgui.min.js bundles third-party libraries under their own licences, among
them: CodeMirror 5 (MIT), jQuery (MIT), DataTables (MIT), DOMPurify
(MPL-2.0 OR Apache-2.0), lodash-es (MIT), N3.js (MIT), Papa Parse (MIT),
json2csv (MIT), SortableJS (MIT), autoComplete.js (Apache-2.0), jsuri (MIT),
base64-js (MIT), strict-uri-encode (MIT) and Font Awesome Free
icons (CC BY 4.0).
LICENSE

fetch "$CHARTJS" "$static/chartjs" chartjs
cp "$work/chartjs/package/dist/chart.umd.min.js" "$work/chartjs/package/LICENSE.md" \
    "$static/chartjs/"
checksums "$static/chartjs"

# vis-timeline's dist/ build bundles its dependencies (moment, vis-data…) like
# the standalone/ one, but leaves the style sheet to a file instead of adding a
# <style> element, which the pages' Content-Security-Policy would refuse. It logs
# a deprecation notice in the console (upstream plans to drop dist/ for the peer
# and standalone builds): on an upgrade that removes it, take the standalone
# build and allow its one <style> by hash in html.CSP, as for YASGUI's.
fetch "$TIMELINE" "$static/vis-timeline" vis-timeline
cp "$work/vis-timeline/package/dist/vis-timeline-graph2d.min.js" \
    "$work/vis-timeline/package/dist/vis-timeline-graph2d.min.css" \
    "$work/vis-timeline/package/LICENSE.md" "$work/vis-timeline/package/LICENSE.MIT.txt" \
    "$work/vis-timeline/package/LICENSE.Apache-2.0.txt" "$static/vis-timeline/"
checksums "$static/vis-timeline"

fetch "$CYTOSCAPE" "$static/cytoscape" cytoscape
cp "$work/cytoscape/package/dist/cytoscape.min.js" "$work/cytoscape/package/LICENSE" \
    "$static/cytoscape/"
checksums "$static/cytoscape"

ls -l "$static/yasgui" "$static/chartjs" "$static/vis-timeline" "$static/cytoscape"
