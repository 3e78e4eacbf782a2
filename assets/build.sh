#!/usr/bin/env sh
# Rebuild static/govuk/ from the pinned npm packages (run by `make assets`; needs Node and npm).
# Output is committed so that `make run` and `make test` never need Node.
set -eu
cd "$(dirname "$0")/.."
out=static/govuk
version=$(node -p "require('./node_modules/govuk-frontend/package.json').version")
sass_version=$(node -p "require('./node_modules/sass/package.json').version")

rm -rf "$out"
mkdir -p "$out"
npx --no-install sass --load-path=node_modules --style=compressed --no-source-map \
  assets/govuk.scss "$out/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk-frontend.min.js"

# The compiled CSS must not name the GOV.UK font or need files we do not ship.
if grep -q "GDS Transport" "$out/govuk-frontend.min.css"; then
  echo "static/govuk: compiled CSS still names GDS Transport" >&2; exit 1
fi
if grep -o 'url([^)]*)' "$out/govuk-frontend.min.css" | grep -v 'data:' ; then
  echo "static/govuk: compiled CSS refers to asset files (listed above); ship them or drop them" >&2; exit 1
fi

cp assets/LICENCE.govuk-frontend.txt "$out/LICENCE.txt"
cat > "$out/VERSION" <<NOTE
govuk-frontend $version (npm, MIT licence: LICENCE.txt)
compiled with sass $sass_version from assets/govuk.scss by assets/build.sh (make assets)
font: system font stack; no GDS Transport font files, crown, logo or GOV.UK images are included
NOTE
echo "static/govuk rebuilt from govuk-frontend $version"
