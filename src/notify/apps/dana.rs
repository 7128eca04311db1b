//! DANA and DANA Bisnis.

use crate::notify::App;

pub const APP: App = App {
    name: "dana",
    packages: &["id.dana", "id.dana.business"],
    received: &[
        // "Kamu berhasil menerima Rp99.947 dari BUDI"
        r"berhasil menerima {amount}(?: dari {payer}(?:$|[.,\n]| via| lewat| melalui))?",
        // "DANA Bisnis: Pembayaran diterima sebesar Rp 1.771"
        r"pembayaran (?:qris )?diterima sebesar {amount}",
        // "Transaksi QRIS sebesar Rp1.771,00 sukses"
        r"transaksi qris sebesar {amount}\s+(?:sukses|berhasil)",
    ],
    not_a_payment: &["dana kaget", "saldo dana kamu bertambah dari cashback"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "id.dana",
            &[
                (
                    "Kamu berhasil menerima",
                    "Kamu berhasil menerima Rp99.947 dari BUDI SANTOSO",
                    99_947,
                    Some("BUDI SANTOSO"),
                ),
                (
                    "DANA",
                    "Kamu berhasil menerima Rp50.037 dari Test User",
                    50_037,
                    Some("Test User"),
                ),
                (
                    "DANA Bisnis",
                    "DANA Bisnis: Pembayaran diterima sebesar Rp 1.771",
                    1_771,
                    None,
                ),
                (
                    "DANA Bisnis",
                    "Transaksi QRIS sebesar Rp1.771,00 sukses",
                    1_771,
                    None,
                ),
            ],
            &[
                ("DANA", "Kamu berhasil mengirim Rp50.000 ke SITI"),
                ("DANA", "Yuk klaim DANA Kaget Rp5.000 dari temanmu!"),
                ("DANA", "Pembayaran ke Indomaret Rp23.500 berhasil"),
                ("DANA", "Saldo kamu terpotong Rp2.500 untuk biaya admin"),
            ],
        );
    }
}
