//! Bank Nobu (Nobu Bank, merchant QRIS).

use crate::notify::App;

pub const APP: App = App {
    name: "nobu",
    packages: &["com.bnc.finance"],
    received: &[
        // "Pembayaran QRIS diterima, Rp114 akan dikreditkan ke rekening Anda"
        r"pembayaran qris diterima,?\s*{amount}",
        // "Dana masuk Rp 20.000 dari BUDI ke rekening 1234"
        r"dana masuk {amount}(?: dari {payer}(?:$|[.,\n]| ke))?",
        // "Anda menerima transfer Rp 75.000 dari SITI"
        r"menerima (?:transfer |pembayaran )?{amount}(?: dari {payer}(?:$|[.,\n]))?",
    ],
    not_a_payment: &["debit", "kartu"],
};

#[cfg(test)]
mod tests {
    #[test]
    fn its_wording() {
        crate::notify::tests::check(
            "com.bnc.finance",
            &[
                (
                    "Nobu",
                    "Pembayaran QRIS diterima, Rp114 akan dikreditkan ke rekening Anda.",
                    114,
                    None,
                ),
                (
                    "Nobu",
                    "Pembayaran QRIS diterima, Rp 15.000,00 akan dikreditkan",
                    15_000,
                    None,
                ),
                (
                    "Nobu",
                    "Dana masuk Rp 20.000 dari BUDI ke rekening 1234",
                    20_000,
                    Some("BUDI"),
                ),
                (
                    "Nobu",
                    "Anda menerima transfer Rp 75.000 dari SITI AMINAH.",
                    75_000,
                    Some("SITI AMINAH"),
                ),
            ],
            &[
                ("Nobu", "Transaksi debit Rp 100.000 di ATM berhasil"),
                ("Nobu", "Kode OTP Anda 884421, berlaku 5 menit"),
                ("Nobu", "Transfer ke BUDI Rp 50.000 berhasil"),
            ],
        );
    }
}
