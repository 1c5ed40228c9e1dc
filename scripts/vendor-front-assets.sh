#!/bin/bash
# Copies the browser libraries rvd_front serves (htmx, its SSE extension, Pico CSS, noVNC, spice-html5)
# from npm into src/Ravada.Front/wwwroot/lib, where they are committed: building and running the portal
# needs neither npm nor a CDN. Run it after changing src/Ravada.Front/assets/package.json.
set -euo pipefail
cd "$(dirname "$0")/../src/Ravada.Front/assets"
npm ci --no-audit --no-fund --ignore-scripts
lib=../wwwroot/lib
rm -rf "$lib"
mkdir -p "$lib"/{htmx,pico,novnc,spice-html5}
cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE "$lib/htmx/"
cp node_modules/htmx-ext-sse/dist/sse.min.js "$lib/htmx/sse.min.js"
cp node_modules/@picocss/pico/css/pico.min.css node_modules/@picocss/pico/LICENSE.md "$lib/pico/"
cp -r node_modules/@novnc/novnc/core node_modules/@novnc/novnc/vendor node_modules/@novnc/novnc/LICENSE.txt "$lib/novnc/"
cp -r node_modules/@spice-project/spice-html5/src node_modules/@spice-project/spice-html5/COPYING.LESSER "$lib/spice-html5/"
rm -rf "$lib/spice-html5/src/thirdparty/browser-es-module-loader"
find "$lib" -name '*.map' -delete
echo "vendored into $(cd "$lib" && pwd)"
