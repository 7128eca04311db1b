/*! Kasir widget.js: a QRIS payment button for any web page, served by the
 * merchant's own Kasir. <script src=".../widget.js" data-merchant="m_..."></script>
 * Shadow DOM keeps the page's CSS and ours apart. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var base = new URL(script.src, location.href).origin;
  var d = script.dataset;
  if (!d.merchant) {
    console.error("Kasir widget: data-merchant is required");
    return;
  }
  var cfg = {
    merchant: d.merchant,
    amount: parseAmount(d.amount),
    text: d.buttonText || "Bayar dengan QRIS",
    color: /^#[0-9a-f]{3,8}$/i.test(d.buttonColor || "") ? d.buttonColor : "#ff6b35",
    description: d.description || "",
    callback: d.callback || "",
    webhook: d.webhook || ""
  };
  var api = base + "/api/widget/" + encodeURIComponent(cfg.merchant);

  function parseAmount(v) {
    var n = parseInt(String(v || "").replace(/[^0-9]/g, ""), 10);
    return n > 0 ? n : null;
  }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function call(method, url, body) {
    return fetch(url, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (!r.ok || b.success === false) {
          throw new Error(b.message || b.error || "Terjadi kesalahan (" + r.status + ")");
        }
        return b;
      });
    });
  }

  var CSS =
    ":host{all:initial}" +
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
    ".pay{background:var(--c);color:#fff;border:0;border-radius:10px;padding:12px 20px;font-size:16px;font-weight:600;cursor:pointer;line-height:1.2}" +
    ".pay:hover{filter:brightness(1.08)}.pay:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #2563eb;outline-offset:2px}" +
    ".ov{position:fixed;inset:0;background:rgba(17,24,39,.6);display:flex;align-items:center;justify-content:center;z-index:2147483647;padding:16px}" +
    ".dlg{background:#fff;color:#111827;border-radius:16px;width:100%;max-width:380px;max-height:100%;overflow:auto;padding:20px;text-align:center;box-shadow:0 20px 50px rgba(0,0,0,.3);position:relative}" +
    "h2{font-size:18px;margin:0 32px 4px;font-weight:700}" +
    ".sub{color:#4b5563;font-size:14px;margin:0 0 12px}" +
    ".x{position:absolute;top:10px;right:10px;background:none;border:0;font-size:24px;line-height:1;cursor:pointer;color:#6b7280;padding:4px 8px;border-radius:6px}" +
    ".qr{width:100%;max-width:280px;aspect-ratio:1;image-rendering:pixelated;display:block;margin:8px auto;border:1px solid #e5e7eb;border-radius:8px}" +
    ".total{font-size:28px;font-weight:800;margin:4px 0}" +
    ".muted{color:#6b7280;font-size:13px;margin:4px 0}" +
    ".act{display:block;width:100%;margin-top:12px;padding:14px;border:0;border-radius:10px;font-size:16px;font-weight:700;cursor:pointer;background:var(--c);color:#fff}" +
    ".act[disabled]{opacity:.6;cursor:default}" +
    "label{display:block;text-align:left;font-size:14px;font-weight:600;margin:8px 0 4px}" +
    "input{width:100%;font-size:22px;padding:10px 12px;border:2px solid #d1d5db;border-radius:10px;text-align:right}" +
    ".err{color:#b91c1c;font-size:14px;min-height:1em;margin:8px 0 0}" +
    ".ok{font-size:44px;color:#16a34a;margin:8px 0}" +
    ".st{font-size:16px;font-weight:600;margin:8px 0}" +
    ".paid{color:#15803d}.wait{color:#b45309}";

  // the button, where the script tag is
  var host = el("span", { "data-kasir-widget": "" });
  script.parentNode.insertBefore(host, script.nextSibling);
  var root = host.attachShadow({ mode: "open" });
  var btn = el("button", { type: "button", class: "pay", part: "button", text: cfg.text, onclick: open });
  btn.style.setProperty("--c", cfg.color);
  root.appendChild(el("style", { text: CSS }));
  root.appendChild(btn);

  var modal = null;

  function open() {
    if (modal) return;
    var mhost = el("div", { "data-kasir-widget-modal": "" });
    document.body.appendChild(mhost);
    var mroot = mhost.attachShadow({ mode: "open" });
    var body = el("div", { class: "body", "aria-live": "polite" });
    var title = el("h2", { id: "t", text: "Bayar dengan QRIS" });
    var dlg = el("div", { class: "dlg", role: "dialog", "aria-modal": "true", "aria-labelledby": "t" }, [
      el("button", { type: "button", class: "x", "aria-label": "Tutup", text: "\u00d7", onclick: close }),
      title,
      body
    ]);
    dlg.style.setProperty("--c", cfg.color);
    var ov = el("div", { class: "ov", onclick: function (e) { if (e.target === ov) close(); } }, [dlg]);
    mroot.appendChild(el("style", { text: CSS }));
    mroot.appendChild(ov);
    modal = { host: mhost, root: mroot, body: body, title: title, timers: [], payment: null };
    document.addEventListener("keydown", onKey, true);
    if (cfg.amount) create(cfg.amount);
    else askAmount();
  }

  function close() {
    if (!modal) return;
    modal.timers.forEach(clearInterval);
    document.removeEventListener("keydown", onKey, true);
    modal.host.remove();
    modal = null;
    btn.focus();
  }

  function onKey(e) {
    if (!modal) return;
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "Tab") {
      // keep focus inside the dialog
      var f = modal.root.querySelectorAll("button:not([disabled]),input");
      if (!f.length) return;
      var first = f[0], last = f[f.length - 1], a = modal.root.activeElement;
      if (e.shiftKey && (a === first || !a)) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && (a === last || !a)) { e.preventDefault(); first.focus(); }
    }
  }

  function show(nodes, focus) {
    var b = modal.body;
    b.textContent = "";
    nodes.forEach(function (n) { if (n) b.appendChild(n); });
    var f = focus || modal.root.querySelector(".act") || modal.root.querySelector(".x");
    if (f) f.focus();
  }

  function fail(err) {
    if (!modal) return;
    show([
      el("p", { class: "err", role: "alert", text: err.message || String(err) }),
      el("button", { type: "button", class: "act", text: "Coba lagi", onclick: function () { cfg.amount ? create(cfg.amount) : askAmount(); } })
    ]);
  }

  function askAmount() {
    var input = el("input", { id: "amt", inputmode: "numeric", autocomplete: "off", "aria-describedby": "amt-err", placeholder: "0" });
    var err = el("p", { id: "amt-err", class: "err", role: "alert" });
    var max = null, maxText = "";
    input.addEventListener("input", function () {
      var n = parseAmount(input.value);
      input.value = n ? new Intl.NumberFormat("id-ID").format(n) : "";
      err.textContent = "";
    });
    function submit(e) {
      e.preventDefault();
      var n = parseAmount(input.value);
      if (!n) { err.textContent = "Masukkan nominal pembayaran."; input.focus(); return; }
      if (max && n > max) { err.textContent = "Nominal maksimal " + maxText + "."; input.focus(); return; }
      create(n);
    }
    var form = el("form", { onsubmit: submit }, [
      el("label", { for: "amt", text: "Nominal (Rp)" }),
      input,
      err,
      el("button", { type: "submit", class: "act", text: "Lanjut" })
    ]);
    show([form], input);
    call("GET", api).then(function (m) {
      max = m.max_amount;
      maxText = m.max_amount_text;
      if (modal) modal.title.textContent = "Bayar ke " + m.merchant_name;
    }).catch(function (e) { err.textContent = e.message; });
  }

  function create(amount) {
    show([el("p", { class: "muted", text: "Membuat QRIS\u2026" })]);
    var req = { amount: amount };
    if (cfg.description) req.description = cfg.description;
    if (cfg.callback) req.callback_url = cfg.callback;
    if (cfg.webhook) req.webhook_url = cfg.webhook;
    call("POST", api + "/payments", req).then(function (b) {
      if (!modal) return;
      if (b.warning) console.warn("Kasir widget: " + b.warning);
      modal.payment = b.payment;
      showQr();
      follow();
    }).catch(fail);
  }

  function showQr() {
    var p = modal.payment;
    modal.title.textContent = p.merchant_name;
    var left = el("p", { class: "muted", "aria-live": "off" });
    var pay = el("button", { type: "button", class: "act", text: "Sudah Bayar", onclick: confirmPaid });
    show([
      p.description ? el("p", { class: "sub", text: p.description }) : null,
      el("img", { class: "qr", src: p.qr_image, alt: "Kode QRIS untuk membayar " + p.total_text }),
      el("p", { class: "total", text: p.total_text }),
      el("p", { class: "muted", text: "Pindai dengan aplikasi bank atau e-wallet apa pun." }),
      left,
      el("p", { class: "err", role: "alert" }),
      pay
    ], pay);
    var end = Date.parse(p.expires_at);
    function tick() {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), ss = s % 60;
      left.textContent = "Berlaku " + (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(ss).padStart(2, "0");
      // at zero the till says whether it expired (follow() asks every 3 s)
    }
    tick();
    modal.timers.push(setInterval(tick, 1000));
  }

  function confirmPaid(e) {
    var b = e.currentTarget, p = modal.payment;
    b.disabled = true;
    b.textContent = "Mengirim\u2026";
    call("POST", base + "/api/pay/" + encodeURIComponent(p.link_code) + "/confirm", {}).then(function (r) {
      if (cfg.callback) {
        var u;
        try { u = new URL(cfg.callback, location.href); } catch (_) { u = null; }
        if (u && (u.protocol === "https:" || u.protocol === "http:")) {
          u.searchParams.set("order_id", p.order_id);
          u.searchParams.set("amount", String(p.amount));
          u.searchParams.set("status", r.status);
          location.assign(u.href);
          return;
        }
      }
      state(r.status);
    }).catch(function (err) {
      b.disabled = false;
      b.textContent = "Sudah Bayar";
      var m = modal && modal.root.querySelector(".err");
      if (m) m.textContent = err.message;
    });
  }

  // follow the order: the merchant verifies in the till or by API
  function follow() {
    var p = modal.payment, m = modal;
    var t = setInterval(function () {
      if (modal !== m) return clearInterval(t);
      call("GET", api + "/payments/" + encodeURIComponent(p.link_code)).then(function (b) {
        if (modal !== m) return;
        var s = b.payment.status;
        if (s !== "pending" && s !== (m.shown || "pending")) state(s);
      }).catch(function () {});
    }, 3000);
    m.timers.push(t);
  }

  function state(s) {
    if (!modal) return;
    var p = modal.payment;
    modal.shown = s;
    if (s === "paid") {
      modal.timers.forEach(clearInterval);
      show([
        el("p", { class: "ok", "aria-hidden": "true", text: "\u2714" }),
        el("p", { class: "st paid", text: "Lunas" }),
        el("p", { class: "muted", text: p.total_text + " \u00b7 " + p.order_id }),
        el("button", { type: "button", class: "act", text: "Tutup", onclick: close })
      ]);
    } else if (s === "awaiting_confirmation") {
      show([
        el("p", { class: "st wait", text: "Terima kasih! Menunggu verifikasi penjual\u2026" }),
        el("p", { class: "muted", text: p.total_text + " \u00b7 " + p.order_id }),
        el("button", { type: "button", class: "act", text: "Tutup", onclick: close })
      ]);
    } else {
      modal.timers.forEach(clearInterval);
      show([
        el("p", { class: "st", text: s === "expired" ? "QRIS sudah kedaluwarsa." : "Pembayaran dibatalkan." }),
        el("button", { type: "button", class: "act", text: "Tutup", onclick: close })
      ]);
    }
  }
})();
