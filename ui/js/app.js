// The cashier UI. Every action calls one Tauri command; the engine decides
// everything (validation, statuses, totals). This file only shows and asks.
import { call, listen } from './api.js';
import { rupiah, digits, onlyDigits, dateTime, todayJakarta, countdown } from './format.js';
import { t, setLanguage, language } from './i18n.js';
import { beep } from './sound.js';
import { el } from './dom.js';
import { mountIntegrations, receiptControls, reportButton } from './integrations.js';

const $ = (id) => document.getElementById(id);
const SCREENS = ['setup', 'kasir', 'qr', 'orders', 'links', 'settings', 'customer'];
const NAV = { F1: 'kasir', F2: 'orders', F3: 'links', F4: 'settings' };

const state = {
  settings: null,
  server: null,
  info: null,
  screen: null,
  current: null, // the order on the QR screen
  skew: 0, // engine clock minus this page's clock
  ordersPage: 1,
  linksPage: 1,
  pendingOpen: null, // an order a customer says is paid, opened when the till is focused
  dialogOrder: null,
  keyAt: null, // performance.now() of the Enter that asked for a QR
};

// numbers the benchmark and the end-to-end test read
window.kasirMetrics = { readyEpochMs: null, keyToQrMs: [] };

// ---------- helpers ----------

/** The engine's sentence, or ours in the cashier's language for the codes
 * (and bad fields) a cashier meets. */
function showError(el, err) {
  let local = null;
  if (language() === 'id') {
    for (const key of [`error.${err?.code}.${err?.field}`, `error.${err?.code}`]) {
      if (t(key) !== key) { local = t(key); break; }
    }
  }
  el.textContent = local ?? err?.message ?? String(err);
  el.hidden = false;
}

function badge(status) {
  return el('span', { class: `badge ${status}` }, t(`status.${status}`));
}

/** A destructive button asks once more on its own face instead of a dialog. */
function confirmClick(btn, question, action) {
  if (btn.dataset.armed) {
    delete btn.dataset.armed;
    return action();
  }
  const label = btn.textContent;
  btn.dataset.armed = '1';
  btn.textContent = question;
  setTimeout(() => {
    if (btn.dataset.armed) {
      delete btn.dataset.armed;
      btn.textContent = label;
    }
  }, 4000);
}

async function copy(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = el('textarea', {}, text);
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
  if (btn) {
    const label = btn.textContent;
    btn.textContent = t('copied');
    setTimeout(() => (btn.textContent = label), 1500);
  }
}

// ---------- screens ----------

function show(screen) {
  // the customer window shows the QR screen's order only while it is up
  if (state.screen === 'qr' && screen !== 'qr') call('display_set', { order_id: null }).catch(() => {});
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== screen;
  for (const b of document.querySelectorAll('.tabs button')) {
    const on = b.dataset.screen === screen || (screen === 'qr' && b.dataset.screen === 'kasir');
    if (on) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  state.screen = screen;
  if (screen === 'kasir') $('amount').focus();
  if (screen === 'orders') loadOrders();
  if (screen === 'links') loadLinks();
  if (screen === 'settings') loadSettings();
  if (screen === 'setup') $('qris-text').focus();
}

// ---------- server status ----------

function renderServer() {
  const s = state.server;
  const pill = $('server-pill');
  const warn = $('server-warning');
  if (s?.listening) {
    pill.className = 'pill';
    pill.textContent = s.lan_url ? t('server.lan', { url: s.lan_url }) : t('server.local', { url: s.local_url });
    warn.hidden = true;
  } else {
    pill.className = 'pill bad';
    pill.textContent = t('server.down');
    const port = (s?.bind || '').split(':').pop();
    warn.textContent = s?.error_code === 'port_taken'
      ? t('server.port_taken', { port })
      : t('server.failed', { error: s?.error || '?' });
    warn.hidden = false;
  }
}

// ---------- first run: import the static QRIS ----------

function renderImported(r) {
  const q = r.qris;
  const dl = $('setup-summary');
  dl.replaceChildren();
  for (const [k, v] of [
    ['field.merchant', q.merchant_name],
    ['field.city', q.merchant_city],
    ['field.nmid', q.nmid || '—'],
    ['field.acquirer', q.acquirer || '—'],
  ]) dl.append(el('dt', {}, t(k)), el('dd', { id: `setup-${k.split('.')[1]}` }, v));
  const ul = $('setup-warnings');
  ul.replaceChildren(...(r.warnings || []).map((w) => el('li', {}, w.message ?? JSON.stringify(w))));
  $('setup-result').hidden = false;
  $('setup-error').hidden = true;
  if (state.info) state.info.has_qris = true;
  $('setup-done').focus();
}

async function importText() {
  $('setup-error').hidden = true;
  try {
    renderImported(await call('qris_import_text', { payload: $('qris-text').value.trim() }));
  } catch (e) {
    showError($('setup-error'), e);
  }
}

async function importImage(file) {
  if (!file) return;
  $('setup-error').hidden = true;
  $('setup-result').hidden = true;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    renderImported(await call('qris_import_image', bytes));
  } catch (e) {
    showError($('setup-error'), e);
  }
}

