//! OVO Merchant.

use crate::notify::App;

pub const APP: App = App {
    name: "ovo",
    packages: &["ovo.id.merchant", "com.ovo.merchant"],
    received: &[
        // "Kamu menerima pembayaran Rp 30.000 dari ANDI"
        r"menerima pembayaran (?:sebesar )?{amount}(?: dari {payer}(?:$|[.,\n]))?",
        // "Pembayaran Rp 30.000 berhasil diterima"
        r"pembayaran (?:qris )?{amount} (?:berhasil |telah )?diterima",
        // "Transaksi QRIS Rp30.000 berhasil"
        r"transaksi qris {amount} (?:berhasil|sukses)",
    ],
    not_a_payment: &["ovo points", "poin"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "ovo.id.merchant",
            &[
                (
                    "OVO Merchant",
                    "Kamu menerima pembayaran Rp 30.000 dari ANDI",
                    30_000,
                    Some("ANDI"),
                ),
                (
                    "OVO Merchant",
                    "Pembayaran Rp 30.099 berhasil diterima",
                    30_099,
                    None,
                ),
                (
                    "OVO Merchant",
                    "Transaksi QRIS Rp30.000 berhasil",
                    30_000,
                    None,
                ),
            ],
            &[
                ("OVO", "Dapatkan OVO Points 2.000 untuk transaksi Rp 20.000"),
                ("OVO", "Transfer ke BUDI Rp 100.000 berhasil"),
                ("OVO", "Pembayaran tagihan PLN Rp 250.000 berhasil"),
            ],
        );
    }
}
