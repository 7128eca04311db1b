// node --test ui/test/: the page's product search finds what the engine's
// `products_list` finds (the cases in product-search.json, which the engine's
// `product_search_cases` test runs too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { catalogueCopy, findProducts, sameProducts, SEARCH_LIMIT } from '../js/search.js';

const { products, cases } = JSON.parse(readFileSync(new URL('./product-search.json', import.meta.url)));
// what `products_list` without a query gives the page: active ones, in shelf order
const catalogue = products.map((p, i) => ({ id: i + 1, price: 1000, stock: null, category_id: null, ...p }))
  .filter((p) => p.active !== false);

for (const c of cases) {
  test(`a search for ${JSON.stringify(c.query)} finds ${c.finds.length} products, as the engine does`, () => {
    assert.deepEqual(findProducts(catalogue, c.query).map((p) => p.name), c.finds);
  });
}

test('a search finds at most as many products as the engine answers, the first on the shelf', () => {
  const many = Array.from({ length: SEARCH_LIMIT + 50 }, (_, i) => ({ id: i + 1, name: `Kopi ${i}`, sku: null, barcode: null }));
  const found = findProducts(many, 'kopi');
  assert.equal(found.length, SEARCH_LIMIT);
  assert.equal(found[0].id, 1);
});

test('the grid takes the engine answer as new when a tile would show something else', () => {
  const a = [{ id: 1, name: 'Kopi', price: 5000, stock: 3, category_id: 2 }];
  assert.ok(sameProducts(a, [{ ...a[0] }]));
  assert.ok(!sameProducts(a, [{ ...a[0], stock: 2 }]), 'a sale took one');
  assert.ok(!sameProducts(a, [{ ...a[0], price: 6000 }]));
  assert.ok(!sameProducts(a, []));
});

test('the copy keeps the newest whole catalogue and folds in each answer, so a key never shows older stock', () => {
  const copy = catalogueCopy();
  const kopi = { id: 1, name: 'Kopi', price: 5000, stock: 3, category_id: null };
  const teh = { id: 2, name: 'Teh', price: 3000, stock: null, category_id: null };
  const first = copy.ask();
  const second = copy.ask();
  assert.ok(copy.take(second, [kopi, teh]));
  assert.ok(!copy.take(first, [kopi]), 'an answer asked earlier does not replace a later one');
  assert.deepEqual(copy.find('').map((p) => p.id), [1, 2]);
  assert.ok(copy.fold([{ ...kopi, stock: 2 }]), 'the engine answered a search after a sale');
  assert.equal(copy.find('kopi')[0].stock, 2);
  assert.ok(!copy.fold([{ id: 9, name: 'Roti', price: 1, stock: null, category_id: null }]), 'a product the copy lacks');
  assert.ok(copy.usable());
  assert.ok(!catalogueCopy().usable(), 'an empty copy answers nothing');
});
