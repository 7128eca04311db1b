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
//! Under writes that never pause, the background checkpoint rarely lands in
//! such a gap: past [`WRITER_CATCHES_UP`] frames the writer checkpoints the
//! rest itself, between two transactions, when the thread isn't at it; past
//! [`WAL_LIMIT`] it waits for the thread to finish first. So the WAL stays
//! bounded however slow the disk. (A reader that stays in one transaction
//! keeps frames from being copied, as with SQLite's own auto-checkpoint; the
//! writer then tries after every write.)

use rusqlite::Connection;
use std::cell::Cell;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// At most one background checkpoint this often while writes come. Each costs
/// two fsyncs; rounds further apart leave more for the writer's own catch-up
/// (under the API's load benchmark, p99 at 32 connections 12-13 ms at 50 ms,
/// 14-16 at 100, 18-20 at 200).
const PERIOD: Duration = Duration::from_millis(50);

/// Frames in the WAL (4 KiB pages) past which the writer checkpoints itself:
/// 40 MB, far more than a till writes between two pauses. Each time is an
/// fsync on the writer with orders waiting: at 4,000 frames the API's load
/// benchmark did it twice a second and its p99 at 32 connections went from
/// 16 to 22 ms.
pub(super) const WRITER_CATCHES_UP: i64 = 10_000;

/// Frames past which the writer waits for a running background checkpoint so
/// as to checkpoint itself: 80 MB, the most the WAL holds (give or take a group).
pub(super) const WAL_LIMIT: i64 = 2 * WRITER_CATCHES_UP;

thread_local! {
    /// Frames in the WAL after the writer's last commit, from its WAL hook
    /// (which runs on the writer's thread as it commits).
    static WAL_FRAMES: Cell<i64> = const { Cell::new(0) };
}

fn count_frames(_: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.with(|f| f.set(frames.into()));
    Ok(())
}

/// The writer's side: told of every write.
pub(super) struct Checkpointer {
    wake: mpsc::SyncSender<()>,
}

/// Start the checkpoint thread on the database at `path`, for the writer's
/// connection `writer` (whose own auto-checkpoint is off). The thread stops
/// when the writer does (its [`Checkpointer`] dropped).
pub(super) fn start(path: &Path, writer: &Connection) -> rusqlite::Result<Checkpointer> {
    let conn = super::open_connection(path, false)?;
    // after `wal_autocheckpoint`, which sets a hook of its own
    writer.wal_hook(Some(count_frames));
    let (wake, woken) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("kasir-db-checkpoint".into())
        .spawn(move || run(conn, woken))
        .expect("spawn the database checkpoint thread");
    Ok(Checkpointer { wake })
}

/// A passive checkpoint: frames in the WAL and how many of them are in the
/// database file, or `None` when another checkpoint was running.
fn checkpoint(conn: &Connection) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok(match r.get::<_, i64>(0)? {
            0 => Some((r.get(1)?, r.get(2)?)),
            _ => None,
        })
    })
}

fn run(conn: Connection, woken: mpsc::Receiver<()>) {
    while woken.recv().is_ok() {
        let started = Instant::now();
        if let Err(e) = checkpoint(&conn) {
            tracing::warn!("checkpointing the database failed: {e}");
        }
        // writes meanwhile left a wake in the channel: the next round takes them
        std::thread::sleep(PERIOD.saturating_sub(started.elapsed()));
    }
}

impl Checkpointer {
    /// After a write of the writer (committed or not, no transaction open):
    /// wake the thread, or when the WAL has grown, checkpoint the rest here so
    /// the next transaction starts it over.
    pub(super) fn after_write(&self, conn: &Connection) {
        let frames = WAL_FRAMES.with(Cell::get);
        if frames >= WRITER_CATCHES_UP {
            loop {
                match checkpoint(conn) {
                    Ok(Some((log, done))) => {
                        if log == done {
                            WAL_FRAMES.with(|f| f.set(0));
                        }
                        break;
                    }
                    // the thread is at it: past the limit, wait for it to finish
                    Ok(None) if frames >= WAL_LIMIT => std::thread::sleep(Duration::from_millis(1)),
                    // the thread says why; the next write tries again
                    Ok(None) | Err(_) => break,
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
    use super::WAL_LIMIT;
    use std::time::{Duration, Instant};

    /// Writes from many callers that never pause, more than the WAL may hold:
    /// the WAL file stays within its limit instead of holding everything
    /// written, and once writes stop the checkpoint thread copies the rest
    /// into the database file without anyone closing it.
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
        // a page's worth each: a WAL frame per row
        let rows = WAL_LIMIT as usize * 3 / 2;
        let callers = 8;
        let mut writing = vec![];
        for _ in 0..callers {
            let db = db.clone();
            writing.push(tokio::spawn(async move {
                for _ in 0..rows / callers {
                    db.write_grouped(|tx| {
                        tx.execute("INSERT INTO t(x) VALUES (zeroblob(4000))", [])?;
                        Ok::<_, DbError>(((), true))
                    })
                    .await
                    .unwrap();
                }
            }));
        }
        for w in writing {
            w.await.unwrap();
        }
        let frame = 4096 + 24;
        let wal = std::fs::metadata(dir.path().join("kasir.db-wal"))
            .unwrap()
            .len();
        // the limit, and the group that crossed it (32 rows and their tree pages)
        let bound = (WAL_LIMIT + 100) as u64 * frame;
        assert!(
            wal <= bound,
            "WAL {wal} bytes after {rows} rows, bound {bound}"
        );
        // the rest reaches the database file by itself
        let all = rows as u64 * 4000;
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::fs::metadata(&path).unwrap().len() < all {
            assert!(
                Instant::now() < deadline,
                "the last rows were never checkpointed"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
