//! Catalogue files: `name,price,sku,barcode,category,stock` as CSV, in and
//! out. An import is all or nothing: every row is checked first, a bad one is
//! named by its line and field, and the file is written in one transaction.

use super::people::{Actor, Right};
use super::products::{CheckedProduct, ProductInput};
use super::Kasir;
use crate::error::{Error, Result};
use crate::store;
use std::collections::HashMap;

pub const HEADER: [&str; 6] = ["name", "price", "sku", "barcode", "category", "stock"];
/// A catalogue file this big is a mistake (50,000 products is ~3 MB).
pub const MAX_CATALOGUE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub added: u64,
    pub updated: u64,
}

fn at_line(line: u64, field: &'static str, e: Error) -> Error {
    Error::invalid(field, format!("line {line}, {field}: {e}"))
}

/// The rows of a catalogue file, checked, with their line numbers.
fn read_rows(text: &str) -> Result<Vec<(u64, CheckedProduct)>> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| Error::invalid("file", format!("line 1: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if header != HEADER {
        return Err(Error::invalid(
            "file",
            format!(
                "line 1: the header must be {}, got {}",
                HEADER.join(","),
                header.join(",")
            ),
        ));
    }
    let mut rows = vec![];
    let mut seen: HashMap<(usize, String), u64> = HashMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::invalid("file", format!("line {line}: {e}"))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let cell = |i: usize| Some(rec[i].to_string()).filter(|s| !s.is_empty());
        let number = |i: usize, field: &'static str| -> Result<Option<i64>> {
            match cell(i) {
                None => Ok(None),
                Some(v) => whole_number(&v).map(Some).ok_or_else(|| {
                    Error::invalid(
                        field,
                        format!("line {line}, {field}: {v:?} is not a whole number"),
                    )
                }),
            }
        };
        let input = ProductInput {
            id: None,
            name: cell(0),
            price: number(1, "price")?,
            sku: cell(2),
            barcode: cell(3),
            category: cell(4),
            stock: number(5, "stock")?,
            active: Some(true),
        };
        let p = CheckedProduct::check(&input).map_err(|e| match e.field() {
            Some(f) => at_line(line, f, strip_field(e)),
            None => e,
        })?;
        for (col, v) in [(2, &p.sku), (3, &p.barcode)] {
            if let Some(v) = v {
                if let Some(first) = seen.insert((col, v.clone()), line) {
                    let field = HEADER[col];
                    return Err(Error::invalid(
                        if col == 2 { "sku" } else { "barcode" },
                        format!("line {line}, {field}: {v} is also on line {first}"),
                    ));
                }
            }
        }
        rows.push((line, p));
    }
    Ok(rows)
}

/// `18000` or `18.000` (dots only between groups of three, as a price is
/// written in Indonesia): `12.5` is not a whole number of rupiah.
fn whole_number(v: &str) -> Option<i64> {
    let (sign, digits) = match v.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, v),
    };
    let mut groups = digits.split('.');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let ok_first = !first.is_empty() && (rest.is_empty() || first.len() <= 3);
    if !ok_first || rest.iter().any(|g| g.len() != 3) {
        return None;
    }
    let joined: String = std::iter::once(first).chain(rest).collect();
    if !joined.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    joined.parse::<i64>().ok().map(|n| sign * n)
}

/// The check's own sentence, without its field (the line adds it back).
fn strip_field(e: Error) -> Error {
    match e {
        Error::InvalidField { message, field } => Error::InvalidField {
            message: message
                .strip_prefix(field)
                .map(|m| m.trim_start().to_string())
                .unwrap_or(message),
            field,
        },
        e => e,
    }
}

impl Kasir {
    /// Add and update products from a catalogue file; nothing is written
    /// unless every row is good.
    pub async fn import_products(&self, actor: &Actor, text: String) -> Result<ImportSummary> {
        self.require(actor, Right::Settings).await?;
        if text.len() > MAX_CATALOGUE_BYTES {
            return Err(Error::invalid(
                "file",
                format!("a catalogue file is at most {MAX_CATALOGUE_BYTES} bytes"),
            ));
        }
        let rows = read_rows(&text)?;
        let now = self.now();
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let mut sum = ImportSummary {
                    added: 0,
                    updated: 0,
                };
                for (line, p) in &rows {
                    let id = store::product_id_for(
                        &tx,
                        p.sku.as_deref(),
                        p.barcode.as_deref(),
                        &p.name,
                    )?;
                    if let Err(e) = p.save(&tx, id, now)? {
                        // dropping `tx` rolls back every row before this one
                        return Err(match e.field() {
                            Some(f) => at_line(*line, f, e),
                            None => e,
                        });
                    }
                    if id.is_some() {
                        sum.updated += 1;
                    } else {
                        sum.added += 1;
                    }
                }
                tx.commit()?;
                Ok(sum)
            })
            .await
    }

    /// Every product, active or not, as a catalogue file.
    pub async fn export_products(&self) -> Result<String> {
        let products = self
            .products(super::products::ProductQuery {
                include_inactive: true,
                ..Default::default()
            })
            .await?;
        let mut w = csv::Writer::from_writer(vec![]);
        let io = |e: csv::Error| Error::invalid("file", e.to_string());
        w.write_record(HEADER).map_err(io)?;
        for p in products {
            w.write_record([
                p.name,
                p.price.to_string(),
                p.sku.unwrap_or_default(),
                p.barcode.unwrap_or_default(),
                p.category.unwrap_or_default(),
                p.stock.map(|s| s.to_string()).unwrap_or_default(),
            ])
            .map_err(io)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::invalid("file", e.to_string()))?;
        Ok(String::from_utf8(bytes).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_row_is_named_by_its_line_and_field() {
        let text =
            "name,price,sku,barcode,category,stock\nKopi,5000,K1,,Minum,\nTeh,lima ribu,,,Minum,\n";
        let e = read_rows(text).unwrap_err();
        assert_eq!(e.field(), Some("price"));
        assert!(e.to_string().contains("line 3, price"), "{e}");
        let e = read_rows("name,price,sku,barcode,category,stock\n,5000,,,,\n").unwrap_err();
        assert!(e.to_string().contains("line 2, name"), "{e}");
        let e = read_rows("name,price\nKopi,5000\n").unwrap_err();
        assert!(e.to_string().contains("line 1: the header"), "{e}");
        let e = read_rows("name,price,sku,barcode,category,stock\nA,1,,899,,\nB,2,,899,,\n")
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("line 3, barcode: 899 is also on line 2"),
            "{e}"
        );
        let e = read_rows("name,price,sku,barcode,category,stock\nA,1,,,,\nB,2,,\n").unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
    }

    #[test]
    fn prices_may_be_written_with_thousands_dots() {
        let rows = read_rows(
            "\u{feff}NAME,Price,SKU,Barcode,Category,Stock\nKopi susu,\"18.000\",KS,,Minum,12\n",
        )
        .unwrap();
        assert_eq!(rows[0].1.price, 18_000);
        assert_eq!(whole_number("1.250.000"), Some(1_250_000));
        assert_eq!(whole_number("-3"), Some(-3));
        for bad in ["12.5", "1.25", "1234.567", ".500", "1..000", "+5", "5e3"] {
            assert_eq!(whole_number(bad), None, "{bad}");
        }
        assert_eq!(rows[0].1.stock, Some(12));
        assert_eq!(rows[0].0, 2);
    }
}
