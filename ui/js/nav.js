// Which screen is up. A screen module says what to do when it comes up or
// goes away; the shell (app.js) decides when to go where.
import { $ } from './dom.js';

const SCREENS = ['setup', 'kasir', 'qr', 'shift', 'orders', 'links', 'settings', 'customer'];
const hooks = {};
let current = null;

/** `enter` runs each time `name` is shown, `leave` when another screen replaces it. */
export function onScreen(name, { enter, leave } = {}) {
  hooks[name] = { enter, leave };
}

export function screen() {
  return current;
}

export function show(name) {
  if (current && current !== name) hooks[current]?.leave?.();
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== name;
  for (const b of document.querySelectorAll('.tabs button')) {
    const on = b.dataset.screen === name || (name === 'qr' && b.dataset.screen === 'kasir');
    if (on) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  current = name;
  hooks[name]?.enter?.();
}
