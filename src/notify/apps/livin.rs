//! Livin' Merchant (Bank Mandiri).

use crate::notify::App;

pub const APP: App = App {
    name: "livin",
    packages: &["id.bmri.livinmerchant"],
    received: &[
        // "Dana masuk Rp10.000 dari BUDI"
        r"dana masuk {amount}(?: dari {payer}(?:$|[.,\n]| via))?",
        // "Pembayaran QRIS sebesar Rp50.000 telah diterima"
        r"pembayaran qris sebesar {amount} (?:telah |sudah |berhasil )?diterima",
        // "Transaksi QRIS Rp 50.000 dari ANDI berhasil"
        r"transaksi qris {amount}(?: dari {payer})? (?:berhasil|sukses)",
    ],
    not_a_payment: &["settlement gagal"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "id.bmri.livinmerchant",
            &[
                (
                    "Livin' Merchant",
                    "Dana masuk Rp10.000 dari BUDI",
                    10_000,
                    Some("BUDI"),
                ),
                (
                    "Livin' Merchant",
                    "Pembayaran QRIS sebesar Rp50.000 telah diterima",
                    50_000,
                    None,
                ),
                (
                    "Livin' Merchant",
                    "Transaksi QRIS Rp 12.345 dari ANDI berhasil",
                    12_345,
                    Some("ANDI"),
                ),
            ],
            &[
                (
                    "Livin' Merchant",
                    "Promo Livin': cashback Rp 20.000 untuk merchant baru",
                ),
                (
                    "Livin' Merchant",
                    "Penarikan dana Rp 1.000.000 ke rekening berhasil",
                ),
                (
                    "Livin' Merchant",
                    "Transfer ke rekening 123 Rp 10.000 berhasil",
                ),
            ],
        );
    }
}
