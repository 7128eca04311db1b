// Konfirmasi otomatis: Pengaturan's card (unique totals, the phone's key and
// QR, the last notifications, a bank statement import) and Pesanan → Perlu
// dicek (evidence that confirmed nothing by itself, next to the open orders
// of its amount). The engine matches and decides; this shows what it says.
import { call } from './api.js';
import { el } from './dom.js';
import { dateTime, rupiah, typedNumber } from './format.js';
import { language, t } from './i18n.js';
import { copyButton, errorText as err, say } from './controls.js';

const time = (ms) => dateTime(ms, language(), { seconds: true });
const amount = (e) => (e.amount == null ? '—' : rupiah(e.amount));

function evidenceRow(e) {
  return el('tr', { dataset: { evidence: String(e.id) } },
    el('td', {}, time(e.received_at)),
    el('td', {}, e.app),
    el('td', { class: 'num' }, amount(e)),
    el('td', {}, el('span', { class: `badge ev-${e.result}` }, t(`ac.result.${e.result}`))),
    el('td', {}, e.order_id || ''),
    el('td', { class: 'muted small' }, e.title ? `${e.title} · ${e.text}` : e.text, el('br'), e.detail));
}

function table(headKeys, id) {
  return el('table', { class: 'table', id },
    el('thead', {}, el('tr', {}, ...headKeys.map((k) => el('th', {}, t(k))))),
    el('tbody', {}));
}

/** Pengaturan → Konfirmasi otomatis. */
export async function autoConfirmCard(settings) {
  const out = el('p', { role: 'status', hidden: '' });
  const mode = el('select', { id: 'ac-mode' },
    ...['off', 'add', 'subtract'].map((v) => el('option', { value: v }, t(`ac.mode.${v}`))));
  mode.value = settings.unique_code || 'off';
  const max = el('input', { id: 'ac-max', inputmode: 'numeric', value: String(settings.unique_code_max ?? 99) });
  const windowMin = el('input', { id: 'ac-window', inputmode: 'numeric', value: String(settings.unique_match_window_minutes ?? 30) });
  const save = el('button', { type: 'button', id: 'ac-save' }, t('ac.save'));
  save.addEventListener('click', async () => {
    try {
      await call('settings_update', {
        patch: {
          unique_code: mode.value,
          unique_code_max: typedNumber(max.value) ?? -1,
          unique_match_window_minutes: typedNumber(windowMin.value) ?? -1,
        },
      });
      say(out, t('ac.saved'), true);
    } catch (e) { say(out, err(e)); }
  });

  // the phone: a notifications-only key, its URL and a QR to scan
  const phoneOut = el('div', { id: 'ac-phone', hidden: '' });
  const phoneErr = el('p', { role: 'status', hidden: '' });
  const phoneName = el('input', { id: 'ac-phone-name', value: 'hp-toko' });
  const phoneBtn = el('button', { type: 'button', id: 'ac-phone-create' }, t('ac.phone.create'));
  phoneBtn.addEventListener('click', async () => {
    try {
      const p = await call('phone_key_create', { name: phoneName.value });
      phoneOut.replaceChildren(
        el('img', { src: p.qr_image, alt: t('ac.phone.qr'), class: 'phone-qr', id: 'ac-phone-qr' }),
        el('p', {}, t('ac.phone.url'), ' ', el('code', { id: 'ac-phone-url' }, p.url)),
        el('p', {}, 'X-API-Key: ', el('code', { id: 'ac-phone-secret' }, p.secret), ' ', copyButton(p.secret)),
        el('p', { class: 'muted small' }, t('ac.phone.once')),
        p.reachable_from_phone ? '' : el('p', { class: 'error', id: 'ac-phone-local' }, t('ac.phone.local')));
      phoneOut.hidden = false;
      say(phoneErr, '');
    } catch (e) { say(phoneErr, err(e)); }
  });

  // the last 20 notifications and what each did
  const recent = table(['ac.col.time', 'ac.col.app', 'ac.col.amount', 'ac.col.result', 'ac.col.order', 'ac.col.text'], 'ac-recent');
  const reload = async () => {
    try {
      const list = await call('evidence_list', { to_review: false, limit: 20 });
      recent.querySelector('tbody').replaceChildren(...list.map(evidenceRow));
    } catch (e) { say(out, err(e)); }
  };

  // closing time: the bank's statement
  const file = el('input', { type: 'file', id: 'ac-statement', accept: '.csv,text/csv' });
  const stOut = el('div', { id: 'ac-statement-out', role: 'status' });
  const stBtn = el('button', { type: 'button', id: 'ac-statement-import' }, t('ac.statement.import'));
  stBtn.addEventListener('click', async () => {
    const f = file.files?.[0];
    if (!f) { stOut.replaceChildren(el('p', { class: 'error' }, t('ac.statement.pick'))); return; }
    try {
      const bytes = Array.from(new Uint8Array(await f.arrayBuffer()));
      const r = await call('statement_import', { bytes, date: null });
      stOut.replaceChildren(el('p', { class: 'ok' }, t('ac.statement.done', {
        layout: r.layout, credits: r.credits_read, confirmed: r.confirmed.length,
        without: r.credits_without_order.length, open: r.orders_without_credit.length, dup: r.duplicates,
      })));
      reload();
    } catch (e) { stOut.replaceChildren(el('p', { class: 'error' }, err(e))); }
  });

  reload();
  return el('div', { class: 'card', id: 'autoconfirm-card' },
    el('h2', {}, t('ac.title')),
    el('p', { class: 'muted' }, t('ac.why')),
    el('div', { class: 'form-grid' },
      el('label', {}, t('ac.mode'), mode),
      el('label', {}, t('ac.max'), max),
      el('label', {}, t('ac.window'), windowMin)),
    el('p', { class: 'muted small' }, t('ac.fees')),
    el('p', {}, save), out,
    el('h3', {}, t('ac.phone')),
    el('p', { class: 'muted' }, t('ac.phone.how')),
    el('p', {}, phoneName, ' ', phoneBtn), phoneErr, phoneOut,
    el('h3', {}, t('ac.statement')),
    el('p', {}, file, ' ', stBtn), stOut,
    el('h3', {}, t('ac.recent')),
    recent);
}

