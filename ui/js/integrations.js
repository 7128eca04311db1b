// Pengaturan → Webhook, Widget and Cetak, and the print buttons of Pesanan.
// Like the rest of the UI: every action is one Tauri command; the engine decides.
import { call } from './api.js';
import { addStrings, language, t } from './i18n.js';
import { el } from './dom.js';

const STR = {
  id: {
    'wh.title': 'Webhook', 'wh.secret': 'Secret penandatangan', 'wh.show': 'Tampilkan', 'wh.hide': 'Sembunyikan',
    'wh.copy': 'Salin', 'wh.copied': 'Tersalin', 'wh.rotate': 'Ganti secret', 'wh.rotate.sure': 'Yakin? Klik lagi',
    'wh.rotated': 'Secret baru aktif. Selama 24 jam secret lama masih ikut menandatangani (header webhook-signature).',
    'wh.private': 'Tolak webhook ke alamat privat/LAN dan loopback',
    'wh.test': 'Uji penerima', 'wh.test.send': 'Kirim ping', 'wh.test.ok': 'Berhasil: HTTP {code} dalam {ms} ms',
    'wh.test.fail': 'Gagal: {why}', 'wh.log': 'Log pengiriman', 'wh.log.order': 'ID pesanan', 'wh.log.empty': 'Belum ada webhook.',
    'wh.col.time': 'Waktu', 'wh.col.event': 'Event', 'wh.col.order': 'Pesanan', 'wh.col.url': 'URL',
    'wh.col.status': 'Status', 'wh.col.tries': 'Percobaan', 'wh.col.last': 'Terakhir', 'wh.redeliver': 'Kirim ulang',
    'st.pending': 'menunggu', 'st.delivered': 'terkirim', 'st.failed': 'gagal',
    'wg.title': 'Widget (widget.js)', 'wg.id': 'Merchant ID', 'wg.snippet': 'Tempel di halaman web Anda',
    'wg.base': 'Alamat di snippet: {url}. Pelanggan harus bisa membukanya (isi URL publik/tunnel untuk internet).',
    'wg.allow': 'Webhook widget yang diizinkan (satu origin atau awalan URL per baris)',
    'wg.max': 'Nominal maksimal per pembayaran widget (Rp)', 'wg.save': 'Simpan widget', 'wg.saved': 'Tersimpan.',
    'pr.title': 'Cetak', 'pr.standee': 'Cetak Standee', 'pr.amount': 'Nominal tetap (kosong = QRIS statis)',
    'pr.paper': 'Kertas', 'pr.saved': 'Disimpan: {path}', 'pr.receipt': 'Cetak Struk', 'pr.report': 'Laporan Harian',
    'prev': '‹ Sebelumnya', 'next': 'Berikutnya ›', 'page': 'Halaman {n}',
  },
  en: {
    'wh.title': 'Webhooks', 'wh.secret': 'Signing secret', 'wh.show': 'Show', 'wh.hide': 'Hide',
    'wh.copy': 'Copy', 'wh.copied': 'Copied', 'wh.rotate': 'Rotate secret', 'wh.rotate.sure': 'Sure? Click again',
    'wh.rotated': 'New secret in use. For 24 hours the old one also signs (webhook-signature header).',
    'wh.private': 'Refuse webhooks to private/LAN and loopback addresses',
    'wh.test': 'Test a receiver', 'wh.test.send': 'Send ping', 'wh.test.ok': 'OK: HTTP {code} in {ms} ms',
    'wh.test.fail': 'Failed: {why}', 'wh.log': 'Delivery log', 'wh.log.order': 'Order ID', 'wh.log.empty': 'No webhooks yet.',
    'wh.col.time': 'Time', 'wh.col.event': 'Event', 'wh.col.order': 'Order', 'wh.col.url': 'URL',
    'wh.col.status': 'Status', 'wh.col.tries': 'Attempts', 'wh.col.last': 'Last', 'wh.redeliver': 'Redeliver',
    'st.pending': 'pending', 'st.delivered': 'delivered', 'st.failed': 'failed',
    'wg.title': 'Widget (widget.js)', 'wg.id': 'Merchant ID', 'wg.snippet': 'Paste into your web page',
    'wg.base': 'Address in the snippet: {url}. Customers must be able to open it (set the public/tunnel URL for the internet).',
    'wg.allow': 'Allowed widget webhooks (one origin or URL prefix per line)',
    'wg.max': 'Largest amount per widget payment (Rp)', 'wg.save': 'Save widget', 'wg.saved': 'Saved.',
    'pr.title': 'Print', 'pr.standee': 'Print standee', 'pr.amount': 'Fixed amount (empty = static QRIS)',
    'pr.paper': 'Paper', 'pr.saved': 'Saved: {path}', 'pr.receipt': 'Print receipt', 'pr.report': 'Daily report',
    'prev': '‹ Previous', 'next': 'Next ›', 'page': 'Page {n}',
  },
};

