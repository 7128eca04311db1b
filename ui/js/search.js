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

// Rust's `str::trim` (Unicode White_Space): not JavaScript's `trim`, which
// also takes U+FEFF and leaves U+0085
const SPACE = '\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGES = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');

/** What a search compares: `query` as the engine reads it, '' for none. */
export const searchText = (query) => lowerAscii(String(query ?? '').replace(EDGES, ''));

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

/**
 * The page's copy of the catalogue: what `products_list` without a query
 * last answered, with the products of every later answer folded in, so a
 * search answered from it never shows an older price or stock than the grid
 * already did. `ask()` numbers a `products_list` asked now; `take(n, list)`
 * keeps its answer unless a later-asked one is already kept.
 */
export function catalogueCopy() {
  let list = [];
  let at = new Map(); // product id → its place in `list`
  let asked = 0;
  let kept = 0;
  return {
    ask: () => ++asked,
    take(n, products) {
      if (n < kept) return false;
      kept = n;
      list = products.slice();
      at = new Map(list.map((p, i) => [p.id, i]));
      return true;
    },
    /** The engine's products replace the copy's; false when one is not in it. */
    fold(products) {
      let all = true;
      for (const p of products) {
        const i = at.get(p.id);
        if (i == null) all = false;
        else list[i] = p;
      }
      return all;
    },
    find: (query) => findProducts(list, query),
    /** A search can be answered from it: it holds the whole catalogue. */
    usable: () => list.length > 0 && list.length < CATALOGUE_LIMIT,
  };
}
