//! One worker per data directory: the webhook sender and the print queue each
//! hold an OS file lock there (released when the process dies), so the till and
//! `kasir serve` on the same directory never both send, and after a crash the
//! next start takes over at once.

use std::path::Path;
use std::time::Duration;

/// How often a process without the lock checks whether it is free.
const LOCK_RETRY: Duration = Duration::from_secs(2);

/// Wait until this process holds `dir/name`; `what` names the work in the log.
pub async fn hold(dir: &Path, name: &str, what: &str) -> std::fs::File {
    let path = dir.join(name);
    let mut told = false;
    loop {
        match std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        {
            Ok(f) if f.try_lock().is_ok() => return f,
            Ok(_) if !told => {
                tracing::info!(
                    "{what}: another Kasir process on {} does this; taking over when it stops",
                    dir.display()
                );
                told = true;
            }
            Ok(_) => {}
            Err(e) if !told => {
                tracing::error!("{what}: cannot open {}: {e}", path.display());
                told = true;
            }
            Err(_) => {}
        }
        tokio::time::sleep(LOCK_RETRY).await;
    }
}
