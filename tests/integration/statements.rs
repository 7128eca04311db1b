//! Bank statement import (issue 12 part 3): each layout's credits confirm
//! the one order of their total made that day; a second import changes nothing.

use crate::support::*;
use kasir::service::Actor;
use kasir::service::SettingsPatch;
use serde_json::{json, Value};

async fn shop() -> TestApp {
    let app = TestApp::with_qris().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                unique_code: Some("add".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app
}

async fn order(app: &TestApp, amount: u64) -> (String, u64) {
    let (s, b) = app
        .post("/api/qris/generate", json!({ "amount": amount }))
        .await;
    assert_eq!(s, 200, "{b}");
    (
        b["payment_link"]["order_id"].as_str().unwrap().to_string(),
        b["payment_link"]["total_amount"].as_u64().unwrap(),
    )
}

/// Today in Jakarta, in the layout's own spelling.
fn today(format: &str) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .format(format)
        .to_string()
}

async fn import(app: &TestApp, name: &str, file: String) -> (u16, Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(file.into_bytes()).file_name(name.to_string()),
    );
    let res = app
        .request(reqwest::Method::POST, "/api/qris/payments/statements")
        .multipart(form)
        .send()
        .await
        .unwrap();
    Api::json(res).await
}

async fn status(app: &TestApp, id: &str) -> (String, Value) {
    let (_, o) = app.get(&format!("/api/qris/orders/{id}")).await;
    (
        o["order"]["status"].as_str().unwrap().to_string(),
        o["order"]["confirmed_by"].clone(),
    )
}

#[tokio::test]
async fn a_bca_statement_confirms_its_orders_reports_the_loose_ends_and_imports_once() {
    let app = shop().await;
    let (a, ta) = order(&app, 15_000).await;
    let (b, tb) = order(&app, 20_000).await;
    let (c, _) = order(&app, 30_000).await;
    let d = today("'%d/%m/%Y");
    let file = format!(
        "Account No.,=,'1234567890\nName,=,TOKO\n\nDate,Description,Branch,Amount,,Balance\n\
{d},TRSF E-BANKING CR BUDI,'0000,{ta}.00,CR,1.00\n\
{d},KR OTOMATIS QRIS,'0000,{tb}.00,CR,1.00\n\
{d},TRSF E-BANKING CR SITI,'0000,99999.00,CR,1.00\n\
{d},BIAYA ADM,'0000,{ta}.00,DB,1.00\n\
PEND,SWITCHING CR,'0000,5000.00,CR,0\n\
\nStarting Balance,=,0.00\n"
    );
    let (s, r) = import(&app, "bca.csv", file.clone()).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["layout"], "bca");
    assert_eq!(r["credits_read"], 3);
    assert_eq!(r["debits_skipped"], 1);
    assert_eq!(r["pending_skipped"], 1);
    let confirmed: Vec<_> = r["confirmed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["order_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(confirmed, [a.clone(), b.clone()]);
    assert_eq!(r["credits_without_order"][0]["amount"], 99_999);
    assert_eq!(r["credits_without_order"][0]["result"], "unmatched");
    assert_eq!(r["orders_without_credit"][0]["order_id"], c);
    assert_eq!(status(&app, &a).await, ("paid".into(), json!("statement")));
    // the same file again: nothing changes
    let (_, again) = import(&app, "bca.csv", file).await;
    assert_eq!(again["duplicates"], 3, "{again}");
    assert_eq!(again["confirmed"].as_array().unwrap().len(), 0);
    assert_eq!(app.count("payment_evidence"), 3);
}

#[tokio::test]
async fn bca_bisnis_mandiri_and_bri_files_each_confirm_their_order() {
    let app = shop().await;
    let (a, ta) = order(&app, 11_000).await;
    let (b, tb) = order(&app, 12_000).await;
    let (c, tc) = order(&app, 13_000).await;
    let bisnis = format!(
        "Tanggal Transaksi,\"Keterangan\",\"Cabang\",\"Jumlah\",\"Saldo\"\n\"{}\",\"TRSF CR\",\"0000\",\"{},{:03}.00 CR\",\"1.00\"\n",
        today("%d/%m/%Y"),
        ta / 1000,
        ta % 1000
    );
    let mandiri = format!(
        "Account No,Date,Val. Date,Transaction Code,Description,Description,Reference No.,Debit,Credit\n\
123,{d},{d},7017,QRIS,ANDI,R1,.00,\"{},{:03}.00\"\n",
        tb / 1000,
        tb % 1000,
        d = today("%d/%m/%y"),
    );
    // BRI gives the time: the order was made minutes before it
    let now = chrono::Utc::now() + chrono::Duration::hours(7) + chrono::Duration::seconds(30);
    let bri = format!(
        "NOREK,TGL_TRAN,TGL_EFEKTIF,JAM_TRAN,KODE_TRAN,DESK_TRAN,SALDO_AWAL_MUTASI,MUTASI_DEBET,MUTASI_KREDIT,SALDO_AKHIR_MUTASI\n\
0123,{d},{d},{t},1,QRIS BUDI,0.00,0.00,{tc}.00,1.00\n",
        d = now.format("%Y-%m-%d"),
        t = now.format("%-H%M%S"),
    );
    for (name, file, id) in [
        ("b.csv", bisnis, &a),
        ("m.csv", mandiri, &b),
        ("r.csv", bri, &c),
    ] {
        let (s, r) = import(&app, name, file).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["confirmed"][0]["order_id"], json!(id), "{name}: {r}");
        assert_eq!(status(&app, id).await.0, "paid");
    }
}

