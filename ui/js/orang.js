// Pengaturan → Orang (who may unlock the till, their PINs, the lock time and
// a cashier's discount limit) and Pengaturan → Shift (the shifts and their
// reports). Only an owner manages people: for a cashier the engine answers
// `owner_only`, and saving asks an owner's PIN (api.js).
import { call } from './api.js';
import { $, el } from './dom.js';
import { bpPercent, dateTime, onlyDigits, percentBp, rupiah, timeOfDay, typedNumber } from './format.js';
import { t, language } from './i18n.js';
import { confirmTwice, errorText, say } from './controls.js';
import { session, loadLogin, update, may } from './session.js';
import { shiftSummary, wireShiftPrint } from './shift.js';

const pinInput = (id) => el('input', { id, class: 'pin small', type: 'password', inputmode: 'numeric', maxlength: '6', autocomplete: 'off' });

function keepDigits(input) {
  input.addEventListener('input', () => { input.value = input.value.replace(/\D/g, '').slice(0, 6); });
  return input;
}

// ---------- Orang ----------

/** The Orang card. */
export function peopleCard() {
  const out = el('p', { role: 'status', hidden: '' });
  const tbody = el('tbody');
  const table = el('table', { class: 'table', id: 'people-table' },
    el('thead', {}, el('tr', {}, ...['people.col.name', 'people.col.role', 'people.col.status'].map((k) => el('th', {}, t(k))), el('th'))),
    tbody);
  const ownerOnly = el('div', { class: 'notice', hidden: '' }, t('people.owner_only'), ' ');
  const askBtn = el('button', { type: 'button', id: 'people-ask' }, t('people.ask'));
  ownerOnly.append(askBtn);

  // add someone
  const name = el('input', { id: 'pp-name', maxlength: '40', autocomplete: 'off' });
  const role = el('select', { id: 'pp-role' },
    el('option', { value: 'cashier' }, t('role.cashier')), el('option', { value: 'owner' }, t('role.owner')));
  const pin = keepDigits(pinInput('pp-pin'));
  const add = el('button', { type: 'submit', class: 'primary', id: 'pp-add' }, t('people.add'));
  const form = el('form', { class: 'inline', id: 'people-form', autocomplete: 'off' },
    el('label', {}, t('people.name'), name),
    el('label', {}, t('people.role'), role),
    el('label', {}, t('people.pin'), pin),
    add);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const u = await call('user_save', { user: { name: name.value.trim(), role: role.value, pin: pin.value } });
      name.value = '';
      pin.value = '';
      role.value = 'cashier';
      say(out, t('people.added', { name: u.name }), true);
      await load();
      name.focus();
    } catch (err) { say(out, errorText(err)); }
  });

  // the two settings
  const lockAfter = el('input', { id: 'pp-lock-after', inputmode: 'numeric', class: 'short' });
  const limit = el('input', { id: 'pp-discount-limit', inputmode: 'decimal', class: 'short' });
  const saveSettings = el('button', { type: 'button', id: 'pp-save' }, t('settings.save'));
  const settingsOut = el('p', { role: 'status', id: 'pp-status', hidden: '' });
  const fillSettings = () => {
    const s = session.settings ?? {};
    lockAfter.value = s.lock_after_minutes ?? '';
    limit.value = s.cashier_discount_limit_bp != null ? bpPercent(s.cashier_discount_limit_bp) : '';
  };
  saveSettings.addEventListener('click', async () => {
    // a percent that isn't one goes to the engine as -1, which refuses it
    const bp = limit.value.trim() ? (percentBp(limit.value) ?? -1) : undefined;
    const minutes = lockAfter.value.trim() ? (onlyDigits(lockAfter.value) ? typedNumber(lockAfter.value) : -1) : undefined;
    try {
      const settings = await call('settings_update', { patch: { lock_after_minutes: minutes, cashier_discount_limit_bp: bp } });
      update({ settings });
      await loadLogin().catch(() => {});
      fillSettings();
      say(settingsOut, t('settings.saved'), true);
    } catch (err) { say(settingsOut, errorText(err)); }
  });

  async function load(approve = false) {
    try {
      const users = await call('users_list', undefined, { approve });
      ownerOnly.hidden = true;
      table.hidden = false;
      form.hidden = false;
      tbody.replaceChildren(...users.map((u) => row(u)));
    } catch (err) {
      if (err?.code !== 'owner_only') return say(out, errorText(err));
      ownerOnly.hidden = false;
      table.hidden = true;
      form.hidden = true;
    }
  }

  function row(u) {
    const until = u.locked_until_ms && u.locked_until_ms > Date.now() ? u.locked_until_ms : null;
    const status = !u.active ? t('people.inactive')
      : until ? t('lock.user.locked', { time: timeOfDay(until, language(), { seconds: true }) }) : t('people.active');
    const actions = el('td', { class: 'nowrap' });
    // a new PIN, typed in the row
    const newPin = keepDigits(pinInput(`pp-newpin-${u.id}`));
    newPin.placeholder = t('people.newpin');
    newPin.hidden = true;
    const change = el('button', { type: 'button', class: 'pp-pin' }, t('people.changepin'));
    change.addEventListener('click', async () => {
      if (newPin.hidden) { newPin.hidden = false; newPin.focus(); change.textContent = t('people.savepin'); return; }
      try {
        await call('user_save', { user: { id: u.id, pin: newPin.value } });
        say(out, t('people.pinchanged', { name: u.name }), true);
        load();
      } catch (err) { say(out, errorText(err)); }
    });
    newPin.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); change.click(); } });
    actions.append(newPin, ' ', change, ' ');
    // no one deactivates themselves (the till would lock them out)
    if (u.active && session.login?.user?.id !== u.id) {
      const off = el('button', { type: 'button', class: 'danger pp-off' }, t('people.deactivate'));
      off.addEventListener('click', () => confirmTwice(off, t('people.confirmdeactivate', { name: u.name }), async () => {
        try {
          await call('user_save', { user: { id: u.id, active: false } });
          say(out, t('people.deactivated', { name: u.name }), true);
        } catch (err) { say(out, errorText(err)); }
        load();
      }));
      actions.append(off);
    } else if (!u.active) {
      const on = el('button', { type: 'button', class: 'pp-on' }, t('people.activate'));
      on.addEventListener('click', async () => {
        try { await call('user_save', { user: { id: u.id, active: true } }); } catch (err) { say(out, errorText(err)); }
        load();
      });
      actions.append(on);
    }
    return el('tr', { dataset: { userId: u.id }, class: u.active ? '' : 'inactive' },
      el('td', {}, el('b', {}, u.name), session.login?.user?.id === u.id ? el('small', { class: 'muted' }, ` · ${t('people.you')}`) : null),
      el('td', {}, t(`role.${u.role}`)),
      el('td', {}, status),
      actions);
  }

  askBtn.addEventListener('click', () => load(true));
  fillSettings();
  load();
  return el('div', { class: 'card', id: 'people-card' },
    el('h2', {}, t('people.title')),
    ownerOnly,
    table,
    el('h3', {}, t('people.add_title')),
    form,
    out,
    el('h3', {}, t('people.access')),
    el('div', { class: 'inline' },
      el('label', {}, t('people.lock_after'), lockAfter),
      el('label', {}, t('people.discount_limit'), limit),
      saveSettings),
    el('p', { class: 'muted' }, t('people.access.why')),
    settingsOut);
}

