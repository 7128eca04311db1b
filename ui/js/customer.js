// The customer-facing window (index.html?view=customer), e.g. on a second
// monitor: the order the till's QR screen shows, or "Terima kasih".
import { call, listen } from './api.js';
import { $ } from './dom.js';
import { rupiah } from './format.js';
import { t, setLanguage } from './i18n.js';
import { isOpen } from './controls.js';
import { show } from './nav.js';
import { loadInfo } from './session.js';

let shown = null; // the order on the screen
let expiryTimer = null;

async function render(id) {
  shown = id;
  clearTimeout(expiryTimer);
  const idle = !id;
  $('c-idle').hidden = !idle;
  for (const x of ['c-qr', 'c-total', 'c-status', 'c-merchant']) $(x).hidden = idle;
  if (idle) return;
  const o = await call('order_get', { order_id: id, with_qr: true });
  if (shown !== id) return;
  $('c-merchant').textContent = o.merchant_name;
  $('c-qr').src = o.qr_image;
  $('c-qr').hidden = !isOpen(o.status);
  $('c-total').textContent = rupiah(o.total_amount);
  $('c-status').dataset.status = o.status;
  $('c-status').textContent = t(`qr.status.${o.status}`);
  // at its expiry (the engine's clock) the engine says what the order is now
  if (isOpen(o.status)) {
    const left = Math.min(Math.max(1000, o.expires_ms - o.now_ms), 2 ** 31 - 1);
    expiryTimer = setTimeout(() => shown === id && render(id).catch(console.error), left);
  }
}

export async function startCustomer() {
  document.body.classList.add('customer-view');
  const info = await loadInfo();
  setLanguage(info.settings.language);
  await listen('display', (id) => render(id).catch(console.error));
  await listen('order-event', (ev) => ev.order_id === shown && render(shown).catch(console.error));
  show('customer');
  await render(await call('display_get'));
  document.body.dataset.ready = '1';
}
