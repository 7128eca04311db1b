// Who is at the till: the lock screen (the users' names, then a PIN; on the
// first run the owner's name and PIN are made here), the lock key and the
// idle lock, and the owner's PIN asked on the spot when a cashier's command
// answers `owner_only`. The engine checks every PIN and every right; this
// only asks, and shows what it answered.
import { call, setGuards } from './api.js';
import { $, el } from './dom.js';
import { timeOfDay } from './format.js';
import { t, language, lookup } from './i18n.js';
import { errorText } from './controls.js';
import { session, update, onChange } from './session.js';

let people = null; // people_list's answer
let chosen = null; // the user whose PIN is being typed
let unlocked = () => {}; // the shell's: (login, previousUserId)
let previousUser = null; // who was at the till before the lock
let lastActivity = Date.now();

// ---------- errors about PINs ----------

/** A PIN refused: our sentence, with the tries left or the time the user is
 * locked until when the engine says them. */
export function pinErrorText(e, user) {
  if (e?.code === 'wrong_pin') {
    return Number.isFinite(e.tries_left) ? t('pin.wrong.left', { n: e.tries_left }) : t('error.wrong_pin');
  }
  if (e?.code === 'pin_locked') {
    const until = user?.locked_until_ms;
    if (until) return t('pin.locked.until', { name: user.name, time: timeOfDay(until, language(), { seconds: true }) });
    return t('error.pin_locked');
  }
  return errorText(e);
}

function sayError(p, e, user) {
  p.textContent = pinErrorText(e, user);
  p.dataset.code = e?.code ?? '';
  p.hidden = false;
}

function hideError(p) {
  p.hidden = true;
  delete p.dataset.code;
}

/** Only digits, at most six, in a PIN field. */
function pinField(input) {
  input.addEventListener('input', () => {
    const d = digitsOnly(input.value).slice(0, 6);
    if (d !== input.value) input.value = d;
  });
}

// a PIN may start with 0 (format.js's onlyDigits drops leading zeros)
const digitsOnly = (s) => String(s).replace(/\D/g, '');

// ---------- the lock screen ----------

export const isLocked = () => $('lock-dialog').open;

function view(name) {
  $('lock-users-view').hidden = name !== 'users';
  $('lock-pin-view').hidden = name !== 'pin';
  $('lock-setup-view').hidden = name !== 'setup';
}

/** Lock the till now (Ctrl+L, the 🔒 button, the idle timer). */
export async function lockNow() {
  if (isLocked()) return;
  try {
    await call('lock');
  } catch (e) {
    console.error(e);
  }
  showLock();
}

/** The lock screen, over everything; an open dialog (Bayar, Refund) closes. */
export async function showLock() {
  const dlg = $('lock-dialog');
  if (session.login) previousUser = session.login.user.id;
  if (session.login) update({ login: null });
  for (const d of document.querySelectorAll('dialog[open]')) if (d !== dlg) d.close();
  if (!dlg.open) {
    chosen = null;
    dlg.showModal();
  }
  await loadPeople();
}

async function loadPeople() {
  try {
    people = await call('people_list');
  } catch (e) {
    view('users');
    $('lock-users').replaceChildren(el('p', { class: 'error' }, errorText(e)));
    return;
  }
  if (people.first_run) {
    view('setup');
    hideError($('lock-setup-error'));
    $('owner-name').focus();
    return;
  }
  renderUsers();
  // typing a PIN for someone: stay there (a refresh after pin_locked)
  if (chosen && $('lock-pin-view').hidden === false) return;
  view('users');
  $('lock-users').querySelector('button')?.focus();
}

function lockedUntil(u) {
  return u.locked_until_ms && u.locked_until_ms > Date.now() ? u.locked_until_ms : null;
}

function renderUsers() {
  $('lock-users').replaceChildren(...people.users.map((u, i) => {
    const until = lockedUntil(u);
    const b = el('button', { type: 'button', class: 'lock-user', dataset: { userId: u.id } },
      i < 9 ? el('kbd', {}, String(i + 1)) : null,
      el('span', { class: 'lu-name' }, u.name),
      el('small', { class: until ? 'lu-role locked' : 'lu-role' },
        until ? t('lock.user.locked', { time: timeOfDay(until, language(), { seconds: true }) }) : t(`role.${u.role}`)));
    b.addEventListener('click', () => pick(u));
    return b;
  }));
}