function wireSetup() {
  $('qris-import').addEventListener('click', importText);
  $('qris-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      importText();
    }
  });
  $('qris-file').addEventListener('change', (e) => importImage(e.target.files[0]));
  const dz = $('dropzone');
  dz.addEventListener('dragover', (e) => {
    e.preventDefault();
    dz.classList.add('over');
  });
  dz.addEventListener('dragleave', () => dz.classList.remove('over'));
  dz.addEventListener('drop', (e) => {
    e.preventDefault();
    dz.classList.remove('over');
    importImage(e.dataTransfer.files[0]);
  });
  dz.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') $('qris-file').click();
  });
  $('setup-done').addEventListener('click', () => {
    $('setup-result').hidden = true;
    $('qris-text').value = '';
    show('kasir');
  });
  $('setup-again').addEventListener('click', () => {
    $('setup-result').hidden = true;
    $('qris-text').value = '';
    $('qris-text').focus();
  });
}

// ---------- Kasir: the amount ----------

function setAmount(raw) {
  const d = onlyDigits(raw).slice(0, 13);
  $('amount').value = d ? digits(d) : '';
}

function amountValue() {
  const d = onlyDigits($('amount').value);
  return d ? Number(d) : null;
}

async function makeQr() {
  const err = $('kasir-error');
  err.hidden = true;
  state.keyAt ??= performance.now();
  const feeType = $('fee-type').value;
  try {
    const order = await call('order_create', {
      amount: amountValue(),
      fee_type: feeType || null,
      fee_value: feeType ? $('fee-value').value.trim().replace(',', '.') : null,
      description: $('note').value.trim() || null,
    });
    await openQr(order);
  } catch (e) {
    state.keyAt = null;
    showError(err, e);
    $('amount').focus();
  }
}

function wireKasir() {
  const amount = $('amount');
  amount.addEventListener('input', () => setAmount(amount.value));
  amount.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      setAmount('');
      e.stopPropagation();
    }
  });
  $('sale-form').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') state.keyAt = performance.now();
  });
  $('sale-form').addEventListener('submit', (e) => {
    e.preventDefault();
    makeQr();
  });
  $('fee-type').addEventListener('change', () => {
    const on = !!$('fee-type').value;
    $('fee-value').disabled = !on;
    if (!on) $('fee-value').value = '';
    else $('fee-value').focus();
  });
  for (const b of document.querySelectorAll('.keypad button')) {
    b.addEventListener('click', () => {
      const k = b.dataset.key;
      const cur = onlyDigits(amount.value);
      if (k === 'back') setAmount(cur.slice(0, -1));
      else if (k === 'clear') setAmount('');
      else setAmount(cur + k);
      amount.focus();
    });
  }
}

