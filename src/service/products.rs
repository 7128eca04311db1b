//! The catalogue: products and categories, kept by the owner, read by the
//! till's quick-pick grid, its search and the barcode scanner. Catalogue
//! files (CSV) are `catalogue_file`'s.

use super::cart::{MAX_NAME_LEN, MAX_UNIT_PRICE};
use super::checks::check_text;
use super::people::{Actor, Right};
use super::Kasir;
use crate::error::{Error, Missing, Result};
use crate::model::{Category, Product};
use crate::store::{self, ProductClash, ProductRow};
use serde::Deserialize;

pub const MAX_CODE_LEN: usize = 64;
pub const MAX_CATEGORY_LEN: usize = 60;
const MAX_STOCK: i64 = 1_000_000_000;
/// Search results shown as the cashier types: more is never read.
const SEARCH_LIMIT: u32 = 200;
const LIST_LIMIT: u32 = 10_000;

/// A product as the owner types it. Saving replaces every field: an empty
/// SKU, barcode, category or stock clears it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProductInput {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub price: Option<i64>,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub category: Option<String>,
    pub stock: Option<i64>,
    pub active: Option<bool>,
}

/// A product, checked: what is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CheckedProduct {
    pub name: String,
    pub price: u64,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub category: Option<String>,
    pub stock: Option<i64>,
    pub active: bool,
}

fn check_code(field: &'static str, v: Option<&str>) -> Result<Option<String>> {
    let Some(v) = check_text(field, v, MAX_CODE_LEN)? else {
        return Ok(None);
    };
    if v.chars().any(char::is_whitespace) {
        return Err(Error::invalid(
            field,
            format!("{field} {v:?} has a space in it"),
        ));
    }
    Ok(Some(v))
}

pub(super) fn check_price(field: &'static str, v: Option<i64>) -> Result<u64> {
    match v {
        None => Err(Error::invalid(
            field,
            "the price is required, in whole rupiah",
        )),
        Some(p) if !(0..=MAX_UNIT_PRICE).contains(&p) => Err(Error::invalid(
            field,
            format!("a price is 0 to {MAX_UNIT_PRICE} rupiah, got {p}"),
        )),
        Some(p) => Ok(p as u64),
    }
}

impl CheckedProduct {
    pub fn check(p: &ProductInput) -> Result<CheckedProduct> {
        let name = check_text("name", p.name.as_deref(), MAX_NAME_LEN)?
            .ok_or_else(|| Error::invalid("name", "a product needs a name"))?;
        if let Some(s) = p.stock {
            if !(-MAX_STOCK..=MAX_STOCK).contains(&s) {
                return Err(Error::invalid(
                    "stock",
                    format!("stock {s} is out of range"),
                ));
            }
        }
        Ok(CheckedProduct {
            name,
            price: check_price("price", p.price)?,
            sku: check_code("sku", p.sku.as_deref())?,
            barcode: check_code("barcode", p.barcode.as_deref())?,
            category: check_text("category", p.category.as_deref(), MAX_CATEGORY_LEN)?,
            stock: p.stock,
            active: p.active.unwrap_or(true),
        })
    }

    fn clash_error(&self, which: ProductClash) -> Error {
        match which {
            ProductClash::Sku => Error::invalid(
                "sku",
                format!(
                    "SKU {} is already another product's",
                    self.sku.as_deref().unwrap_or_default()
                ),
            ),
            ProductClash::Barcode => Error::invalid(
                "barcode",
                format!(
                    "barcode {} is already another product's",
                    self.barcode.as_deref().unwrap_or_default()
                ),
            ),
        }
    }

    /// Write it as product `id` (or a new one) in `c`; `Ok(Err)` is a clash
    /// with another product, nothing written.
    pub fn save(
        &self,
        c: &rusqlite::Connection,
        id: Option<i64>,
        now: crate::clock::Millis,
    ) -> Result<Result<i64>> {
        let category_id = self
            .category
            .as_deref()
            .map(|n| store::category_id(c, n))
            .transpose()?;
        let row = ProductRow {
            name: &self.name,
            price: self.price,
            sku: self.sku.as_deref(),
            barcode: self.barcode.as_deref(),
            category_id,
            stock: self.stock,
            active: self.active,
        };
        Ok(match id {
            None => store::insert_product(c, &row, now)?.map_err(|w| self.clash_error(w)),
            Some(id) => match store::update_product(c, id, &row, now)? {
                Ok(true) => Ok(id),
                Ok(false) => Err(Error::NotFound(Missing::Product(id))),
                Err(w) => Err(self.clash_error(w)),
            },
        })
    }
}

