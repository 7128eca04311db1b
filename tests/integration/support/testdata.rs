//! The shared QRIS fixtures: one loader for the workspace, in `crates/testdata`.

pub use kasir_testdata::*;
