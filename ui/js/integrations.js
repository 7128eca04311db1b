// Pengaturan → Webhook, Widget and Cetak, and the print buttons of Pesanan.
// Like the rest of the UI: every action is one Tauri command; the engine decides.
import { call } from './api.js';
import { language, t } from './i18n.js';
import { el } from './dom.js';
import { dateTime, onlyDigits, typedNumber } from './format.js';
import { confirmTwice, copyButton, errorText as err, pager, say } from './controls.js';
import { printerCard, thermalButton } from './printer.js';

/** A delivery's time, to the second, in the merchant's zone. */
const time = (ms) => (ms ? dateTime(ms, language(), { seconds: true }) : '—');

// ---------- Webhook ----------

function webhookCard(settings) {
  const secretCode = el('code', { id: 'wh-secret' }, 'whsec_••••••••');
  let secret = null;
  let shown = false;
  const showBtn = el('button', { type: 'button', id: 'wh-show' }, t('wh.show'));
  const copyBtn = copyButton(async () => {
    if (!secret) await load();
    return secret;
  });
  const rotateBtn = el('button', { type: 'button', class: 'danger', id: 'wh-rotate' }, t('wh.rotate'));
  const note = el('p', { role: 'status', hidden: '' });
  const render = () => { secretCode.textContent = shown && secret ? secret : 'whsec_••••••••'; showBtn.textContent = t(shown ? 'wh.hide' : 'wh.show'); };
  const load = async () => { secret = (await call('webhook_secret')).secret; render(); };
  showBtn.addEventListener('click', async () => { shown = !shown; if (!secret) await load(); render(); });
  rotateBtn.addEventListener('click', () => confirmTwice(rotateBtn, t('wh.rotate.sure'), async () => {
    try {
      secret = (await call('webhook_secret_rotate')).secret;
      shown = true;
      render();
      say(note, t('wh.rotated'), true);
    } catch (e) { say(note, err(e)); }
  }));

  const priv = el('select', { id: 'wh-private' },
    ...['auto', 'allow', 'block'].map((v) => el('option', { value: v }, t(`wh.private.${v}`))));
  priv.value = settings.webhook_private_receivers || 'auto';
  priv.addEventListener('change', async () => {
    try { await call('settings_update', { patch: { webhook_private_receivers: priv.value } }); } catch (e) { say(note, err(e)); }
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
    el('label', {}, t('wh.private'), ' ', priv),
    el('p', { class: 'muted' }, t('wh.private.why')),
    el('h3', {}, t('wh.test')),
    el('div', { class: 'inline' }, testUrl, ' ', testBtn),
    testOut,
    log.node);
}

function deliveryLog() {
  const per = 20;
  const order = el('input', { type: 'search', id: 'wh-filter-order', placeholder: t('wh.log.order') });
  const tbody = el('tbody');
  const empty = el('p', { class: 'muted', hidden: '' }, t('wh.log.empty'));
  const out = el('p', { role: 'status', hidden: '' });
  const pageLabel = el('span');
  const prev = el('button', { type: 'button' }, t('pager.prev'));
  const next = el('button', { type: 'button' }, t('pager.next'));
  const page = pager(prev, next, pageLabel, reload);
  async function reload() {
    try {
      const r = await call('webhook_deliveries', { order_id: order.value.trim() || null, page: page.page, per_page: per });
      tbody.replaceChildren(...r.deliveries.map(row));
      empty.hidden = r.deliveries.length > 0;
      page.render({ page: page.page, total: r.total, per_page: per });
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
      el('td', {}, el('span', { class: `badge ${d.status === 'delivered' ? 'paid' : d.status === 'failed' ? 'cancelled' : 'pending'}` }, t(`wh.st.${d.status}`))),
      el('td', {}, String(d.attempts)),
      el('td', { title: d.last_error || '' }, lastText),
      el('td', {}, again));
  }
  order.addEventListener('input', () => { page.reset(); reload(); });
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
  const copyBtn = copyButton(() => snippet.value);
  const allow = el('textarea', { id: 'wg-allow', rows: '3', spellcheck: 'false', placeholder: 'https://toko-saya.com' });
  allow.value = (settings.widget_webhook_allowlist || []).join('\n');
  const max = el('input', { id: 'wg-max', inputmode: 'numeric' });
  max.value = settings.widget_max_amount;
  const number = (id, v) => { const i = el('input', { id, inputmode: 'numeric' }); i.value = v; return i; };
  const perMinute = number('wg-per-minute', settings.widget_payments_per_minute);
  const openMax = number('wg-open-max', settings.widget_open_orders_max);
  const confirms = number('wg-confirms', settings.customer_confirmations_per_minute);
  const out = el('p', { role: 'status', hidden: '' });
  const save = el('button', { type: 'button', class: 'primary', id: 'wg-save' }, t('wg.save'));
  save.addEventListener('click', async () => {
    try {
      await call('settings_update', { patch: {
        widget_webhook_allowlist: allow.value.split('\n').map((s) => s.trim()).filter(Boolean),
        widget_max_amount: Number(onlyDigits(max.value)) || 0,
        widget_payments_per_minute: Number(onlyDigits(perMinute.value)) || 0,
        widget_open_orders_max: Number(onlyDigits(openMax.value)) || 0,
        customer_confirmations_per_minute: Number(onlyDigits(confirms.value)) || 0,
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
    el('h3', {}, t('wg.limits')),
    el('p', { class: 'muted' }, t('wg.limits.why')),
    el('label', {}, t('wg.per_minute'), perMinute),
    el('label', {}, t('wg.open_max'), openMax),
    el('label', {}, t('wg.confirms'), confirms),
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
      const r = await call('print_standee', { amount: typedNumber(amount.value), paper: paper.value });
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
  const printer = el('div', { id: 'printer-slot' });
  slot.replaceChildren(webhookCard(settings), widgetCard(settings), printer, printCard());
  printerCard().then((card) => printer.replaceChildren(card));
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
  return el('span', { class: 'receipt-controls' }, paper, ' ', btn, ' ', thermalButton(orderId, out));
}

/** "Laporan Harian" for a day (YYYY-MM-DD; `getDate` may answer a promise). */
export function reportButton(getDate, out) {
  const btn = el('button', { type: 'button', id: 'pr-report' }, t('pr.report'));
  btn.addEventListener('click', async () => {
    try {
      const r = await call('print_report', { date: await getDate() });
      say(out, t('pr.saved', { path: r.path }), true);
    } catch (e) { say(out, err(e)); }
  });
  return btn;
}
