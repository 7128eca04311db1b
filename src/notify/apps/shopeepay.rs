//! ShopeePay Partner (ShopeePay merchant).

use crate::notify::App;

pub const APP: App = App {
    name: "shopeepay",
    packages: &["com.shopeepay.merchant.id", "com.shopee.partner"],
    received: &[
        // "Pembayaran diterima: Rp20.000 dari pembeli"
        r"pembayaran (?:qris )?diterima:?\s*{amount}",
        // "Kamu menerima pembayaran Rp 15.500 dari BUDI"
        r"menerima pembayaran (?:sebesar )?{amount}(?: dari {payer}(?:$|[.,\n]))?",
        // "Rp 18.000 telah masuk ke Saldo Penjual"
        r"{amount} (?:telah |sudah )?masuk ke saldo",
    ],
    not_a_payment: &["koin shopee", "spaylater"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "com.shopeepay.merchant.id",
            &[
                (
                    "ShopeePay",
                    "Pembayaran diterima: Rp20.000 dari pembeli",
                    20_000,
                    None,
                ),
                (
                    "ShopeePay",
                    "Kamu menerima pembayaran Rp 15.500 dari BUDI",
                    15_500,
                    Some("BUDI"),
                ),
                (
                    "ShopeePay",
                    "Rp 18.000 telah masuk ke Saldo Penjual",
                    18_000,
                    None,
                ),
            ],
            &[
                (
                    "ShopeePay",
                    "Dapatkan Koin Shopee 5.000 untuk transaksi Rp 50.000",
                ),
                ("ShopeePay", "Tarik Saldo Rp 200.000 ke rekening berhasil"),
                ("ShopeePay", "Voucher Rp 10.000 menantimu"),
            ],
        );
    }
}
