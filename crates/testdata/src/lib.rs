//! The shared QRIS test data (`../shared/testdata/qris` beside the checkout),
//! read at run time by every test and benchmark from one place. Nothing of it
//! is copied into the repository.

use std::path::PathBuf;

/// `shared/testdata/qris`, beside the checkout.
pub fn qris_dir() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/qris");
    assert!(
        p.exists(),
        "test data missing: {} (shared/ sits beside the checkout)",
        p.display()
    );
    p
}

/// Real static QRIS payloads from the shared vectors file: rows that are
/// static, QRIS, structurally valid, not synthetic, with a national merchant
/// ID (tag 51).
pub fn static_qris_vectors() -> Vec<String> {
    let path = qris_dir().join("vectors.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| {
            f.len() > 6
                && f[3] == "static"
                && f[4] == "QRIS"
                && f[5] == "valid"
                && f[6].is_empty()
                && f[0].contains("51440014ID.CO.QRIS.WWW")
        })
        .map(|f| f[0].to_string())
        .collect()
}

/// One real static QRIS with a national merchant ID.
pub fn static_qris() -> String {
    static_qris_vectors()
        .into_iter()
        .next()
        .expect("a static QRIS row in vectors.tsv")
}