addStrings(STR);

function say(p, text, ok) {
  p.textContent = text;
  p.className = ok ? 'ok' : 'error';
  p.hidden = !text;
}

const err = (e) => e?.message ?? String(e);

async function copy(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    const ta = el('textarea', {}, text);
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
  const was = btn.textContent;
  btn.textContent = t('wh.copied');
  setTimeout(() => { btn.textContent = was; }, 1200);
}

function time(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(language() === 'en' ? 'en-GB' : 'id-ID', {
    timeZone: 'Asia/Jakarta', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

// ---------- Webhook ----------

function webhookCard(settings) {
  const secretCode = el('code', { id: 'wh-secret' }, 'whsec_••••••••');
  let secret = null;
  let shown = false;
  const showBtn = el('button', { type: 'button', id: 'wh-show' }, t('wh.show'));
  const copyBtn = el('button', { type: 'button' }, t('wh.copy'));
  const rotateBtn = el('button', { type: 'button', class: 'danger', id: 'wh-rotate' }, t('wh.rotate'));
  const note = el('p', { role: 'status', hidden: '' });
  const render = () => { secretCode.textContent = shown && secret ? secret : 'whsec_••••••••'; showBtn.textContent = t(shown ? 'wh.hide' : 'wh.show'); };
  const load = async () => { secret = (await call('webhook_secret')).secret; render(); };
  showBtn.addEventListener('click', async () => { shown = !shown; if (!secret) await load(); render(); });
  copyBtn.addEventListener('click', async () => { if (!secret) await load(); copy(secret, copyBtn); });
  rotateBtn.addEventListener('click', async () => {
    if (!rotateBtn.dataset.armed) {
      rotateBtn.dataset.armed = '1';
      rotateBtn.textContent = t('wh.rotate.sure');
      setTimeout(() => { delete rotateBtn.dataset.armed; rotateBtn.textContent = t('wh.rotate'); }, 4000);
      return;
    }
    delete rotateBtn.dataset.armed;
    rotateBtn.textContent = t('wh.rotate');
    try {
      secret = (await call('webhook_secret_rotate')).secret;
      shown = true;
      render();
      say(note, t('wh.rotated'), true);
    } catch (e) { say(note, err(e)); }
  });

  const priv = el('input', { type: 'checkbox', id: 'wh-private' });
  priv.checked = !!settings.webhook_block_private;
  priv.addEventListener('change', async () => {
    try { await call('settings_update', { patch: { webhook_block_private: priv.checked } }); } catch (e) { say(note, err(e)); }
  });

  const testUrl = el('input', { type: 'url', id: 'wh-test-url', placeholder: 'https://…' });
  testUrl.value = settings.default_webhook_url || '';
  const testOut = el('p', { role: 'status', hidden: '' });
  const testBtn = el('button', { type: 'button', id: 'wh-test' }, t('wh.test.send'));
  testBtn.addEventListener('click', async () => {
    testBtn.disabled = true;
    try {
      const r = await call('webhook_test', { url: testUrl.value });
      if (r.success) say(testOut, t('wh.test.ok', { code: r.status_code, ms: r.duration_ms }), true);
      else say(testOut, t('wh.test.fail', { why: r.error || `HTTP ${r.status_code}` }));
      log.reload();
    } catch (e) { say(testOut, err(e)); } finally { testBtn.disabled = false; }
  });

  const log = deliveryLog();
  return el('div', { class: 'card', id: 'webhooks-card' },
    el('h2', {}, t('wh.title')),
    el('p', {}, el('b', {}, t('wh.secret')), ' ', secretCode, ' ', showBtn, ' ', copyBtn, ' ', rotateBtn),
    note,
    el('label', { class: 'check' }, priv, ' ', t('wh.private')),
    el('h3', {}, t('wh.test')),
    el('div', { class: 'inline' }, testUrl, ' ', testBtn),
    testOut,
    log.node);
}

function deliveryLog() {
  let page = 1;
  const per = 20;
  const order = el('input', { type: 'search', id: 'wh-filter-order', placeholder: t('wh.log.order') });
  const tbody = el('tbody');
  const empty = el('p', { class: 'muted', hidden: '' }, t('wh.log.empty'));
  const out = el('p', { role: 'status', hidden: '' });
  const pageLabel = el('span');
  const prev = el('button', { type: 'button' }, t('prev'));
  const next = el('button', { type: 'button' }, t('next'));
  async function reload() {
    try {
      const r = await call('webhook_deliveries', { order_id: order.value.trim() || null, page, per_page: per });
      tbody.replaceChildren(...r.deliveries.map(row));
      empty.hidden = r.deliveries.length > 0;
      pageLabel.textContent = t('page', { n: page });
      prev.disabled = page <= 1;
      next.disabled = page * per >= r.total;
    } catch (e) { say(out, err(e)); }
  }
  function row(d) {
    const last = d.attempt_log[d.attempt_log.length - 1];
    const lastText = last ? (last.status_code ? `HTTP ${last.status_code}` : last.error) + ` · ${last.duration_ms} ms` : '—';
    const again = el('button', { type: 'button', class: 'redeliver' }, t('wh.redeliver'));
    again.addEventListener('click', async () => {
      again.disabled = true;
      try { await call('webhook_redeliver', { id: d.id }); await reload(); } catch (e) { say(out, err(e)); again.disabled = false; }
    });
    return el('tr', {},
      el('td', {}, time(d.created_at)),
      el('td', {}, el('code', {}, d.event)),
      el('td', {}, d.order_id || '—'),
      el('td', { class: 'url' }, d.url),
      el('td', {}, el('span', { class: `badge ${d.status === 'delivered' ? 'paid' : d.status === 'failed' ? 'cancelled' : 'pending'}` }, t(`st.${d.status}`))),
      el('td', {}, String(d.attempts)),
      el('td', { title: d.last_error || '' }, lastText),
      el('td', {}, again));
  }
  order.addEventListener('input', () => { page = 1; reload(); });
  prev.addEventListener('click', () => { page = Math.max(1, page - 1); reload(); });
  next.addEventListener('click', () => { page += 1; reload(); });
  const node = el('div', { id: 'webhook-log' },
    el('h3', {}, t('wh.log')),
    order,
    el('table', { class: 'table', id: 'webhook-table' },
      el('thead', {}, el('tr', {}, ...['time', 'event', 'order', 'url', 'status', 'tries', 'last'].map((c) => el('th', {}, t(`wh.col.${c}`))), el('th'))),
      tbody),
    empty, out,
    el('div', { class: 'pager' }, prev, ' ', pageLabel, ' ', next));
  reload();
  return { node, reload };
}

// ---------- Widget ----------

function widgetCard(settings) {
  const id = el('code', { id: 'wg-merchant' }, '…');
  const snippet = el('textarea', { id: 'wg-snippet', rows: '4', readonly: '', spellcheck: 'false' });
  const base = el('p', { class: 'muted' });
  const copyBtn = el('button', { type: 'button' }, t('wh.copy'));
  copyBtn.addEventListener('click', () => copy(snippet.value, copyBtn));
  const allow = el('textarea', { id: 'wg-allow', rows: '3', spellcheck: 'false', placeholder: 'https://toko-saya.com' });
  allow.value = (settings.widget_webhook_allowlist || []).join('\n');
  const max = el('input', { id: 'wg-max', inputmode: 'numeric' });
  max.value = settings.widget_max_amount;
  const out = el('p', { role: 'status', hidden: '' });
  const save = el('button', { type: 'button', class: 'primary', id: 'wg-save' }, t('wg.save'));
  save.addEventListener('click', async () => {
    try {
      await call('settings_update', { patch: {
        widget_webhook_allowlist: allow.value.split('\n').map((s) => s.trim()).filter(Boolean),
        widget_max_amount: Number(max.value.replace(/[^0-9]/g, '')) || 0,
      } });
      say(out, t('wg.saved'), true);
    } catch (e) { say(out, err(e)); }
  });
  call('widget_info').then((w) => {
    id.textContent = w.merchant_id;
    snippet.value = w.snippet;
    base.textContent = t('wg.base', { url: w.base_url });
  }).catch((e) => say(out, err(e)));
  return el('div', { class: 'card', id: 'widget-card' },
    el('h2', {}, t('wg.title')),
    el('p', {}, el('b', {}, t('wg.id')), ' ', id),
    el('label', {}, t('wg.snippet'), snippet), copyBtn, base,
    el('label', {}, t('wg.allow'), allow),
    el('label', {}, t('wg.max'), max),
    save, out);
}

// ---------- Printing ----------

function paperSelect(options, id) {
  return el('select', { id }, ...options.map(([v, label]) => el('option', { value: v }, label)));
}

function printCard() {
  const amount = el('input', { id: 'pr-amount', inputmode: 'numeric' });
  const paper = paperSelect([['a6', 'A6'], ['a5', 'A5']], 'pr-standee-paper');
  const out = el('p', { role: 'status', hidden: '' });
  const btn = el('button', { type: 'button', id: 'pr-standee' }, t('pr.standee'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      const digits = amount.value.replace(/[^0-9]/g, '');
      const r = await call('print_standee', { amount: digits ? Number(digits) : null, paper: paper.value });
      say(out, t('pr.saved', { path: r.path }), true);
    } catch (e) { say(out, err(e)); } finally { btn.disabled = false; }
  });
  return el('div', { class: 'card', id: 'print-card' },
    el('h2', {}, t('pr.title')),
    el('label', {}, t('pr.amount'), amount),
    el('label', {}, t('pr.paper'), paper),
    btn, out);
}

/** Pengaturan's Webhook, Widget and Cetak cards, into the slot the settings screen keeps for them. */
export function mountIntegrations(slot, settings) {
  slot.replaceChildren(webhookCard(settings), widgetCard(settings), printCard());
}

/** "Cetak Struk" for a paid order, with its paper choice. */
export function receiptControls(orderId, out) {
  const paper = paperSelect([['58', '58 mm'], ['80', '80 mm'], ['a4', 'A4']], 'pr-receipt-paper');
  const btn = el('button', { type: 'button', id: 'pr-receipt' }, t('pr.receipt'));
  btn.addEventListener('click', async () => {
    try {
      const r = await call('print_receipt', { order_id: orderId, paper: paper.value });
      say(out, t('pr.saved', { path: r.path }), true);
    } catch (e) { say(out, err(e)); }
  });
  return el('span', { class: 'receipt-controls' }, paper, ' ', btn);
}

/** "Laporan Harian" for a day (YYYY-MM-DD). */
export function reportButton(getDate, out) {
  const btn = el('button', { type: 'button', id: 'pr-report' }, t('pr.report'));
  btn.addEventListener('click', async () => {
    try {
      const r = await call('print_report', { date: getDate() });
      say(out, t('pr.saved', { path: r.path }), true);
    } catch (e) { say(out, err(e)); }
  });
  return btn;
}
