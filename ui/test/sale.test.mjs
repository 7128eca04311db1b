// node --test ui/test/: the cart the till sends to `cart_price` and
// `checkout`, the barcode scanner told apart from a person, and the rates as
// Pajak & layanan shows and sends them. No money is added up here: that is
// the engine's (docs/SALES.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as C from '../js/cart.js';
import { createScanner } from '../js/scanner.js';
import { bpPercent, percentBp } from '../js/format.js';

test('the same product again adds one to its line, unless that line has a discount or a note', () => {
  const cart = C.emptyCart();
  C.addProduct(cart, 7);
  C.addProduct(cart, 7);
  C.addProduct(cart, 9);
  assert.deepEqual(cart.lines.map((l) => [l.product_id, l.quantity]), [[7, 2], [9, 1]]);
  C.addProduct(cart, 7); // not the last line: a new one, so the cart reads in the order it was rung up
  cart.lines[2].note = 'tanpa es';
  C.addProduct(cart, 7);
  assert.deepEqual(cart.lines.map((l) => [l.product_id, l.quantity]), [[7, 2], [9, 1], [7, 1], [7, 1]]);
});

test('quantity down to zero removes the line; at most 9999', () => {
  const cart = C.emptyCart();
  C.addProduct(cart, 1);
  C.changeQuantity(cart, 0, 5);
  assert.equal(cart.lines[0].quantity, 6);
  C.setQuantity(cart, 0, 20000);
  assert.equal(cart.lines[0].quantity, C.MAX_QUANTITY);
  C.changeQuantity(cart, 0, -C.MAX_QUANTITY);
  assert.equal(C.isEmpty(cart), true);
});

test('the engine gets exactly the Cart of docs/SALES.md', () => {
  const cart = C.emptyCart();
  C.addProduct(cart, 3);
  cart.lines[0].name = 'Nasi goreng'; // shown while the engine answers, never sent
  cart.lines[0].discount = C.discountOf('percent', '10');
  cart.lines[0].note = 'pedas';
  C.addManual(cart, 'Kantong', 500);
  cart.discount = C.discountOf('rupiah', '2.000');
  assert.deepEqual(C.toEngine(cart), {
    lines: [
      { quantity: 1, product_id: 3, discount: { kind: 'percent', value: 10 }, note: 'pedas' },
      { quantity: 1, name: 'Kantong', unit_price: 500 },
    ],
    discount: { kind: 'rupiah', value: 2000 },
  });
  assert.deepEqual(C.fromEngine(C.toEngine(cart)).lines.map((l) => l.quantity), [1, 1]);
  assert.deepEqual(C.toEngine(C.fromEngine(C.toEngine(cart))), C.toEngine(cart));
});

test('an empty or zero discount is no discount', () => {
  assert.equal(C.discountOf('rupiah', ''), null);
  assert.equal(C.discountOf('percent', '0'), null);
  assert.deepEqual(C.discountOf('percent', '15'), { kind: 'percent', value: 15 });
});

function fakeTime() {
  let now = 0;
  const timers = new Map();
  let next = 1;
  return {
    clock: () => now,
    timers: {
      setTimeout: (fn, ms) => { timers.set(next, { fn, at: now + ms }); return next++; },
      clearTimeout: (id) => timers.delete(id),
    },
    advance(ms) {
      now += ms;
      for (const [id, tm] of [...timers]) if (tm.at <= now) { timers.delete(id); tm.fn(); }
    },
  };
}

test('a scanner\'s burst of digits and Enter is a scan', () => {
  const time = fakeTime();
  const scans = [];
  const typed = [];
  const sc = createScanner({ onScan: (c) => scans.push(c), onTyped: (s) => typed.push(s), ...time });
  for (const d of '8991234567895') { assert.equal(sc.key(d), true); time.advance(12); }
  assert.equal(sc.key('Enter'), true);
  assert.deepEqual(scans, ['8991234567895']);
  assert.deepEqual(typed, []);
  assert.equal(sc.key('Enter'), false, 'Enter alone is not the scanner\'s');
});

test('a person\'s digits go to the search field instead', () => {
  const time = fakeTime();
  const scans = [];
  const typed = [];
  const sc = createScanner({ onScan: (c) => scans.push(c), onTyped: (s) => typed.push(s), ...time });
  sc.key('1');
  time.advance(200); // the pause tells: a person
  assert.deepEqual(typed, ['1']);
  sc.key('2');
  time.advance(10);
  sc.key('Enter'); // fast, but two digits are no barcode
  assert.deepEqual(typed, ['1', '2']);
  assert.deepEqual(scans, []);
});

test('rates: basis points as a person reads them, and back', () => {
  assert.equal(bpPercent(1100), '11');
  assert.equal(bpPercent(1150), '11,5');
  assert.equal(bpPercent(1225), '12,25');
  assert.equal(bpPercent(0), '0');
  assert.equal(percentBp('11'), 1100);
  assert.equal(percentBp('11,5'), 1150);
  assert.equal(percentBp(' 12.25 '), 1225);
  assert.equal(percentBp('0'), 0);
  assert.equal(percentBp('11,125'), null);
  assert.equal(percentBp('sebelas'), null);
  assert.equal(percentBp(''), null);
});
