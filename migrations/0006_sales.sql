-- Issue 13: a catalogue, orders made from a cart, cash and split tenders,
-- refunds and open bills. Money is integer rupiah; the rules are
-- src/service/cart.rs's (docs/SALES.md).

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    colour      TEXT NOT NULL DEFAULT '#64748b',
    sort_order  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    price       INTEGER NOT NULL CHECK (price >= 0),
    -- unique when present (NULLs never clash)
    sku         TEXT UNIQUE,
    barcode     TEXT UNIQUE,
    category_id INTEGER REFERENCES categories(id),
    -- counted only when set
    stock       INTEGER,
    active      INTEGER NOT NULL DEFAULT 1,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX products_shelf ON products(active, sort_order, id);
-- a new product goes last: MAX(sort_order) by the index, not a scan per row
CREATE INDEX products_sort ON products(sort_order);

-- How the order is paid; `qris` for every order made before.
ALTER TABLE orders ADD COLUMN payment_method TEXT NOT NULL DEFAULT 'qris'
    CHECK (payment_method IN ('qris', 'cash', 'split'));
ALTER TABLE orders ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0);

-- The money of an order made from a cart (none for an amount-only order).
CREATE TABLE order_sales (
    order_pk      INTEGER PRIMARY KEY REFERENCES orders(id),
    subtotal      INTEGER NOT NULL,
    discount      INTEGER NOT NULL,
    service       INTEGER NOT NULL,
    tax           INTEGER NOT NULL,
    tax_inclusive INTEGER NOT NULL,
    rounding      INTEGER NOT NULL,
    total         INTEGER NOT NULL CHECK (total >= 0),
    cash_amount   INTEGER NOT NULL DEFAULT 0 CHECK (cash_amount >= 0),
    cash_tendered INTEGER NOT NULL DEFAULT 0 CHECK (cash_tendered >= 0),
    change_amount INTEGER NOT NULL DEFAULT 0 CHECK (change_amount >= 0)
) STRICT;

-- The lines, with what each one cost after every discount and charge.
CREATE TABLE order_items (
    order_pk          INTEGER NOT NULL REFERENCES orders(id),
    line_no           INTEGER NOT NULL,
    product_id        INTEGER REFERENCES products(id),
    name              TEXT NOT NULL,
    unit_price        INTEGER NOT NULL CHECK (unit_price >= 0),
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    discount          INTEGER NOT NULL,
    total             INTEGER NOT NULL CHECK (total >= 0),
    note              TEXT,
    refunded_quantity INTEGER NOT NULL DEFAULT 0 CHECK (refunded_quantity BETWEEN 0 AND quantity),
    refunded_amount   INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount BETWEEN 0 AND total),
    PRIMARY KEY (order_pk, line_no)
) STRICT;
CREATE INDEX order_items_product ON order_items(product_id);

-- Money given back. Kept: a refund is never edited or deleted.
CREATE TABLE refunds (
    id         INTEGER PRIMARY KEY,
    order_pk   INTEGER NOT NULL REFERENCES orders(id),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    method     TEXT NOT NULL CHECK (method IN ('cash', 'transfer')),
    reason     TEXT NOT NULL,
    -- [{line_no, quantity, amount}] for a refund by lines; NULL for a full one
    lines      TEXT,
    actor      TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX refunds_order ON refunds(order_pk);
CREATE INDEX refunds_day ON refunds(created_at);
CREATE TRIGGER refunds_kept BEFORE DELETE ON refunds BEGIN
    SELECT RAISE(ABORT, 'refunds are kept');
END;
CREATE TRIGGER refunds_unchanged BEFORE UPDATE ON refunds BEGIN
    SELECT RAISE(ABORT, 'refunds are kept');
END;

-- Parked carts ("Meja 3"), on this till. A bill taken back to the cart
-- stays until it is paid (checkout closes it), parked again or discarded.
CREATE TABLE open_bills (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    cart       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    taken_at   INTEGER
) STRICT;

-- The cash drawer opens on a cash sale as a job of its own (`drawer`), in the
-- print queue with the receipts; `shift` is the shift report's slip (issue 14).
CREATE TABLE print_jobs_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'payment_qr', 'report', 'drawer', 'shift')),
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