function pick(u) {
  chosen = u;
  $('lock-name').textContent = u.name;
  $('lock-pin').value = '';
  hideError($('lock-error'));
  const until = lockedUntil(u);
  if (until) sayError($('lock-error'), { code: 'pin_locked' }, u);
  view('pin');
  $('lock-pin').focus();
}

function backToUsers() {
  chosen = null;
  view('users');
  $('lock-users').querySelector('button')?.focus();
}

let busy = false;

async function submitPin() {
  const pin = $('lock-pin').value;
  if (!chosen || busy || !pin) return;
  busy = true;
  try {
    done(await call('unlock', { user_id: chosen.id, pin }));
  } catch (e) {
    $('lock-pin').value = '';
    if (e?.code === 'pin_locked') {
      // people_list says until when
      try {
        people = await call('people_list');
        chosen = people.users.find((u) => u.id === chosen.id) ?? chosen;
        renderUsers();
      } catch { /* the sentence without the time */ }
    }
    sayError($('lock-error'), e, chosen);
    $('lock-pin').focus();
  } finally {
    busy = false;
  }
}

async function submitSetup() {
  const err = $('lock-setup-error');
  hideError(err);
  const name = $('owner-name').value.trim();
  const pin = $('owner-pin').value;
  if ($('owner-pin2').value !== pin) {
    err.textContent = t('lock.setup.mismatch');
    err.hidden = false;
    $('owner-pin2').value = '';
    $('owner-pin2').focus();
    return;
  }
  try {
    done(await call('owner_setup', { name, pin }));
    for (const id of ['owner-name', 'owner-pin', 'owner-pin2']) $(id).value = '';
  } catch (e) {
    sayError(err, e);
  }
}

/** Someone is at the till: the shell decides where they go. */
function done(login) {
  const before = previousUser;
  previousUser = login.user.id;
  chosen = null;
  update({ login });
  lastActivity = Date.now();
  $('lock-dialog').close();
  unlocked(login, before);
}

// ---------- the owner's PIN on the spot ----------

let approval = null; // {resolve, owner}

/** Ask an owner's PIN for the command that answered owner_only; true once approved. */
async function askOwner(cmd, err) {
  if (isLocked()) return false;
  let owners = [];
  try {
    owners = (await call('people_list')).users.filter((u) => u.role === 'owner');
  } catch (e) {
    console.error(e);
  }
  const dlg = $('owner-dialog');
  $('ow-why').textContent = t('owner.why', { what: lookup(`owner.cmd.${cmd}`) ?? t('owner.cmd.other') });
  $('ow-why').dataset.command = cmd;
  $('ow-why').title = err?.message ?? '';
  $('ow-pin').value = '';
  hideError($('ow-error'));
  return new Promise((resolve) => {
    approval = { resolve, right: err?.right, owner: owners.length === 1 ? owners[0] : null };
    const pickOwner = (o) => {
      approval.owner = o;
      for (const b of $('ow-owners').children) b.setAttribute('aria-pressed', String(Number(b.dataset.userId) === o.id));
      $('ow-pin').focus();
    };
    $('ow-owners').replaceChildren(...owners.map((o) => {
      const b = el('button', { type: 'button', dataset: { userId: o.id }, 'aria-pressed': String(approval.owner?.id === o.id) }, o.name);
      b.addEventListener('click', () => pickOwner(o));
      return b;
    }));
    dlg.showModal();
    if (approval.owner || owners.length === 0) $('ow-pin').focus();
    else $('ow-owners').querySelector('button')?.focus();
  });
}

function finishApproval(ok) {
  const a = approval;
  approval = null;
  if ($('owner-dialog').open) $('owner-dialog').close();
  a?.resolve(ok);
}

async function submitOwner() {
  const a = approval;
  if (!a || busy) return;
  const err = $('ow-error');
  if (!a.owner) {
    err.textContent = t('owner.pick');
    err.hidden = false;
    return;
  }
  busy = true;
  try {
    await call('owner_approve', { user_id: a.owner.id, pin: $('ow-pin').value, right: a.right });
    finishApproval(true);
  } catch (e) {
    $('ow-pin').value = '';
    let who = a.owner;
    if (e?.code === 'pin_locked') {
      try { who = (await call('people_list')).users.find((u) => u.id === a.owner.id) ?? who; } catch { /* without the time */ }
    }
    sayError(err, e, who);
    $('ow-pin').focus();
  } finally {
    busy = false;
  }
}

