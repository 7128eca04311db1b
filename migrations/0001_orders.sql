-- Kasir's first schema: static QRIS, orders (every payment link is an order),
-- their events, API keys and usage, settings. Times are UTC milliseconds since
-- the Unix epoch; money is integer rupiah.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE static_qris (
    id            INTEGER PRIMARY KEY,
    payload       TEXT NOT NULL UNIQUE,
    merchant_name TEXT NOT NULL,
    merchant_city TEXT NOT NULL,
    nmid          TEXT,
    acquirer      TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    order_id      TEXT NOT NULL UNIQUE,
    link_code     TEXT NOT NULL UNIQUE,
    qris_id       INTEGER NOT NULL REFERENCES static_qris(id),
    source        TEXT NOT NULL CHECK (source IN ('generate', 'payment_link', 'till', 'widget')),
    amount        INTEGER NOT NULL CHECK (amount > 0),
    fee_type      TEXT CHECK (fee_type IN ('rupiah', 'percent')),
    fee_value     TEXT,
    fee_amount    INTEGER NOT NULL DEFAULT 0,
    total_amount  INTEGER NOT NULL,
    description   TEXT,
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'awaiting_confirmation', 'paid', 'cancelled', 'expired')),
    webhook_url   TEXT,
    callback_url  TEXT,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    paid_at       INTEGER,
    customer_confirmed_at INTEGER,
    cancelled_at  INTEGER,
    confirmed_by  TEXT CHECK (confirmed_by IN ('api', 'dashboard')),
    payer_name    TEXT,
    payer_note    TEXT,
    view_count    INTEGER NOT NULL DEFAULT 0,
    is_active     INTEGER NOT NULL DEFAULT 1
) STRICT;

-- newest first, per status: the till's lists and GET /orders?status=
CREATE INDEX orders_status_created ON orders(status, created_at DESC, id DESC);
CREATE INDEX orders_created ON orders(created_at DESC, id DESC);
-- the expiry sweeper looks only at open orders
CREATE INDEX orders_open_expiry ON orders(expires_at) WHERE status IN ('pending', 'awaiting_confirmation');

-- Every state change, written in the same transaction as the change.
CREATE TABLE order_events (
    id          INTEGER PRIMARY KEY,
    order_pk    INTEGER NOT NULL REFERENCES orders(id),
    event       TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX order_events_order ON order_events(order_pk, id);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    key_prefix   TEXT NOT NULL,
    key_hash     BLOB NOT NULL UNIQUE,
    daily_limit  INTEGER CHECK (daily_limit IS NULL OR daily_limit > 0),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
) STRICT;

-- Requests per key, endpoint and day (Asia/Jakarta calendar day, YYYY-MM-DD).
CREATE TABLE api_usage (
    key_id        INTEGER NOT NULL REFERENCES api_keys(id),
    day           TEXT NOT NULL,
    endpoint      TEXT NOT NULL,
    request_count INTEGER NOT NULL,
    PRIMARY KEY (key_id, day, endpoint)
) STRICT, WITHOUT ROWID;
