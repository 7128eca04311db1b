//! The payment page `/p/{link_code}`, rendered on the server: the merchant,
//! the amount, the description, the QR and the status are in the HTML itself,
//! with OpenGraph and Twitter card tags, so a link shared on WhatsApp previews
//! as "Bayar Rp 75.000 ke BASO JONO" and a phone without JavaScript can still
//! scan and press "Sudah Bayar" (a plain form POST). With JavaScript the
//! page's script takes over and stays live, as before.

use crate::model::{Order, OrderStatus};
use crate::pdf::rupiah;

/// `&`, `<`, `>`, `"` and `'` as entities: everything here goes into text or
/// a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's words for a status (the script's TEXT, the same words).
fn status_text(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Pending => "Menunggu pembayaran",
        OrderStatus::AwaitingConfirmation => "Menunggu verifikasi penjual",
        OrderStatus::Paid => "Lunas",
        OrderStatus::Expired => "Link kedaluwarsa",
        OrderStatus::Cancelled => "Pembayaran dibatalkan",
    }
}

/// Replace the first `from` in `page`; the template is ours, so a marker
/// that is missing is a bug the tests catch.
fn put(page: &mut String, from: &str, to: &str) {
    debug_assert!(page.contains(from), "the payment page lacks {from:?}");
    if let Some(i) = page.find(from) {
        page.replace_range(i..i + from.len(), to);
    }
}

/// The page of `o`, its absolute base (`https://shop.example`) for the
/// preview's image.
pub fn render(template: &str, o: &Order, base: &str) -> String {
    let mut p = template.to_string();
    let code = escape(&o.link_code);
    let merchant = escape(&o.merchant_name);
    let total = rupiah(o.total_amount);
    let title = format!("Bayar {total} ke {}", o.merchant_name);
    let description = o
        .description
        .clone()
        .unwrap_or_else(|| format!("Pembayaran QRIS {}", o.order_id));
    let open = o.status.is_open();
    let image = format!("{}/p/{code}/qr.png", escape(base.trim_end_matches('/')));
    let mut head = format!(
        "<title>{t}</title>\n<meta property=\"og:type\" content=\"website\">\n<meta property=\"og:title\" content=\"{t}\">\n<meta property=\"og:description\" content=\"{d}\">\n<meta name=\"twitter:title\" content=\"{t}\">\n<meta name=\"twitter:description\" content=\"{d}\">\n",
        t = escape(&title),
        d = escape(&description),
    );
    if open {
        head.push_str(&format!(
            "<meta property=\"og:image\" content=\"{image}\">\n<meta property=\"og:image:alt\" content=\"Kode QRIS\">\n<meta name=\"twitter:card\" content=\"summary\">\n<meta name=\"twitter:image\" content=\"{image}\">\n"
        ));
    }
    put(&mut p, "<title>Pembayaran QRIS</title>\n", &head);
    let state = o.status.as_str();
    put(
        &mut p,
        "<body data-state=\"loading\">",
        &format!("<body data-state=\"{state}\">"),
    );
    put(
        &mut p,
        "<div id=\"state\" data-state=\"loading\">",
        &format!("<div id=\"state\" data-state=\"{state}\">"),
    );
    let fee = o.fee.is_some() && o.total_amount > o.amount;
    put(
        &mut p,
        "<div id=\"summary\" class=\"plain\" hidden>",
        &format!(
            "<div id=\"summary\" class=\"{}\">",
            if fee { "fee" } else { "plain" }
        ),
    );
    put(
        &mut p,
        "<h1 id=\"merchant-name\"></h1>",
        &format!("<h1 id=\"merchant-name\">{merchant}</h1>"),
    );
    put(
        &mut p,
        "<p class=\"muted\" id=\"merchant-city\"></p>",
        &format!(
            "<p class=\"muted\" id=\"merchant-city\">{}</p>",
            escape(&o.merchant_city)
        ),
    );
    put(
        &mut p,
        "<dd id=\"amount\"></dd>",
        &format!("<dd id=\"amount\">{}</dd>", rupiah(o.amount)),
    );
    if fee {
        put(
            &mut p,
            "<dd id=\"fee\"></dd>",
            &format!("<dd id=\"fee\">{}</dd>", rupiah(o.fee_amount)),
        );
    }
    put(
        &mut p,
        "<dd id=\"total\"></dd>",
        &format!("<dd id=\"total\">{total}</dd>"),
    );
    if let Some(d) = &o.description {
        put(
            &mut p,
            "<p class=\"muted\" id=\"description\"></p>",
            &format!("<p class=\"muted\" id=\"description\">{}</p>", escape(d)),
        );
    }
    put(
        &mut p,
        "<p id=\"status\" role=\"status\" aria-live=\"polite\">Memuat pembayaran…</p>",
        &format!(
            "<p id=\"status\" role=\"status\" aria-live=\"polite\">{}</p>",
            status_text(o.status)
        ),
    );
    if open {
        put(
            &mut p,
            "<figure id=\"qr-box\" hidden>",
            "<figure id=\"qr-box\">",
        );
        put(
            &mut p,
            "<img id=\"qr\" width=\"320\" height=\"320\" alt=\"Kode QRIS\">",
            &format!("<img id=\"qr\" width=\"320\" height=\"320\" alt=\"Kode QRIS pembayaran {total} ke {merchant}\" src=\"/p/{code}/qr.png\">"),
        );
    }
    // without JavaScript: a plain form, the till answers with this page again
    let noscript = if o.status == OrderStatus::Pending {
        format!("<noscript><form method=\"post\" action=\"/p/{code}/confirm\"><button class=\"btn\" id=\"confirm-plain\" type=\"submit\">Sudah Bayar</button></form></noscript>")
    } else {
        String::new()
    };
    put(
        &mut p,
        "<noscript><p>Aktifkan JavaScript untuk menampilkan kode QR pembayaran.</p></noscript>",
        &noscript,
    );
    put(
        &mut p,
        "<p class=\"muted\" id=\"order\"></p>",
        &format!(
            "<p class=\"muted\" id=\"order\">No. pesanan {}</p>",
            escape(&o.order_id)
        ),
    );
    p
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_a_description_is_only_text() {
        assert_eq!(
            escape("\"><img src=x onerror=alert(1)> & 'x'"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;x&#39;"
        );
    }
}
