// The customer-facing window (index.html?view=customer), e.g. on a second
// monitor: the order the till's QR screen shows, or "Terima kasih". It
// keeps showing while the till is locked: it asks `display_order`, which
// needs no one unlocked.
import { call, listen } from './api.js';
import { $ } from './dom.js';
import { rupiah } from './format.js';
import { t, setLanguage } from './i18n.js';
import { isOpen } from './controls.js';
import { show } from './nav.js';
import { loadInfo } from './session.js';

let shown = null; // the order on the screen
let expiryTimer = null;
let seq = 0; // only the newest answer is drawn

/** What the till shows now, asked of the engine (`display_order` answers
 * while the till is locked too): its order, or "Terima kasih". */
async function render() {
  const mine = ++seq;
  clearTimeout(expiryTimer);
  const o = await call('display_order');
  if (mine !== seq) return;
  shown = o?.order_id ?? null;
  const idle = !o;
  $('c-idle').hidden = !idle;
  for (const x of ['c-qr', 'c-total', 'c-status', 'c-merchant']) $(x).hidden = idle;
  if (idle) return;
  $('c-merchant').textContent = o.merchant_name;
  $('c-qr').src = o.qr_image;
  $('c-qr').hidden = !isOpen(o.status);
  $('c-total').textContent = rupiah(o.total_amount);
  $('c-status').dataset.status = o.status;
  $('c-status').textContent = t(`qr.status.${o.status}`);
  // at its expiry (the engine's clock) the engine says what the order is now
  if (isOpen(o.status)) {
    const left = Math.min(Math.max(1000, o.expires_ms - o.now_ms), 2 ** 31 - 1);
    expiryTimer = setTimeout(() => mine === seq && render().catch(console.error), left);
  }
}

export async function startCustomer() {
  document.body.classList.add('customer-view');
  const info = await loadInfo();
  setLanguage(info.settings.language);
  await listen('display', () => render().catch(console.error));
  await listen('order-event', (ev) => ev.order_id === shown && render().catch(console.error));
  show('customer');
  await render();
  document.body.dataset.ready = '1';
}
