//! The `kasir` command as a shell user runs it.

use crate::support::*;

#[test]
fn decode_prints_the_tree_summary_and_issues_as_json() {
    let p = static_qris();
    let (code, out, _) = run_cli(&["qris", "decode", &p], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["tags"][0]["tag"], "00");
    assert!(v["summary"]["merchant_name"].is_string());
    assert_eq!(v["summary"]["initiation"], "static");
    // stdin works the same, with the newline a shell adds
    let (code, out2, _) = run_cli(&["qris", "decode", "-"], Some(&format!("{p}\n")));
    assert_eq!(code, 0);
    assert_eq!(out, out2);
}

#[test]
fn validate_exits_1_on_an_error_and_names_it() {
    let p = static_qris();
    let (code, _, _) = run_cli(&["qris", "validate", &p], None);
    assert_eq!(code, 0);
    let bad = format!("{}0000", &p[..p.len() - 4]);
    let (code, out, _) = run_cli(&["qris", "validate", &bad], None);
    assert_eq!(code, 1);
    assert!(out.contains("error crc_mismatch at 63"), "{out}");
}

#[test]
fn dynamic_prints_only_the_payload() {
    let p = static_qris();
    let (code, out, err) = run_cli(
        &[
            "qris",
            "dynamic",
            &p,
            "--amount",
            "50000",
            "--fee-type",
            "percent",
            "--fee-value",
            "0.7",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let line = out.trim_end();
    assert!(!line.contains('\n'));
    let s = qris::decode(line).summary.unwrap();
    assert_eq!(s.amount, Some(50000));
    assert_eq!(
        s.fee,
        Some(qris::FeeSummary::Percent {
            value: "0.7".into()
        })
    );
    // bad input: exit 1 and one sentence on stderr; bad usage: exit 2
    let (code, out, err) = run_cli(&["qris", "dynamic", &p, "--amount", "0"], None);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with("kasir: ") && err.contains("amount"),
        "{err}"
    );
    let (code, _, _) = run_cli(&["qris", "dynamic", &p], None);
    assert_eq!(code, 2);
    let (code, _, err) = run_cli(&["qris", "dynamic", "hello", "--amount", "5"], None);
    assert_eq!(code, 1);
    assert!(err.contains("not well-formed"), "{err}");
}

#[test]
fn scan_and_render_round_trip_through_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = static_qris();
    let png = dir.path().join("qr.png");
    let (code, _, err) = run_cli(&["qris", "render", &p, "-o", png.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run_cli(&["qris", "scan", png.to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert_eq!(out.trim_end(), p);
    let svg = dir.path().join("qr.svg");
    let (code, _, _) = run_cli(&["qris", "render", &p, "-o", svg.to_str().unwrap()], None);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let (code, _, _) = run_cli(&["qris", "render", &p, "-o", "qr.gif"], None);
    assert_eq!(code, 2);
    let (code, _, err) = run_cli(&["qris", "scan", "/nonexistent.png"], None);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read"));
}

#[tokio::test]
async fn keys_can_be_made_while_a_server_runs_on_the_same_directory() {
    let app = TestApp::with_qris().await;
    let dir = app.dir.path();
    let (code, out, err) = run_cli_in(
        dir,
        &["keys", "create", "--name", "shop", "--daily-limit", "100"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let key = out.trim().to_string();
    assert!(key.starts_with("ksr_") && !key.contains('\n'));
    let (s, b) = app.as_key(&key).get("/api/qris/usage").await;
    assert_eq!(s, 200);
    assert_eq!(b["daily_limit"], 100);

    let (code, list, _) = run_cli_in(dir, &["keys", "list"]).await;
    assert_eq!(code, 0);
    assert!(list.contains("shop") && !list.contains(&key), "{list}");
    let id = list
        .lines()
        .find(|l| l.contains("shop"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let (code, _, _) = run_cli_in(dir, &["keys", "revoke", &id]).await;
    assert_eq!(code, 0);
    // the server knows its keys for up to a second (service/keys.rs
    // `KeyCache`): a key revoked by another process is refused within it
    let revoked = std::time::Instant::now();
    loop {
        let (s, _) = app.as_key(&key).get("/api/qris/usage").await;
        if s == 401 {
            break;
        }
        assert_eq!(s, 200);
        assert!(
            revoked.elapsed() < std::time::Duration::from_millis(1500),
            "a key revoked from the command line still works after {:?}",
            revoked.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[test]
fn settings_are_shown_and_changed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, _) = run_cli(&["--data-dir", d, "settings"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["order_expiry_minutes"], 1440);
    assert_eq!(v["public_base_url"], serde_json::Value::Null);
    let (code, out, _) = run_cli(
        &[
            "--data-dir",
            d,
            "settings",
            "--public-base-url",
            "https://toko.example.com/",
            "--order-expiry-minutes",
            "30",
        ],
        None,
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["public_base_url"], "https://toko.example.com");
    assert_eq!(v["order_expiry_minutes"], 30);
    let (code, _, err) = run_cli(
        &["--data-dir", d, "settings", "--public-base-url", "ftp://x"],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains("public_base_url"), "{err}");
    let (code, out, _) = run_cli(
        &["--data-dir", d, "settings", "--public-base-url", ""],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("\"public_base_url\": null"), "{out}");
}

#[test]
fn webhook_secret_and_merchant_id_are_printed_and_the_secret_rotates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, secret, _) = run_cli(&["--data-dir", d, "webhook-secret"], None);
    assert_eq!(code, 0);
    let secret = secret.trim().to_string();
    assert!(
        secret.starts_with("whsec_") && secret.len() > 40,
        "{secret}"
    );
    let (_, again, _) = run_cli(&["--data-dir", d, "webhook-secret"], None);
    assert_eq!(again.trim(), secret, "the same until rotated");
    let (code, rotated, err) = run_cli(&["--data-dir", d, "webhook-secret", "--rotate"], None);
    assert_eq!(code, 0);
    assert_ne!(rotated.trim(), secret);
    assert!(err.contains("24 hours"), "{err}");
    let (code, m, _) = run_cli(&["--data-dir", d, "merchant-id"], None);
    assert_eq!(code, 0);
    assert!(m.trim().starts_with("m_"), "{m}");
    let (code, _, err) = run_cli(
        &[
            "--data-dir",
            d,
            "settings",
            "--widget-webhook-allowlist",
            "ftp://x",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains("widget_webhook_allowlist"), "{err}");
}

#[tokio::test]
async fn receipt_report_and_standee_are_written_from_the_command_line() {
    let app = TestApp::with_qris().await;
    let dir = app.dir.path();
    let (code, _, err) = run_cli_in(
        dir,
        &[
            "settings",
            "--receipt-footer",
            "Sampai jumpa!",
            "--timezone",
            "Asia/Jayapura",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let (order_id, _) = app.generate(51_000).await;
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 200, "{b}");

    let out = dir.join("struk.pdf");
    let (code, _, err) = run_cli_in(
        dir,
        &[
            "receipt",
            &order_id,
            "--paper",
            "80",
            "-o",
            out.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let t = pdftotext(&out);
    assert!(t.contains("Rp 51.000") && t.contains(&order_id), "{t}");
    assert!(t.contains("Sampai jumpa!") && t.contains(" WIT"), "{t}");

    let day = kasir::clock::Zone::parse("Asia/Jayapura")
        .unwrap()
        .at(kasir::clock::now_ms())
        .format("%Y-%m-%d")
        .to_string();
    let out = dir.join("laporan.pdf");
    let (code, _, err) = run_cli_in(
        dir,
        &["report", "--date", &day, "-o", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let t = pdftotext(&out);
    assert!(t.contains("LAPORAN HARIAN") && t.contains(&order_id), "{t}");

    let out = dir.join("standee.pdf");
    let (code, stdout, err) = run_cli_in(
        dir,
        &[
            "standee",
            "--amount",
            "15000",
            "--paper",
            "a5",
            "-o",
            out.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let standee_order = stdout.trim();
    assert!(standee_order.starts_with("ORD-"), "{stdout}");
    assert!(pdftotext(&out).contains("Rp 15.000"));
    let (s, b) = app.get(&format!("/api/qris/orders/{standee_order}")).await;
    assert_eq!(s, 200);
    assert_eq!(b["order"]["amount"], 15000);
}

#[tokio::test]
async fn printing_commands_name_what_is_wrong() {
    let app = TestApp::with_qris().await;
    let dir = app.dir.path();
    let out = dir.join("x.pdf");
    let o = out.to_str().unwrap();
    let (code, _, err) = run_cli_in(dir, &["receipt", "NOPE", "-o", o]).await;
    assert_eq!(code, 1);
    assert!(
        err.contains("No order found with order_id \"NOPE\""),
        "{err}"
    );
    let (unpaid, _) = app.generate(1000).await;
    let (code, _, err) = run_cli_in(dir, &["receipt", &unpaid, "-o", o]).await;
    assert_eq!(code, 1);
    assert!(err.contains("is not paid (status: pending)"), "{err}");
    // an unknown paper is bad usage, and clap lists the good ones
    let (code, _, err) = run_cli_in(dir, &["receipt", &unpaid, "--paper", "57", "-o", o]).await;
    assert_eq!(code, 2);
    assert!(err.contains("58") && err.contains("a4"), "{err}");
    let (code, _, _) = run_cli_in(dir, &["standee", "--paper", "a4", "-o", o]).await;
    assert_eq!(code, 2);
    let (code, _, err) = run_cli_in(dir, &["report", "--date", "2025-13-01", "-o", o]).await;
    assert_eq!(code, 1);
    assert!(
        err.contains("date must be a real day as YYYY-MM-DD"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written on an error");
    // a day without orders is a report all the same
    let (code, _, err) = run_cli_in(dir, &["report", "--date", "2001-01-01", "-o", o]).await;
    assert_eq!(code, 0, "{err}");
    assert!(pdftotext(&out).contains("Tidak ada pesanan pada hari ini."));
    // a standee needs the static QRIS first
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run_cli_in(empty.path(), &["standee", "-o", o]).await;
    assert_eq!(code, 1);
    assert!(err.contains("No QRIS found"), "{err}");
}
