//! Reading the "payment received" notifications the merchant's phone gets
//! from its bank and e-wallet apps. Pure: text in, what it says out. Each app
//! is a small table of its own wording (`apps/`); matching the money to an
//! order is the service's.

pub mod amount;
mod apps;

use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

pub use amount::parse_rupiah;

/// One app's wording.
pub struct App {
    pub name: &'static str,
    /// Android packages it posts from.
    pub packages: &'static [&'static str],
    /// Money received: matched against the title and text joined by a line
    /// break, case-insensitively. `{amount}` stands for a rupiah amount; the
    /// groups `payer` and `reference` are read when a pattern has them.
    pub received: &'static [&'static str],
    /// Words that make a notification something else (a promo, money going
    /// out), checked before `received`, on top of [`NOT_A_PAYMENT`].
    pub not_a_payment: &'static [&'static str],
}

/// Words that, in any app, mean the notification is not money received:
/// promotions and cashback, codes, money going out, failures.
pub const NOT_A_PAYMENT: &[&str] = &[
    "cashback",
    "promo",
    "diskon",
    "voucher",
    "hadiah",
    "undian",
    "otp",
    "kode verifikasi",
    "kode rahasia",
    "jangan berikan",
    "terpotong",
    "dipotong",
    "mengirim",
    "dikirim ke",
    "transfer ke",
    "kirim uang ke",
    "pembayaran ke",
    "membayar",
    "kamu bayar",
    "penarikan",
    "tarik tunai",
    "tarik saldo",
    "pencairan",
    "top up",
    "topup",
    "isi ulang",
    "tagihan",
    "gagal",
    "dibatalkan",
    "ditolak",
    "refund",
    "pengembalian dana",
    "login",
];

/// What a notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// Money received.
    Payment {
        amount: u64,
        payer_name: Option<String>,
        /// The provider's transaction id, when the text has one.
        reference: Option<String>,
    },
    /// Something else; `why` says what gave it away.
    NotAPayment { why: String },
    /// Money received, in words Kasir knows, but an amount it can't read
    /// (`Rp 15.000,50`): for the merchant to look at, never a guess.
    UnreadAmount { amount: String },
}

/// The generic wording, for an app the merchant allowed without a table.
const GENERIC: App = App {
    name: "generic",
    packages: &[],
    received: &[
        r"(?:menerima|diterima|masuk|received)\D{0,40}?{amount}",
        r"{amount}\D{0,40}?(?:diterima|masuk|received)",
    ],
    not_a_payment: &[],
};

/// A rupiah amount as the apps write it.
const AMOUNT: &str = r"(?P<amount>(?:Rp\.?|IDR)\s?\d[\d.,]*(?:,-)?)";
/// Who paid: capitalised words after "dari" (from).
const PAYER: &str = r"(?P<payer>[\p{L}0-9][\p{L}0-9 .'&-]{0,60}?)";

struct Compiled {
    app: &'static App,
    received: Vec<Regex>,
    not_a_payment: Vec<String>,
}

fn compile(app: &'static App) -> Compiled {
    Compiled {
        app,
        received: app
            .received
            .iter()
            .map(|p| {
                let p = p.replace("{amount}", AMOUNT).replace("{payer}", PAYER);
                RegexBuilder::new(&p)
                    .case_insensitive(true)
                    .build()
                    .unwrap_or_else(|e| panic!("{}'s pattern {p:?}: {e}", app.name))
            })
            .collect(),
        not_a_payment: app
            .not_a_payment
            .iter()
            .chain(NOT_A_PAYMENT)
            .map(|w| w.to_lowercase())
            .collect(),
    }
}

static APPS: LazyLock<Vec<Compiled>> = LazyLock::new(|| apps::ALL.iter().map(compile).collect());
static GENERIC_COMPILED: LazyLock<Compiled> = LazyLock::new(|| compile(&GENERIC));

/// The app a package belongs to, by its table's name (`gobiz`, `dana`, …).
pub fn app_of(package: &str) -> Option<&'static str> {
    let package = package.trim();
    APPS.iter()
        .find(|c| c.app.packages.contains(&package))
        .map(|c| c.app.name)
}

/// The packages Kasir has a wording table for.
pub fn known_packages() -> Vec<&'static str> {
    apps::ALL
        .iter()
        .flat_map(|a| a.packages.iter().copied())
        .collect()
}

