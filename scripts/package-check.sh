#!/usr/bin/env bash
# CI's check of the Debian package (docs/PACKAGING.md): build it, install it
# with dpkg, run the `kasir` CLI from the PATH, start the installed till under
# Xvfb on a temporary data directory and a free port until its API answers,
# then remove the package again.
# Usage: scripts/package-check.sh [path/to/kasir_*.deb]   (built when not given)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then deb="$1"; else deb="$(bash scripts/package.sh)"; fi
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

# what the shop would get: files, no service, nothing fetched at install or run time
contents="$(dpkg-deb -c "$deb")"
for f in usr/bin/kasir usr/bin/kasir-desktop usr/share/applications/Kasir.desktop \
  usr/share/icons/hicolor/48x48/apps/kasir-desktop.png; do
  grep -Eq " (\./)?$f\$" <<<"$contents" || { echo "package-check: $f is not in $deb" >&2; exit 1; }
done
if grep -Eq ' (\./)?(lib|usr/lib|etc)/(systemd|init\.d|cron)' <<<"$contents"; then
  echo "package-check: the package installs a service or timer" >&2; exit 1
fi
if dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -Eq 'postinst|preinst'; then
  echo "package-check: the package runs install scripts" >&2; exit 1
fi

was_installed=""
dpkg-query -W -f='${Status}' kasir 2>/dev/null | grep -q "install ok installed" && was_installed=1
data="$(mktemp -d)"
till=""
cleanup() {
  if [ -n "$till" ]; then
    kill -TERM -- "-$till" 2>/dev/null || true
    wait "$till" 2>/dev/null || true
  fi
  rm -rf "$data"
  # a package that was here before stays (at this build's version); ours goes
  [ -z "$was_installed" ] && $sudo_cmd dpkg -r kasir >/dev/null || true
}
trap cleanup EXIT

$sudo_cmd dpkg -i "$deb"
[ "$(command -v kasir)" = /usr/bin/kasir ] || { echo "package-check: kasir on the PATH is $(command -v kasir)" >&2; exit 1; }
version="$(node -e 'console.log(require("./tauri.conf.json").version)')"
out="$(kasir --version)"
[ "$out" = "kasir $version" ] || { echo "package-check: kasir --version said '$out'" >&2; exit 1; }
echo "package-check: $out"

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
# setsid: the till, Xvfb and WebKit's processes are one group to stop together
KASIR_DATA_DIR="$data" KASIR_BIND="127.0.0.1:$port" KASIR_NO_NOTIFY=1 \
  setsid xvfb-run -a -s "-screen 0 1280x800x24" kasir-desktop >"$data/till.log" 2>&1 &
till=$!

started=$SECONDS
url="http://127.0.0.1:$port/api/health"
until health="$(node -e 'fetch(process.argv[1]).then(r=>r.ok?r.text():Promise.reject(r.status)).then(console.log,()=>process.exit(1))' "$url" 2>/dev/null)"; do
  if ! kill -0 "$till" 2>/dev/null; then
    echo "package-check: the installed till exited; its log:" >&2; cat "$data/till.log" >&2; exit 1
  fi
  if [ $((SECONDS - started)) -ge 60 ]; then
    echo "package-check: the installed till's API did not answer within 60 s; its log:" >&2
    cat "$data/till.log" >&2; exit 1
  fi
  sleep 0.5
done
echo "package-check: the installed till answered $url after $((SECONDS - started)) s: $health"
grep -q "\"version\":\"$version\"" <<<"$health" || { echo "package-check: not version $version" >&2; exit 1; }
echo "package-check: ok ($deb)"
