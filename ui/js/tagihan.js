// Tagihan terbuka: a cart parked under a name ("Meja 3") while the table
// eats, reopened later and paid. The engine keeps them and their totals.
import { call } from './api.js';
import { $, el } from './dom.js';
import { dateTime, digits, rupiah } from './format.js';
import { language, t } from './i18n.js';
import { confirmTwice, showError } from './controls.js';

let sale = null; // {cart(), bill(), parked(), restore(bill)}

async function load() {
  $('bills-error').hidden = true;
  try {
    const bills = await call('bills_list');
    const busy = !!sale.cart();
    $('bills-table').querySelector('tbody').replaceChildren(...bills.map((b) => {
      const open = el('button', { type: 'button', class: 'primary bill-take', disabled: busy ? '' : undefined, title: busy ? t('bills.busy') : undefined }, t('bills.take'));
      open.addEventListener('click', () => take(b.id));
      const drop = el('button', { type: 'button', class: 'danger bill-discard' }, t('bills.discard'));
      drop.addEventListener('click', () => confirmTwice(drop, t('bills.confirmdiscard'), async () => {
        try {
          await call('bill_discard', { id: b.id });
        } catch (e) {
          showError($('bills-error'), e);
        }
        load();
      }));
      return el('tr', { dataset: { bill: b.id } },
        el('td', {}, el('b', {}, b.name), b.taken ? el('span', { class: 'badge awaiting_confirmation bill-taken' }, t('bills.taken')) : null),
        el('td', { class: 'num' }, digits(b.item_count)),
        el('td', { class: 'num' }, rupiah(b.total)),
        el('td', {}, dateTime(b.updated_at, language())),
        el('td', {}, open, ' ', drop));
    }));
    $('bills-empty').hidden = bills.length > 0;
    $('bills-busy').hidden = !(busy && bills.length);
  } catch (e) {
    showError($('bills-error'), e);
  }
}

async function take(id) {
  try {
    const b = await call('bill_take', { id });
    $('bills-dialog').close();
    sale.restore(b);
  } catch (e) {
    showError($('bills-error'), e);
    load();
  }
}

async function park() {
  const cart = sale.cart();
  $('bills-error').hidden = true;
  if (!cart) return showError($('bills-error'), { message: t('bills.nothing') });
  try {
    // a bill taken back to the till is still open (taken): parking it again updates it
    await call('bill_park', { name: $('park-name').value.trim(), cart, id: sale.bill()?.id ?? null });
    sale.parked();
    $('park-name').value = '';
    $('bills-dialog').close();
  } catch (e) {
    showError($('bills-error'), e);
  }
}

/** The dialog, for the cart on the till now. */
export function openBills(s) {
  sale = s;
  const cart = s.cart();
  $('park-form').hidden = !cart;
  $('park-name').value = s.bill()?.name ?? '';
  const dlg = $('bills-dialog');
  if (!dlg.open) dlg.showModal();
  if (cart) $('park-name').focus();
  load();
}

export function wireTagihan() {
  $('park-form').addEventListener('submit', (e) => { e.preventDefault(); park(); });
  $('bills-close').addEventListener('click', () => $('bills-dialog').close());
}