// ---------- the QR screen ----------

let countdownTimer = null;

async function openQr(order) {
  if (!order.qr_image) order = await call('order_get', { order_id: order.order_id, with_qr: true });
  state.current = order;
  state.skew = order.now_ms - Date.now();
  call('display_set', { order_id: order.order_id }).catch(() => {});
  const img = $('qr-img');
  img.src = order.qr_image;
  renderQr();
  show('qr');
  try {
    await img.decode();
  } catch {
    /* shown anyway */
  }
  if (state.keyAt != null) {
    const started = state.keyAt;
    state.keyAt = null;
    requestAnimationFrame(() => window.kasirMetrics.keyToQrMs.push(performance.now() - started));
  }
}

function renderQr() {
  const o = state.current;
  if (!o) return;
  $('qr-merchant').textContent = o.merchant_name;
  $('qr-total').textContent = rupiah(o.total_amount);
  $('qr-breakdown').textContent = o.fee_amount ? t('qr.breakdown', { amount: rupiah(o.amount), fee: rupiah(o.fee_amount) }) : (o.description || '');
  $('qr-order').textContent = t('qr.order', { order: o.order_id });
  $('qr-link').textContent = o.url;
  $('qr-link').dataset.linkCode = o.link_code;
  const st = $('qr-status');
  st.dataset.status = o.status;
  st.textContent = t(`qr.status.${o.status}`);
  const open = o.status === 'pending' || o.status === 'awaiting_confirmation';
  $('btn-verify').disabled = !open;
  $('btn-cancel').disabled = !open;
  $('qr-img').hidden = !open && o.status !== 'paid';
  $('qr-error').hidden = true;
  clearInterval(countdownTimer);
  const tick = () => {
    const left = o.expires_ms - (Date.now() + state.skew);
    $('qr-countdown').textContent = open ? countdown(left) : '—';
  };
  tick();
  if (open) countdownTimer = setInterval(tick, 1000);
  if (o.status === 'paid') $('btn-new').focus();
  else if (o.status === 'awaiting_confirmation') $('btn-verify').focus();
}

async function refreshCurrent() {
  if (!state.current) return;
  try {
    const o = await call('order_get', { order_id: state.current.order_id });
    state.current = { ...o, qr_image: state.current.qr_image };
    renderQr();
  } catch (e) {
    showError($('qr-error'), e);
  }
}

async function verifyCurrent() {
  if (!state.current || $('btn-verify').disabled) return;
  try {
    const o = await call('order_verify', { order_id: state.current.order_id });
    state.current = { ...o, qr_image: state.current.qr_image };
    if (state.pendingOpen === o.order_id) clearBanner();
    renderQr();
  } catch (e) {
    showError($('qr-error'), e);
    refreshCurrent();
  }
}

async function cancelCurrent() {
  if (!state.current || $('btn-cancel').disabled) return;
  try {
    const o = await call('order_cancel', { order_id: state.current.order_id });
    state.current = { ...o, qr_image: state.current.qr_image };
    renderQr();
  } catch (e) {
    showError($('qr-error'), e);
    refreshCurrent();
  }
}

function newSale() {
  clearInterval(countdownTimer);
  state.current = null;
  setAmount('');
  $('note').value = '';
  $('kasir-error').hidden = true;
  show('kasir');
}

function wireQr() {
  $('btn-verify').addEventListener('click', verifyCurrent);
  $('btn-cancel').addEventListener('click', (e) => confirmClick(e.currentTarget, t('qr.confirmcancel'), cancelCurrent));
  $('btn-new').addEventListener('click', newSale);
  $('btn-back').addEventListener('click', () => show('kasir'));
  $('btn-customer').addEventListener('click', () => call('customer_display_open').catch((e) => showError($('qr-error'), e)));
}

// ---------- the customer-facing window ----------

