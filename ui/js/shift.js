// Buka shift and Tutup shift: the drawer counted, as a total or note by note
// and coin by coin, and the closed shift's report. Every sum here is the
// engine's (`cash_count` adds up a count while it is typed; `shift_close`
// says what was expected and the variance): the page adds no money.
import { call } from './api.js';
import { $, el } from './dom.js';
import { dateTime, digits, onlyDigits, rupiah, typedAmount, typedNumber } from './format.js';
import { t, language } from './i18n.js';
import { errorText, say, showError } from './controls.js';
import { onScreen, show } from './nav.js';
import { session, loadLogin } from './session.js';
import { lockNow } from './people.js';

export const DENOMINATIONS = [100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100];

// ---------- the count ----------

/**
 * A drawer count: per denomination (the engine adds it up as it is typed)
 * or one total. `submit()` runs on Enter in the last field.
 */
export function cashCounter(prefix, { submit } = {}) {
  const values = session.login?.denominations ?? DENOMINATIONS;
  let mode = 'denominations';
  let seq = 0;
  const byDenom = el('button', { type: 'button', id: `${prefix}-by-denom` }, t('count.by_denom'));
  const byTotal = el('button', { type: 'button', id: `${prefix}-by-total` }, t('count.by_total'));
  const inputs = values.map((v) => el('input', {
    class: 'cc-count', inputmode: 'numeric', placeholder: '0', dataset: { value: v },
    'aria-label': rupiah(v), id: `${prefix}-n-${v}`,
  }));
  const amounts = values.map((v) => el('span', { class: 'cc-amount', dataset: { value: v } }, '—'));
  const grid = el('div', { class: 'cc-grid', id: `${prefix}-denoms` }, ...values.map((v, i) => el('label', { class: 'cc-row' },
    el('span', { class: 'cc-value' }, rupiah(v), v < 1000 ? el('small', { class: 'muted' }, ` ${t('count.coin')}`) : null),
    inputs[i],
    amounts[i])));
  const sum = el('b', { id: `${prefix}-sum` }, rupiah(0));
  const sumRow = el('p', { class: 'cc-sum' }, t('count.total'), ' ', sum);
  const total = el('input', { id: `${prefix}-total`, class: 'amount', inputmode: 'numeric', placeholder: '0' });
  const totalBox = el('div', { class: 'cc-total', hidden: '' },
    el('label', { for: `${prefix}-total` }, t('count.total_label')),
    el('div', { class: 'amount-box small' }, el('span', { class: 'rp' }, 'Rp'), total));

  const denominations = () => inputs
    .map((i) => ({ value: Number(i.dataset.value), count: typedNumber(i.value) ?? 0 }))
    .filter((l) => l.count > 0);
  const typedAnything = () => (mode === 'total' ? total.value.trim() !== '' : inputs.some((i) => i.value.trim() !== ''));

  async function recount() {
    const mine = ++seq;
    try {
      const r = await call('cash_count', { count: { denominations: denominations() } });
      if (mine !== seq) return;
      const byValue = new Map(r.lines.map((l) => [l.value, l.amount]));
      amounts.forEach((a) => {
        const v = Number(a.dataset.value);
        a.textContent = byValue.get(v) ? rupiah(byValue.get(v)) : '—';
      });
      sum.textContent = rupiah(r.total);
    } catch (e) {
      if (mine === seq) sum.textContent = '—';
      console.error(e);
    }
  }

  function setMode(m) {
    mode = m;
    byDenom.setAttribute('aria-pressed', String(m === 'denominations'));
    byTotal.setAttribute('aria-pressed', String(m === 'total'));
    grid.hidden = m !== 'denominations';
    sumRow.hidden = m !== 'denominations';
    totalBox.hidden = m !== 'total';
    // the notice over the count stays in sight
    (m === 'total' ? total : inputs[0]).focus({ preventScroll: true });
  }

  inputs.forEach((input, i) => {
    input.addEventListener('input', () => {
      input.value = onlyDigits(input.value).slice(0, 5);
      recount();
    });
    // Enter goes down the drawer; the last one counts it in
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (i + 1 < inputs.length) inputs[i + 1].focus();
      else submit?.();
    });
  });
  total.addEventListener('input', () => { total.value = typedAmount(total.value); });
  total.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); submit?.(); }
  });
  byDenom.addEventListener('click', () => setMode('denominations'));
  byTotal.addEventListener('click', () => setMode('total'));

  const node = el('div', { class: 'counter', id: `${prefix}-counter` },
    el('div', { class: 'seg', role: 'group' }, byDenom, byTotal),
    grid, sumRow, totalBox);
  setTimeout(() => setMode('denominations'));
  return {
    node,
    focus: () => (mode === 'total' ? total : inputs[0]).focus(),
    typedAnything,
    /** The Count the engine takes: `{denominations}` or `{total}`. */
    count: () => (mode === 'total' ? { total: typedNumber(total.value) ?? 0 } : { denominations: denominations() }),
  };
}

