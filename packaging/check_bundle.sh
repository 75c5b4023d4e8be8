#!/usr/bin/env bash
# Run the bundled Registre as a user would: a fresh folder, a clean environment (no virtualenv,
# no PYTHONPATH), the console command end to end, then the application offscreen for a moment.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bundle=$(cd "${1:-dist/Registre}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

run() {  # a clean environment: only what a desktop session would have
  env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    REGISTRE_DATA_DIR="$work/data" REGISTRE_PASSPHRASE="${PASSPHRASE}" "$@"
}

PASSPHRASE="demo-saint-exemple-sur-loire"
echo "bundle: $(du -sh "$bundle" | cut -f1) in $bundle"

run "$bundle/registre" --version
run "$bundle/registre" demo Demo.registre >/dev/null
run "$bundle/registre" info Demo.registre
set +e
run "$bundle/registre" check Demo.registre > check.txt
status=$?
set -e
[ "$status" -eq 1 ] || { echo "check: expected exit 1 (gaps in the demo), got $status"; exit 1; }
grep -q "Contrôle du registre" check.txt
run "$bundle/registre" export Demo.registre --format pdf --output registre.pdf
run "$bundle/registre" verify registre.pdf
printf 'x' | dd of=registre.pdf bs=1 seek=2000 conv=notrunc status=none
set +e
run "$bundle/registre" verify registre.pdf
status=$?
set -e
[ "$status" -eq 4 ] || { echo "verify: expected exit 4 on an altered file, got $status"; exit 1; }

# The upgrade path: a register written by the previous release's schema opens with this build.
fixture="$here/../tests/fixtures/schema-v1.registre"
cp -r "$fixture" Old.registre
PASSPHRASE="le registre de la commune est tenu avec soin" run "$bundle/registre" info Old.registre \
  | grep -q "Version-Une"

# The application: start offscreen, let it run a few seconds, expect no error on stderr.
set +e
run env QT_QPA_PLATFORM=offscreen timeout 5 "$bundle/registre-app" 2> app.err
status=$?
set -e
if [ "$status" -ne 124 ] || grep -qiE "traceback|error" app.err; then
  echo "registre-app did not keep running cleanly (exit $status):"; cat app.err; exit 1
fi
echo "bundle check passed"
