// Finding a product as the cashier types, in the page, over the catalogue the
// engine gave it: the grid answers a key without waiting for the engine,
// whose own answer (fresh stock and prices) replaces it a moment later
// (katalog.js). The rule is the engine's `products_list` query, word for word
// (src/store/products.rs `list_products`): the name contains what was typed,
// or the SKU or barcode starts with it; upper and lower case are the same
// for A-Z only (SQLite's LIKE); active products on the shelf's order; at most
// SEARCH_LIMIT. ui/test/product-search.json holds cases both sides must pass
// (node --test ui/test/ here, `product_search_cases` in the engine's tests).

/** The most products a search answers (the engine's SEARCH_LIMIT). */
export const SEARCH_LIMIT = 200;
/** The most `products_list` lists without a query (the engine's LIST_LIMIT). */
export const CATALOGUE_LIMIT = 10_000;

const lowerAscii = (s) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/** What a search compares: `query` as the engine reads it, '' for none. */
export const searchText = (query) => lowerAscii(String(query ?? '').trim());

// a product's name, SKU and barcode as compared, worked out once per product
const keys = new WeakMap();
function keysOf(p) {
  let k = keys.get(p);
  if (!k) keys.set(p, (k = [lowerAscii(p.name), p.sku == null ? null : lowerAscii(p.sku), p.barcode == null ? null : lowerAscii(p.barcode)]));
  return k;
}

/** The products of `catalogue` (in shelf order, as `products_list` without
 * a query answers) that a search for `query` finds. */
export function findProducts(catalogue, query) {
  const q = searchText(query);
  const found = [];
  for (const p of catalogue) {
    if (p.active === false) continue;
    const [name, sku, barcode] = keysOf(p);
    const hit = !q || name.includes(q) || sku?.startsWith(q) || barcode?.startsWith(q);
    if (hit && found.push(p) === SEARCH_LIMIT && q) break;
  }
  return found;
}

/** The same products in the same order, with what a tile shows of them. */
export const sameProducts = (a, b) => a.length === b.length && a.every((p, i) => {
  const q = b[i];
  return p.id === q.id && p.name === q.name && p.price === q.price && p.stock === q.stock && p.category_id === q.category_id;
});