async function startCustomer() {
  document.body.classList.add('customer-view');
  let shown = null;
  const render = async (id) => {
    shown = id;
    const idle = !id;
    $('c-idle').hidden = !idle;
    for (const x of ['c-qr', 'c-total', 'c-status', 'c-merchant']) $(x).hidden = idle;
    if (idle) return;
    const o = await call('order_get', { order_id: id, with_qr: true });
    if (shown !== id) return;
    $('c-merchant').textContent = o.merchant_name;
    $('c-qr').src = o.qr_image;
    $('c-qr').hidden = !(o.status === 'pending' || o.status === 'awaiting_confirmation');
    $('c-total').textContent = rupiah(o.total_amount);
    $('c-status').dataset.status = o.status;
    $('c-status').textContent = t(`qr.status.${o.status}`);
  };
  const info = await call('app_info');
  setLanguage(info.settings.language);
  await listen('display', (id) => render(id).catch(console.error));
  await listen('order-event', (ev) => ev.order_id === shown && render(shown).catch(console.error));
  show('customer');
  await render(await call('display_get'));
  document.body.dataset.ready = '1';
}

// ---------- events from the engine ----------

function clearBanner() {
  $('banner').hidden = true;
  state.pendingOpen = null;
}

async function openOrder(orderId) {
  try {
    const o = await call('order_get', { order_id: orderId, with_qr: true });
    $('order-dialog').open && $('order-dialog').close();
    await openQr(o);
  } catch (e) {
    console.error(e);
  }
}

function onOrderEvent(ev) {
  if (state.current && ev.order_id === state.current.order_id) refreshCurrent();
  if (state.screen === 'orders') loadOrders();
  if (state.screen === 'links') loadLinks();
  if (state.dialogOrder === ev.order_id) openDetail(ev.order_id);
  if (ev.event === 'payment.awaiting_confirmation') {
    $('banner-text').textContent = t('banner.text', { amount: rupiah(ev.total_amount), order: ev.order_id });
    $('banner').hidden = false;
    state.pendingOpen = ev.order_id;
    if (state.settings?.sound) beep();
    if (document.hasFocus() && state.current?.order_id === ev.order_id) return;
    if (document.hasFocus() && state.screen === 'kasir' && !onlyDigits($('amount').value)) openOrder(ev.order_id);
  }
  if (ev.event === 'payment.confirmed' && state.pendingOpen === ev.order_id) clearBanner();
}

function wireBanner() {
  $('banner-open').addEventListener('click', () => state.pendingOpen && openOrder(state.pendingOpen));
  $('banner-close').addEventListener('click', clearBanner);
  // a notification said a customer paid: the order opens when the till is focused
  window.addEventListener('focus', () => {
    if (state.pendingOpen && state.current?.order_id !== state.pendingOpen) openOrder(state.pendingOpen);
  });
}

// ---------- Pesanan ----------

let ordersSeq = 0;

async function loadOrders() {
  const seq = ++ordersSeq;
  try {
    const r = await call('orders_list', {
      status: $('f-status').value || null,
      date: $('f-date').value || null,
      search: $('f-search').value.trim() || null,
      page: state.ordersPage,
      per_page: 20,
    });
    if (seq !== ordersSeq) return;
    const tbody = $('orders-table').querySelector('tbody');
    tbody.replaceChildren(...r.orders.map((o) => {
      const tr = el('tr', { class: 'clickable', tabindex: '0', dataset: { orderId: o.order_id } },
        el('td', {}, dateTime(o.created_ms, language())),
        el('td', {}, o.order_id),
        el('td', {}, o.description || ''),
        el('td', { class: 'num' }, rupiah(o.total_amount)),
        el('td', {}, badge(o.status)));
      tr.addEventListener('click', () => openDetail(o.order_id));
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && openDetail(o.order_id));
      return tr;
    }));
    $('orders-empty').hidden = r.orders.length > 0;
    const pages = Math.max(1, Math.ceil(r.total / r.per_page));
    $('orders-page').textContent = t('pager.page', { page: r.page, pages });
    $('orders-prev').disabled = r.page <= 1;
    $('orders-next').disabled = r.page >= pages;
    const sum = (...ss) => ss.reduce((a, s) => ({
      count: a.count + (r.totals[s]?.count || 0),
      total: a.total + (r.totals[s]?.total_amount || 0),
    }), { count: 0, total: 0 });
    const box = (label, v, id) => el('div', { id }, label, el('b', {}, rupiah(v.total)), t('orders.count', { n: v.count }));
    $('orders-totals').replaceChildren(
      box(t('orders.totals.paid'), sum('paid'), 'total-paid'),
      box(t('orders.totals.open'), sum('pending', 'awaiting_confirmation'), 'total-open'),
      box(t('orders.totals.closed'), sum('cancelled', 'expired'), 'total-closed'));
  } catch (e) {
    console.error(e);
  }
}

