// node --test ui/test/ (make unit): the two string files agree, every key the
// UI names exists, and the display formatters do what the screens expect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import id from '../js/strings/id.js';
import en from '../js/strings/en.js';
import { rupiah, dateTime, setZone, todayHere, typedAmount, typedNumber, countdown, timeOfDay } from '../js/format.js';
import { errorText } from '../js/controls.js';
import { setLanguage } from '../js/i18n.js';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('Bahasa Indonesia and English have exactly the same keys', () => {
  const onlyId = Object.keys(id).filter((k) => !(k in en));
  const onlyEn = Object.keys(en).filter((k) => !(k in id));
  assert.deepEqual(onlyId, [], 'keys missing from strings/en.js');
  assert.deepEqual(onlyEn, [], 'keys missing from strings/id.js');
});

test('each key has the same {placeholders} in both languages, and no empty sentence', () => {
  for (const k of Object.keys(id)) {
    assert.deepEqual(placeholders(en[k] ?? ''), placeholders(id[k]), k);
    assert.ok(id[k].trim() && en[k]?.trim(), `${k} is empty`);
  }
});

test('every key the page and the modules name is in the string files', () => {
  const named = new Set();
  const html = readFileSync(join(ui, 'index.html'), 'utf8');
  for (const m of html.matchAll(/data-i18n(?:-aria)?="([^"]+)"/g)) named.add(m[1]);
  const js = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? js(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []);
  for (const f of js(join(ui, 'js'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([^'$]+)'/g)) named.add(m[1]);
  }
  assert.ok(named.size > 100, `found only ${named.size} keys: is the pattern still right?`);
  assert.deepEqual([...named].filter((k) => !(k in id)), []);
});

test('the status, source and error keys the engine can send exist', () => {
  for (const s of ['pending', 'awaiting_confirmation', 'paid', 'cancelled', 'expired']) {
    assert.ok(`status.${s}` in id && `qr.status.${s}` in id, s);
  }
  for (const s of ['till', 'generate', 'payment_link', 'widget']) assert.ok(`source.${s}` in id, s);
  for (const s of ['pending', 'delivered', 'failed']) assert.ok(`wh.st.${s}` in id, s);
});

test('an error reads in the cashier\'s language, else as the engine said it', () => {
  globalThis.document = { documentElement: {}, querySelectorAll: () => [] };
  try {
    const bad = { code: 'invalid_field', field: 'amount', message: 'amount: must be 1..' };
    setLanguage('id');
    assert.match(errorText(bad), /^Masukkan jumlah/);
    setLanguage('en');
    assert.match(errorText(bad), /^Enter an amount/);
    assert.equal(errorText({ code: 'something_new', message: 'As the engine says.' }), 'As the engine says.');
  } finally {
    delete globalThis.document;
  }
});

test('rupiah and typed amounts', () => {
  assert.equal(rupiah(50000), 'Rp 50.000');
  assert.equal(rupiah(0), 'Rp 0');
  assert.equal(rupiah(null), 'Rp 0');
  assert.equal(rupiah(9999999999999), 'Rp 9.999.999.999.999');
  assert.equal(typedAmount('0050000x'), '50.000');
  assert.equal(typedAmount('12345678901234567'), '1.234.567.890.123');
  assert.equal(typedAmount(''), '');
  assert.equal(typedNumber('125.000'), 125000);
  assert.equal(typedNumber(''), null);
});

test('times read on the merchant\'s wall clock, +07:00 until app_info says', () => {
  const ms = Date.UTC(2026, 0, 31, 17, 30); // 31 Jan 17:30 UTC
  setZone(undefined);
  assert.match(dateTime(ms, 'en'), /01 Feb.*00:30/);
  assert.equal(todayHere(ms), '2026-02-01');
  setZone({ name: 'Asia/Makassar', label: 'WITA', offset_minutes: 480 });
  assert.match(dateTime(ms, 'en'), /01 Feb.*01:30/);
  assert.match(dateTime(ms, 'en', { seconds: true }), /01:30:00/);
  setZone({ name: 'UTC', label: 'UTC', offset_minutes: 0 });
  assert.match(dateTime(ms, 'en'), /31 Jan.*17:30/);
  assert.equal(todayHere(ms), '2026-01-31');
  setZone({ name: '-03:30', label: '-03:30', offset_minutes: -210 });
  assert.match(dateTime(ms, 'en'), /31 Jan.*14:00/);
  setZone(undefined);
  assert.equal(dateTime(null, 'id'), '');
  assert.match(timeOfDay(Date.UTC(2026, 0, 31, 4, 20, 50), 'id', { seconds: true }), /^11[.:]20[.:]50$/);
  assert.equal(timeOfDay(null, 'id'), '');
});

test('the countdown', () => {
  assert.equal(countdown(0), '0:00');
  assert.equal(countdown(-5), '0:00');
  assert.equal(countdown(61_000), '1:01');
  assert.equal(countdown(3_600_000 + 5_000), '1:00:05');
});
