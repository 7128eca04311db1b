// The quick-pick grid of the Kasir screen: the tiles of the products a
// search or a category found, each a button showing the name, the price and
// the stock the engine answered.
import { $, el, setText, setHidden } from './dom.js';
import { rupiah, digits } from './format.js';
import { t } from './i18n.js';

/** Tiles drawn at once: a shop of thousands finds a product by searching,
 * and drawing every tile made each keypress slow (docs/BENCHMARKS.md). */
export const MAX_TILES = 120;

// The grid's tiles are made once and kept: a search patches the name, price,
// stock and colour of the tiles it keeps, and a tile that already shows the
// product is left alone, so a key redraws only what changed. One listener
// on the grid adds the product a tile shows now (`productAt`).
const tiles = []; // {b, name, price, stock, p, shows} in grid order; the first `drawn` are on it
let drawn = 0;
const tileOf = new WeakMap(); // button → its entry in `tiles`

/** Show `list` on the grid (the first MAX_TILES of it); `colourOf` gives a
 * category's colour. */
export function showTiles(list, searching, colourOf) {
  const grid = $('p-grid');
  const n = Math.min(list.length, MAX_TILES);
  for (let i = 0; i < n; i++) {
    const tl = tiles[i] ?? newTile();
    setTile(tl, list[i], colourOf);
    if (i >= drawn) grid.append(tl.b);
  }
  for (let i = n; i < drawn; i++) tiles[i].b.remove();
  drawn = n;
  grid.classList.toggle('searching', searching);
  setHidden($('p-empty'), list.length > 0);
  const more = $('p-more');
  setHidden(more, list.length <= MAX_TILES);
  if (list.length > MAX_TILES) setText(more, t('sale.more_tiles', { shown: digits(MAX_TILES), n: digits(list.length) }));
}

function newTile() {
  const tl = { b: null, name: el('span', { class: 'tile-name' }), price: el('span', { class: 'tile-price' }), stock: null, p: null, shows: {} };
  tl.b = el('button', { type: 'button', class: 'tile' }, tl.name, tl.price);
  tileOf.set(tl.b, tl);
  tiles.push(tl);
  return tl;
}

function setTile(tl, p, colourOf) {
  tl.p = p;
  const was = tl.shows;
  const stock = p.stock != null ? t('sale.stock', { n: p.stock }) : null;
  const out = p.stock != null && p.stock <= 0;
  const colour = colourOf(p.category_id) ?? null;
  const price = rupiah(p.price);
  if (was.id === p.id && was.name === p.name && was.price === price && was.stock === stock && was.out === out && was.colour === colour) return;
  if (was.id !== p.id) tl.b.dataset.productId = p.id;
  if (was.name !== p.name) tl.name.textContent = p.name;
  if (was.price !== price) tl.price.textContent = price;
  if (was.stock !== stock || was.out !== out) {
    if (stock == null) tl.stock?.remove();
    else {
      tl.stock ??= el('span', { class: 'tile-stock' });
      tl.stock.textContent = stock;
      tl.stock.className = `tile-stock${out ? ' out' : ''}`;
      if (tl.stock.parentNode !== tl.b) tl.b.append(tl.stock);
    }
  }
  if (was.colour !== colour) {
    if (colour) tl.b.style.setProperty('--cat', colour);
    else tl.b.style.removeProperty('--cat');
  }
  tl.shows = { id: p.id, name: p.name, price, stock, out, colour };
}

/** The product the tile under `target` shows now, or null. */
export const productAt = (target) => tileOf.get(target?.closest?.('.tile'))?.p ?? null;
