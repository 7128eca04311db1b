#!/usr/bin/env bash
# Load benchmark of the local API (docs/BENCHMARKS.md): POST /api/qris/generate
# sustained at 16 and 32 connections with a varying amount, its ratio to the
# bare QR rate of the same run, every answered order checked in the file after
# a SIGKILL of the server mid-run; and GET /api/qris/orders?status=paid&limit=20 over 1,000,000 orders.
# Needs wrk (apt-get install wrk). Runs only against 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-18787}"
cargo build --release --bin kasir --example qr_throughput >/dev/null
# KASIR_BIN: another build of the server to compare, in the same machine state
BIN="${KASIR_BIN:-target/release/kasir}"
DIR="$(mktemp -d)"
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT

QRIS="$(awk -F'\t' 'NR>1 && $4=="static" && $5=="QRIS" && $6=="valid" && $7=="" && $1 ~ /51440014ID.CO.QRIS.WWW/ {print $1; exit}' ../shared/testdata/qris/vectors.tsv)"
# the bare picture on both cores, same payload as the requests below: the
# generate throughput is compared with this number from the same run
echo "== bare QR encode + PNG + base64 (examples/qr_throughput.rs, 2 threads, 5 s)"
target/release/examples/qr_throughput "$QRIS" 5 2 | tee "$DIR/bare.txt"

export KASIR_KEY="$($BIN --data-dir "$DIR" keys create --name bench)"
start_server() {
  $BIN --data-dir "$DIR" serve --bind "127.0.0.1:$PORT" 2>>"$DIR/server.log" &
  SERVER=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.1; done
}
start_server
curl -sf -X POST "http://127.0.0.1:$PORT/api/qris/upload" -H "X-API-Key: $KASIR_KEY" \
  -H 'Content-Type: application/json' -d "{\"qris_string\":\"$QRIS\"}" >/dev/null

# a different amount per request, as a shop's sales are (the same 1,000 amounts
# qr_throughput draws); with IDS set, every answered order id is written down
cat > "$DIR/generate.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("KASIR_KEY")
local threads, n, ids = 0, 0, nil
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  n = id * 500
  local dir = os.getenv("IDS")
  if dir then ids = io.open(dir .. "/" .. id, "w") end
end
function request()
  n = n + 1
  local amount = 10000 + (n % 1000) * 997
  return wrk.format(nil, nil, nil,
    '{"amount": ' .. amount .. ', "fee_type": "rupiah", "fee_value": 1000}')
end
function response(status, headers, body)
  if ids and status == 200 then
    ids:write(body:match('"order_id":"([^"]+)"'), "\n")
    ids:flush()
  end
end
LUA
for c in 16 32; do
  echo "== POST /api/qris/generate ($c connections, $DURATION)"
  wrk -t2 -c"$c" -d"$DURATION" --latency -s "$DIR/generate.lua" "http://127.0.0.1:$PORT/api/qris/generate" | tee "$DIR/generate-$c.txt"
done
kill $SERVER; wait $SERVER 2>/dev/null || true
python3 - "$DIR/kasir.db" "$DIR/bare.txt" "$DIR"/generate-16.txt "$DIR"/generate-32.txt <<'PY'
import sqlite3, sys, re
db = sqlite3.connect(sys.argv[1])
stored = db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
without = db.execute("SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_pk = o.id AND e.event = 'order.created')").fetchone()[0]
bare = float(re.search(r"= (\d+)/s", open(sys.argv[2]).read()).group(1))
answered = 0
for f in sys.argv[3:]:
    text = open(f).read()
    done = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"99%\s+(\S+)", text).group(1)
    answered += done - non2xx
    print(f"{f.split('-')[-1][:-4]} connections: {rate:,.0f} req/s, p99 {p99}, ratio to bare QR {rate / bare:.2f}, non-2xx {non2xx}")
print(f"orders stored after the server stopped: {stored} for {answered} answered; without their created event: {without}")
PY

# the same at 32 connections, the server killed (SIGKILL) halfway: every order
# the server answered must be in the file with its event
echo "== generate, 32 connections, server SIGKILLed halfway through $DURATION"
mkdir -p "$DIR/ids"
start_server
secs="${DURATION%s}"
IDS="$DIR/ids" wrk -t2 -c32 -d"$DURATION" -s "$DIR/generate.lua" "http://127.0.0.1:$PORT/api/qris/generate" >"$DIR/killed.txt" 2>&1 &
WRK=$!
sleep $((secs / 2))
kill -9 $SERVER; wait $SERVER 2>/dev/null || true
wait $WRK || true
python3 - "$DIR/kasir.db" "$DIR/ids" <<'PY'
import sqlite3, sys, os
db = sqlite3.connect(sys.argv[1])
ids = [l.strip() for f in os.listdir(sys.argv[2]) for l in open(os.path.join(sys.argv[2], f)) if l.strip()]
missing = 0
for i in ids:
    row = db.execute("SELECT (SELECT COUNT(*) FROM order_events e WHERE e.order_pk = o.id AND e.event = 'order.created') FROM orders o WHERE o.order_id = ?", (i,)).fetchone()
    if row is None or row[0] != 1:
        missing += 1
print(f"answered before the SIGKILL: {len(ids)}; missing from the file or without their event: {missing}")
sys.exit(1 if missing else 0)
PY
# GENERATE_ONLY=1: stop here (comparing builds of the write path)
[ -n "${GENERATE_ONLY:-}" ] && exit 0

echo "== seeding 1,000,000 orders"
python3 - "$DIR/kasir.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
payload = db.execute("SELECT payload FROM orders LIMIT 1").fetchone()[0]
db.execute("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO orders(order_id, link_code, qris_id, source, amount, total_amount, payload, status, created_at, expires_at, paid_at, confirmed_by)
SELECT 'SEED-' || i, printf('Z%07d', i), 1, 'generate', 1000 + i % 50000, 1000 + i % 50000, ?,
       CASE i % 4 WHEN 0 THEN 'paid' WHEN 1 THEN 'pending' WHEN 2 THEN 'cancelled' ELSE 'expired' END,
       ? - i * 1000, ? - i * 1000 + 86400000 * 365, CASE i % 4 WHEN 0 THEN ? - i * 1000 + 60000 END, CASE i % 4 WHEN 0 THEN 'api' END
FROM n""", (payload, now, now, now))
db.commit()
# a database at rest: the seed's WAL checkpointed, statistics gathered
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.execute("ANALYZE")
print("orders:", db.execute("SELECT COUNT(*) FROM orders").fetchone()[0])
PY
$BIN --data-dir "$DIR" serve --bind "127.0.0.1:$PORT" 2>>"$DIR/server.log" &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.1; done
cat > "$DIR/list.lua" <<'LUA'
wrk.headers["X-API-Key"] = os.getenv("KASIR_KEY")
LUA
echo "== GET /api/qris/orders?status=paid&limit=20 over 1,000,000 orders"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$DIR/list.lua" "http://127.0.0.1:$PORT/api/qris/orders?status=paid&limit=20"