async function openDetail(orderId) {
  const dlg = $('order-dialog');
  $('od-error').hidden = true;
  try {
    const [o, events] = await Promise.all([
      call('order_get', { order_id: orderId }),
      call('order_events', { order_id: orderId }),
    ]);
    state.dialogOrder = o.order_id;
    $('od-title').textContent = `${o.order_id} · ${rupiah(o.total_amount)}`;
    const lang = language();
    const rows = [
      ['detail.status', badge(o.status)],
      ['detail.amount', rupiah(o.amount)],
      o.fee_amount ? ['detail.fee', rupiah(o.fee_amount)] : null,
      ['detail.total', rupiah(o.total_amount)],
      o.description ? ['detail.desc', o.description] : null,
      ['detail.source', t(`source.${o.source}`)],
      ['detail.created', dateTime(o.created_ms, lang)],
      ['detail.expires', dateTime(o.expires_ms, lang)],
      o.customer_confirmed_ms ? ['detail.customer', dateTime(o.customer_confirmed_ms, lang)] : null,
      o.paid_ms ? ['detail.paid', dateTime(o.paid_ms, lang)] : null,
      o.confirmed_by ? ['detail.confirmed_by', o.confirmed_by] : null,
    ].filter(Boolean);
    $('od-fields').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', {}, v)]));
    $('od-url').textContent = o.url;
    $('od-events').replaceChildren(...events.map((e) =>
      el('li', {}, `${dateTime(e.created_at, lang)} · ${e.event} · ${e.actor}`)));
    const open = o.status === 'pending' || o.status === 'awaiting_confirmation';
    $('od-verify').disabled = !open;
    $('od-cancel').disabled = !open;
    $('od-show').disabled = !open;
    $('od-print').replaceChildren(...(o.status === 'paid' ? [receiptControls(o.order_id, $('od-print-out'))] : []));
    $('od-print-out').hidden = true;
    if (!dlg.open) dlg.showModal();
  } catch (e) {
    showError($('od-error'), e);
  }
}

function wireOrders() {
  $('f-date').value = todayJakarta();
  const reload = () => {
    state.ordersPage = 1;
    loadOrders();
  };
  $('f-status').addEventListener('change', reload);
  $('f-date').addEventListener('change', reload);
  $('f-search').addEventListener('input', reload);
  $('orders-filter').addEventListener('submit', (e) => e.preventDefault());
  $('orders-filter').append(reportButton(() => $('f-date').value || todayJakarta(), $('orders-print-out')));
  $('f-all-dates').addEventListener('click', () => {
    $('f-date').value = '';
    reload();
  });
  $('f-today').addEventListener('click', () => {
    $('f-date').value = todayJakarta();
    reload();
  });
  $('orders-prev').addEventListener('click', () => {
    state.ordersPage = Math.max(1, state.ordersPage - 1);
    loadOrders();
  });
  $('orders-next').addEventListener('click', () => {
    state.ordersPage += 1;
    loadOrders();
  });
  const dlg = $('order-dialog');
  dlg.addEventListener('close', () => (state.dialogOrder = null));
  $('od-copy').addEventListener('click', (e) => copy($('od-url').textContent, e.currentTarget));
  $('od-verify').addEventListener('click', async () => {
    try {
      await call('order_verify', { order_id: state.dialogOrder });
      openDetail(state.dialogOrder);
    } catch (e) {
      showError($('od-error'), e);
    }
  });
  $('od-cancel').addEventListener('click', (e) => confirmClick(e.currentTarget, t('qr.confirmcancel'), async () => {
    try {
      await call('order_cancel', { order_id: state.dialogOrder });
      openDetail(state.dialogOrder);
    } catch (err) {
      showError($('od-error'), err);
    }
  }));
  $('od-show').addEventListener('click', () => openOrder(state.dialogOrder));
}

