//! SQLite: migrations by `user_version`, pragmas at open, one writer thread and
//! a small pool of readers. Blocking work never runs on the async threads.

mod checkpoint;
mod writer;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use tokio::sync::oneshot;
pub use writer::Group;
use writer::{in_savepoint, run_writer, GroupedJob, Job};

/// The schema, in order; `PRAGMA user_version` says how many are applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_orders", include_str!("../migrations/0001_orders.sql")),
    (
        "0002_status_counts",
        include_str!("../migrations/0002_status_counts.sql"),
    ),
    (
        "0003_webhooks",
        include_str!("../migrations/0003_webhooks.sql"),
    ),
    (
        "0004_print_jobs",
        include_str!("../migrations/0004_print_jobs.sql"),
    ),
    (
        "0005_auto_confirm",
        include_str!("../migrations/0005_auto_confirm.sql"),
    ),
    ("0006_sales", include_str!("../migrations/0006_sales.sql")),
    ("0007_people", include_str!("../migrations/0007_people.sql")),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database at {path} was written by a newer Kasir (schema {found}, this one knows {known})")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("migration {name} would leave {broken} rows pointing at nothing; nothing was changed")]
    BrokenMigration { name: String, broken: i64 },
    /// A grouped write's shared transaction was not committed: nothing of it was kept.
    #[error("the database could not save this: {0}")]
    NotSaved(String),
    #[error("the database worker stopped")]
    WorkerGone,
    /// A read on a blocking thread panicked.
    #[error("a database read did not finish")]
    ReadFailed,
}

fn open_connection(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    // WAL lets the till, `kasir serve` and CLI subcommands share the file;
    // NORMAL is durable across process crashes (not power loss mid-checkpoint),
    // the usual trade-off for WAL.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // a grouped write keeps each order in a savepoint: what that undoes
        // (its sub-journal) stays in memory instead of a temp file opened,
        // written and closed on every commit (a sixth of the writer's time)
        conn.pragma_update(None, "temp_store", "MEMORY")?;
    }
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Apply the migrations this binary knows that the file lacks, each in its own transaction.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), DbError> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            path: path.display().to_string(),
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    // A migration may rebuild a table others refer to (SQLite's way to change
    // a CHECK): foreign keys are off while it runs, which only works outside a
    // transaction, and checked before it commits.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let applied = apply_migrations(conn, current);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    applied
}

