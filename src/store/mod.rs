//! SQL, and only SQL: the service decides, the store reads and writes rows.
//! One file per area, as in `service`.

mod keys;
mod order_status;
mod orders;
mod payment_evidence;
mod people;
mod print_jobs;
mod products;
mod sales;
mod settings;
mod shifts;
mod static_qris;
mod webhooks;

pub use keys::*;
pub use order_status::{count_open_from, due_for_expiry, totals_by_status};
pub use orders::*;
pub use payment_evidence::*;
pub use people::*;
pub use print_jobs::*;
pub use products::*;
pub use sales::*;
pub use settings::*;
pub use shifts::*;
pub use static_qris::*;
pub use webhooks::*;
