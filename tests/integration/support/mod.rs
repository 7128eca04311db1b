//! What the tests share: the fixtures, a server to talk to, the programs
//! they run, a webhook receiver, a thermal printer and a picture of its
//! paper, and a browser.

pub mod app;
pub mod escpos_paper;
pub mod receiver;
pub mod testdata;
pub mod thermal;
pub mod tools;
pub mod webdriver;

pub use app::{Api, TestApp};
pub use testdata::*;
pub use tools::*;