// ---------- a shift's report ----------

/** The money of a shift, as the engine gave it. */
export function shiftSummary(s) {
  const lang = language();
  const rows = [
    ['shift.f.cashier', s.user?.name],
    ['shift.f.opened', dateTime(s.opened_ms, lang)],
    s.closed_ms ? ['shift.f.closed', s.closed_by && s.closed_by !== s.user?.name
      ? t('shift.f.closed_by', { time: dateTime(s.closed_ms, lang), name: s.closed_by })
      : dateTime(s.closed_ms, lang)] : null,
    ['shift.f.opening', rupiah(s.opening_cash)],
    ['shift.f.cash_sales', t('shift.f.n_sales', { amount: rupiah(s.cash_sales), n: digits(s.cash_count ?? 0) })],
    ['shift.f.cash_refunds', s.cash_refunds ? `−${rupiah(s.cash_refunds)}` : rupiah(0)],
    ['shift.f.expected', rupiah(s.expected_cash)],
    s.counted_cash != null ? ['shift.f.counted', rupiah(s.counted_cash)] : null,
    s.variance != null ? ['shift.f.variance', variance(s.variance)] : null,
    ['shift.f.qris', t('shift.f.n_sales', { amount: rupiah(s.qris_total), n: digits(s.qris_count ?? 0) })],
    ['shift.f.sales', digits(s.sales_count ?? 0)],
    s.transfer_refunds ? ['shift.f.transfer_refunds', rupiah(s.transfer_refunds)] : null,
    s.note ? ['shift.f.note', s.note] : null,
  ].filter(Boolean);
  const dl = el('dl', { class: 'summary shift-summary' },
    ...rows.flatMap(([k, v]) => [el('dt', {}, t(k)), el('dd', { dataset: { field: k } }, v)]));
  const lines = s.count_lines ?? [];
  if (!lines.length) return dl;
  return el('div', { class: 'shift-report' }, dl,
    el('table', { class: 'table cc-lines' },
      el('thead', {}, el('tr', {}, el('th', {}, t('count.denom')), el('th', { class: 'num' }, t('count.count')), el('th', { class: 'num' }, t('count.amount')))),
      el('tbody', {}, ...lines.map((l) => el('tr', {},
        el('td', {}, rupiah(l.value)), el('td', { class: 'num' }, digits(l.count)), el('td', { class: 'num' }, rupiah(l.amount)))))));
}

/** Short (red), over, or exact: counted − expected, as the engine says it. */
function variance(v) {
  if (v < 0) return el('span', { class: 'variance short' }, t('shift.short', { amount: rupiah(-v) }));
  if (v > 0) return el('span', { class: 'variance over' }, t('shift.over', { amount: rupiah(v) }));
  return el('span', { class: 'variance exact' }, t('shift.exact'));
}

/** "Simpan PDF" and "Cetak ke printer" for a shift. */
export function wireShiftPrint(pdfBtn, printBtn, out, shiftId) {
  pdfBtn.onclick = async () => {
    try {
      const r = await call('shift_report_save', { shift_id: shiftId() });
      say(out, t('pr.saved', { path: r.path }), true);
    } catch (e) { say(out, errorText(e)); }
  };
  printBtn.onclick = async () => {
    try {
      await call('shift_print', { shift_id: shiftId() });
      say(out, t('pt.queued'), true);
    } catch (e) { say(out, errorText(e)); }
  };
}

// ---------- the screen ----------

let counter = null;
let mode = 'open'; // 'open', 'close' (the till's open shift) or 'result'
let target = null; // the shift being closed
let closed = null; // the shift just closed
let reason = null; // why the till came here ('sale': a sale needed a shift)
let back = () => show('kasir'); // the shell's: where Kembali and a shift just opened go

