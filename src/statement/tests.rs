use super::*;

fn credits(s: &Statement) -> Vec<(u64, String)> {
    s.lines
        .iter()
        .filter(|l| l.credit)
        .map(|l| (l.amount, l.date.to_string()))
        .collect()
}

#[test]
fn bca_personal() {
    let f = "Account No.,=,'1234567890\nName,=,TOKO JONO\nCurrency,=,IDR\n\n\
Date,Description,Branch,Amount,,Balance\n\
'02/01/2026,TRSF E-BANKING CR 0201/FTSCY/WS95051 15037.00 BUDI,'0000,15037.00,CR,1015037.00\n\
'02/01/2026,TARIKAN ATM 02/01,'0998,500000.00,DB,515037.00\n\
'03/01/2026,KR OTOMATIS QRIS 0301 LLG-ANTAR BANK,'0000,\"72,100,000.00\",CR,72615037.00\n\
PEND,SWITCHING CR TRANSFER DR 014 SITI,'0000,25000.00,CR,0\n\
\nStarting Balance,=,1000000.00\nCredit,=,72115037.00\nDebet,=,500000.00\nEnding Balance,=,72615037.00\n";
    let s = parse(f.as_bytes()).unwrap();
    assert_eq!(s.layout, "bca");
    assert_eq!(
        credits(&s),
        [
            (15_037, "2026-01-02".into()),
            (72_100_000, "2026-01-03".into())
        ]
    );
    assert_eq!(s.lines.len(), 3, "the debit is read too");
    assert_eq!(s.pending, 1);
}

#[test]
fn bca_bisnis() {
    let f = "Tanggal Transaksi,\"Keterangan\",\"Cabang\",\"Jumlah\",\"Saldo\"\n\
\"05/01/2026\",\"TRSF E-BANKING CR 0501 BUDI\",\"0000\",\"50,037.00 CR\",\"1,050,037.00\"\n\
\"05/01/2026\",\"BIAYA ADM\",\"0000\",\"287,490.00 DB\",\"762,547.00\"\n\
\"PEND\",\"SWITCHING CR\",\"0000\",\"10,000.00 CR\",\"0.00\"\n";
    let s = parse(f.as_bytes()).unwrap();
    assert_eq!(s.layout, "bca_bisnis");
    assert_eq!(credits(&s), [(50_037, "2026-01-05".into())]);
    assert_eq!(s.pending, 1);
}

#[test]
fn mandiri() {
    let f = "Account No,Date,Val. Date,Transaction Code,Description,Description,Reference No.,Debit,Credit\n\
1234567890,01/01/26,01/01/26,7017,QRIS PAYMENT,ANDI,REF001,.00,\"453,684.00\"\n\
1234567890,01/01/26,01/01/26,1200,TRANSFER KE,SITI,REF002,\"20,000.00\",.00\n";
    let s = parse(f.as_bytes()).unwrap();
    assert_eq!(s.layout, "mandiri");
    assert_eq!(credits(&s), [(453_684, "2026-01-01".into())]);
}

#[test]
fn bri_with_times() {
    let f = "NOREK,TGL_TRAN,TGL_EFEKTIF,JAM_TRAN,KODE_TRAN,DESK_TRAN,SALDO_AWAL_MUTASI,MUTASI_DEBET,MUTASI_KREDIT,SALDO_AKHIR_MUTASI\n\
0123456789,2026-01-02,2026-01-02,93015,1234,QRIS NMID ID102 BUDI,1000000.00,0.00,25001.00,1025001.00\n\
0123456789,2026-01-02,2026-01-02,141500,5678,TRANSFER KE SITI,1025001.00,5000.00,0.00,1020001.00\n";
    let s = parse(f.as_bytes()).unwrap();
    assert_eq!(s.layout, "bri");
    assert_eq!(credits(&s), [(25_001, "2026-01-02".into())]);
    assert_eq!(s.lines[0].time, NaiveTime::from_hms_opt(9, 30, 15));
}

#[test]
fn an_unknown_layout_names_what_is_expected() {
    let e = parse(b"foo,bar\n1,2\n").unwrap_err();
    let m = e.to_string();
    assert!(m.contains("Date,Description,Branch,Amount"), "{m}");
    assert!(m.contains("NOREK"), "{m}");
}

#[test]
fn a_bad_row_names_its_row_and_field() {
    let f = "Date,Description,Branch,Amount,,Balance\n'02/01/2026,X,'0000,15037.00,CR,1\n'31/02/2026,Y,'0000,1.00,CR,1\n";
    let e = parse(f.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row 3: the date \"'31/02/2026\" is not a day like 02/01/2026"
    );
    let f = "Date,Description,Branch,Amount,,Balance\n'02/01/2026,X,'0000,15.037,CR,1\n";
    let e = parse(f.as_bytes()).unwrap_err();
    assert!(e.to_string().starts_with("row 2: the amount"), "{e}");
}

#[test]
fn statement_amounts() {
    for (s, want) in [
        ("72100000.00", Some(72_100_000)),
        ("287,490.00", Some(287_490)),
        ("453,684.00", Some(453_684)),
        (".00", Some(0)),
        ("0.00", Some(0)),
        ("15037", Some(15_037)),
        ("15,037.50", None),
        ("1,5000.00", None),
    ] {
        assert_eq!(parse_amount(s), want, "{s}");
    }
}

#[test]
fn bca_personal_in_indonesian() {
    let f = "Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo\n'02/01/2026,TRSF CR BUDI,'0000,15037.00,CR,1015037.00\n";
    let s = parse(f.as_bytes()).unwrap();
    assert_eq!(s.layout, "bca");
    assert_eq!(credits(&s), [(15_037, "2026-01-02".into())]);
}
