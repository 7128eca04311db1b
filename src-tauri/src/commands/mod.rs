//! The till's commands, one module per area of the UI. Each translates its
//! arguments, calls the engine ([`kasir::Kasir`]) and returns a typed shape,
//! so a change of what the UI receives is a change of a struct here; errors
//! reach the UI as `{code, message}`. The cashier acts as `dashboard`,
//! exactly as the reference reports it.

mod display;
mod error;
mod keys;
mod links;
mod orders;
mod payments;
mod people;
mod printer;
mod printing;
mod qris;
mod sales;
mod shifts;
mod till;
mod webhooks;
mod widget;

pub use crate::command_names::COMMANDS;
pub use error::CmdError;

use crate::Till;
use tauri::{Runtime, State};

type CmdResult<T> = Result<T, CmdError>;
type TillState<'a> = State<'a, Till>;

pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        sales::products_list,
        sales::product_by_barcode,
        sales::product_save,
        sales::products_reorder,
        sales::categories_list,
        sales::category_save,
        sales::cart_price,
        sales::checkout,
        sales::bills_list,
        sales::bill_park,
        sales::bill_take,
        sales::bill_discard,
        sales::order_refund,
        sales::report_daily,
        till::app_info,
        till::settings_update,
        till::server_restart,
        qris::qris_list,
        qris::qris_import_text,
        qris::qris_import_image,
        qris::qris_set_default,
        qris::qris_delete,
        orders::order_create,
        orders::order_get,
        orders::order_events,
        orders::order_verify,
        orders::order_cancel,
        orders::orders_list,
        links::links_create,
        links::links_list,
        links::link_delete,
        keys::keys_list,
        keys::keys_create,
        keys::key_revoke,
        keys::key_set_limit,
        display::customer_display_open,
        display::display_set,
        display::display_get,
        webhooks::webhook_secret,
        webhooks::webhook_secret_rotate,
        webhooks::webhook_deliveries,
        webhooks::webhook_redeliver,
        webhooks::webhook_test,
        widget::widget_info,
        printing::print_receipt,
        printing::print_standee,
        printing::print_report,
        printer::printer_get,
        printer::printer_set,
        printer::printer_test,
        printer::printer_print,
        printer::printer_print_report,
        printer::print_jobs,
        printer::print_job_retry,
        payments::phone_key_create,
        payments::evidence_list,
        payments::evidence_candidates,
        payments::evidence_attach,
        payments::evidence_dismiss,
        payments::statement_import,
        people::people_list,
        people::owner_setup,
        people::unlock,
        people::lock,
        people::session_get,
        people::session_touch,
        people::owner_approve,
        people::users_list,
        people::user_save,
        shifts::cash_count,
        shifts::shift_current,
        shifts::shift_open,
        shifts::shift_close,
        shifts::shifts_list,
        shifts::shift_get,
        shifts::shift_report_save,
        shifts::shift_print,
        display::display_order,
    ]
}

/// The page the UI asked for: 20 rows by default, 100 at most, pages from 1.
struct Paging {
    page: u32,
    per_page: u32,
}

impl Paging {
    fn new(page: Option<u32>, per_page: Option<u32>) -> Paging {
        Paging {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(20).clamp(1, 100),
        }
    }

    fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

/// A link the customer can open: the public base URL when set (the engine's
/// link is absolute then), else this server's LAN or local address.
fn absolute(url: String, base: Option<&str>) -> String {
    match base {
        Some(b) if url.starts_with('/') => format!("{b}{url}"),
        _ => url,
    }
}