// ---------- Link Pembayaran ----------

async function loadLinks() {
  try {
    const r = await call('links_list', { page: state.linksPage, per_page: 20 });
    const tbody = $('links-table').querySelector('tbody');
    tbody.replaceChildren(...r.links.map((l) => {
      const copyBtn = el('button', { type: 'button' }, t('copy'));
      copyBtn.addEventListener('click', () => copy(l.url, copyBtn));
      const del = el('button', { type: 'button', class: 'danger' }, t('links.delete'));
      del.addEventListener('click', () => confirmClick(del, t('links.confirmdelete'), async () => {
        try {
          await call('link_delete', { id: l.id });
          loadLinks();
        } catch (e) {
          showError($('link-error'), e);
        }
      }));
      return el('tr', { dataset: { orderId: l.order_id } },
        el('td', {}, dateTime(l.created_ms, language())),
        el('td', {}, l.order_id),
        el('td', {}, l.description || ''),
        el('td', { class: 'num' }, rupiah(l.total_amount)),
        el('td', {}, badge(l.status)),
        el('td', { class: 'num' }, l.view_count),
        el('td', {}, copyBtn, ' ', del));
    }));
    $('links-empty').hidden = r.links.length > 0;
    const pages = Math.max(1, Math.ceil(r.total / r.per_page));
    $('links-page').textContent = t('pager.page', { page: r.page, pages });
    $('links-prev').disabled = r.page <= 1;
    $('links-next').disabled = r.page >= pages;
  } catch (e) {
    console.error(e);
  }
}

function wireLinks() {
  $('l-amount').addEventListener('input', () => {
    const d = onlyDigits($('l-amount').value).slice(0, 13);
    $('l-amount').value = d ? digits(d) : '';
  });
  $('link-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('link-error').hidden = true;
    const d = onlyDigits($('l-amount').value);
    try {
      const o = await call('links_create', {
        amount: d ? Number(d) : null,
        description: $('l-desc').value,
        order_id: $('l-orderid').value,
        callback_url: $('l-callback').value,
        webhook_url: $('l-webhook').value,
      });
      const copyBtn = el('button', { type: 'button' }, t('copy'));
      copyBtn.addEventListener('click', () => copy(o.url, copyBtn));
      $('link-created').replaceChildren(t('links.created'), ' ', el('code', {}, o.url), copyBtn);
      $('link-created').hidden = false;
      for (const id of ['l-amount', 'l-desc', 'l-orderid', 'l-callback', 'l-webhook']) $(id).value = '';
      state.linksPage = 1;
      loadLinks();
    } catch (err) {
      showError($('link-error'), err);
    }
  });
  $('links-prev').addEventListener('click', () => {
    state.linksPage = Math.max(1, state.linksPage - 1);
    loadLinks();
  });
  $('links-next').addEventListener('click', () => {
    state.linksPage += 1;
    loadLinks();
  });
}

// ---------- Pengaturan ----------

