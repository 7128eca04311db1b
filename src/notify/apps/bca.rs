//! BCA Merchant. (myBCA is the owner's own banking app: its "Transaksi QRIS
//! … berhasil" is money paid out, so it has no table here.)

use crate::notify::App;

pub const APP: App = App {
    name: "bca",
    packages: &["com.bca.msb"],
    received: &[
        // "Transaksi QRIS Rp 15.000 berhasil. Pembayar: BUDI"
        r"transaksi qris {amount} (?:berhasil|sukses)(?:\.\s*pembayar:?\s*{payer}(?:$|[.,\n]))?",
        // "Dana masuk IDR 15,000.00 dari SITI"
        r"dana masuk {amount}(?: dari {payer}(?:$|[.,\n]))?",
        // "Pembayaran QRIS diterima sebesar Rp 15.000"
        r"pembayaran qris diterima sebesar {amount}",
    ],
    not_a_payment: &["klikpay", "debit card"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "com.bca.msb",
            &[
                (
                    "BCA Merchant",
                    "Transaksi QRIS Rp 15.000 berhasil. Pembayar: BUDI",
                    15_000,
                    Some("BUDI"),
                ),
                (
                    "myBCA",
                    "Dana masuk IDR 15,000.00 dari SITI",
                    15_000,
                    Some("SITI"),
                ),
                (
                    "BCA Merchant",
                    "Pembayaran QRIS diterima sebesar Rp 15.000",
                    15_000,
                    None,
                ),
            ],
            &[
                ("myBCA", "Kode OTP: 123456. Jangan berikan kode ini"),
                ("myBCA", "Transfer ke BUDI IDR 50,000.00 berhasil"),
                (
                    "myBCA",
                    "Pembayaran tagihan kartu kredit Rp 1.000.000 berhasil",
                ),
            ],
        );
    }
}