/** Pesanan → Perlu dicek: empty (and hidden) when nothing needs the merchant. */
export async function reviewSection(onChanged) {
  const box = el('div', { class: 'card review', id: 'review-card' });
  const load = async () => {
    let list;
    try { list = await call('evidence_list', { to_review: true, limit: 50 }); } catch (e) {
      box.replaceChildren(el('p', { class: 'error' }, err(e)));
      return;
    }
    box.hidden = list.length === 0;
    const rows = await Promise.all(list.map(async (e) => {
      const out = el('p', { role: 'status', hidden: '' });
      const candidates = await call('evidence_candidates', { id: e.id }).catch(() => []);
      const attach = candidates.map((o) => {
        const b = el('button', { type: 'button', class: 'review-attach', dataset: { order: o.order_id } },
          t('ac.review.attach', { order: o.order_id }));
        b.addEventListener('click', async () => {
          try { await call('evidence_attach', { id: e.id, order_id: o.order_id }); await load(); onChanged?.(); } catch (x) { say(out, err(x)); }
        });
        return b;
      });
      const dismiss = el('button', { type: 'button', class: 'ghost review-dismiss' }, t('ac.review.dismiss'));
      dismiss.addEventListener('click', async () => {
        try { await call('evidence_dismiss', { id: e.id }); await load(); } catch (x) { say(out, err(x)); }
      });
      return el('li', { dataset: { evidence: String(e.id) } },
        el('b', {}, amount(e)), ' · ', e.app, ' · ', time(e.seen_at), ' — ', t(`ac.result.${e.result}`),
        el('br'), el('span', { class: 'muted small' }, e.text), el('br'), el('span', { class: 'muted small' }, e.detail),
        el('div', { class: 'actions' }, ...(attach.length ? attach : [el('span', { class: 'muted' }, t('ac.review.none'))]), ' ', dismiss),
        out);
    }));
    box.replaceChildren(el('h2', {}, t('ac.review.title', { n: list.length })), el('ul', { class: 'review-list' }, ...rows));
  };
  await load();
  return { box, load };
}