function fillSettings() {
  const s = state.settings;
  $('s-base').value = s.public_base_url || '';
  $('s-expiry').value = s.order_expiry_minutes;
  $('s-webhook').value = s.default_webhook_url || '';
  $('s-sound').checked = s.sound;
  $('s-language').value = s.language;
  $('listen-lan').checked = s.listen_lan;
  $('listen-local').checked = !s.listen_lan;
  const srv = state.server;
  const env = !!srv?.from_env;
  $('listen-lan').disabled = env;
  $('listen-local').disabled = env;
  $('server-env-note').hidden = !env;
  const lines = [];
  if (srv?.listening) {
    lines.push(t('settings.server.listening', { url: srv.local_url }));
    if (srv.lan_url) lines.push(t('settings.server.lanurl', { url: srv.lan_url }));
  } else {
    lines.push(srv?.error || t('server.down'));
  }
  $('server-detail').replaceChildren(...lines.flatMap((l, i) => (i ? [el('br'), l] : [l])));
}

async function loadSettings() {
  $('settings-saved').hidden = true;
  try {
    const [info, qris, keys] = await Promise.all([call('app_info'), call('qris_list'), call('keys_list')]);
    state.info = info;
    state.settings = info.settings;
    state.server = info.server;
    fillSettings();
    renderServer();
    $('about').textContent = t('about', { version: info.version, dir: info.data_dir });
    renderQrisList(qris);
    renderKeys(keys);
    mountIntegrations($('settings-webhooks-slot'), info.settings);
  } catch (e) {
    showError($('settings-error'), e);
  }
}

function renderQrisList(list) {
  const tbody = $('qris-table').querySelector('tbody');
  tbody.replaceChildren(...list.map((q) => {
    const actions = el('td', {});
    if (q.is_default) actions.append(el('span', { class: 'badge paid' }, t('settings.qris.default')));
    else {
      const b = el('button', { type: 'button' }, t('settings.qris.makedefault'));
      b.addEventListener('click', async () => {
        await call('qris_set_default', { id: q.id }).catch((e) => showError($('settings-error'), e));
        loadSettings();
      });
      actions.append(b);
    }
    const del = el('button', { type: 'button', class: 'danger' }, t('settings.qris.delete'));
    del.addEventListener('click', () => confirmClick(del, t('settings.qris.confirmdelete'), async () => {
      await call('qris_delete', { id: q.id }).catch((e) => showError($('settings-error'), e));
      loadSettings();
    }));
    actions.append(' ', del);
    return el('tr', {},
      el('td', {}, el('b', {}, q.merchant_name), el('br'), q.merchant_city),
      el('td', {}, `NMID ${q.nmid || '—'}`, el('br'), q.acquirer || ''),
      actions);
  }));
}

function renderKeys(keys) {
  const tbody = $('keys-table').querySelector('tbody');
  tbody.replaceChildren(...keys.map((k) => {
    const actions = el('td', {});
    if (!k.revoked_at) {
      const lim = el('button', { type: 'button' }, t('settings.keys.setlimit'));
      lim.addEventListener('click', async () => {
        const v = window.prompt(t('settings.keys.newlimit'), k.daily_limit ?? '');
        if (v === null) return;
        const d = onlyDigits(v);
        await call('key_set_limit', { id: k.id, daily_limit: d ? Number(d) : (v.trim() ? -1 : null) })
          .catch((e) => showError($('key-error'), e));
        loadSettings();
      });
      const rev = el('button', { type: 'button', class: 'danger' }, t('settings.keys.revoke'));
      rev.addEventListener('click', () => confirmClick(rev, t('settings.keys.confirmrevoke'), async () => {
        await call('key_revoke', { id: k.id }).catch((e) => showError($('key-error'), e));
        loadSettings();
      }));
      actions.append(lim, ' ', rev);
    }
    return el('tr', {},
      el('td', {}, k.id),
      el('td', {}, k.name),
      el('td', {}, el('code', {}, `${k.key_prefix}…`)),
      el('td', {}, k.daily_limit ?? t('settings.keys.unlimited')),
      el('td', {}, dateTime(k.created_at, language())),
      el('td', {}, k.revoked_at ? t('settings.keys.revoked') : t('settings.keys.active')),
      actions);
  }));
}

