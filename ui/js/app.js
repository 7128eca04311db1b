// The cashier UI's shell: the menu, the keys, the banner for "customer says
// paid", the server pill and the start: the lock screen first, then the
// shop's QRIS (first run), then the cashier's shift, then the till. Each screen is its own module; every
// action calls one Tauri command and the engine decides everything
// (validation, statuses, totals). The UI only shows and asks.
import { listen } from './api.js';
import { $, el } from './dom.js';
import { rupiah } from './format.js';
import { t, setLanguage } from './i18n.js';
import { beep } from './sound.js';
import { show, screen } from './nav.js';
import { session, loadInfo, loadLogin, onChange } from './session.js';
import * as kasir from './kasir.js';
import * as katalog from './katalog.js';
import { wireBayar } from './bayar.js';
import { wireTagihan } from './tagihan.js';
import * as pesanan from './pesanan.js';
import * as links from './links.js';
import { wirePengaturan } from './pengaturan.js';
import { wireSetup, hasQris } from './setup.js';
import { startCustomer } from './customer.js';
import { wirePeople, startSession, onLockKey } from './people.js';
import { wireShift, openShiftScreen } from './shift.js';

const NAV = { F1: 'kasir', F2: 'orders', F3: 'links', F4: 'settings', F10: 'shift' };

let pendingOpen = null; // an order a customer says is paid, opened when the till is focused
let bannerOrder = null; // the order the banner names ("Buka" opens it)

// ---------- the server pill ----------

function renderServer() {
  const s = session.server;
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

// ---------- events from the engine, and the banner ----------

function clearBanner() {
  $('banner').hidden = true;
  pendingOpen = null;
  bannerOrder = null;
}

function onOrderEvent(ev) {
  kasir.onOrderEvent(ev);
  pesanan.onOrderEvent(ev);
  links.onOrderEvent(ev);
  if (ev.event === 'payment.awaiting_confirmation') {
    $('banner-text').textContent = t('banner.text', { amount: rupiah(ev.total_amount), order: ev.order_id });
    $('banner').hidden = false;
    pendingOpen = ev.order_id;
    bannerOrder = ev.order_id;
    if (session.settings?.sound) beep();
    if (document.hasFocus() && kasir.currentOrderId() === ev.order_id) return;
    if (document.hasFocus() && screen() === 'kasir' && kasir.amountEmpty() && katalog.idle()) kasir.showOrder(ev.order_id);
  }
  if (ev.event === 'payment.confirmed' && pendingOpen === ev.order_id) clearBanner();
  // the phone's notification or the bank's statement saw the money: say so
  // (a statement's many payments are in its report, not a banner each; the
  // banner doesn't open a paid order by itself: nothing is left to do there)
  if (ev.event === 'payment.confirmed' && ev.confirmed_by === 'notification' && !pendingOpen) {
    $('banner-text').textContent = t('ac.paid.auto', { amount: rupiah(ev.total_amount), order: ev.order_id });
    $('banner').hidden = false;
    bannerOrder = ev.order_id;
    if (session.settings?.sound) beep();
  }
}

function wireBanner() {
  $('banner-open').addEventListener('click', () => bannerOrder && kasir.showOrder(bannerOrder));
  $('banner-close').addEventListener('click', clearBanner);
  // a notification said a customer paid: the order opens when the till is focused
  window.addEventListener('focus', () => {
    if (pendingOpen && kasir.currentOrderId() !== pendingOpen) kasir.showOrder(pendingOpen);
  });
}

// ---------- keyboard ----------

function onKey(e) {
  // Ctrl+L locks from anywhere, over a dialog too
  if (onLockKey(e)) return;
  // a dialog (an order, Bayar, Tagihan, Refund, the lock screen) has the keys to itself
  if (document.querySelector('dialog[open]')) return;
  if (NAV[e.key]) {
    e.preventDefault();
    if (screen() !== 'setup' || hasQris()) show(NAV[e.key]);
    return;
  }
  if (screen() === 'qr') {
    if (e.key === 'F8') { e.preventDefault(); kasir.verifyCurrent(); }
    else if (e.key === 'F9') { e.preventDefault(); $('btn-cancel').click(); }
    else if (e.key === 'F6') { e.preventDefault(); kasir.newSale(); }
    else if (e.key === 'Escape') { e.preventDefault(); show('kasir'); }
    return;
  }
  if (screen() === 'kasir') {
    if (katalog.onKey(e)) return;
    const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName);
    if (!typing && /^[0-9]$/.test(e.key)) {
      e.preventDefault();
      kasir.typeDigit(e.key);
    } else if (!typing && e.key === 'Enter') {
      e.preventDefault();
      kasir.enterPressed();
      kasir.makeQr();
    }
  }
}

// ---------- who is at the till ----------

/** Someone unlocked: the QRIS first (first run), then their shift, then
 * back where the till was (the same person) or Kasir. */
function afterUnlock(login, before) {
  if (!hasQris()) return show('setup');
  if (!login.shift_is_mine || login.shift_stale) return openShiftScreen();
  if (before === login.user.id && screen() && screen() !== 'setup') return show(screen());
  return show('kasir');
}

/** A sale needs the cashier's own shift: Buka shift (the cart waits). */
async function noShift() {
  for (const d of document.querySelectorAll('dialog[open]')) if (d.id !== 'lock-dialog') d.close();
  await loadLogin().catch(() => {});
  if (session.login) openShiftScreen('sale');
}

/** Back from the shift screen, or a shift just opened: to the till. */
const toTill = () => show(hasQris() ? 'kasir' : 'setup');

// ---------- start ----------

async function start() {
  wirePeople({ onUnlock: afterUnlock, onNoShift: noShift });
  wireShift({ onBack: toTill });
  wireSetup({ onDone: () => session.login && afterUnlock(session.login, session.login.user.id) });
  kasir.wireKasir({ onVerified: (id) => pendingOpen === id && clearBanner() });
  katalog.wireKatalog();
  wireBayar();
  wireTagihan();
  pesanan.wirePesanan();
  links.wireLinks();
  wirePengaturan();
  wireBanner();
  for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => show(b.dataset.screen));
  document.addEventListener('keydown', onKey);
  onChange(renderServer);
  const info = await loadInfo();
  setLanguage(info.settings.language);
  renderServer();
  await listen('order-event', onOrderEvent);
  // locked: the lock screen is up, and afterUnlock runs once someone unlocks
  const login = await startSession();
  if (login) afterUnlock(login, login.user.id);
  requestAnimationFrame(() => {
    window.kasirMetrics.readyEpochMs = performance.timeOrigin + performance.now();
    document.body.dataset.ready = '1';
  });
}

(new URLSearchParams(location.search).get('view') === 'customer' ? startCustomer() : start()).catch((e) => {
  document.body.append(el('p', { class: 'error' }, e?.message ?? String(e)));
});
