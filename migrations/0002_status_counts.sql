-- Orders per stored status, kept by triggers in the same transaction as each
-- change, so `pagination.total` of GET /orders?status= is a lookup instead of
-- counting hundreds of thousands of rows (docs/BENCHMARKS.md).
CREATE TABLE order_status_counts (
    status TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
) STRICT;

INSERT INTO order_status_counts(status, n) SELECT status, COUNT(*) FROM orders GROUP BY status;

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
