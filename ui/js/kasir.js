// Kasir: the amount, and the QR screen of the order it made. The status and
// every total are the engine's; when the countdown reaches zero the engine
// is asked again, and its answer (expired, or not yet) is what shows.
import { call } from './api.js';
import { $ } from './dom.js';
import { rupiah, onlyDigits, countdown, typedAmount, typedNumber } from './format.js';
import { t } from './i18n.js';
import { confirmTwice, isOpen, showError } from './controls.js';
import { onScreen, show } from './nav.js';

let current = null; // the order on the QR screen
let skew = 0; // engine clock minus this page's clock
let keyAt = null; // performance.now() of the Enter that asked for a QR
let countdownTimer = null;
let askedAt = 0; // Date.now() of the last "has it expired?" question
let verified = () => {};

// numbers the benchmark and the end-to-end test read
window.kasirMetrics = { readyEpochMs: null, keyToQrMs: [] };

export const currentOrderId = () => current?.order_id ?? null;

// ---------- the amount ----------

/** Shown with dots while typing; at most 13 digits. */
export function setAmount(raw) {
  $('amount').value = typedAmount(raw);
}

export const amountEmpty = () => !onlyDigits($('amount').value);

/** The amount-only sale is up: the cashier types the amount. */
export function focusAmount() {
  $('amount').focus();
}

/** A digit typed while the amount field had no focus. */
export function typeDigit(d) {
  setAmount(onlyDigits($('amount').value) + d);
  $('amount').focus();
}

export async function makeQr() {
  const err = $('kasir-error');
  err.hidden = true;
  keyAt ??= performance.now();
  const feeType = $('fee-type').value;
  try {
    const order = await call('order_create', {
      amount: typedNumber($('amount').value),
      fee_type: feeType || null,
      fee_value: feeType ? $('fee-value').value.trim().replace(',', '.') : null,
      description: $('note').value.trim() || null,
    });
    await openQr(order);
  } catch (e) {
    keyAt = null;
    showError(err, e);
    $('amount').focus();
  }
}

/** Enter pressed (in the form or anywhere on Kasir): time it to the QR. */
export function enterPressed() {
  keyAt = performance.now();
}

// ---------- the QR screen ----------

export async function openQr(order) {
  if (!order.qr_image) order = await call('order_get', { order_id: order.order_id, with_qr: true });
  setCurrent(order);
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
  if (keyAt != null) {
    const started = keyAt;
    keyAt = null;
    requestAnimationFrame(() => window.kasirMetrics.keyToQrMs.push(performance.now() - started));
  }
}

/** Any order's QR, by its id (Pesanan, the banner, a notification). */
export async function showOrder(orderId) {
  try {
    const o = await call('order_get', { order_id: orderId, with_qr: true });
    document.querySelector('dialog[open]')?.close();
    await openQr(o);
  } catch (e) {
    console.error(e);
  }
}

/** The engine's view of the order, keeping the QR already shown. */
function setCurrent(o) {
  current = { ...o, qr_image: o.qr_image ?? current?.qr_image };
  if (o.now_ms != null) skew = o.now_ms - Date.now();
}

/** The line under the total: the fee, the cash already taken of a split
 * sale, or what was sold. */
function breakdown(o) {
  if (o.payment_method === 'split' && o.totals) {
    return t('qr.split', { cash: rupiah(o.cash_amount), total: rupiah(o.totals.total) });
  }
  if (o.fee_amount) return t('qr.breakdown', { amount: rupiah(o.amount), fee: rupiah(o.fee_amount) });
  return o.description || o.title || '';
}

function renderQr() {
  const o = current;
  if (!o) return;
  $('qr-merchant').textContent = o.merchant_name;
  $('qr-total').textContent = rupiah(o.total_amount);
  $('qr-breakdown').textContent = breakdown(o);
  $('qr-order').textContent = t('qr.order', { order: o.order_id });
  $('qr-link').textContent = o.url;
  $('qr-link').dataset.linkCode = o.link_code;
  const st = $('qr-status');
  st.dataset.status = o.status;
  st.textContent = t(`qr.status.${o.status}`);
  const open = isOpen(o.status);
  $('btn-verify').disabled = !open;
  $('btn-cancel').disabled = !open;
  $('qr-img').hidden = !open && o.status !== 'paid';
  $('qr-error').hidden = true;
  clearInterval(countdownTimer);
  const tick = () => {
    const left = o.expires_ms - (Date.now() + skew);
    $('qr-countdown').textContent = open ? countdown(left) : '—';
    // zero: the engine says whether it expired (at most once a second)
    if (open && left <= 0 && Date.now() - askedAt >= 1000) {
      askedAt = Date.now();
      refreshCurrent();
    }
  };
  tick();
  if (open) countdownTimer = setInterval(tick, 1000);
  if (o.status === 'paid') $('btn-new').focus();
  else if (o.status === 'awaiting_confirmation') $('btn-verify').focus();
}

export async function refreshCurrent() {
  if (!current) return;
  const id = current.order_id;
  try {
    const o = await call('order_get', { order_id: id });
    if (current?.order_id !== id) return;
    setCurrent(o);
    renderQr();
  } catch (e) {
    showError($('qr-error'), e);
  }
}

export async function verifyCurrent() {
  if (!current || $('btn-verify').disabled) return;
  try {
    const o = await call('order_verify', { order_id: current.order_id });
    setCurrent(o);
    verified(o.order_id);
    renderQr();
  } catch (e) {
    showError($('qr-error'), e);
    refreshCurrent();
  }
}

async function cancelCurrent() {
  if (!current || $('btn-cancel').disabled) return;
  try {
    setCurrent(await call('order_cancel', { order_id: current.order_id }));
    renderQr();
  } catch (e) {
    showError($('qr-error'), e);
    refreshCurrent();
  }
}

export function newSale() {
  clearInterval(countdownTimer);
  current = null;
  setAmount('');
  $('note').value = '';
  $('kasir-error').hidden = true;
  show('kasir');
}

/** The engine said something happened to an order. */
export function onOrderEvent(ev) {
  if (current && ev.order_id === current.order_id) refreshCurrent();
}

/** `onVerified(orderId)` runs when the cashier marked the QR's order paid. */
export function wireKasir({ onVerified } = {}) {
  if (onVerified) verified = onVerified;
  const amount = $('amount');
  amount.addEventListener('input', () => setAmount(amount.value));
  amount.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      setAmount('');
      e.stopPropagation();
    }
  });
  $('sale-form').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') enterPressed();
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

  $('btn-verify').addEventListener('click', verifyCurrent);
  $('btn-cancel').addEventListener('click', (e) => confirmTwice(e.currentTarget, t('qr.confirmcancel'), cancelCurrent));
  $('btn-new').addEventListener('click', newSale);
  $('btn-back').addEventListener('click', () => show('kasir'));
  $('btn-customer').addEventListener('click', () => call('customer_display_open').catch((e) => showError($('qr-error'), e)));

  // the customer window shows the QR screen's order only while it is up
  onScreen('qr', { leave: () => call('display_set', { order_id: null }).catch(() => {}) });
}
