#!/usr/bin/env bash
# Install what Kasir's build and tests need and that is missing.
# Debian/Ubuntu packages through apt (listed in scripts/apt-packages.txt),
# Rust components through rustup. Safe to run again: it only installs what is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  while read -r pkg; do
    pkg="${pkg%%#*}"; pkg="$(echo "$pkg" | xargs)"
    [ -z "$pkg" ] && continue
    # nodejs may come from elsewhere (nvm, the image); a working `node` is enough
    if [ "$pkg" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < "$here/apt-packages.txt"
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup: not a Debian/Ubuntu system; install these yourself if missing:" $(grep -v '^#' "$here/apt-packages.txt")
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is missing; install it from rustup (https://rustup.rs) and run again" >&2
  exit 1
fi
if command -v rustup >/dev/null 2>&1; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
  done
fi

# the till's end-to-end test drives the window through tauri-driver
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$cargo_bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked
fi

# `make package` bundles with Tauri's CLI, pinned like tauri-driver; only the
# packaging targets ask for it (`setup.sh package`), as it takes minutes to build
if [ "${1:-}" = package ]; then
  tauri_cli=2.12.4
  if [ "$(cargo tauri --version 2>/dev/null)" != "tauri-cli $tauri_cli" ]; then
    echo "setup: installing tauri-cli $tauri_cli"
    cargo install tauri-cli --version "$tauri_cli" --locked
  fi
fi
