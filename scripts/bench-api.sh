#!/usr/bin/env bash
# Load benchmark of the local API (docs/BENCHMARKS.md): POST /api/qris/generate
# sustained, and GET /api/qris/orders?status=paid&limit=20 over 1,000,000 orders.
# Needs wrk (apt-get install wrk). Runs only against 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-18787}"
cargo build --release --bin kasir --example qr_throughput >/dev/null
BIN=target/release/kasir
DIR="$(mktemp -d)"
SERVER=""
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT

QRIS="$(awk -F'\t' 'NR>1 && $4=="static" && $5=="QRIS" && $6=="valid" && $7=="" && $1 ~ /51440014ID.CO.QRIS.WWW/ {print $1; exit}' ../shared/testdata/qris/vectors.tsv)"
# the bare picture on both cores, same payload as the requests below: the
# generate throughput is compared with this number from the same run
echo "== bare QR encode + PNG + base64 (examples/qr_throughput.rs, 2 threads, 5 s)"
target/release/examples/qr_throughput "$QRIS" 5 2

export KASIR_KEY="$($BIN --data-dir "$DIR" keys create --name bench)"
$BIN --data-dir "$DIR" serve --bind "127.0.0.1:$PORT" 2>"$DIR/server.log" &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.1; done
curl -sf -X POST "http://127.0.0.1:$PORT/api/qris/upload" -H "X-API-Key: $KASIR_KEY" \
  -H 'Content-Type: application/json' -d "{\"qris_string\":\"$QRIS\"}" >/dev/null

cat > "$DIR/generate.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("KASIR_KEY")
wrk.body = '{"amount": 50000, "fee_type": "rupiah", "fee_value": 1000}'
LUA
echo "== POST /api/qris/generate ($CONNECTIONS connections, $DURATION)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$DIR/generate.lua" "http://127.0.0.1:$PORT/api/qris/generate" | tee "$DIR/generate.txt"
kill $SERVER; wait $SERVER 2>/dev/null || true
python3 - "$DIR/kasir.db" "$DIR/generate.txt" <<'PY'
import sqlite3, sys, re
db = sqlite3.connect(sys.argv[1])
stored = db.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
events = db.execute("SELECT COUNT(*) FROM order_events").fetchone()[0]
text = open(sys.argv[2]).read()
m = re.search(r"(\d+) requests in", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"orders stored after restart: {stored}; events: {events}; wrk completed: {m.group(1) if m else '?'}; non-2xx: {non2xx.group(1) if non2xx else 0}")
PY

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
