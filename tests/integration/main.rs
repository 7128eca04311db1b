//! Kasir's integration tests, in one binary.
//!
//! One binary, not one per file: `kasir` and the helpers are compiled and
//! linked once instead of eight times, and the compiler sees every use of a
//! helper, so one nobody calls is a warning rather than hidden under
//! `#![allow(dead_code)]`. The `tests/integration/main.rs` form needs no
//! `[[test]]` entry in Cargo.toml, and a file someone adds straight under
//! `tests/` still runs (as its own binary) instead of being silently skipped,
//! as it would be with `autotests = false`.

mod answer_shape;
mod api;
mod auto_confirm;
mod cli;
mod merchant_limits;
mod openapi;
mod orders;
mod orders_killed;
mod pay_page_browser;
mod pay_page_preview;
mod payment_links;
mod pdf;
mod people;
mod printer;
mod printer_paper;
mod qr_image;
mod qr_photos;
mod sales;
mod statements;
mod support;
mod urls;
mod webhooks;
mod widget;
mod widget_browser;
