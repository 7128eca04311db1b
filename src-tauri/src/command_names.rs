// Included by build.rs too: the app manifest lists exactly the commands the
// handler registers, and capabilities/default.json allows each one.
/// Every command name, for the handler, `build.rs`'s app manifest and the capability.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "settings_update",
    "server_restart",
    "qris_list",
    "qris_import_text",
    "qris_import_image",
    "qris_set_default",
    "qris_delete",
    "order_create",
    "order_get",
    "order_events",
    "order_verify",
    "order_cancel",
    "orders_list",
    "links_create",
    "links_list",
    "link_delete",
    "keys_list",
    "keys_create",
    "key_revoke",
    "key_set_limit",
    "customer_display_open",
    "display_set",
    "display_get",
];
