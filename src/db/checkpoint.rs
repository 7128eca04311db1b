//! Checkpoints off the writer's path.
//!
//! A checkpoint copies the WAL into the database file and syncs both: two
//! fsyncs. Run by the writer after a commit (SQLite's auto-checkpoint), every
//! order waiting for the writer waited for those fsyncs too, and a busy API
//! spent a fifth of its time with both cores idle (docs/BENCHMARKS.md). Here a
//! thread of its own checkpoints, with its own connection, while the writer
//! goes on: a passive checkpoint never blocks a writer or a reader.
//!
//! The WAL starts over only when a write begins with all of it checkpointed.
//! Under writes that never pause, the background checkpoint may never land in
//! such a gap; past [`WRITER_CATCHES_UP`] frames the writer checkpoints the
//! rest itself, between two transactions, so the WAL stays bounded.

use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// At most one background checkpoint this often while writes come: each costs
/// two fsyncs, and a larger one copies little more than a smaller one would.
const PERIOD: Duration = Duration::from_millis(200);

/// Frames in the WAL (4 KiB pages) past which the writer checkpoints itself:
/// 16 MB, far more than a till writes between two pauses. Under the API's
/// load benchmark 1,000, 3,000 and 10,000 measured alike; the WAL file
/// peaked at about this plus what a [`PERIOD`] of writes adds.
pub(super) const WRITER_CATCHES_UP: i64 = 4_000;

/// The writer's side: told of every commit.
pub(super) struct Checkpointer {
    wake: mpsc::SyncSender<()>,
    /// Frames in the WAL at the last checkpoint.
    frames: Arc<AtomicI64>,
}

/// Start the checkpoint thread on the database at `path`. It stops when the
/// writer does (its [`Checkpointer`] dropped).
pub(super) fn start(path: &Path) -> rusqlite::Result<Checkpointer> {
    let conn = super::open_connection(path, false)?;
    let (wake, woken) = mpsc::sync_channel(1);
    let frames = Arc::new(AtomicI64::new(0));
    let seen = frames.clone();
    std::thread::Builder::new()
        .name("kasir-db-checkpoint".into())
        .spawn(move || run(conn, woken, seen))
        .expect("spawn the database checkpoint thread");
    Ok(Checkpointer { wake, frames })
}

/// Frames in the WAL and how many of them are in the database file, or `None`
/// when another checkpoint was running.
fn checkpoint(conn: &Connection) -> Option<(i64, i64)> {
    match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    }) {
        Ok((0, log, done)) => Some((log, done)),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!("checkpointing the database failed: {e}");
            None
        }
    }
}

fn run(conn: Connection, woken: mpsc::Receiver<()>, frames: Arc<AtomicI64>) {
    while woken.recv().is_ok() {
        let started = Instant::now();
        if let Some((log, _)) = checkpoint(&conn) {
            frames.store(log, Ordering::Relaxed);
        }
        // commits meanwhile left a wake in the channel: the next round takes them
        std::thread::sleep(PERIOD.saturating_sub(started.elapsed()));
    }
}

impl Checkpointer {
    /// After the writer's transaction (committed or not): wake the thread, or
    /// when the WAL was left growing, checkpoint the rest here so the next
    /// transaction starts it over.
    pub(super) fn after_write(&self, conn: &Connection) {
        if self.frames.load(Ordering::Relaxed) >= WRITER_CATCHES_UP {
            if let Some((log, done)) = checkpoint(conn) {
                if log == done {
                    self.frames.store(0, Ordering::Relaxed);
                }
            }
        }
        // full: a wake is already waiting
        let _ = self.wake.try_send(());
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Db, DbError};
    use super::{PERIOD, WRITER_CATCHES_UP};
    use std::time::{Duration, Instant};

    /// Writes from many callers for two seconds, never pausing: the WAL file
    /// stays near the writer's bound instead of holding everything written,
    /// and once writes stop the checkpoint thread copies the rest into the
    /// database file without anyone closing it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_stays_bounded_under_writes_that_never_pause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kasir.db");
        let db = Db::open(&path).unwrap();
        db.write(|c| {
            c.execute_batch("CREATE TABLE t(x BLOB)")
                .map_err(DbError::from)
        })
        .await
        .unwrap();
        let started = Instant::now();
        let writing = Duration::from_secs(2);
        let mut callers = vec![];
        for _ in 0..8 {
            let db = db.clone();
            callers.push(tokio::spawn(async move {
                let mut rows = 0u64;
                while started.elapsed() < writing {
                    // a page's worth each: one WAL frame per row
                    db.write_grouped(|tx| {
                        tx.execute("INSERT INTO t(x) VALUES (zeroblob(4000))", [])?;
                        Ok::<_, DbError>(((), true))
                    })
                    .await
                    .unwrap();
                    rows += 1;
                }
                rows
            }));
        }
        let mut rows = 0;
        for c in callers {
            rows += c.await.unwrap();
        }
        let per_second = rows as f64 / started.elapsed().as_secs_f64();
        let frame = 4096 + 24;
        let wal = std::fs::metadata(dir.path().join("kasir.db-wal"))
            .unwrap()
            .len();
        // the bound, plus what a checkpoint's round (a period and its run) adds
        let bound =
            (WRITER_CATCHES_UP as f64 + per_second * 4.0 * PERIOD.as_secs_f64()) * frame as f64;
        assert!(
            (wal as f64) < bound && (wal as f64) < rows as f64 * frame as f64 / 2.0,
            "WAL {wal} bytes after {rows} rows ({per_second:.0}/s), bound {bound:.0}"
        );
        // the rest reaches the database file by itself
        let all = rows * 4000;
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&path).unwrap().len() < all {
            assert!(
                Instant::now() < deadline,
                "the last rows were never checkpointed"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