async function saveSettings() {
  $('settings-error').hidden = true;
  $('settings-saved').hidden = true;
  const expiry = onlyDigits($('s-expiry').value);
  try {
    state.settings = await call('settings_update', {
      patch: {
        public_base_url: $('s-base').value.trim(),
        default_webhook_url: $('s-webhook').value.trim(),
        order_expiry_minutes: expiry ? Number(expiry) : undefined,
        sound: $('s-sound').checked,
        language: $('s-language').value,
      },
    });
    setLanguage(state.settings.language);
    renderServer();
    await loadSettings();
    $('settings-saved').hidden = false;
  } catch (e) {
    showError($('settings-error'), e);
  }
}

async function setListen(lan) {
  $('settings-error').hidden = true;
  try {
    state.settings = await call('settings_update', { patch: { listen_lan: lan } });
    state.server = await call('server_restart');
    renderServer();
    fillSettings();
  } catch (e) {
    showError($('settings-error'), e);
  }
}

function wireSettings() {
  $('s-save').addEventListener('click', saveSettings);
  $('listen-local').addEventListener('change', () => setListen(false));
  $('listen-lan').addEventListener('change', () => setListen(true));
  $('qris-add').addEventListener('click', () => show('setup'));
  $('key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('key-error').hidden = true;
    const d = onlyDigits($('k-limit').value);
    try {
      const r = await call('keys_create', { name: $('k-name').value, daily_limit: d ? Number(d) : null });
      $('key-secret-text').textContent = r.secret;
      $('key-secret').hidden = false;
      $('k-name').value = '';
      $('k-limit').value = '';
      loadSettings();
    } catch (err) {
      showError($('key-error'), err);
    }
  });
  $('key-copy').addEventListener('click', (e) => copy($('key-secret-text').textContent, e.currentTarget));
}

// ---------- keyboard ----------

function onKey(e) {
  if ($('order-dialog').open) return;
  if (NAV[e.key]) {
    e.preventDefault();
    if (state.screen !== 'setup' || state.info?.has_qris) show(NAV[e.key]);
    return;
  }
  if (state.screen === 'qr') {
    if (e.key === 'F8') { e.preventDefault(); verifyCurrent(); }
    else if (e.key === 'F9') { e.preventDefault(); $('btn-cancel').click(); }
    else if (e.key === 'F6') { e.preventDefault(); newSale(); }
    else if (e.key === 'Escape') { e.preventDefault(); show('kasir'); }
    return;
  }
  if (state.screen === 'kasir') {
    const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName);
    if (!typing && /^[0-9]$/.test(e.key)) {
      e.preventDefault();
      setAmount(onlyDigits($('amount').value) + e.key);
      $('amount').focus();
    } else if (!typing && e.key === 'Enter') {
      e.preventDefault();
      state.keyAt = performance.now();
      makeQr();
    }
  }
}

// ---------- start ----------

async function start() {
  wireSetup();
  wireKasir();
  wireQr();
  wireOrders();
  wireLinks();
  wireSettings();
  wireBanner();
  for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => show(b.dataset.screen));
  document.addEventListener('keydown', onKey);
  const info = await call('app_info');
  state.info = info;
  state.settings = info.settings;
  state.server = info.server;
  setLanguage(info.settings.language);
  renderServer();
  await listen('order-event', onOrderEvent);
  show(info.has_qris ? 'kasir' : 'setup');
  requestAnimationFrame(() => {
    window.kasirMetrics.readyEpochMs = performance.timeOrigin + performance.now();
    document.body.dataset.ready = '1';
  });
}

(new URLSearchParams(location.search).get('view') === 'customer' ? startCustomer() : start()).catch((e) => {
  document.body.append(el('p', { class: 'error' }, e?.message ?? String(e)));
});
