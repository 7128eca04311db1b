//! The catalogue and what a sale made from it carries: products, categories,
//! an order's lines and money, refunds and open bills.

use crate::clock::Millis;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub price: u64,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub category_id: Option<i64>,
    pub category: Option<String>,
    /// Counted only when set.
    pub stock: Option<i64>,
    pub active: bool,
    pub sort_order: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub colour: String,
    pub sort_order: i64,
}

/// How an order is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Qris,
    Cash,
    /// Part cash, the rest by QRIS.
    Split,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Qris => "qris",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Split => "split",
        }
    }
    pub fn parse(s: &str) -> PaymentMethod {
        match s {
            "cash" => PaymentMethod::Cash,
            "split" => PaymentMethod::Split,
            _ => PaymentMethod::Qris,
        }
    }
}

/// A line of an order made from a cart, as it was sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderItem {
    pub line_no: u32,
    pub product_id: Option<i64>,
    pub name: String,
    pub unit_price: u64,
    pub quantity: u32,
    /// The line's own discount.
    pub discount: u64,
    /// What the line cost after every discount and charge (docs/SALES.md).
    pub total: u64,
    pub note: Option<String>,
    pub refunded_quantity: u32,
    pub refunded_amount: u64,
}

/// The money of an order made from a cart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SaleTotals {
    pub subtotal: u64,
    pub discount: u64,
    pub service: u64,
    pub tax: u64,
    pub tax_inclusive: bool,
    /// Cash rounding: zero or negative.
    pub rounding: i64,
    /// What the customer pays, across tenders.
    pub total: u64,
}

/// The cash side of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CashTender {
    pub cash_amount: u64,
    pub cash_tendered: u64,
    pub change_amount: u64,
}

/// The sale an order carries, when it was made from a cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub items: Vec<OrderItem>,
    pub totals: SaleTotals,
    pub cash: CashTender,
}

/// Where refunded money went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundMethod {
    /// Out of the drawer.
    Cash,
    /// Sent back outside Kasir (a transfer to the customer).
    Transfer,
}

impl RefundMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            RefundMethod::Cash => "cash",
            RefundMethod::Transfer => "transfer",
        }
    }
    pub fn parse(s: &str) -> RefundMethod {
        match s {
            "transfer" => RefundMethod::Transfer,
            _ => RefundMethod::Cash,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refund {
    pub id: i64,
    pub order_id: String,
    pub amount: u64,
    pub method: RefundMethod,
    pub reason: String,
    pub actor: String,
    pub created_at: Millis,
}

/// A parked cart ("Meja 3").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenBill {
    pub id: i64,
    pub name: String,
    pub cart: serde_json::Value,
    pub total: u64,
    pub item_count: u32,
    /// Taken back to the till's cart: open until it is paid, parked again or discarded.
    pub taken: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
}
