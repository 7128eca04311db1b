-- People and shifts (issue 14): who is at the till, what they may do, and the
-- drawer's cash from one count to the next.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'cashier')),
    -- argon2id, as a PHC string; never the PIN itself
    pin_hash      TEXT NOT NULL,
    -- wrong PINs since the last right one; five lock the user for a minute,
    -- and both survive a restart
    failed_pins   INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE shifts (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    opened_at     INTEGER NOT NULL,
    opening_cash  INTEGER NOT NULL CHECK (opening_cash >= 0),
    -- [{value, count}] when the opening cash was counted by denomination
    opening_count TEXT,
    closed_at     INTEGER,
    closed_by     INTEGER REFERENCES users(id),
    -- frozen at close, so nothing later (a split's QRIS part expiring) can
    -- change a closed shift's report: expected (negative if refunds passed
    -- the drawer's cash) and the money it was worked out from, as JSON
    expected_cash INTEGER,
    closing_money TEXT,
    counted_cash  INTEGER CHECK (counted_cash IS NULL OR counted_cash >= 0),
    closing_count TEXT,
    note          TEXT,
    CHECK ((closed_at IS NULL) = (counted_cash IS NULL))
) STRICT;
-- one drawer, one open shift
CREATE UNIQUE INDEX shifts_one_open ON shifts((closed_at IS NULL)) WHERE closed_at IS NULL;
CREATE INDEX shifts_user ON shifts(user_id, opened_at DESC);
CREATE INDEX shifts_opened ON shifts(opened_at DESC);

-- Who made an order at the till (a name as it was then), and in which shift.
ALTER TABLE orders ADD COLUMN cashier_id INTEGER REFERENCES users(id);
ALTER TABLE orders ADD COLUMN cashier TEXT;
ALTER TABLE orders ADD COLUMN shift_id INTEGER REFERENCES shifts(id);
CREATE INDEX orders_shift ON orders(shift_id) WHERE shift_id IS NOT NULL;

-- Who did each state change, and the owner who approved it for a cashier.
ALTER TABLE order_events ADD COLUMN user_name TEXT;
ALTER TABLE order_events ADD COLUMN approved_by TEXT;

ALTER TABLE refunds ADD COLUMN shift_id INTEGER REFERENCES shifts(id);
ALTER TABLE refunds ADD COLUMN user_name TEXT;
ALTER TABLE refunds ADD COLUMN approved_by TEXT;
CREATE INDEX refunds_shift ON refunds(shift_id) WHERE shift_id IS NOT NULL;

-- Every owner-only action a cashier did with an owner's PIN: both names.
CREATE TABLE owner_approvals (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    cashier     TEXT NOT NULL,
    owner       TEXT NOT NULL,
    action      TEXT NOT NULL
) STRICT;
CREATE TRIGGER owner_approvals_kept BEFORE DELETE ON owner_approvals BEGIN
    SELECT RAISE(ABORT, 'owner approvals are kept');
END;
CREATE TRIGGER owner_approvals_unchanged BEFORE UPDATE ON owner_approvals BEGIN
    SELECT RAISE(ABORT, 'owner approvals are kept');
END;

-- An API key made for a cashier (a second device on the shop's LAN) acts as
-- that cashier; a key without one is the owner's integration, as before.
ALTER TABLE api_keys ADD COLUMN user_id INTEGER REFERENCES users(id);
