// Link Pembayaran: make a payment link, list them, copy or delete one.
import { call } from './api.js';
import { $, el } from './dom.js';
import { rupiah, dateTime, typedAmount, typedNumber } from './format.js';
import { t, language } from './i18n.js';
import { badge, confirmTwice, copyButton, pager, showError } from './controls.js';
import { onScreen, screen } from './nav.js';

let page; // the pager

export async function loadLinks() {
  try {
    const r = await call('links_list', { page: page.page, per_page: 20 });
    const tbody = $('links-table').querySelector('tbody');
    tbody.replaceChildren(...r.links.map((l) => {
      const del = el('button', { type: 'button', class: 'danger' }, t('links.delete'));
      del.addEventListener('click', () => confirmTwice(del, t('links.confirmdelete'), async () => {
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
        el('td', {}, copyButton(() => l.url), ' ', del));
    }));
    $('links-empty').hidden = r.links.length > 0;
    page.render(r);
  } catch (e) {
    console.error(e);
  }
}

/** The engine said something happened to an order. */
export function onOrderEvent() {
  if (screen() === 'links') loadLinks();
}

export function wireLinks() {
  page = pager($('links-prev'), $('links-next'), $('links-page'), loadLinks);
  $('l-amount').addEventListener('input', () => ($('l-amount').value = typedAmount($('l-amount').value)));
  $('link-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('link-error').hidden = true;
    try {
      const o = await call('links_create', {
        amount: typedNumber($('l-amount').value),
        description: $('l-desc').value,
        order_id: $('l-orderid').value,
        callback_url: $('l-callback').value,
        webhook_url: $('l-webhook').value,
      });
      $('link-created').replaceChildren(t('links.created'), ' ', el('code', {}, o.url), copyButton(() => o.url));
      $('link-created').hidden = false;
      for (const id of ['l-amount', 'l-desc', 'l-orderid', 'l-callback', 'l-webhook']) $(id).value = '';
      page.reset();
      loadLinks();
    } catch (err) {
      showError($('link-error'), err);
    }
  });
  onScreen('links', { enter: loadLinks });
}
