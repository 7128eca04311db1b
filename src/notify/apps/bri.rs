//! BRImo and BRI Merchant (QRIS BRI).

use crate::notify::App;

pub const APP: App = App {
    name: "bri",
    packages: &["id.co.bri.brimo", "id.co.bri.merchant"],
    received: &[
        // "Transaksi QRIS sebesar Rp25.000 dari ANDI berhasil"
        r"transaksi qris sebesar {amount}(?: dari {payer})? (?:berhasil|sukses)",
        // "Dana masuk Rp 25.000 ke rekening 0123xxxx"
        r"dana masuk (?:sebesar )?{amount}",
        // "Pembayaran QRIS Rp 30.000 diterima dari BUDI"
        r"pembayaran qris {amount} (?:telah |berhasil )?diterima(?: dari {payer}(?:$|[.,\n]))?",
    ],
    not_a_payment: &["debet", "brizzi"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "id.co.bri.brimo",
            &[
                (
                    "BRImo",
                    "Transaksi QRIS sebesar Rp25.000 dari ANDI berhasil",
                    25_000,
                    Some("ANDI"),
                ),
                (
                    "BRImo",
                    "Dana masuk Rp 25.000 ke rekening 0123xxxx",
                    25_000,
                    None,
                ),
                (
                    "BRI Merchant",
                    "Pembayaran QRIS Rp 30.001 diterima dari BUDI.",
                    30_001,
                    Some("BUDI"),
                ),
            ],
            &[
                ("BRImo", "Transaksi debet Rp 50.000 berhasil"),
                ("BRImo", "Top Up BRIZZI Rp 100.000 berhasil"),
                ("BRImo", "Login BRImo di perangkat baru"),
            ],
        );
    }
}
