include!("src/command_names.rs");

fn main() {
    // tauri.conf.json stays at the repository root; the app's own commands are
    // listed so a capability must allow each one the UI calls
    let attrs = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attrs).expect("tauri build step failed");
}
