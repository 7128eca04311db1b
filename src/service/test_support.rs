//! What the engine's own tests share: a Kasir on a temp directory with a
//! clock the test moves, and a real static QRIS from the shared test data.

use super::{Kasir, Options};
use crate::clock::ManualClock;
use std::sync::Arc;

pub struct Shop {
    pub kasir: Kasir,
    pub clock: ManualClock,
    _dir: tempfile::TempDir,
}

/// One real static QRIS with a national merchant ID, from `../shared/testdata`.
pub fn static_qris() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/testdata/qris/vectors.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (shared/ sits beside the checkout)", path.display()));
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| {
            f.len() > 6
                && f[3] == "static"
                && f[4] == "QRIS"
                && f[5] == "valid"
                && f[6].is_empty()
                && f[0].contains("51440014ID.CO.QRIS.WWW")
        })
        .map(|f| f[0].to_string())
        .expect("a static QRIS row in vectors.tsv")
}

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
        kasir.import_static_qris(&static_qris()).await.unwrap();
        Shop {
            kasir,
            clock,
            _dir: dir,
        }
    }
}