/// Read a notification of `package`; None when Kasir has no table for the
/// package and `generic` (the merchant's choice) is false.
pub fn read(package: &str, title: &str, text: &str, generic: bool) -> Option<Reading> {
    let package = package.trim();
    let compiled = match APPS.iter().find(|c| c.app.packages.contains(&package)) {
        Some(c) => c,
        None if generic => &GENERIC_COMPILED,
        None => return None,
    };
    Some(read_with(compiled, title, text))
}

fn read_with(c: &Compiled, title: &str, text: &str) -> Reading {
    // one space between words, however the app or the forwarder spaced them
    let squeeze = |s: &str| {
        s.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let whole = format!("{}\n{}", squeeze(title.trim()), squeeze(text.trim()));
    let lower = whole.to_lowercase();
    if let Some(word) = c.not_a_payment.iter().find(|w| contains_word(&lower, w)) {
        return Reading::NotAPayment {
            why: format!("it says \"{word}\""),
        };
    }
    let mut unread = None;
    for re in &c.received {
        let Some(m) = re.captures(&whole) else {
            continue;
        };
        let Some(amount) = m.name("amount").and_then(|a| parse_rupiah(a.as_str())) else {
            unread = unread.or(m.name("amount").map(|a| a.as_str().to_string()));
            continue;
        };
        let clean = |s: &str| {
            let s = s.trim().trim_end_matches(['.', ',']).trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        return Reading::Payment {
            amount,
            payer_name: m.name("payer").and_then(|p| clean(p.as_str())),
            reference: m.name("reference").and_then(|r| clean(r.as_str())),
        };
    }
    if let Some(amount) = unread {
        return Reading::UnreadAmount { amount };
    }
    Reading::NotAPayment {
        why: format!("it is not {}'s wording of a payment received", c.app.name),
    }
}

/// `word` in `text` at word boundaries ("otp" is not in "potong").
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Check an app's table against texts it really posts.
    pub fn check(
        package: &str,
        payments: &[(&str, &str, u64, Option<&str>)],
        others: &[(&str, &str)],
    ) {
        for (title, text, amount, payer) in payments {
            match read(package, title, text, false) {
                Some(Reading::Payment {
                    amount: got,
                    payer_name,
                    ..
                }) => {
                    assert_eq!(got, *amount, "{package}: {title} / {text}");
                    if let Some(p) = payer {
                        assert_eq!(payer_name.as_deref(), Some(*p), "{package}: {text}");
                    }
                }
                other => panic!("{package}: {title} / {text}: read as {other:?}"),
            }
        }
        for (title, text) in others {
            assert!(
                matches!(
                    read(package, title, text, false),
                    Some(Reading::NotAPayment { .. })
                ),
                "{package}: {title} / {text} was read as a payment"
            );
        }
    }

    #[test]
    fn an_app_without_a_table_is_read_only_when_allowed() {
        let text = "Pembayaran diterima Rp 12.500 dari SITI";
        assert_eq!(read("com.example.kasir", "Info", text, false), None);
        assert_eq!(
            read("com.example.kasir", "Info", text, true),
            Some(Reading::Payment {
                amount: 12_500,
                payer_name: None,
                reference: None
            })
        );
        assert!(matches!(
            read(
                "com.example.kasir",
                "Promo",
                "Cashback Rp 5.000 diterima",
                true
            ),
            Some(Reading::NotAPayment { .. })
        ));
    }

    #[test]
    fn a_payment_whose_amount_cannot_be_read_is_not_guessed() {
        assert_eq!(
            read(
                "id.dana",
                "DANA",
                "Kamu berhasil menerima Rp15.000,50 dari BUDI",
                false
            ),
            Some(Reading::UnreadAmount {
                amount: "Rp15.000,50".into()
            })
        );
    }

    #[test]
    fn words_are_matched_whole() {
        assert!(contains_word("kode otp 1234", "otp"));
        assert!(!contains_word("akan dipotong", "otp"));
        assert!(!contains_word("potongan", "otp"));
    }

    #[test]
    fn every_package_belongs_to_one_app() {
        let all = known_packages();
        let mut seen = std::collections::HashSet::new();
        for p in &all {
            assert!(seen.insert(*p), "{p} is in two tables");
            assert!(app_of(p).is_some());
        }
        assert!(all.len() >= 8);
    }
}
