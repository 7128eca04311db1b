-- The thermal printer's queue. A receipt is rendered to ESC/POS bytes and
-- written here in the same transaction as the payment it is for, so a printer
-- that is off or out of paper never loses it; a worker sends it and retries.

CREATE TABLE print_jobs (
    id              INTEGER PRIMARY KEY,
    -- a paid order's receipt, or an open order's slip with its QR to scan
    kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'payment_qr')),
    order_pk        INTEGER REFERENCES orders(id),
    -- the exact bytes for the printer, frozen when the job was made
    bytes           BLOB NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'printed', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    created_at      INTEGER NOT NULL,
    printed_at      INTEGER,
    last_error      TEXT
) STRICT;

CREATE INDEX print_jobs_due ON print_jobs(next_attempt_at) WHERE status = 'queued';
CREATE INDEX print_jobs_order ON print_jobs(order_pk);
