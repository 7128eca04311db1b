//! What the engine's own tests share: a Kasir on a temp directory with a
//! clock the test moves, and a real static QRIS from the shared test data.

use super::{Kasir, Options};
use crate::clock::ManualClock;
use crate::service::Actor;
use std::sync::Arc;

pub struct Shop {
    pub kasir: Kasir,
    pub clock: ManualClock,
    _dir: tempfile::TempDir,
}

pub use kasir_testdata::static_qris;

impl Shop {
    /// A shop whose clock stands at `at` (UTC ms), with its sticker imported.
    pub async fn open_at(at: i64) -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let clock = ManualClock::at(at);
        let kasir = Kasir::open_with_options(
            dir.path(),
            Options {
                clock: Arc::new(clock.clone()),
                ..Options::default()
            },
        )
        .unwrap();
        kasir
            .import_static_qris(&Actor::Console, &static_qris())
            .await
            .unwrap();
        Shop {
            kasir,
            clock,
            _dir: dir,
        }
    }

    /// The till restarted: a new engine on the same data directory and clock.
    pub fn restart(&mut self) {
        self.kasir = Kasir::open_with_options(
            self._dir.path(),
            Options {
                clock: Arc::new(self.clock.clone()),
                ..Options::default()
            },
        )
        .unwrap();
    }
}