// ---------- Shift ----------

/** The Shift card: newest first, one shift's report in a dialog. */
export function shiftsCard() {
  const out = el('p', { role: 'status', hidden: '' });
  const tbody = el('tbody');
  const empty = el('p', { class: 'muted', hidden: '' }, t('shifts.empty'));
  const prev = el('button', { type: 'button', id: 'shifts-prev' }, t('pager.prev'));
  const next = el('button', { type: 'button', id: 'shifts-next' }, t('pager.next'));
  const label = el('span');
  let page = 1;
  const perPage = 20; // shifts_list says no total: a shorter page is the last

  async function load() {
    try {
      const list = await call('shifts_list', { page, per_page: perPage }, { approve: false });
      tbody.replaceChildren(...list.map(row));
      empty.hidden = list.length > 0 || page > 1;
      label.textContent = t('shifts.page', { page });
      prev.disabled = page <= 1;
      next.disabled = list.length < perPage;
    } catch (e) { say(out, errorText(e)); }
  }

  function row(s) {
    const lang = language();
    const v = s.variance;
    const tr = el('tr', { class: 'clickable', tabindex: '0', dataset: { shiftId: s.id } },
      el('td', {}, s.user?.name ?? ''),
      el('td', {}, dateTime(s.opened_ms, lang)),
      el('td', {}, s.closed_ms ? dateTime(s.closed_ms, lang) : el('span', { class: 'badge awaiting_confirmation' }, t('shifts.open'))),
      el('td', { class: 'num' }, rupiah(s.expected_cash)),
      el('td', { class: 'num' }, s.counted_cash != null ? rupiah(s.counted_cash) : '—'),
      el('td', { class: `num${v < 0 ? ' variance short' : ''}` }, v == null ? '—' : (v < 0 ? `−${rupiah(-v)}` : rupiah(v))));
    tr.addEventListener('click', () => openShift(s.id));
    tr.addEventListener('keydown', (e) => e.key === 'Enter' && openShift(s.id));
    return tr;
  }

  prev.addEventListener('click', () => { page = Math.max(1, page - 1); load(); });
  next.addEventListener('click', () => { page += 1; load(); });
  load();
  return el('div', { class: 'card', id: 'shifts-card' },
    el('h2', {}, t('shifts.title')),
    may('reports_all') ? null : el('p', { class: 'muted' }, t('shifts.own')),
    el('table', { class: 'table', id: 'shifts-table' },
      el('thead', {}, el('tr', {}, ...['shifts.col.cashier', 'shifts.col.opened', 'shifts.col.closed'].map((k) => el('th', {}, t(k))),
        ...['shifts.col.expected', 'shifts.col.counted', 'shifts.col.variance'].map((k) => el('th', { class: 'num' }, t(k))))),
      tbody),
    empty, out,
    el('div', { class: 'pager' }, prev, ' ', label, ' ', next));
}

let dialogShift = null;

async function openShift(id) {
  const out = $('sd-out');
  out.hidden = true;
  try {
    const s = await call('shift_get', { shift_id: id });
    dialogShift = s.id;
    $('sd-title').textContent = t('shifts.detail', { name: s.user?.name ?? '', time: dateTime(s.opened_ms, language()) });
    $('sd-summary').replaceChildren(shiftSummary(s));
    if (!$('shift-dialog').open) $('shift-dialog').showModal();
  } catch (e) {
    console.error(e);
  }
}

export function wireShiftDialog() {
  wireShiftPrint($('sd-pdf'), $('sd-print'), $('sd-out'), () => dialogShift);
  $('sd-close').addEventListener('click', () => $('shift-dialog').close());
}
