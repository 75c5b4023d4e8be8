#!/usr/bin/env bash
# Run the bundled Registre as a user would: a fresh folder, a clean environment (no virtualenv,
# no PYTHONPATH), the console command end to end, then the application under a virtual X
# display, in French and in English. Also checks what the bundle holds: its licence and notices,
# no file measured useless, no library every Linux desktop provides, and the oldest glibc it
# runs on (MIN_GLIBC: Ubuntu 22.04 and Debian 12 have it; see packaging/README.md).
set -euo pipefail
MIN_GLIBC=2.35
here=$(cd "$(dirname "$0")" && pwd)
bundle=$(cd "${1:-dist/Registre}" && pwd)
work=$(mktemp -d)
trap 'status=$?; [ $status -eq 0 ] || cat "$work"/data/logs/* >&2 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
fail() {
  echo "bundle check: $*" >&2
  cat "$work"/data/logs/* 2>/dev/null >&2 || true
  exit 1
}

run() {  # a clean environment: only what a desktop session would have
  env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    REGISTRE_DATA_DIR="$work/data" REGISTRE_PASSPHRASE="${PASSPHRASE}" "$@"
}

PASSPHRASE="demo-saint-exemple-sur-loire"
echo "bundle: $(du -sh "$bundle" | cut -f1) in $bundle"
find "$bundle" -type f -newer "$bundle/registre" -print > /dev/null  # readable by this user
touch "$work/started"

# What the bundle holds.
[ -s "$bundle/LICENSE" ] && grep -q "EUROPEAN UNION PUBLIC LICENCE v. 1.2" "$bundle/LICENSE" \
  || fail "LICENSE (EUPL-1.2) missing"
for component in "PySide6_Essentials" "GNU LESSER GENERAL PUBLIC LICENSE" "SQLCipher" \
    "cryptography" "Python (CPython)" "reportlab" "pyHanko"; do
  grep -q "$component" "$bundle/THIRD-PARTY-NOTICES.txt" || fail "notices lack $component"
done
useless=$(cd "$bundle" && find . \( -path "*/reportlab/fonts/*" -o -name "libqgtk3.so" -o -name "_avif*" -o -name "_webp*" \
  -o -name "libqeglfs.so" -o -name "libqvnc.so" -o -path "*/plugins/tls/*" \) -print)
[ -z "$useless" ] || fail "files measured useless are bundled: $useless"
qt_translations=$(cd "$bundle" && find . -path "*/Qt/translations/*.qm" ! -name "qt_fr.qm" \
  ! -name "qtbase_fr.qm" ! -name "qt_en.qm" ! -name "qtbase_en.qm" -print)
[ -z "$qt_translations" ] || fail "Qt translations other than French and English: $qt_translations"
host=$(cd "$bundle" && find . \( -name "libX11.so*" -o -name "libxcb.so*" -o -name "libfontconfig.so*" \
  -o -name "libfreetype.so*" -o -name "libglib-2.0.so*" -o -name "libdbus-1.so*" \
  -o -name "libxkbcommon.so*" -o -name "libz.so*" \) -print)
[ -z "$host" ] || fail "host libraries bundled: $host"
[ -L "$bundle/registre-app" ] || [ -x "$bundle/registre-app.exe" ] \
  || fail "registre-app is not the shared executable"

# The oldest glibc: the highest GLIBC_x.y symbol version any bundled ELF file asks for.
needed=$(find "$bundle" -type f \( -name "*.so*" -o -perm -u+x \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | grep -o "GLIBC_[0-9][0-9.]*" | sed 's/GLIBC_//' \
  | sort -u -V | tail -1)
echo "glibc needed: $needed (documented minimum: $MIN_GLIBC)"
[ "$(printf '%s\n%s\n' "$needed" "$MIN_GLIBC" | sort -V | tail -1)" = "$MIN_GLIBC" ] \
  || fail "the bundle needs glibc $needed, more than the documented $MIN_GLIBC"

# The command line, end to end.
run "$bundle/registre" --version
run "$bundle/registre" --help | grep -q "^utilisation : registre" || fail "help not in French"
run "$bundle/registre" --help --lang en | grep -q "^usage: registre" || fail "help not in English"
run "$bundle/registre-app" --version | grep -q "^registre-app " || fail "registre-app --version"
run "$bundle/registre-app" --help | grep -q "REGISTRE_DATA_DIR" || fail "registre-app --help"
run "$bundle/registre" demo Demo.registre >/dev/null
run "$bundle/registre" info Demo.registre
run "$bundle/registre" --lang en info Demo.registre | grep -q "Database integrity: intact" \
  || fail "info --lang en is not in English"
set +e
run "$bundle/registre" check Demo.registre > check.txt
status=$?
set -e
[ "$status" -eq 1 ] || fail "check: expected exit 1 (gaps in the demo), got $status"
grep -q "Contrôle du registre" check.txt
run "$bundle/registre" export Demo.registre --format pdf --output registre.pdf
run "$bundle/registre" verify registre.pdf
run "$bundle/registre" export Demo.registre --format xlsx --output registre.xlsx \
  --organisation "$(run "$bundle/registre" info Demo.registre --json \
    | sed -n 's/.*"id": "\([^"]*\)".*/\1/p' | sed -n 2p)" > /dev/null
printf 'x' | dd of=registre.pdf bs=1 seek=2000 conv=notrunc status=none
set +e
run "$bundle/registre" verify registre.pdf
status=$?
set -e
[ "$status" -eq 4 ] || fail "verify: expected exit 4 on an altered file, got $status"

# A batch export on worker processes: they start the frozen executable again (freeze_support).
run "$bundle/registre" export Demo.registre --format pdf --all-organisations --workers 2 \
  --output lot > /dev/null
[ "$(find lot -name '*.pdf' | wc -l)" -eq 2 ] || fail "batch export on worker processes"

# The team register: psycopg's binary implementation and its libpq are bundled and load, so a
# URL reaches libpq (here a closed port: the plain "server does not answer", exit 7).
find "$bundle" -path "*psycopg_binary*" -name "pq*.so" | grep -q . \
  || fail "psycopg's binary implementation is not bundled"
set +e
run "$bundle/registre" info "postgresql://registre@127.0.0.1:1/registre" 2> team.err
status=$?
set -e
{ [ "$status" -eq 7 ] && grep -q "ne répond pas" team.err; } \
  || { cat team.err >&2; fail "team URL: expected exit 7 (server unreachable), got $status"; }

# The upgrade path: a register written by the previous release's schema opens with this build.
fixture="$here/../tests/fixtures/schema-v1.registre"
cp -r "$fixture" Old.registre
PASSPHRASE="le registre de la commune est tenu avec soin" run "$bundle/registre" info Old.registre \
  | grep -q "Version-Une"

# The application under a virtual X display, as a user sees it: its window title in French by
# default and in English with --lang en; nothing written into the bundle.
window_titles() {  # start registre-app with "$@", print the names of its windows
  local display=:$((90 + RANDOM % 100))
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp > /dev/null 2>&1 &
  local xvfb=$!
  sleep 1
  (exec env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 REGISTRE_DATA_DIR="$work/data" \
    DISPLAY="$display" QT_QPA_PLATFORM=xcb "$bundle/registre-app" "$@" 2> app.err) &
  local app=$!
  local names=""
  for _ in $(seq 1 40); do
    sleep 0.5
    # a titled window ("… — Registre"), not the untitled helper windows Qt creates first
    names=$(DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep -o '"[^"]* — Registre"' || true)
    [ -n "$names" ] && break
  done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
  if grep -qiE "traceback|error" app.err; then cat app.err >&2; fail "registre-app wrote errors"; fi
  echo "$names"
}
french=$(window_titles)
echo "windows (French): $french"
echo "$french" | grep -q "Bibliothèque des registres" || fail "no French library window"
english=$(window_titles --lang en)
echo "windows (English): $english"
echo "$english" | grep -q "Register library" || fail "--lang en does not show English"
changed=$(find "$bundle" -newer "$work/started" -print)
[ -z "$changed" ] || fail "running Registre wrote into the bundle: $changed"
echo "bundle check passed"