const who = (s) => s?.user?.name ?? '';

function render() {
  const login = session.login;
  const shift = login?.shift ?? null;
  const notice = $('shift-notice');
  notice.hidden = true;
  $('shift-error').hidden = true;
  $('shift-print-out').hidden = true;
  $('shift-form').hidden = mode === 'result';
  $('shift-result').hidden = mode !== 'result';
  if (mode === 'result') {
    $('shift-title').textContent = t('shift.closed.title', { name: who(closed) });
    $('shift-result-title').textContent = t('shift.closed.lead');
    $('shift-summary-slot').replaceChildren(shiftSummary(closed));
    $('shift-new').hidden = !!login?.shift;
    $('shift-new').focus();
    return;
  }
  const lang = language();
  const notes = [];
  if (mode === 'close') {
    target = shift;
    const mine = login?.shift_is_mine;
    $('shift-title').textContent = mine ? t('shift.close.title') : t('shift.close.other', { name: who(shift) });
    if (login?.shift_stale) notes.push(t('shift.stale', { name: who(shift), time: dateTime(shift.opened_ms, lang) }));
    else if (!mine) notes.push(t('shift.other_open', { name: who(shift), time: dateTime(shift.opened_ms, lang) }));
    if (!mine) notes.push(t('shift.other_close'));
    $('shift-who').textContent = t('shift.close.lead', { name: who(shift), time: dateTime(shift.opened_ms, lang) });
    $('shift-go-label').textContent = t('shift.close.go');
  } else {
    target = null;
    $('shift-title').textContent = t('shift.open.title');
    if (reason === 'sale') notes.push(t('shift.need'));
    $('shift-who').textContent = t('shift.open.lead', { name: login?.user?.name ?? '' });
    $('shift-go-label').textContent = t('shift.open.go');
  }
  if (notes.length) {
    notice.textContent = notes.join(' ');
    notice.hidden = false;
  }
  $('shift-note-row').hidden = mode !== 'close';
  $('shift-note').value = '';
  counter = cashCounter('sc', { submit: go });
  $('shift-count-slot').replaceChildren(counter.node);
}

let busy = false;

async function go() {
  if (busy) return;
  const err = $('shift-error');
  err.hidden = true;
  if (!counter.typedAnything()) {
    err.textContent = t('count.empty');
    err.hidden = false;
    counter.focus();
    return;
  }
  busy = true;
  try {
    if (mode === 'close') {
      const note = $('shift-note').value.trim();
      closed = await call('shift_close', { shift_id: target.id, counted: counter.count(), ...(note ? { note } : {}) });
      await loadLogin();
      mode = 'result';
      render();
    } else {
      await call('shift_open', { opening: counter.count() });
      await loadLogin();
      reason = null;
      back();
    }
  } catch (e) {
    showError(err, e);
    if (e?.code === 'shift_open') await loadLogin().then(() => { mode = 'close'; render(); showError($('shift-error'), e); }).catch(() => {});
  } finally {
    busy = false;
  }
}

/** Buka shift, or Tutup shift for the till's open shift; `why` 'sale' says a sale needed it. */
export function openShiftScreen(why = null) {
  reason = why;
  show('shift');
}

/** `onBack()` runs on Kembali and once a shift is open (the shell knows where the till goes). */
export function wireShift({ onBack } = {}) {
  if (onBack) back = onBack;
  $('shift-form').addEventListener('submit', (e) => { e.preventDefault(); go(); });
  $('shift-back').addEventListener('click', () => back());
  $('shift-lock').addEventListener('click', lockNow);
  $('screen-shift').addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !document.querySelector('dialog[open]')) { e.preventDefault(); back(); }
  });
  wireShiftPrint($('shift-pdf'), $('shift-print'), $('shift-print-out'), () => closed?.id);
  $('shift-new').addEventListener('click', () => { mode = 'open'; closed = null; render(); });
  onScreen('shift', {
    enter: () => {
      if (mode !== 'result' || !closed) mode = session.login?.shift ? 'close' : 'open';
      render();
    },
    leave: () => {
      if (mode === 'result') { mode = 'open'; closed = null; }
      reason = null;
    },
  });
}
