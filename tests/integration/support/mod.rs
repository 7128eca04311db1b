//! What the tests share: the fixtures, a server to talk to, the programs
//! they run, a webhook receiver and a browser.

pub mod app;
pub mod receiver;
pub mod testdata;
pub mod tools;
pub mod webdriver;

pub use app::{Api, TestApp};
pub use testdata::*;
pub use tools::*;
