//! The catalogue: products and their categories.

use crate::clock::Millis;
use crate::error::Result;
use crate::model::{Category, Product};
use rusqlite::{params, Connection, OptionalExtension, Row};

const PRODUCT_COLS: &str = "p.id, p.name, p.price, p.sku, p.barcode, p.category_id, c.name, p.stock, p.active, p.sort_order";
const FROM: &str = "FROM products p LEFT JOIN categories c ON c.id = p.category_id";

fn product_from_row(r: &Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        id: r.get(0)?,
        name: r.get(1)?,
        price: r.get::<_, i64>(2)? as u64,
        sku: r.get(3)?,
        barcode: r.get(4)?,
        category_id: r.get(5)?,
        category: r.get(6)?,
        stock: r.get(7)?,
        active: r.get(8)?,
        sort_order: r.get(9)?,
    })
}

/// A product as it is written.
pub struct ProductRow<'a> {
    pub name: &'a str,
    pub price: u64,
    pub sku: Option<&'a str>,
    pub barcode: Option<&'a str>,
    pub category_id: Option<i64>,
    pub stock: Option<i64>,
    pub active: bool,
}

/// Which unique column a write clashed on.
#[derive(Debug, PartialEq, Eq)]
pub enum ProductClash {
    Sku,
    Barcode,
}

fn clash(e: &rusqlite::Error) -> Option<ProductClash> {
    let msg = e.to_string();
    if !msg.contains("UNIQUE constraint failed") {
        return None;
    }
    if msg.contains("products.sku") {
        Some(ProductClash::Sku)
    } else if msg.contains("products.barcode") {
        Some(ProductClash::Barcode)
    } else {
        None
    }
}

pub fn insert_product(
    c: &Connection,
    p: &ProductRow<'_>,
    now: Millis,
) -> Result<std::result::Result<i64, ProductClash>> {
    let next: i64 = c
        .prepare_cached("SELECT COALESCE(MAX(sort_order), -1) + 1 FROM products")?
        .query_row([], |r| r.get(0))?;
    let r = c.prepare_cached(
        "INSERT INTO products (name, price, sku, barcode, category_id, stock, active, sort_order, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![p.name, p.price as i64, p.sku, p.barcode, p.category_id, p.stock, p.active, next, now]);
    match r {
        Ok(_) => Ok(Ok(c.last_insert_rowid())),
        Err(e) => match clash(&e) {
            Some(which) => Ok(Err(which)),
            None => Err(e.into()),
        },
    }
}

/// Returns whether the product was there.
pub fn update_product(
    c: &Connection,
    id: i64,
    p: &ProductRow<'_>,
    now: Millis,
) -> Result<std::result::Result<bool, ProductClash>> {
    let r = c
        .prepare_cached(
            "UPDATE products SET name = ?2, price = ?3, sku = ?4, barcode = ?5, category_id = ?6, stock = ?7,
             active = ?8, updated_at = ?9 WHERE id = ?1",
        )?
        .execute(params![id, p.name, p.price as i64, p.sku, p.barcode, p.category_id, p.stock, p.active, now]);
    match r {
        Ok(n) => Ok(Ok(n == 1)),
        Err(e) => match clash(&e) {
            Some(which) => Ok(Err(which)),
            None => Err(e.into()),
        },
    }
}

pub fn get_product(c: &Connection, id: i64) -> Result<Option<Product>> {
    Ok(
        c.prepare_cached(&format!("SELECT {PRODUCT_COLS} {FROM} WHERE p.id = ?1"))?
            .query_row([id], product_from_row)
            .optional()?,
    )
}

pub fn product_by_barcode(c: &Connection, barcode: &str) -> Result<Option<Product>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {PRODUCT_COLS} {FROM} WHERE p.barcode = ?1 AND p.active = 1"
    ))?
    .query_row([barcode], product_from_row)
    .optional()?)
}

/// The id of the product a catalogue file's row names: by SKU, else
/// barcode, else (for a row with neither) name.
pub fn product_id_for(
    c: &Connection,
    sku: Option<&str>,
    barcode: Option<&str>,
    name: &str,
) -> Result<Option<i64>> {
    let find = |sql: &str, v: &str| -> Result<Option<i64>> {
        Ok(c.prepare_cached(sql)?
            .query_row([v], |r| r.get(0))
            .optional()?)
    };
    if let Some(s) = sku {
        if let Some(id) = find("SELECT id FROM products WHERE sku = ?1", s)? {
            return Ok(Some(id));
        }
    }
    if let Some(b) = barcode {
        if let Some(id) = find("SELECT id FROM products WHERE barcode = ?1", b)? {
            return Ok(Some(id));
        }
    }
    if sku.is_none() && barcode.is_none() {
        return find(
            "SELECT id FROM products WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            name,
        );
    }
    Ok(None)
}

