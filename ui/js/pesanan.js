// Pesanan: the orders of a day (the merchant's day, the engine's totals) and
// one order's detail in a dialog.
import { call } from './api.js';
import { $, el } from './dom.js';
import { rupiah, dateTime, digits, todayHere } from './format.js';
import { t, language } from './i18n.js';
import { badge, confirmTwice, copyText, isOpen, pager, showError } from './controls.js';
import { onScreen, screen } from './nav.js';
import { session, today } from './session.js';
import { receiptControls, reportButton } from './integrations.js';
import { reportThermalButton } from './printer.js';
import { showOrder } from './kasir.js';
import { reviewSection } from './autoconfirm.js';
import { openRefund, wireRefund } from './refund.js';

let page; // the pager
let seq = 0; // only the newest answer is drawn
let dialogOrder = null; // the order in the detail dialog
let dated = false; // the date filter got its default
let review = null; // Perlu dicek
let refundOrder = null; // the order the Refund button gives back

/** Perlu dicek, drawn again (evidence that confirmed nothing by itself). */
async function loadReview() {
  if (!review) {
    review = await reviewSection(loadOrders);
    $('orders-review-slot').replaceChildren(review.box);
  } else {
    await review.load();
  }
}

export async function loadOrders() {
  const mine = ++seq;
  try {
    const r = await call('orders_list', {
      status: $('f-status').value || null,
      date: $('f-date').value || null,
      search: $('f-search').value.trim() || null,
      page: page.page,
      per_page: 20,
    });
    if (mine !== seq) return;
    const tbody = $('orders-table').querySelector('tbody');
    tbody.replaceChildren(...r.orders.map((o) => {
      const tr = el('tr', { class: 'clickable', tabindex: '0', dataset: { orderId: o.order_id } },
        el('td', {}, dateTime(o.created_ms, language())),
        el('td', {}, o.order_id),
        el('td', {}, o.description || o.title || '',
          o.payment_method && o.payment_method !== 'qris' ? el('span', { class: 'badge method' }, t(`method.${o.payment_method}`)) : null,
          o.refunded_amount ? el('span', { class: 'badge method cancelled' }, t('orders.refunded', { amount: rupiah(o.refunded_amount) })) : null),
        el('td', { class: 'num' }, rupiah(o.total_amount)),
        el('td', {}, badge(o.status)));
      tr.addEventListener('click', () => openDetail(o.order_id));
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && openDetail(o.order_id));
      return tr;
    }));
    $('orders-empty').hidden = r.orders.length > 0;
    page.render(r);
    // three boxes over the engine's per-status totals (the sums are the only arithmetic here)
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

export async function openDetail(orderId) {
  const dlg = $('order-dialog');
  $('od-error').hidden = true;
  try {
    const [o, events] = await Promise.all([
      call('order_get', { order_id: orderId }),
      call('order_events', { order_id: orderId }),
    ]);
    dialogOrder = o.order_id;
    $('od-title').textContent = `${o.order_id} · ${rupiah(o.total_amount)}`;
    const lang = language();
    const money = o.totals;
    const cash = o.payment_method === 'cash' || o.payment_method === 'split';
    const rows = [
      ['detail.status', badge(o.status)],
      o.payment_method ? ['detail.method', t(`method.${o.payment_method}`)] : null,
      money ? ['sale.t.subtotal', rupiah(money.subtotal)] : null,
      money?.discount ? ['sale.t.discount', `−${rupiah(money.discount)}`] : null,
      money?.service ? ['sale.t.service', rupiah(money.service)] : null,
      money?.tax ? [money.tax_inclusive ? 'sale.t.tax_in' : 'sale.t.tax', rupiah(money.tax)] : null,
      money?.rounding ? ['sale.t.rounding', `−${rupiah(Math.abs(money.rounding))}`] : null,
      money ? ['detail.sale_total', rupiah(money.total)] : null,
      cash ? ['detail.cash', rupiah(o.cash_amount)] : null,
      o.payment_method === 'cash' ? ['pay.done.tendered', rupiah(o.cash_tendered)] : null,
      o.payment_method === 'cash' ? ['pay.change', rupiah(o.change_amount)] : null,
      o.payment_method === 'split' ? ['detail.qris_part', rupiah(o.amount)] : (o.payment_method === 'cash' ? null : ['detail.amount', rupiah(o.amount)]),
      o.fee_amount ? ['detail.fee', rupiah(o.fee_amount)] : null,
      o.payment_method === 'cash' ? null : ['detail.total', rupiah(o.total_amount)],
      o.refunded_amount ? ['detail.refunded', rupiah(o.refunded_amount)] : null,
      o.description ? ['detail.desc', o.description] : null,
      ['detail.source', t(`source.${o.source}`)],
      o.cashier ? ['detail.cashier', o.cashier] : null,
      ['detail.created', dateTime(o.created_ms, lang)],
      ['detail.expires', dateTime(o.expires_ms, lang)],
      o.customer_confirmed_ms ? ['detail.customer', dateTime(o.customer_confirmed_ms, lang)] : null,
      o.paid_ms ? ['detail.paid', dateTime(o.paid_ms, lang)] : null,
      o.confirmed_by ? ['detail.confirmed_by', t(`by.${o.confirmed_by}`)] : null,
    ].filter(Boolean);
    $('od-fields').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { dataset: { field: k } }, v)]));
    const items = o.items ?? [];
    $('od-items').hidden = items.length === 0;
    $('od-items').querySelector('tbody').replaceChildren(...items.map((l) => el('tr', {},
      el('td', {}, l.name,
        l.note ? el('small', { class: 'muted' }, ` · ${l.note}`) : null,
        l.refunded_quantity ? ' ' : null,
        l.refunded_quantity ? el('small', { class: 'badge cancelled' }, t('detail.line_refunded', { n: digits(l.refunded_quantity) })) : null),
      el('td', { class: 'num' }, digits(l.quantity)),
      el('td', { class: 'num' }, rupiah(l.unit_price)),
      el('td', { class: 'num' }, l.discount ? `−${rupiah(l.discount)}` : ''),
      el('td', { class: 'num' }, rupiah(l.total)))));
    $('od-refund').hidden = o.status !== 'paid';
    refundOrder = o;
    $('od-url').textContent = o.url;
    $('od-events').replaceChildren(...events.map((e) =>
      el('li', {}, `${dateTime(e.created_at, lang)} · ${e.event} · ${e.actor}`,
        e.user_name ? ` · ${e.user_name}` : '',
        e.approved_by ? ` · ${t('detail.approved_by', { name: e.approved_by })}` : '')));
    const open = isOpen(o.status);
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

