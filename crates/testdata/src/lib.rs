//! The shared QRIS test data, read in place from `shared/` beside the
//! checkout (never copied into the repository), for every test and benchmark
//! of the workspace from one place.

use std::path::PathBuf;

/// `shared/<rel>` beside the checkout; panics naming the path when it is missing.
pub fn shared(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    assert!(
        p.exists(),
        "test data missing: {} (shared/ sits beside the checkout)",
        p.display()
    );
    p
}

/// `shared/testdata/qris`.
pub fn qris_dir() -> PathBuf {
    shared("testdata/qris")
}

/// One sticker photo or screenshot from `testdata/qris/images/`.
pub fn image(name: &str) -> PathBuf {
    shared("testdata/qris/images").join(name)
}

/// Every shared sticker image, sorted by name.
pub fn images() -> Vec<PathBuf> {
    let dir = shared("testdata/qris/images");
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    assert_eq!(
        v.len(),
        8,
        "expected the 8 shared images in {}",
        dir.display()
    );
    v
}

/// One row of `vectors.tsv`, by its column names.
pub struct Vector {
    pub payload: String,
    pub crc_ok: bool,
    /// `static`, `dynamic` or `other`.
    pub initiation: String,
    /// `QRIS`, or `EMV-` and a country.
    pub scheme: String,
    pub valid: bool,
    pub synthetic: bool,
}

pub fn vectors() -> Vec<Vector> {
    let text = std::fs::read_to_string(shared("testdata/qris/vectors.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("vectors.tsv has no {name} column"))
    };
    let (payload, crc_ok, initiation, scheme, role, synthetic) = (
        col("payload"),
        col("crc_ok"),
        col("static_dynamic"),
        col("scheme"),
        col("structural_role"),
        col("synthetic_flag"),
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let at = |i: usize| f.get(i).copied().unwrap_or("");
            Vector {
                payload: at(payload).to_string(),
                crc_ok: at(crc_ok) == "yes",
                initiation: at(initiation).to_string(),
                scheme: at(scheme).to_string(),
                valid: at(role) == "valid",
                synthetic: !at(synthetic).is_empty(),
            }
        })
        .collect()
}

/// The `payload` column.
pub fn vector_payloads() -> Vec<String> {
    vectors().into_iter().map(|v| v.payload).collect()
}

/// The first payload whose row `pick` accepts.
pub fn vector(pick: impl Fn(&Vector) -> bool) -> String {
    vectors()
        .into_iter()
        .find(|v| pick(v))
        .map(|v| v.payload)
        .expect("a matching row in vectors.tsv")
}

/// Real payloads that are static, QRIS, structurally valid, not synthetic,
/// and carry a national merchant ID (tag 51).
pub fn static_qris_vectors() -> Vec<String> {
    vectors()
        .into_iter()
        .filter(|v| {
            v.initiation == "static"
                && v.scheme == "QRIS"
                && v.valid
                && !v.synthetic
                && v.payload.contains("51440014ID.CO.QRIS.WWW")
        })
        .map(|v| v.payload)
        .collect()
}

/// One real static QRIS with a national merchant ID.
pub fn static_qris() -> String {
    static_qris_vectors()
        .into_iter()
        .next()
        .expect("a static QRIS row in vectors.tsv")
}
