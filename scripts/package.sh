#!/usr/bin/env bash
# Build the till's Debian package (docs/PACKAGING.md): the release build of
# `kasir-desktop` and the `kasir` CLI, then Tauri's bundler. Progress goes to
# stderr; the last thing on stdout is the .deb's path.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 3>&1 1>&2

target_dir="$(cargo metadata --no-deps --format-version 1 |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"

# The same command and features as `make run`'s build, so the two share every
# artifact; tauri-cli's own `build` would pass other features and rebuild the
# till's crate (and it cannot find the till's Cargo.toml from the root config).
# KASIR_PACKAGE_PROFILE=debug packages the debug build instead: CI checks the
# packaging with the build `make test` already made, since a second, release
# build of the whole tree would take CI past its time (docs/PACKAGING.md).
profile="${KASIR_PACKAGE_PROFILE:-release}"
case "$profile" in
  release) cargo build --release -p kasir -p kasir-desktop --bins; bundle_flag="" ;;
  debug) cargo build -p kasir -p kasir-desktop --bins; bundle_flag="--debug" ;;
  *) echo "package: KASIR_PACKAGE_PROFILE is release or debug, not $profile" >&2; exit 1 ;;
esac

# The root config's name, version and identifier, and the CLI at /usr/bin/kasir
# (a bundle.linux.deb.files entry: externalBin would make every `cargo build` of
# the till require the CLI to exist first, as tauri-build checks sidecars).
merge="$(CLI="$target_dir/$profile/kasir" node -e '
  const c = require("./tauri.conf.json");
  console.log(JSON.stringify({
    productName: c.productName, version: c.version, identifier: c.identifier,
    bundle: { linux: { deb: { files: { "/usr/bin/kasir": process.env.CLI } } } },
  }));')"
TAURI_APP_PATH=src-tauri cargo tauri bundle $bundle_flag --bundles deb --config "$merge"

# Tauri names the file after productName (Kasir_…); Debian's convention, and
# the package inside, are lowercase
read -r product version < <(node -e 'const c=require("./tauri.conf.json");console.log(c.productName, c.version)')
arch="$(dpkg --print-architecture)"
deb_dir="$target_dir/$profile/bundle/deb"
deb="$deb_dir/kasir_${version}_${arch}.deb"
mv -f "$deb_dir/${product}_${version}_${arch}.deb" "$deb"
echo "package: $deb ($(du -h "$deb" | cut -f1))"
echo "$deb" >&3