/** The engine said something happened to an order. */
export function onOrderEvent(ev) {
  if (screen() === 'orders') { loadOrders(); loadReview().catch(console.error); }
  if (dialogOrder === ev.order_id) openDetail(ev.order_id);
}

/** The dialog is up: the till's keys wait. */
export const dialogOpen = () => $('order-dialog').open;

async function setToday() {
  try {
    $('f-date').value = await today();
  } catch (e) {
    console.error(e);
  }
}

export function wirePesanan() {
  page = pager($('orders-prev'), $('orders-next'), $('orders-page'), loadOrders);
  const reload = () => {
    page.reset();
    loadOrders();
  };
  $('f-status').addEventListener('change', reload);
  $('f-date').addEventListener('change', reload);
  $('f-search').addEventListener('input', reload);
  $('orders-filter').addEventListener('submit', (e) => e.preventDefault());
  const reportDay = async () => $('f-date').value || today();
  $('orders-filter').append(
    reportButton(reportDay, $('orders-print-out')),
    ' ',
    reportThermalButton(reportDay, $('orders-print-out')));
  $('f-all-dates').addEventListener('click', () => {
    $('f-date').value = '';
    reload();
  });
  $('f-today').addEventListener('click', async () => {
    await setToday();
    reload();
  });
  // the day app_info said at start; "Hari ini" asks again
  onScreen('orders', {
    enter: () => {
      if (!dated) $('f-date').value = session.info?.today ?? todayHere();
      dated = true;
      loadOrders();
      loadReview().catch(console.error);
    },
  });

  const dlg = $('order-dialog');
  dlg.addEventListener('close', () => (dialogOrder = null));
  $('od-copy').addEventListener('click', (e) => copyText($('od-url').textContent, e.currentTarget));
  $('od-verify').addEventListener('click', async () => {
    try {
      await call('order_verify', { order_id: dialogOrder });
      openDetail(dialogOrder);
    } catch (e) {
      showError($('od-error'), e);
    }
  });
  $('od-cancel').addEventListener('click', (e) => confirmTwice(e.currentTarget, t('qr.confirmcancel'), async () => {
    try {
      await call('order_cancel', { order_id: dialogOrder });
      openDetail(dialogOrder);
    } catch (err) {
      showError($('od-error'), err);
    }
  }));
  $('od-show').addEventListener('click', () => showOrder(dialogOrder));
  wireRefund();
  $('od-refund').addEventListener('click', () => refundOrder && openRefund(refundOrder, (o) => {
    openDetail(o.order_id);
    if (screen() === 'orders') loadOrders();
  }));
}