/// Products on the shelf order; `query` matches a name anywhere, an SKU or
/// barcode from its start.
pub fn list_products(
    c: &Connection,
    query: Option<&str>,
    category_id: Option<i64>,
    include_inactive: bool,
    limit: u32,
) -> Result<Vec<Product>> {
    let like = query.map(|q| {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        (format!("%{escaped}%"), format!("{escaped}%"))
    });
    let mut st = c.prepare_cached(&format!(
        "SELECT {PRODUCT_COLS} {FROM}
         WHERE (?1 OR p.active = 1)
           AND (?2 IS NULL OR p.category_id = ?2)
           AND (?3 IS NULL OR p.name LIKE ?3 ESCAPE '\\' OR p.sku LIKE ?4 ESCAPE '\\' OR p.barcode LIKE ?4 ESCAPE '\\')
         ORDER BY p.sort_order, p.id LIMIT ?5"
    ))?;
    let (any, start) = match &like {
        Some((a, s)) => (Some(a.as_str()), Some(s.as_str())),
        None => (None, None),
    };
    let rows = st.query_map(
        params![include_inactive, category_id, any, start, limit],
        product_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_products(c: &Connection) -> Result<u64> {
    let n: i64 = c
        .prepare_cached("SELECT COUNT(*) FROM products")?
        .query_row([], |r| r.get(0))?;
    Ok(n as u64)
}

/// `ids` take the shelf's first places, in this order; the rest follow.
pub fn reorder_products(c: &Connection, ids: &[i64]) -> Result<()> {
    let mut st = c.prepare_cached("UPDATE products SET sort_order = ?2 WHERE id = ?1")?;
    for (i, id) in ids.iter().enumerate() {
        st.execute(params![id, i as i64])?;
    }
    let n = ids.len() as i64;
    let placed: Vec<String> = ids.iter().map(i64::to_string).collect();
    c.execute(
        &format!(
            "UPDATE products SET sort_order = sort_order + ?1 WHERE id NOT IN ({})",
            if placed.is_empty() {
                "NULL".into()
            } else {
                placed.join(",")
            }
        ),
        [n],
    )?;
    Ok(())
}

/// Stock taken (negative `by`) or given back, for products that count it.
pub fn adjust_stock(c: &Connection, product_id: i64, by: i64) -> Result<()> {
    c.prepare_cached("UPDATE products SET stock = stock + ?2 WHERE id = ?1 AND stock IS NOT NULL")?
        .execute(params![product_id, by])?;
    Ok(())
}

pub fn list_categories(c: &Connection) -> Result<Vec<Category>> {
    let mut st = c.prepare_cached(
        "SELECT id, name, colour, sort_order FROM categories ORDER BY sort_order, name",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Category {
            id: r.get(0)?,
            name: r.get(1)?,
            colour: r.get(2)?,
            sort_order: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The category of this name (any case), made when new.
pub fn category_id(c: &Connection, name: &str) -> Result<i64> {
    if let Some(id) = c
        .prepare_cached("SELECT id FROM categories WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    c.prepare_cached(
        "INSERT INTO categories (name, sort_order) VALUES (?1, (SELECT COALESCE(MAX(sort_order), -1) + 1 FROM categories))",
    )?
    .execute([name])?;
    Ok(c.last_insert_rowid())
}

/// Returns false when no category has that id; a clash on the name is an error.
pub fn update_category(c: &Connection, id: i64, name: &str, colour: &str) -> Result<bool> {
    Ok(
        c.prepare_cached("UPDATE categories SET name = ?2, colour = ?3 WHERE id = ?1")?
            .execute(params![id, name, colour])?
            == 1,
    )
}

pub fn get_category(c: &Connection, id: i64) -> Result<Option<Category>> {
    Ok(
        c.prepare_cached("SELECT id, name, colour, sort_order FROM categories WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(Category {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    colour: r.get(2)?,
                    sort_order: r.get(3)?,
                })
            })
            .optional()?,
    )
}
