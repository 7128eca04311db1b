// Bahasa Indonesia first; English for whoever prefers it. The strings are in
// strings/<language>.js, one file per language with the same keys.
import id from './strings/id.js';
import en from './strings/en.js';

const STRINGS = { id, en };

let lang = 'id';

export function setLanguage(l) {
  lang = STRINGS[l] ? l : 'id';
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
}

export function language() {
  return lang;
}

/** The sentence of a key, or undefined when no language has it. */
export function lookup(key) {
  return STRINGS[lang][key] ?? STRINGS.id[key];
}

export function t(key, vars = {}) {
  const s = lookup(key) ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? vars[k] : `{${k}}`));
}
