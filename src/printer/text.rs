//! Text in the printer's code page. A thermal printer has no UTF-8: each byte
//! is a glyph of the code page selected with `ESC t`. A character the page has
//! is sent as its byte; one it lacks becomes its closest ASCII (`deunicode`:
//! "—" → "-", "“" → "\"", "é" → "e" on a page without é), never a run of
//! UTF-8 bytes the printer would show as mojibake.

use escpos::driver::Driver;
use escpos::errors::Result as EscposResult;
use escpos::printer::Printer;
use escpos::utils::{PageCode, Protocol};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, LazyLock};

/// The code pages a merchant can choose, by the name the setting stores.
pub const CODE_PAGES: &[(&str, PageCode)] = &[
    ("pc437", PageCode::PC437),
    ("pc850", PageCode::PC850),
    ("pc858", PageCode::PC858),
    ("wpc1252", PageCode::WPC1252),
];

pub fn code_page(name: &str) -> Option<PageCode> {
    CODE_PAGES.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// Collects what an `escpos::Printer` writes: we render to bytes and send
/// them through our own queue (retries, timeouts), not the crate's drivers.
#[derive(Clone, Default)]
pub struct Bytes(pub Rc<RefCell<Vec<u8>>>);

impl Driver for Bytes {
    fn name(&self) -> String {
        "bytes".into()
    }
    fn write(&self, data: &[u8]) -> EscposResult<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> EscposResult<usize> {
        Ok(0)
    }
    fn flush(&self) -> EscposResult<()> {
        Ok(())
    }
}

/// The characters beyond ASCII that `page` has, and their bytes. escpos keeps
/// its tables private, so ask it: a character it knows comes out as one byte.
fn table(page: PageCode) -> HashMap<char, u8> {
    let candidates = ('\u{a0}'..='\u{24f}').chain('\u{2010}'..='\u{20ac}');
    let mut out = HashMap::new();
    for c in candidates {
        let bytes = Bytes::default();
        let options = escpos::printer_options::PrinterOptions::new(Some(page), None, 42);
        let mut p = Printer::new(bytes.clone(), Protocol::default(), Some(options));
        if p.write(&c.to_string()).and_then(|p| p.print()).is_ok() {
            let got = bytes.0.borrow();
            if got.len() == 1 && got[0] >= 0x80 {
                out.insert(c, got[0]);
            }
        }
    }
    out
}

static TABLES: LazyLock<HashMap<&'static str, Arc<HashMap<char, u8>>>> = LazyLock::new(|| {
    CODE_PAGES
        .iter()
        .map(|(n, p)| (*n, Arc::new(table(*p))))
        .collect()
});

/// `text` as bytes of the code page `name` (unknown names are PC437).
pub fn encode(text: &str, name: &str) -> Vec<u8> {
    let table = TABLES
        .get(name)
        .or_else(|| TABLES.get("pc437"))
        .expect("pc437");
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            // control characters would be commands to the printer
            out.push(if c.is_ascii_control() { b' ' } else { c as u8 });
        } else if let Some(b) = table.get(&c) {
            out.push(*b);
        } else {
            let ascii = deunicode::deunicode_char(c).unwrap_or("?");
            let ascii = if ascii.is_empty() { "?" } else { ascii };
            out.extend(
                ascii
                    .bytes()
                    .filter(|b| b.is_ascii() && !b.is_ascii_control()),
            );
        }
    }
    out
}

/// How many columns `text` takes once encoded (a fallback may be longer).
pub fn width(text: &str, name: &str) -> usize {
    encode(text, name).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_the_page_has_is_its_byte_and_others_fall_back_to_ascii() {
        // é is 0x82 in PC437 and PC858
        assert_eq!(encode("Café", "pc437"), b"Caf\x82");
        assert_eq!(encode("Café", "pc858"), b"Caf\x82");
        // € is in PC858 (0xD5) but not PC437
        assert_eq!(encode("€", "pc858"), [0xD5]);
        assert_eq!(encode("€", "pc437"), b"EUR");
        assert_eq!(
            encode("Nasi goreng ×2 — “pedas”", "pc437"),
            b"Nasi goreng x2 -- \"pedas\""
        );
        // no UTF-8 byte ever reaches the paper
        let emoji = encode("Terima kasih 🙏", "pc437");
        assert!(emoji.iter().all(|b| b.is_ascii()), "{emoji:?}");
        assert_eq!(encode("a\x1bb\nc", "pc437"), b"a b c");
    }
}
