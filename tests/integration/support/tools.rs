//! Programs the tests run: the `kasir` command itself, and the Debian tools
//! that read printed paper and QR codes back (scripts/apt-packages.txt).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Run `kasir` with `args` (and `stdin`, if any): (exit code, stdout, stderr).
pub fn run_cli(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kasir"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `kasir --data-dir DIR args…`, off the async threads, so a server on the
/// same directory keeps running meanwhile.
pub async fn run_cli_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["--data-dir".to_string(), dir.to_str().unwrap().to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = all.iter().map(String::as_str).collect();
        run_cli(&a, None)
    })
    .await
    .unwrap()
}

/// `kasir --data-dir DATA serve` on a free port, as a process of its own (so a
/// test can SIGKILL it): the child and the base URL it printed.
pub fn spawn_serve(data: &str) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kasir"))
        .args(["--data-dir", data, "serve", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let base = loop {
        let line = err.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.split(' ').next().unwrap().to_string();
        }
    };
    // keep draining stderr so the server never blocks on it
    std::thread::spawn(move || for _ in err.by_ref() {});
    (child, base)
}

/// Run a tool that must succeed; its stdout.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("{cmd:?} did not start ({e}); scripts/apt-packages.txt installs poppler-utils and zbar-tools")
    });
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The words of a PDF as `pdftotext -layout` lays them out.
pub fn pdftotext(pdf: &Path) -> String {
    run(Command::new("pdftotext").arg("-layout").arg(pdf).arg("-"))
}

/// What `zbarimg` reads in a picture, a second decoder beside ours.
pub fn zbarimg(png: &Path) -> String {
    let out = run(Command::new("zbarimg").args(["--raw", "-q"]).arg(png));
    out.trim_end_matches('\n').to_string()
}

/// Whether `zbarimg` (Debian package zbar-tools) can be run: required in CI,
/// skipped with a note on a developer machine without it.
pub fn zbarimg_available() -> bool {
    match Command::new("zbarimg").arg("--version").output() {
        Ok(_) => true,
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "zbarimg cannot be run ({e}); CI needs it to cross-check the scanner: \
             apt-get install -y zbar-tools (listed in scripts/apt-packages.txt)"
        ),
        Err(e) => {
            eprintln!(
                "note: zbarimg cannot be run ({e}); not comparing with it. \
                 apt-get install -y zbar-tools to enable the comparison"
            );
            false
        }
    }
}
