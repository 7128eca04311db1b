// Bayar: how the customer pays a cart. Tunai (cash, with the change the
// engine works out), QRIS (the QR screen), or part cash and the rest by
// QRIS. Every amount here is from `cart_price` or `checkout`.
import { call } from './api.js';
import { $, el } from './dom.js';
import { digits, rupiah, typedAmount, typedNumber } from './format.js';
import { t } from './i18n.js';
import { showError } from './controls.js';
import { openQr } from './kasir.js';
import { thermalButton } from './printer.js';

let sale = null; // {cart, priced, billId, done}
let method = 'cash';
let paid = null; // the cash order just paid (the dialog shows its change)
let busy = false;

const METHODS = ['cash', 'qris', 'split'];

function setMethod(m) {
  method = m;
  for (const x of METHODS) {
    $(`pay-${x}`).hidden = x !== m;
    $(`pay-m-${x}`).setAttribute('aria-pressed', String(x === m));
  }
  $('pay-error').hidden = true;
  $('pay-go-label').textContent = t(m === 'cash' ? 'pay.go.cash' : m === 'qris' ? 'pay.go.qris' : 'pay.go.split');
  const input = m === 'cash' ? $('pay-tendered') : m === 'split' ? $('pay-split-cash') : $('pay-go');
  input.focus();
  quote();
}

/** Open the dialog for a priced cart. */
export function openPay(s) {
  sale = s;
  paid = null;
  const p = s.priced;
  $('pay-form').hidden = false;
  $('pay-done').hidden = true;
  $('pay-total').textContent = rupiah(p.total);
  $('pay-cash-due').textContent = rupiah(p.cash_total);
  $('pay-rounding').textContent = p.rounding ? t('pay.rounded', { amount: `−${rupiah(Math.abs(p.rounding))}` }) : '';
  $('pay-qris-due').textContent = rupiah(p.total);
  $('pay-tendered').value = '';
  $('pay-tendered').placeholder = digits(p.cash_total);
  $('pay-split-cash').value = '';
  $('pay-print').replaceChildren();
  $('pay-print-out').hidden = true;
  const dlg = $('pay-dialog');
  if (!dlg.open) dlg.showModal();
  // cash first, every sale: most of a warung's are
  setMethod('cash');
}

async function checkout(tender) {
  if (busy || !sale) return;
  busy = true;
  $('pay-error').hidden = true;
  try {
    const order = await call('checkout', { cart: sale.cart, tender, bill_id: sale.billId });
    if (tender.method === 'cash') {
      showChange(order);
    } else {
      const done = sale.done;
      sale = null;
      $('pay-dialog').close();
      done();
      await openQr(order);
    }
  } catch (e) {
    showError($('pay-error'), e);
  } finally {
    busy = false;
  }
}

/** Paid in cash: the change, large, as the engine counted it. */
function showChange(o) {
  paid = o;
  $('pay-form').hidden = true;
  $('pay-done').hidden = false;
  $('pay-change').textContent = rupiah(o.change_amount);
  const rows = [
    ['pay.done.total', rupiah(o.cash_amount)],
    ['pay.done.tendered', rupiah(o.cash_tendered)],
    ['pay.done.order', o.order_id],
  ];
  $('pay-done-fields').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { dataset: { field: k } }, v)]));
  $('pay-print').replaceChildren(thermalButton(o.order_id, $('pay-print-out')));
  $('pay-new').focus();
}

// the engine's numbers while the cashier types: the change (or how much is
// missing) for cash, the QRIS part for a split
let quoteSeq = 0;
async function quote() {
  const mine = ++quoteSeq;
  const cashTyped = typedNumber($('pay-tendered').value);
  const splitTyped = typedNumber($('pay-split-cash').value);
  const box = method === 'split' ? $('pay-split-quote') : $('pay-quote');
  $('pay-quote').hidden = true;
  $('pay-split-quote').hidden = true;
  const typed = method === 'split' ? splitTyped : cashTyped;
  if (!sale || method === 'qris' || typed == null) return;
  const tender = method === 'split' ? { method: 'split', cash: typed } : { method: 'cash', tendered: typed };
  try {
    const q = (await call('cart_price', { cart: sale.cart, tender })).tender;
    if (mine !== quoteSeq || !q) return;
    if (method === 'split') box.textContent = t('pay.quote.rest', { amount: rupiah(q.qris_amount) });
    else if (q.change != null) box.textContent = t('pay.quote.change', { amount: rupiah(q.change) });
    else box.textContent = t('pay.quote.short', { amount: rupiah(q.short) });
    box.classList.toggle('short', method === 'cash' && q.change == null);
    box.hidden = false;
  } catch (e) {
    if (mine === quoteSeq) { box.textContent = ''; box.hidden = true; }
  }
}

function submit() {
  if (method === 'qris') return checkout({ method: 'qris' });
  if (method === 'split') return checkout({ method: 'split', cash: typedNumber($('pay-split-cash').value) ?? 0 });
  // nothing typed: the customer gave the exact cash due (the placeholder says it)
  const typed = typedNumber($('pay-tendered').value);
  return checkout({ method: 'cash', tendered: typed ?? sale.priced.cash_total });
}

/** The dialog closed (Esc, Kembali, Transaksi Baru): a paid cart is done. */
function closed() {
  $('pay-print').replaceChildren();
  if (paid && sale) {
    const done = sale.done;
    sale = null;
    paid = null;
    done();
  }
}

export function wireBayar() {
  for (const m of METHODS) $(`pay-m-${m}`).addEventListener('click', () => setMethod(m));
  $('pay-form').addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  for (const id of ['pay-tendered', 'pay-split-cash']) {
    const input = $(id);
    input.addEventListener('input', () => { input.value = typedAmount(input.value); quote(); });
  }
  $('pay-exact').addEventListener('click', () => sale && checkout({ method: 'cash', tendered: sale.priced.cash_total }));
  for (const b of document.querySelectorAll('#pay-cash [data-quick]')) {
    b.addEventListener('click', () => checkout({ method: 'cash', tendered: Number(b.dataset.quick) }));
  }
  $('pay-close').addEventListener('click', () => $('pay-dialog').close());
  $('pay-new').addEventListener('click', () => $('pay-dialog').close());
  $('pay-dialog').addEventListener('close', closed);
  $('pay-dialog').addEventListener('keydown', (e) => {
    if (paid) {
      if (e.key === 'Enter' && document.activeElement?.id !== 'pt-print') { e.preventDefault(); $('pay-dialog').close(); }
      return;
    }
    // T, Q, S pick how the customer pays (the amount fields take digits only)
    const k = e.key.toLowerCase();
    const m = { t: 'cash', q: 'qris', s: 'split' }[k];
    if (m && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); setMethod(m); }
  });
}
