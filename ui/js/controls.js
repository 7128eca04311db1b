// Small pieces several screens use: the error line, the status badge, the
// copy button, the button that asks twice, and the pager.
import { el } from './dom.js';
import { lookup, t } from './i18n.js';

/** Our sentence in the cashier's language for the codes (and bad fields) a
 * cashier meets, or the engine's own. */
export function errorText(err) {
  for (const key of [`error.${err?.code}.${err?.field}`, `error.${err?.code}`]) {
    const local = lookup(key);
    if (local !== undefined) return local;
  }
  return err?.message ?? String(err);
}

export function showError(p, err) {
  p.textContent = errorText(err);
  p.hidden = false;
}

/** A status line: green when `ok`, red otherwise, hidden when empty. */
export function say(p, text, ok) {
  p.textContent = text;
  p.className = ok ? 'ok' : 'error';
  p.hidden = !text;
}

export function badge(status) {
  return el('span', { class: `badge ${status}` }, t(`status.${status}`));
}

/** The statuses the engine still lets the cashier verify or cancel (the
 * order views don't carry this yet, so it is written once, here). */
export function isOpen(status) {
  return status === 'pending' || status === 'awaiting_confirmation';
}

/** Put text on the clipboard; `btn`, if given, says "copied" for a moment. */
export async function copyText(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = el('textarea', {}, text);
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
  if (btn) flash(btn, t('copied'), 1500);
}

const faces = new WeakMap();

/** Show `text` on a button for `ms`, then its own face (children and all) again. */
function flash(btn, text, ms) {
  restore(btn);
  faces.set(btn, { face: [...btn.childNodes], timer: setTimeout(() => restore(btn), ms) });
  btn.textContent = text;
}

function restore(btn) {
  const f = faces.get(btn);
  if (!f) return;
  clearTimeout(f.timer);
  faces.delete(btn);
  delete btn.dataset.armed;
  btn.replaceChildren(...f.face);
}

/** A destructive button asks once more on its own face instead of a dialog:
 * the first click shows `question` for 4 s, a second click in that time runs `action`. */
export function confirmTwice(btn, question, action) {
  if (btn.dataset.armed) {
    restore(btn);
    return action();
  }
  flash(btn, question, 4000);
  btn.dataset.armed = '1';
  return undefined;
}

/** ‹ Sebelumnya · Halaman x dari y · Berikutnya ›: `load` runs with `pager.page` changed. */
export function pager(prev, next, label, load) {
  const p = {
    page: 1,
    reset() {
      p.page = 1;
    },
    /** After a list came back: its page, how many in all and per page. */
    render({ page, total, per_page: perPage }) {
      const pages = Math.max(1, Math.ceil(total / perPage));
      p.page = page;
      label.textContent = t('pager.page', { page, pages });
      prev.disabled = page <= 1;
      next.disabled = page >= pages;
    },
  };
  prev.addEventListener('click', () => {
    p.page = Math.max(1, p.page - 1);
    load();
  });
  next.addEventListener('click', () => {
    p.page += 1;
    load();
  });
  return p;
}

/** A "Salin" button that copies what `text()` returns when clicked. */
export function copyButton(text, props = {}) {
  const b = el('button', { type: 'button', ...props }, t('copy'));
  b.addEventListener('click', async () => copyText(await text(), b));
  return b;
}
