#!/usr/bin/env bash
# Desktop till benchmarks (docs/BENCHMARKS.md): release binary size, cold start
# to an interactive Kasir screen under Xvfb, Enter → QR shown, idle memory of the
# app's whole process tree (WebKit's processes included).
# Needs what `make test` installs (xvfb, webkit2gtk-driver, tauri-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
cargo build --release -p kasir-desktop >/dev/null
BIN="$PWD/target/release/kasir-desktop"
echo "binary: $(stat -c %s "$BIN") bytes ($(numfmt --to=iec --suffix=B "$(stat -c %s "$BIN")"))"
for i in $(seq "$RUNS"); do
  KASIR_DESKTOP_BIN="$BIN" E2E_MODE=bench \
    xvfb-run -a -s "-screen 0 1280x800x24" node scripts/e2e-till.mjs | tail -n 1
done
