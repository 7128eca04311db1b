#!/usr/bin/env bash
# The floor under the till's idle memory (docs/BENCHMARKS.md): launches the
# release till and an empty Tauri window (src-tauri/examples/bare_window.rs, same
# Tauri, wry and WebKitGTK) alone under Xvfb, waits for them to settle, and sums
# Pss over each one's whole process tree (WebKit's processes included).
# The till starts on a fresh data directory (its first-run screen).
set -euo pipefail
self="$(realpath "$0")"
cd "$(dirname "$self")/.."
RUNS="${RUNS:-3}"
SETTLE="${SETTLE:-12}"

measure() { # $1: the binary; prints "name: total MB | process:MB(anon MB) ..."
  local data app
  data="$(mktemp -d)"
  KASIR_DATA_DIR="$data" KASIR_BIND=127.0.0.1:0 KASIR_NO_NOTIFY=1 \
    WEBKIT_DISABLE_COMPOSITING_MODE=1 "$1" >"$data/app.log" 2>&1 &
  app=$!
  # expanded now: the trap runs after this function's locals are gone
  trap "kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -rf '$data'" EXIT
  sleep "$SETTLE"
  if ! kill -0 "$app" 2>/dev/null; then
    echo "$(basename "$1") exited before it could be measured:" >&2
    cat "$data/app.log" >&2
    exit 1
  fi
  local procs=("$app") i=0 c
  while [ "$i" -lt "${#procs[@]}" ]; do
    for c in $(pgrep -P "${procs[$i]}" || true); do procs+=("$c"); done
    i=$((i + 1))
  done
  local total=0 line="" p pss anon name
  for p in "${procs[@]}"; do
    # a process may end between listing and reading; it is then not counted
    pss="$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)"
    anon="$(awk '/^Pss_Anon:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)"
    name="$(cat "/proc/$p/comm" 2>/dev/null || true)"
    [ -n "$pss" ] && [ -n "$anon" ] || continue
    total=$((total + pss))
    line="$line $name:$((pss / 1024))(anon $((anon / 1024)))"
  done
  echo "$(basename "$1"): $((total / 1024)) MB |$line"
}

# under xvfb-run, this script calls itself with --measure BINARY
if [ "${1:-}" = --measure ]; then
  measure "$2"
  exit 0
fi

cargo build --release -p kasir-desktop >/dev/null
cargo build --release -p kasir-desktop --example bare_window --features bare-window >/dev/null
for _ in $(seq "$RUNS"); do
  for bin in target/release/kasir-desktop target/release/examples/bare_window; do
    xvfb-run -a -s "-screen 0 1280x800x24" "$self" --measure "$PWD/$bin"
  done
done
