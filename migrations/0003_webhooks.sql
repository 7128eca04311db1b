-- Webhook delivery: a durable outbox. A delivery is written in the same
-- transaction as the state change it reports, so none is lost or invented;
-- a worker sends it and records every attempt.

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    -- the Standard Webhooks `webhook-id`: the same on every attempt, for dedup
    webhook_id      TEXT NOT NULL UNIQUE,
    order_pk        INTEGER REFERENCES orders(id),
    order_event_id  INTEGER REFERENCES order_events(id),
    event           TEXT NOT NULL,
    url             TEXT NOT NULL,
    -- scheme://host:port: one slow receiver is limited per origin, not globally
    origin          TEXT NOT NULL,
    -- the exact bytes sent and signed, frozen when the event happened
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    -- set while an attempt is in flight in the worker holding the lock
    leased_until    INTEGER,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT
) STRICT;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(order_pk);

CREATE TABLE webhook_attempts (
    id            INTEGER PRIMARY KEY,
    delivery_id   INTEGER NOT NULL REFERENCES webhook_deliveries(id),
    attempt       INTEGER NOT NULL,
    url           TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    status_code   INTEGER,
    error         TEXT,
    -- at most 1 KB of what the receiver answered
    response_body TEXT
) STRICT;

CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);