#[tokio::test]
async fn a_file_kasir_cannot_read_is_refused_naming_what_was_expected() {
    let app = shop().await;
    let (s, r) = import(&app, "x.csv", "Tanggal,Nominal\n01/01/2026,5000\n".into()).await;
    assert_eq!((s, r["field"].as_str()), (422, Some("file")), "{r}");
    assert!(r["message"]
        .as_str()
        .unwrap()
        .contains("Date,Description,Branch,Amount"));
    let bad = "Date,Description,Branch,Amount,,Balance\n'02/01/2026,X,'0000,15.037,CR,1\n";
    let (s, r) = import(&app, "x.csv", bad.into()).await;
    assert_eq!(s, 422);
    assert!(r["message"].as_str().unwrap().starts_with("row 2:"), "{r}");
    assert_eq!(app.count("payment_evidence"), 0);
}

#[tokio::test]
async fn kasir_reconcile_reads_a_file_from_the_shell() {
    let app = shop().await;
    let (a, ta) = order(&app, 17_000).await;
    let path = app.dir.path().join("mutasi.csv");
    std::fs::write(
        &path,
        format!(
            "Date,Description,Branch,Amount,,Balance\n{},TRSF CR,'0000,{ta}.00,CR,1.00\n",
            today("'%d/%m/%Y")
        ),
    )
    .unwrap();
    let (code, out, err) = run_cli_in(app.dir.path(), &["reconcile", path.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["confirmed"][0]["order_id"], a);
    assert!(err.contains("1 orders confirmed"), "{err}");
}

#[tokio::test]
async fn a_date_only_line_leaves_an_order_that_expired_that_day_for_review() {
    let app = shop().await;
    let (a, ta) = order(&app, 21_000).await;
    // it expired unpaid an hour after it was made, earlier today
    app.db()
        .execute(
            "UPDATE orders SET expires_at = created_at + 1 WHERE order_id = ?1",
            [&a],
        )
        .unwrap();
    let file = format!(
        "Date,Description,Branch,Amount,,Balance\n{},TRSF CR,'0000,{ta}.00,CR,1.00\n",
        today("'%d/%m/%Y")
    );
    let (_, r) = import(&app, "bca.csv", file).await;
    assert_eq!(r["confirmed"].as_array().unwrap().len(), 0, "{r}");
    assert_eq!(r["credits_without_order"][0]["result"], "unmatched");
    assert_ne!(status(&app, &a).await.0, "paid");
}

#[tokio::test]
async fn a_sale_the_phone_already_paid_is_already_paid_at_closing_not_for_review() {
    let app = shop().await;
    let (a, ta) = order(&app, 22_000).await;
    let text = format!(
        "Kamu berhasil menerima Rp{}.{:03} dari BUDI",
        ta / 1000,
        ta % 1000
    );
    let (_, n) = app
        .post(
            "/api/qris/payments/notifications",
            json!({ "app": "id.dana", "title": "DANA", "text": text }),
        )
        .await;
    assert_eq!(n["result"], "confirmed", "{n}");
    let file = format!(
        "Date,Description,Branch,Amount,,Balance\n{},TRSF CR,'0000,{ta}.00,CR,1.00\n",
        today("'%d/%m/%Y")
    );
    let (_, r) = import(&app, "bca.csv", file).await;
    assert_eq!(r["already_paid"][0]["order_id"], json!(a), "{r}");
    assert_eq!(r["credits_without_order"].as_array().unwrap().len(), 0);
    let (_, review) = app.get("/api/qris/payments/evidence?review=true").await;
    assert_eq!(review["evidence"].as_array().unwrap().len(), 0, "{review}");
}
