// Pengaturan → Printer struk (the thermal printer), and Pesanan's "Cetak ke
// printer". The engine checks every field and keeps the queue; this shows it.
import { call } from './api.js';
import { language, t } from './i18n.js';
import { el } from './dom.js';
import { dateTime } from './format.js';
import { errorText as err, say } from './controls.js';

const select = (id, options, value) => {
  const s = el('select', { id }, ...options.map(([v, label]) => el('option', { value: v }, label)));
  s.value = value;
  return s;
};

function jobRow(job, reload, out) {
  const retry = el('button', { type: 'button', class: 'print-retry' }, t('pt.retry'));
  retry.hidden = job.status === 'printed';
  retry.addEventListener('click', async () => {
    try { await call('print_job_retry', { id: job.id }); reload(); } catch (e) { say(out, err(e)); }
  });
  return el('tr', {},
    el('td', {}, dateTime(job.created_at, language(), { seconds: true })),
    el('td', {}, job.order_id || '—'),
    el('td', {}, t(`pt.status.${job.status}`)),
    el('td', {}, String(job.attempts)),
    el('td', {}, job.last_error || ''),
    el('td', {}, retry));
}

/** The printer card: connection, paper, code page, automatic printing, a test slip and the queue. */
export async function printerCard() {
  const out = el('p', { role: 'status', hidden: '' });
  let p;
  try { p = await call('printer_get'); } catch (e) { say(out, err(e)); return el('div', { class: 'card' }, out); }
  const connection = select('pt-connection', ['none', 'network', 'usb', 'serial'].map((v) => [v, t(`pt.conn.${v}`)]), p.connection);
  const address = el('input', { id: 'pt-address', placeholder: '192.168.1.50:9100 · /dev/usb/lp0' });
  address.value = p.address || '';
  const baud = select('pt-baud', [9600, 19200, 38400, 57600, 115200].map((b) => [String(b), String(b)]), String(p.baud));
  const paper = select('pt-paper', [['58', '58 mm'], ['80', '80 mm']], p.paper);
  const codePage = select('pt-code-page', [['pc437', 'PC437'], ['pc850', 'PC850'], ['pc858', 'PC858'], ['wpc1252', 'Windows-1252']], p.code_page);
  const qr = select('pt-qr', ['native', 'bitmap'].map((v) => [v, t(`pt.qr.${v}`)]), p.qr);
  const auto = el('input', { type: 'checkbox', id: 'pt-auto' });
  auto.checked = p.auto_print;
  const save = el('button', { type: 'button', id: 'pt-save' }, t('pt.save'));
  const test = el('button', { type: 'button', id: 'pt-test' }, t('pt.test'));
  const rows = el('tbody', {});
  const reload = async () => {
    try {
      const { jobs } = await call('print_jobs');
      rows.replaceChildren(...jobs.map((j) => jobRow(j, reload, out)));
    } catch (e) { say(out, err(e)); }
  };
  save.addEventListener('click', async () => {
    try {
      await call('printer_set', { patch: {
        connection: connection.value, address: address.value, baud: Number(baud.value),
        paper: paper.value, code_page: codePage.value, qr: qr.value, auto_print: auto.checked,
      } });
      say(out, t('pt.saved'), true);
      reload();
    } catch (e) { say(out, err(e)); }
  });
  test.addEventListener('click', async () => {
    test.disabled = true;
    try {
      const r = await call('printer_test');
      say(out, t(`pt.test.${r.sent}`), true);
    } catch (e) { say(out, err(e)); } finally { test.disabled = false; }
  });
  reload();
  return el('div', { class: 'card', id: 'printer-card' },
    el('h2', {}, t('pt.title')),
    el('div', { class: 'form-grid' },
      el('label', {}, t('pt.connection'), connection),
      el('label', {}, t('pt.address'), address),
      el('label', {}, t('pt.baud'), baud),
      el('label', {}, t('pr.paper'), paper),
      el('label', {}, t('pt.code_page'), codePage),
      el('label', {}, t('pt.qr'), qr)),
    el('label', { class: 'check' }, auto, ' ', el('span', {}, t('pt.auto'))),
    el('div', { class: 'inline' }, save, ' ', test),
    out,
    el('h3', {}, t('pt.queue')),
    el('table', { class: 'table', id: 'print-jobs' },
      el('thead', {}, el('tr', {}, ...['pt.when', 'pt.order', 'pt.state', 'pt.tries', 'pt.why', 'pt.action'].map((k) => el('th', {}, t(k))))),
      rows));
}

/** "Cetak ke printer" for an order: its receipt when paid, its QR slip when open. */
export function thermalButton(orderId, out) {
  const btn = el('button', { type: 'button', id: 'pt-print' }, t('pt.print'));
  btn.addEventListener('click', async () => {
    try {
      await call('printer_print', { order_id: orderId });
      say(out, t('pt.queued'), true);
    } catch (e) { say(out, err(e)); }
  });
  return btn;
}

/** "Cetak ke printer" beside the daily report's PDF: the same report as a slip. */
export function reportThermalButton(getDate, out) {
  const btn = el('button', { type: 'button', id: 'pt-report', title: t('pt.report.hint') }, t('pt.report'));
  btn.addEventListener('click', async () => {
    try {
      await call('printer_print_report', { date: await getDate() });
      say(out, t('pt.queued'), true);
    } catch (e) { say(out, err(e)); }
  });
  return btn;
}
