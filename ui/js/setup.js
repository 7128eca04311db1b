// The first run (and Pengaturan → "Impor QRIS lain…"): import the shop's
// static QRIS from a photo, a screenshot or its text.
import { call } from './api.js';
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { showError } from './controls.js';
import { onScreen, show } from './nav.js';
import { session } from './session.js';

function renderImported(r) {
  const q = r.qris;
  const dl = $('setup-summary');
  dl.replaceChildren();
  for (const [k, v] of [
    ['field.merchant', q.merchant_name],
    ['field.city', q.merchant_city],
    ['field.nmid', q.nmid || '—'],
    ['field.acquirer', q.acquirer || '—'],
  ]) dl.append(el('dt', {}, t(k)), el('dd', { id: `setup-${k.split('.')[1]}` }, v));
  const ul = $('setup-warnings');
  ul.replaceChildren(...(r.warnings || []).map((w) => el('li', {}, w.message ?? JSON.stringify(w))));
  $('setup-result').hidden = false;
  $('setup-error').hidden = true;
  if (session.info) session.info.has_qris = true;
  $('setup-done').focus();
}

async function importText() {
  $('setup-error').hidden = true;
  try {
    renderImported(await call('qris_import_text', { payload: $('qris-text').value.trim() }));
  } catch (e) {
    showError($('setup-error'), e);
  }
}

async function importImage(file) {
  if (!file) return;
  $('setup-error').hidden = true;
  $('setup-result').hidden = true;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    renderImported(await call('qris_import_image', bytes));
  } catch (e) {
    showError($('setup-error'), e);
  }
}

/** Until a QRIS is imported, the menu keys stay on this screen. */
export const hasQris = () => !!session.info?.has_qris;

/** `onDone()` runs on "Mulai berjualan" (the shell goes on to the shift). */
export function wireSetup({ onDone } = {}) {
  $('qris-import').addEventListener('click', importText);
  $('qris-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      importText();
    }
  });
  $('qris-file').addEventListener('change', (e) => importImage(e.target.files[0]));
  const dz = $('dropzone');
  dz.addEventListener('dragover', (e) => {
    e.preventDefault();
    dz.classList.add('over');
  });
  dz.addEventListener('dragleave', () => dz.classList.remove('over'));
  dz.addEventListener('drop', (e) => {
    e.preventDefault();
    dz.classList.remove('over');
    importImage(e.dataTransfer.files[0]);
  });
  dz.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') $('qris-file').click();
  });
  $('setup-done').addEventListener('click', () => {
    $('setup-result').hidden = true;
    $('qris-text').value = '';
    if (onDone) onDone();
    else show('kasir');
  });
  $('setup-again').addEventListener('click', () => {
    $('setup-result').hidden = true;
    $('qris-text').value = '';
    $('qris-text').focus();
  });
  onScreen('setup', { enter: () => $('qris-text').focus() });
}
