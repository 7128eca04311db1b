//! The floor under the till's memory: an empty Tauri window with the same Tauri,
//! wry and WebKitGTK as `kasir-desktop`, and none of Kasir (no engine, no server,
//! a one-line page). `scripts/bench-memory-floor.sh` measures it beside the till,
//! so docs/BENCHMARKS.md can say which part of the idle memory is Kasir's.
//!
//! Built only on request: `cargo build --release -p kasir-desktop --example
//! bare_window --features bare-window`.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!(
            "examples/bare_window/tauri.conf.json"
        ))
        .expect("the bare window could not start");
}
