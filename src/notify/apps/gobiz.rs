//! GoBiz (GoFood merchant) and GoPay Merchant.

use crate::notify::App;

pub const APP: App = App {
    name: "gobiz",
    packages: &["com.gojek.resto", "com.gojek.gopaymerchant"],
    received: &[
        // "Pembayaran QRIS diterima!" / "Rp15.000 berhasil diterima. ID transaksi: ABC123"
        r"{amount}\s+berhasil diterima(?:\.\s*ID transaksi:?\s*(?P<reference>[A-Za-z0-9-]+))?",
        // "GoPay Usaha: Pembayaran sebesar Rp 199.000 berhasil diterima"
        r"pembayaran (?:qris )?sebesar {amount}\s+(?:berhasil )?diterima",
        // "Pembayaran Rp25.000 dari ANDI diterima"
        r"pembayaran {amount} dari {payer} (?:telah |sudah )?diterima",
    ],
    not_a_payment: &["gofood order", "pesanan baru", "saldo gopay kamu"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "com.gojek.resto",
            &[
                (
                    "Pembayaran QRIS diterima!",
                    "Rp15.000 berhasil diterima. ID transaksi: ABC123",
                    15_000,
                    None,
                ),
                (
                    "Pembayaran QRIS diterima!",
                    "Rp1 berhasil diterima. ID transaksi: tKT82AID",
                    1,
                    None,
                ),
                (
                    "GoPay Usaha",
                    "Pembayaran sebesar Rp 199.000 berhasil diterima",
                    199_000,
                    None,
                ),
                (
                    "Pembayaran diterima",
                    "Pembayaran Rp25.037 dari ANDI WIJAYA diterima",
                    25_037,
                    Some("ANDI WIJAYA"),
                ),
            ],
            &[
                (
                    "Promo GoBiz",
                    "Dapatkan cashback Rp10.000 untuk transaksi QRIS pertamamu!",
                ),
                (
                    "Pesanan baru!",
                    "Ada pesanan GoFood Rp45.000, segera siapkan.",
                ),
                (
                    "Penarikan saldo",
                    "Penarikan Rp500.000 ke rekening BCA berhasil diproses.",
                ),
                (
                    "Kode OTP",
                    "Kode OTP GoBiz kamu 123456. Jangan berikan ke siapa pun.",
                ),
            ],
        );
    }

    #[test]
    fn the_transaction_id_is_read() {
        match crate::notify::read(
            "com.gojek.gopaymerchant",
            "Pembayaran QRIS diterima!",
            "Rp15.000 berhasil diterima. ID transaksi: ABC123",
            false,
        ) {
            Some(crate::notify::Reading::Payment { reference, .. }) => {
                assert_eq!(reference.as_deref(), Some("ABC123"))
            }
            other => panic!("{other:?}"),
        }
    }
}