// ---------- the top bar and the idle lock ----------

function renderUser() {
  const u = session.login?.user;
  $('lock-btn').hidden = !u;
  $('lock-user').textContent = u?.name ?? '';
  $('lock-btn').title = t('lock.button');
}

function idleMinutes() {
  return session.login?.lock_after_minutes ?? session.settings?.lock_after_minutes ?? 0;
}

function checkIdle() {
  const m = idleMinutes();
  if (!session.login || isLocked() || !m) return;
  if (Date.now() - lastActivity >= m * 60000) lockNow();
}

// ---------- wiring ----------

/**
 * `onUnlock(login, previousUserId)` runs each time someone unlocks (or the
 * owner is made); `onNoShift(err)` when a sale needs a shift.
 */
export function wirePeople({ onUnlock, onNoShift }) {
  unlocked = onUnlock;
  setGuards({
    locked: () => showLock(),
    ownerOnly: askOwner,
    noShift: onNoShift,
  });

  // the lock screen
  const dlg = $('lock-dialog');
  // Esc never closes the lock screen: it goes back to the names
  dlg.addEventListener('cancel', (e) => {
    e.preventDefault();
    if (!$('lock-pin-view').hidden) backToUsers();
  });
  dlg.addEventListener('keydown', (e) => {
    if (!$('lock-users-view').hidden && /^[1-9]$/.test(e.key) && people?.users[Number(e.key) - 1]) {
      e.preventDefault();
      pick(people.users[Number(e.key) - 1]);
    } else if (!$('lock-pin-view').hidden && document.activeElement !== $('lock-pin') && /^[0-9]$/.test(e.key)) {
      e.preventDefault();
      $('lock-pin').value = ($('lock-pin').value + e.key).slice(0, 6);
      $('lock-pin').focus();
    }
  });
  pinField($('lock-pin'));
  for (const b of document.querySelectorAll('#lock-pin-view [data-pin]')) {
    b.addEventListener('click', () => {
      const pin = $('lock-pin');
      pin.value = b.dataset.pin === 'back' ? pin.value.slice(0, -1) : (pin.value + b.dataset.pin).slice(0, 6);
      pin.focus();
    });
  }
  $('lock-pin-view').addEventListener('submit', (e) => { e.preventDefault(); submitPin(); });
  $('lock-back').addEventListener('click', backToUsers);
  for (const id of ['owner-pin', 'owner-pin2']) pinField($(id));
  $('lock-setup-view').addEventListener('submit', (e) => { e.preventDefault(); submitSetup(); });

  // the owner's PIN
  pinField($('ow-pin'));
  $('owner-form').addEventListener('submit', (e) => { e.preventDefault(); submitOwner(); });
  $('ow-cancel').addEventListener('click', () => finishApproval(false));
  $('owner-dialog').addEventListener('close', () => finishApproval(false));

  // the top bar, the lock key and the idle timer
  $('lock-btn').addEventListener('click', lockNow);
  renderUser();
  onChange(renderUser);
  // the engine's idle lock counts what the cashier does, not what the page
  // refreshes by itself: say so, at most every half minute
  let told = 0;
  for (const ev of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart']) {
    document.addEventListener(ev, () => {
      lastActivity = Date.now();
      if (session.login && lastActivity - told > 30000) {
        told = lastActivity;
        call('session_touch', {}, { approve: false }).catch(() => {});
      }
    }, { capture: true, passive: true });
  }
  setInterval(checkIdle, 10000);
}

/** Ctrl+L from anywhere; true when it was the lock key. */
export function onLockKey(e) {
  if (!(e.ctrlKey && !e.altKey && !e.metaKey && e.key.toLowerCase() === 'l')) return false;
  e.preventDefault();
  if (session.login) lockNow();
  return true;
}

/** At start: the engine's Session, or the lock screen until someone unlocks. */
export async function startSession() {
  try {
    const login = await call('session_get');
    update({ login });
    previousUser = login.user.id;
    return login;
  } catch (e) {
    if (e?.code !== 'locked') throw e;
    showLock();
    return null;
  }
}
