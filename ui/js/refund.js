// Refund: give back all of a paid order, or some units of its lines, with a
// reason. The engine works out how much each unit gives back
// (docs/SALES.md) and refuses what can't be refunded.
import { call } from './api.js';
import { $, el } from './dom.js';
import { digits } from './format.js';
import { t } from './i18n.js';
import { showError } from './controls.js';

let order = null;
let after = () => {};

function scope() {
  const some = $('rf-some').checked;
  $('rf-lines').hidden = !some;
}

/** The dialog for a paid order; `done(order)` runs with the engine's answer. */
export function openRefund(o, done) {
  order = o;
  after = done;
  const items = o.items ?? [];
  $('rf-title').textContent = t('refund.title', { order: o.order_id });
  $('rf-all').checked = true;
  $('rf-some').closest('label').hidden = items.length === 0;
  $('rf-lines').querySelector('tbody').replaceChildren(...items.map((l) => {
    const left = l.quantity - (l.refunded_quantity ?? 0);
    const qty = el('input', { type: 'number', min: '0', max: String(left), value: '0', class: 'rf-qty', dataset: { line: l.line_no }, 'aria-label': l.name, disabled: left <= 0 ? '' : undefined });
    return el('tr', {},
      el('td', {}, l.name, l.note ? el('small', { class: 'muted' }, ` · ${l.note}`) : null),
      el('td', { class: 'num' }, digits(l.quantity)),
      el('td', { class: 'num' }, digits(l.refunded_quantity ?? 0)),
      el('td', { class: 'num' }, qty));
  }));
  $('rf-reason').value = '';
  $('rf-method').value = o.payment_method === 'qris' ? 'transfer' : 'cash';
  $('rf-error').hidden = true;
  scope();
  $('refund-dialog').showModal();
  $('rf-reason').focus();
}

async function submit() {
  $('rf-error').hidden = true;
  const args = { order_id: order.order_id, reason: $('rf-reason').value.trim(), method: $('rf-method').value };
  if ($('rf-some').checked) {
    args.lines = [...document.querySelectorAll('#rf-lines .rf-qty')]
      .map((i) => ({ line_no: Number(i.dataset.line), quantity: Math.floor(Number(i.value) || 0) }))
      .filter((l) => l.quantity > 0);
  }
  try {
    const o = await call('order_refund', args);
    $('refund-dialog').close();
    after(o);
  } catch (e) {
    showError($('rf-error'), e);
  }
}

export function wireRefund() {
  $('rf-all').addEventListener('change', scope);
  $('rf-some').addEventListener('change', scope);
  $('refund-form').addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  $('rf-close').addEventListener('click', () => $('refund-dialog').close());
}
