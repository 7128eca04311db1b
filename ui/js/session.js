// What `app_info` said: the settings, the server, the merchant's zone and
// today in it; and who is at the till (`login`, the engine's Session: the
// user, their rights, the till's open shift). Screens read it here; whoever
// changes it says so through `update`, and the shell redraws what depends
// on it (the server pill, the lock button).
import { call } from './api.js';
import { setZone, todayHere } from './format.js';

export const session = { info: null, settings: null, server: null, login: null };

const listeners = [];

/** Run `fn` after every change. */
export function onChange(fn) {
  listeners.push(fn);
}

/** Merge what a command returned (`{settings}`, `{server}`) and tell the listeners. */
export function update(patch) {
  Object.assign(session, patch);
  for (const fn of listeners) fn(session);
}

/** Ask the engine again: at start, and after anything that may change the zone. */
export async function loadInfo() {
  const info = await call('app_info');
  setZone(info.zone);
  update({ info, settings: info.settings, server: info.server });
  return info;
}

/** Today (YYYY-MM-DD) in the merchant's zone, as the engine says it now. */
export async function today() {
  const info = await loadInfo();
  return info.today ?? todayHere();
}

/** The engine's Session again (after a shift opens or closes, a setting
 * changes); null when the till is locked. */
export async function loadLogin() {
  try {
    update({ login: await call('session_get') });
  } catch (e) {
    if (e?.code !== 'locked') throw e;
    update({ login: null });
  }
  return session.login;
}

/** What the user at the till may do without an owner's PIN. */
export const may = (right) => !!session.login?.rights?.[right];
