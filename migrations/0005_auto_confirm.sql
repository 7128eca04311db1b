-- Automatic payment confirmation (docs/AUTO-CONFIRM.md): an order's unique
-- code, two more ways an order is confirmed, scoped API keys, and the
-- evidence a payment was seen, kept append-only.
--
-- `confirmed_by`'s CHECK can only be widened by rebuilding `orders` (SQLite's
-- documented procedure; db.rs runs migrations with foreign keys off and checks
-- them before committing). Its indexes and 0002's triggers are made again.

CREATE TABLE orders_new (
    id            INTEGER PRIMARY KEY,
    order_id      TEXT NOT NULL UNIQUE,
    link_code     TEXT NOT NULL UNIQUE,
    qris_id       INTEGER NOT NULL REFERENCES static_qris(id),
    source        TEXT NOT NULL CHECK (source IN ('generate', 'payment_link', 'till', 'widget')),
    amount        INTEGER NOT NULL CHECK (amount > 0),
    -- added to (or taken from) the amount so open orders' totals differ; 0 when off
    unique_code   INTEGER NOT NULL DEFAULT 0,
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
    confirmed_by  TEXT CHECK (confirmed_by IN ('api', 'dashboard', 'notification', 'statement')),
    payer_name    TEXT,
    payer_note    TEXT,
    view_count    INTEGER NOT NULL DEFAULT 0,
    is_active     INTEGER NOT NULL DEFAULT 1
) STRICT;

INSERT INTO orders_new (id, order_id, link_code, qris_id, source, amount, fee_type, fee_value, fee_amount,
    total_amount, description, payload, status, webhook_url, callback_url, created_at, expires_at, paid_at,
    customer_confirmed_at, cancelled_at, confirmed_by, payer_name, payer_note, view_count, is_active)
SELECT id, order_id, link_code, qris_id, source, amount, fee_type, fee_value, fee_amount,
    total_amount, description, payload, status, webhook_url, callback_url, created_at, expires_at, paid_at,
    customer_confirmed_at, cancelled_at, confirmed_by, payer_name, payer_note, view_count, is_active
FROM orders;

DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;

CREATE INDEX orders_status_created ON orders(status, created_at DESC, id DESC);
CREATE INDEX orders_created ON orders(created_at DESC, id DESC);
CREATE INDEX orders_open_expiry ON orders(expires_at) WHERE status IN ('pending', 'awaiting_confirmation');
-- the totals a new unique code must avoid, and the orders a payment of a total can be for
CREATE INDEX orders_total ON orders(total_amount, created_at);

CREATE TRIGGER orders_count_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_status_counts(status, n) VALUES (NEW.status, 1)
        ON CONFLICT(status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER orders_count_update AFTER UPDATE OF status ON orders WHEN OLD.status <> NEW.status BEGIN
    UPDATE order_status_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO order_status_counts(status, n) VALUES (NEW.status, 1)
        ON CONFLICT(status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER orders_count_delete AFTER DELETE ON orders BEGIN
    UPDATE order_status_counts SET n = n - 1 WHERE status = OLD.status;
END;

-- `full` keys do everything; a `notifications` key (the shop's phone) only
-- posts payment notifications.
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full', 'notifications'));

-- What was seen of a payment: a notification from the merchant's phone or a
-- credit line of a bank statement, with what it did. Rows are never deleted
-- and what was received never changes; a review (attach, dismiss) is added.
CREATE TABLE payment_evidence (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL CHECK (source IN ('notification', 'statement')),
    -- the Android package, or the statement's layout (`bca`, `mandiri`, `bri`)
    app          TEXT NOT NULL,
    title        TEXT,
    text         TEXT NOT NULL,
    -- when the payment happened, as the phone or the statement says (UTC ms)
    seen_at      INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    -- the forwarder's id or the provider's transaction id, when given
    external_id  TEXT,
    -- the API key that posted it (the phone's), none for the till's own import
    api_key_id   INTEGER REFERENCES api_keys(id),
    -- one row per payment: a re-sent notification or a re-imported line is a duplicate
    dedup_key    TEXT NOT NULL UNIQUE,
    result       TEXT NOT NULL CHECK (result IN ('confirmed', 'unmatched', 'ambiguous', 'already_paid', 'not_a_payment')),
    amount       INTEGER,
    payer_name   TEXT,
    -- why it did what it did, for the owner: "2 open orders of Rp 15.000: …"
    detail       TEXT NOT NULL,
    -- the order it was for when it came: the one it confirmed, or one paid already
    order_pk     INTEGER REFERENCES orders(id),
    -- the merchant's review of unmatched or ambiguous evidence
    review       TEXT CHECK (review IN ('attached', 'dismissed')),
    review_order_pk INTEGER REFERENCES orders(id),
    reviewed_at  INTEGER
) STRICT;

CREATE INDEX payment_evidence_received ON payment_evidence(received_at DESC, id DESC);
CREATE INDEX payment_evidence_to_review ON payment_evidence(amount) WHERE result IN ('unmatched', 'ambiguous') AND review IS NULL;

CREATE TRIGGER payment_evidence_kept BEFORE DELETE ON payment_evidence BEGIN
    SELECT RAISE(ABORT, 'payment evidence is kept: it can not be deleted');
END;

CREATE TRIGGER payment_evidence_unchanged BEFORE UPDATE OF id, source, app, title, text, seen_at, received_at,
    external_id, api_key_id, dedup_key, result, amount, payer_name, detail, order_pk ON payment_evidence BEGIN
    SELECT RAISE(ABORT, 'payment evidence is kept as received: only its review can be added');
END;

-- a review is written once
CREATE TRIGGER payment_evidence_reviewed_once BEFORE UPDATE OF review ON payment_evidence
    WHEN OLD.review IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'this evidence was already reviewed');
END;

-- A day's report printed as a slip is a print job of its own kind (no order).
CREATE TABLE print_jobs_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'payment_qr', 'report')),
    order_pk        INTEGER REFERENCES orders(id),
    bytes           BLOB NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'printed', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    created_at      INTEGER NOT NULL,
    printed_at      INTEGER,
    last_error      TEXT
) STRICT;
INSERT INTO print_jobs_new SELECT id, kind, order_pk, bytes, status, attempts, next_attempt_at, created_at, printed_at, last_error FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE INDEX print_jobs_due ON print_jobs(next_attempt_at) WHERE status = 'queued';
CREATE INDEX print_jobs_order ON print_jobs(order_pk);