/// What the till's product list asks for.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProductQuery {
    pub query: Option<String>,
    pub category_id: Option<i64>,
    #[serde(default)]
    pub include_inactive: bool,
}

impl Kasir {
    pub async fn products(&self, q: ProductQuery) -> Result<Vec<Product>> {
        let query = q
            .query
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let limit = if query.is_some() {
            SEARCH_LIMIT
        } else {
            LIST_LIMIT
        };
        self.inner
            .db
            .read(move |c| {
                store::list_products(
                    c,
                    query.as_deref(),
                    q.category_id,
                    q.include_inactive,
                    limit,
                )
            })
            .await
    }

    pub async fn product(&self, id: i64) -> Result<Product> {
        self.inner
            .db
            .read(move |c| store::get_product(c, id)?.ok_or(Error::NotFound(Missing::Product(id))))
            .await
    }

    /// The active product a scanner read.
    pub async fn product_by_barcode(&self, barcode: &str) -> Result<Product> {
        let code = barcode.trim().to_string();
        if code.is_empty() {
            return Err(Error::invalid("barcode", "the barcode is empty"));
        }
        self.inner
            .db
            .read(move |c| {
                store::product_by_barcode(c, &code)?.ok_or(Error::NotFound(Missing::Barcode(code)))
            })
            .await
    }

    /// Add a product (no `id`) or replace one.
    pub async fn save_product(&self, actor: &Actor, p: ProductInput) -> Result<Product> {
        self.require(actor, Right::Settings).await?;
        let checked = CheckedProduct::check(&p)?;
        let now = self.now();
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let id = match checked.save(&tx, p.id, now)? {
                    Ok(id) => id,
                    Err(refused) => return Err(refused),
                };
                let product = store::get_product(&tx, id)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok(product)
            })
            .await
    }

    /// The shelf's order: these products first, in this order.
    pub async fn reorder_products(&self, actor: &Actor, ids: Vec<i64>) -> Result<()> {
        self.require(actor, Right::Settings).await?;
        if ids.len() > LIST_LIMIT as usize {
            return Err(Error::invalid(
                "ids",
                "too many products to reorder at once",
            ));
        }
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                for &id in &ids {
                    if store::get_product(&tx, id)?.is_none() {
                        return Err(Error::NotFound(Missing::Product(id)));
                    }
                }
                store::reorder_products(&tx, &ids)?;
                tx.commit()?;
                Ok(())
            })
            .await
    }

    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.inner.db.read(store::list_categories).await
    }

    /// Add a category (no `id`) or rename and recolour one.
    pub async fn save_category(
        &self,
        actor: &Actor,
        id: Option<i64>,
        name: Option<String>,
        colour: Option<String>,
    ) -> Result<Category> {
        self.require(actor, Right::Settings).await?;
        let name = check_text("name", name.as_deref(), MAX_CATEGORY_LEN)?
            .ok_or_else(|| Error::invalid("name", "a category needs a name"))?;
        let colour = match colour.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c)
                if c.len() == 7
                    && c.starts_with('#')
                    && c[1..].chars().all(|h| h.is_ascii_hexdigit()) =>
            {
                Some(c.to_ascii_lowercase())
            }
            Some(c) => {
                return Err(Error::invalid(
                    "colour",
                    format!("a colour is written #rrggbb, got {c:?}"),
                ))
            }
        };
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let id = match id {
                    Some(id) => {
                        let old = store::get_category(&tx, id)?
                            .ok_or(Error::NotFound(Missing::Category(id)))?;
                        let colour = colour.unwrap_or(old.colour);
                        match store::update_category(&tx, id, &name, &colour) {
                            Ok(_) => id,
                            Err(_) => {
                                return Err(Error::invalid(
                                    "name",
                                    format!("there is already a category named {name:?}"),
                                ))
                            }
                        }
                    }
                    None => {
                        let id = store::category_id(&tx, &name)?;
                        if let Some(colour) = &colour {
                            store::update_category(&tx, id, &name, colour)?;
                        }
                        id
                    }
                };
                let cat = store::get_category(&tx, id)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok(cat)
            })
            .await
    }
}