fn apply_migrations(conn: &mut Connection, current: i64) -> Result<(), DbError> {
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // another process may have migrated while we waited for the lock
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now > i as i64 {
            tx.commit()?;
            continue;
        }
        tx.execute_batch(sql)?;
        let broken: i64 =
            tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(DbError::BrokenMigration {
                name: name.to_string(),
                broken,
            });
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Handle to the database: cheap to clone.
#[derive(Clone)]
pub struct Db {
    path: Arc<PathBuf>,
    writer: mpsc::Sender<Job>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

impl Db {
    /// Open (creating if needed) and migrate the database file.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut conn = open_connection(path, false)?;
        migrate(&mut conn, path)?;
        // the indexes an order touches are spread over the file (its id and
        // link code are random): a larger cache on the writer keeps them in
        // memory rather than read back from the OS on every insert (32 MB at
        // most, filled only as a shop's file grows)
        conn.pragma_update(None, "cache_size", -32 * 1024)?;
        // checkpoints run on a thread of their own (db/checkpoint.rs)
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let wal = checkpoint::start(path, &conn)?;
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("kasir-db-writer".into())
            .spawn(move || run_writer(conn, rx, wal))
            .expect("spawn the database writer thread");
        Ok(Db {
            path: Arc::new(path.to_path_buf()),
            writer: tx,
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` on the single writer connection.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.writer
            .send(Job::Alone(Box::new(move |c| {
                let _ = tx.send(f(c));
            })))
            .map_err(|_| E::from(DbError::WorkerGone))?;
        rx.await.map_err(|_| E::from(DbError::WorkerGone))?
    }

    /// Run `f` on the writer inside a transaction it may share with other
    /// grouped writes waiting at the same moment: one commit for all of them.
    /// `f` returns its value and whether its work is kept (`false`: undone,
    /// as a refusal is); an `Err` undoes its work too. The answer comes only
    /// after the shared commit, so what was answered is stored.
    pub async fn write_grouped<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Group<'_>) -> Result<(T, bool), E> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: GroupedJob = Box::new(move |group| {
            let out = group.map(|g| in_savepoint(g, f));
            Box::new(move |failed| {
                let answer = match (failed, out) {
                    (None, Some(out)) => out,
                    (Some(why), _) => Err(E::from(DbError::NotSaved(why.to_string()))),
                    (None, None) => Err(E::from(DbError::WorkerGone)),
                };
                let _ = tx.send(answer);
            })
        });
        self.writer
            .send(Job::Grouped(job))
            .map_err(|_| E::from(DbError::WorkerGone))?;
        rx.await.map_err(|_| E::from(DbError::WorkerGone))?
    }

    /// The same, for callers that are not async (CLI, tests).
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        self.writer
            .send(Job::Alone(Box::new(move |c| {
                let _ = tx.send(f(c));
            })))
            .map_err(|_| E::from(DbError::WorkerGone))?;
        rx.recv().map_err(|_| E::from(DbError::WorkerGone))?
    }

    /// Run `f` on a read-only connection, off the async threads.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.read_blocking(f))
            .await
            .map_err(|_| E::from(DbError::ReadFailed))?
    }

    pub fn read_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        E: From<DbError>,
        F: FnOnce(&Connection) -> Result<T, E>,
    {
        let pooled = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match pooled {
            Some(c) => c,
            None => open_connection(&self.path, true).map_err(|e| E::from(DbError::Sqlite(e)))?,
        };
        let out = f(&conn);
        let mut pool = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < 8 {
            pool.push(conn);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_set_user_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kasir.db");
        let mut conn = open_connection(&path, false).unwrap();
        migrate(&mut conn, &path).unwrap();
        migrate(&mut conn, &path).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    /// 0005 rebuilds `orders` (to widen a CHECK): a shop's orders, their
    /// events, webhooks and print jobs come through it, and the counts'
    /// triggers work after it.
    #[test]
    fn a_shop_at_schema_4_keeps_everything_through_the_orders_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kasir.db");
        let mut conn = open_connection(&path, false).unwrap();
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        apply_migrations_up_to(&mut conn, 4);
        conn.execute_batch(
            "INSERT INTO static_qris(id, payload, merchant_name, merchant_city, created_at, updated_at)
                 VALUES (1, 'P', 'TOKO', 'JAKARTA', 0, 0);
             INSERT INTO orders(id, order_id, link_code, qris_id, source, amount, total_amount, payload, status,
                 created_at, expires_at, confirmed_by)
                 VALUES (1, 'A', 'LA', 1, 'till', 1000, 1000, 'P', 'paid', 0, 10, 'dashboard'),
                        (2, 'B', 'LB', 1, 'generate', 2000, 2000, 'P', 'pending', 0, 10, NULL);
             INSERT INTO order_events(order_pk, event, to_status, actor, created_at) VALUES (1, 'order.created', 'pending', 'till', 0);
             INSERT INTO webhook_deliveries(webhook_id, order_pk, event, url, origin, body, status, created_at)
                 VALUES ('w1', 1, 'payment.confirmed', 'http://x', 'http://x', '{}', 'delivered', 0);
             INSERT INTO print_jobs(kind, order_pk, bytes, status, created_at) VALUES ('receipt', 1, x'00', 'printed', 0);",
        )
        .unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrate(&mut conn, &path).unwrap();
        let n = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(n("SELECT COUNT(*) FROM orders"), 2);
        assert_eq!(n("SELECT unique_code FROM orders WHERE id = 2"), 0);
        assert_eq!(n("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
        let fk: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are on again");
        // the new confirmations are allowed, the triggers count
        conn.execute(
            "UPDATE orders SET status = 'paid', confirmed_by = 'notification' WHERE id = 2",
            [],
        )
        .unwrap();
        assert_eq!(
            n("SELECT n FROM order_status_counts WHERE status = 'paid'"),
            2
        );
        assert_eq!(
            n("SELECT n FROM order_status_counts WHERE status = 'pending'"),
            0
        );
        // and children still refer to real orders
        assert!(conn
            .execute("INSERT INTO print_jobs(kind, order_pk, bytes, status, created_at) VALUES ('receipt', 99, x'00', 'queued', 0)", [])
            .is_err());
    }

    fn apply_migrations_up_to(conn: &mut Connection, n: usize) {
        for (i, (_, sql)) in MIGRATIONS.iter().enumerate().take(n) {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", (i + 1) as i64)
                .unwrap();
        }
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kasir.db");
        let mut conn = open_connection(&path, false).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        assert!(matches!(
            migrate(&mut conn, &path),
            Err(DbError::TooNew { .. })
        ));
    }

    /// Keep the writer busy until `release` is sent, so that writes sent
    /// meanwhile queue behind it; the hold is on the writer when this returns.
    async fn hold_the_writer(
        db: &Db,
    ) -> (
        std::sync::mpsc::Sender<()>,
        tokio::task::JoinHandle<Result<(), DbError>>,
    ) {
        let (release, held) = std::sync::mpsc::channel::<()>();
        let holder = db.clone();
        let hold = tokio::spawn(async move {
            holder
                .write(move |_| {
                    held.recv().ok();
                    Ok::<_, DbError>(())
                })
                .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        (release, hold)
    }

    /// What writes sharing a commit read alike is read once for all of them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_reads_once_what_its_writes_share() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static READS: AtomicUsize = AtomicUsize::new(0);
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("kasir.db")).unwrap();
        let (release, hold) = hold_the_writer(&db).await;
        let mut writes = vec![];
        for _ in 0..10 {
            let db = db.clone();
            writes.push(tokio::spawn(async move {
                db.write_grouped(|g| {
                    let v: i64 = g.read_once(|c| {
                        READS.fetch_add(1, Ordering::SeqCst);
                        c.query_row("SELECT 42", [], |r| r.get(0))
                    })?;
                    Ok::<_, DbError>((v, true))
                })
                .await
            }));
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        release.send(()).unwrap();
        hold.await.unwrap().unwrap();
        for w in writes {
            assert_eq!(w.await.unwrap().unwrap(), 42);
        }
        assert_eq!(
            READS.load(Ordering::SeqCst),
            1,
            "ten writes, one group, one read"
        );
    }

    /// Grouped writes queued behind a busy writer share one transaction; each
    /// is answered with its own result, and a refused or failed one leaves
    /// nothing while the others in its group are kept.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn grouped_writes_keep_only_what_each_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("kasir.db")).unwrap();
        db.write(|c| {
            c.execute_batch("CREATE TABLE t(x INTEGER PRIMARY KEY)")
                .map_err(DbError::from)
        })
        .await
        .unwrap();
        // every grouped write is queued behind the hold
        let (release, hold) = hold_the_writer(&db).await;
        let mut writes = vec![];
        for i in 0..50i64 {
            let db = db.clone();
            writes.push(tokio::spawn(async move {
                db.write_grouped(move |tx| {
                    tx.execute("INSERT INTO t(x) VALUES (?1)", [i])?;
                    match i % 10 {
                        3 => Err(DbError::WorkerGone),
                        7 => Ok((i, false)),
                        _ => Ok((i, true)),
                    }
                })
                .await
            }));
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        release.send(()).unwrap();
        hold.await.unwrap().unwrap();
        let mut answers = vec![];
        for w in writes {
            answers.push(w.await.unwrap());
        }
        for (i, a) in answers.iter().enumerate() {
            match i % 10 {
                3 => assert!(matches!(a, Err(DbError::WorkerGone)), "{i}: {a:?}"),
                // each is answered with its own value, refused ones included
                _ => assert_eq!(a.as_ref().ok(), Some(&(i as i64)), "{i}: {a:?}"),
            }
        }
        let kept: Vec<i64> = db
            .read(|c| {
                let mut st = c.prepare("SELECT x FROM t ORDER BY x")?;
                let rows = st.query_map([], |r| r.get(0))?;
                rows.collect::<Result<Vec<i64>, _>>().map_err(DbError::from)
            })
            .await
            .unwrap();
        let expected: Vec<i64> = (0..50).filter(|i| i % 10 != 3 && i % 10 != 7).collect();
        assert_eq!(kept, expected);
    }
}
