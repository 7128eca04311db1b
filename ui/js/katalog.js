// Kasir with a catalogue: the quick-pick grid by category, the search, the
// barcode scanner and the cart. Every total on it is the engine's
// `cart_price` answer for the cart as it is now; a shop with no products
// keeps the amount-only screen (kasir.js).
import { call } from './api.js';
import { $, el, setText, setHidden } from './dom.js';
import { productAt, showTiles } from './grid.js';
import { catalogueCopy, sameProducts } from './search.js';
import { rupiah, digits } from './format.js';
import { t, language } from './i18n.js';
import { confirmTwice, errorText, say, showError } from './controls.js';
import { onScreen, screen } from './nav.js';
import * as C from './cart.js';
import { createScanner } from './scanner.js';
import { focusAmount } from './kasir.js';
import { openPay } from './bayar.js';
import { openBills } from './tagihan.js';
import { may } from './session.js';

let cart = C.emptyCart();
let priced = null; // the engine's answer for `cart`, or null while none is right
let priceSeq = 0;
let pricing = Promise.resolve();
let bill = null; // {id, name, open} of the bill this cart came from
let selected = null; // the line in the editor
let mode = null; // 'amount' or 'catalogue' once the cashier chose; null: by the catalogue
let hasProducts = false;
let categories = [];
let category = null; // the category tab, null for Semua
let shown = []; // the products in the grid
let gridSeq = 0;

// numbers the benchmark reads (scripts/e2e-till.mjs, E2E_MODE=bench): a key
// in the search to the frame after the grid shows what it finds (searchMs)
// and after the engine's answer is on it (searchEngineMs), and a tile's
// click or a scan's Enter to the frame after the cart shows the engine's total
const metrics = Object.assign(window.kasirMetrics ??= {}, { searchMs: [], searchEngineMs: [], addMs: [] });
let searchKeyAt = null;
let addAt = null;
const frameAfter = (started, into) => requestAnimationFrame(() => into.push(performance.now() - started));

// ---------- which view ----------

export const cartView = () => !$('kasir-cart-view').hidden;

/** Nothing started on the till: no amount typed, no cart. */
export const idle = () => C.isEmpty(cart);

function pickView() {
  const catalogue = hasProducts && mode !== 'amount';
  $('kasir-cart-view').hidden = !catalogue;
  $('kasir-amount-view').hidden = catalogue;
  $('to-catalogue-row').hidden = !hasProducts;
  if (catalogue) focusSearch();
  else focusAmount();
}

export function switchView() {
  if (!hasProducts) return;
  mode = cartView() ? 'amount' : 'catalogue';
  pickView();
}

async function enter() {
  try {
    const n = copy.ask();
    const [cats, products] = await Promise.all([call('categories_list'), call('products_list', {})]);
    categories = cats;
    copy.take(n, products);
    hasProducts = products.length > 0;
    if (category != null && !categories.some((c) => c.id === category)) category = null;
    renderTabs();
    $('p-search').placeholder = t('sale.search');
    pickView();
    // the whole catalogue is what "Semua" shows: no second question
    if (cartView() && category == null && !$('p-search').value.trim()) drawGrid(products, false);
    else if (cartView()) await loadGrid();
  } catch (e) {
    // an engine without a catalogue yet: the amount-only sale as before
    console.error(e);
    hasProducts = false;
    pickView();
  }
}

// ---------- the grid ----------

const colourOf = (id) => categories.find((c) => c.id === id)?.colour;

function renderTabs() {
  const tab = (id, name, colour) => {
    const b = el('button', { type: 'button', class: 'chip', 'aria-pressed': String(category === id), dataset: { category: id ?? '' } }, name);
    if (colour) b.style.setProperty('--cat', colour);
    b.addEventListener('click', () => {
      category = id;
      $('p-search').value = '';
      renderTabs();
      loadGrid();
    });
    return b;
  };
  $('cat-tabs').replaceChildren(tab(null, t('sale.all')), ...categories.map((c) => tab(c.id, c.name, c.colour)));
  $('cat-tabs').hidden = categories.length === 0;
}

// The page's copy of the catalogue (search.js): a search key is answered
// from it at once, and the engine's own answer replaces that a moment later.
// Waiting for the engine alone made a key about two frames (docs/BENCHMARKS.md).
const copy = catalogueCopy();
let refreshing = null;
let refreshAgain = false;
let gridQuery = null; // the search whose engine answer the grid shows

/** Ask the engine for the whole catalogue again: a sale changed the stock,
 * or its answer to a search showed the copy is behind. One at a time; one
 * asked while another runs is asked after it. */
function refreshCatalogue() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  const n = copy.ask();
  refreshing = call('products_list', {})
    .then((list) => copy.take(n, list), () => {})
    .finally(() => {
      refreshing = null;
      if (refreshAgain) {
        refreshAgain = false;
        refreshCatalogue();
      }
    });
}

async function loadGrid() {
  const mine = ++gridSeq;
  const query = $('p-search').value.trim();
  // a search looks through every category: the cashier is finding one product
  const args = query ? { query } : (category != null ? { category_id: category } : {});
  const key = searchKeyAt;
  searchKeyAt = null;
  // not again for the search the engine's answer is already shown for (a space typed)
  const local = query && query !== gridQuery && copy.usable() ? copy.find(query) : null;
  if (local) {
    gridQuery = null;
    paintGrid(local, true);
    if (key != null) frameAfter(key, metrics.searchMs);
  }
  try {
    const list = await call('products_list', args);
    if (mine !== gridSeq) return;
    drawGrid(list, !!query);
    gridQuery = query;
    if (key != null) {
      frameAfter(key, metrics.searchEngineMs);
      if (!local) frameAfter(key, metrics.searchMs);
    }
    // the copy takes the engine's products; one missing from it, or a search
    // it answered otherwise, means it is behind (a product added or changed
    // elsewhere): it is asked again whole
    if (copy.usable()) {
      const behind = local && !sameProducts(local, list);
      if (!copy.fold(list) || behind) refreshCatalogue();
    }
  } catch (e) {
    if (mine === gridSeq) showError($('cart-error'), e);
  }
}

function drawGrid(list, searching) {
  gridSeq++;
  gridQuery = null;
  paintGrid(list, searching);
}

/** The grid shows `list` (a search's answer, the engine's or the page's own). */
function paintGrid(list, searching) {
  shown = list;
  showTiles(list, searching, colourOf);
}

function tileClicked(e) {
  const p = productAt(e.target);
  if (!p) return;
  addAt ??= performance.now();
  add(p);
}

// ---------- adding ----------

// "Ditambahkan: …" is written with the cart that shows the line, so an add
// lays out and paints the cart once (docs/BENCHMARKS.md)
let added = null;

function add(p) {
  const i = C.addProduct(cart, p.id);
  cart.lines[i].name = p.name;
  added = t('sale.added', { name: p.name });
  changed();
}

/** The scan line says something else: no "Ditambahkan" still to come over it. */
function scanSay(text) {
  added = null;
  say($('scan-msg'), text);
}

async function scanned(code) {
  addAt ??= performance.now();
  try {
    add(await call('product_by_barcode', { barcode: code }));
  } catch (e) {
    addAt = null;
    if (e?.code === 'not_found') scanSay(t('sale.scan.unknown', { code }));
    else scanSay(errorText(e));
  }
}

const scanner = createScanner({
  onScan: scanned,
  onTyped: (typed) => {
    const s = $('p-search');
    s.value += typed;
    s.focus();
    loadGrid();
  },
});

function focusSearch() {
  $('p-search').focus();
}

/** Enter in the search: a barcode or SKU as typed, else the first product shown. */
async function searchEnter() {
  const s = $('p-search');
  const q = s.value.trim();
  if (!q) {
    if (!C.isEmpty(cart)) pay();
    return;
  }
  if (/^\d{4,}$/.test(q)) {
    try {
      add(await call('product_by_barcode', { barcode: q }));
      s.value = '';
      loadGrid();
      return;
    } catch (e) {
      if (e?.code !== 'not_found') return scanSay(errorText(e));
    }
  }
  await loadGrid();
  if (shown.length) {
    add(shown[0]);
    s.value = '';
    loadGrid();
  } else if (/^\d+$/.test(q)) {
    scanSay(t('sale.scan.unknown', { code: q }));
  }
}

// ---------- the cart ----------

/** The cart changed: draw what is known, and ask the engine for its money. */
function changed() {
  if (selected != null && !cart.lines[selected]) closeEditor();
  priced = null;
  const mine = ++priceSeq;
  if (C.isEmpty(cart)) {
    renderCart();
    pricing = Promise.resolve();
    return pricing;
  }
  // the engine answers in a few ms: draw once with its money, and only draw
  // the cart without it if the answer is slow
  const early = setTimeout(() => { if (mine === priceSeq && !priced) renderCart(); }, 50);
  pricing = call('cart_price', { cart: C.toEngine(cart) }).then((p) => {
    clearTimeout(early);
    if (mine !== priceSeq) return;
    priced = p;
    p.lines.forEach((l, i) => { if (cart.lines[i]) cart.lines[i].name = l.name; });
    $('cart-error').hidden = true;
    renderCart();
    if (addAt != null) { frameAfter(addAt, metrics.addMs); addAt = null; }
  }, (e) => {
    clearTimeout(early);
    if (mine !== priceSeq) return;
    showError($('cart-error'), e);
    renderCart();
  });
  return pricing;
}

/** The engine's answer for the cart as it is now (null when it refused it). */
export async function priceNow() {
  let seq;
  do {
    seq = priceSeq;
    await pricing;
  } while (seq !== priceSeq);
  return priced;
}

const minus = (n) => `−${rupiah(Math.abs(n))}`;

// Each cart line keeps its row: a change rewrites only the text that differs
// and appends the new line's row, instead of rebuilding every line (a cart of
// 100 lines made each add slow, docs/BENCHMARKS.md). Keyed by the line object
// of `cart.lines`, which an add, a quantity or a discount keeps.
const rowOf = new Map(); // cart line → {li, name, sub, note, qty, money, shows}
let totalsShown = null; // {sig, dds} of the totals drawn
let rowsLanguage = null; // the language the rows' labels are in

function renderCart() {
  const empty = C.isEmpty(cart);
  setHidden($('cart-empty'), !empty);
  if (added != null) {
    say($('scan-msg'), added, true);
    added = null;
  }
  if (rowsLanguage !== language()) {
    // Pengaturan changed the language: new rows and totals, labels and all
    rowOf.clear();
    totalsShown = null;
    rowsLanguage = language();
  }
  const list = $('cart-lines');
  let at = list.firstChild;
  cart.lines.forEach((l, i) => {
    let r = rowOf.get(l);
    if (!r) rowOf.set(l, (r = newRow(l)));
    setRow(r, l, priced?.lines[i], i);
    if (r.li === at) at = at.nextSibling;
    else list.insertBefore(r.li, at);
  });
  while (at) {
    const next = at.nextSibling;
    at.remove();
    at = next;
  }
  if (rowOf.size > cart.lines.length) {
    const kept = new Set(cart.lines);
    for (const l of rowOf.keys()) if (!kept.has(l)) rowOf.delete(l);
  }
  renderTotals();
  // a cashier's discount over the limit: checkout asks an owner's PIN (api.js)
  setHidden($('cart-owner-hint'), !(priced?.discount_needs_owner && !may('discount_any')));
  setText($('cart-count'), priced ? t('sale.items', { n: digits(priced.item_count) }) : '');
  const pay = $('cart-pay');
  if (pay.disabled !== (empty || !priced)) pay.disabled = empty || !priced;
  setHidden($('cart-bill'), !bill);
  setText($('cart-bill'), bill ? bill.name : '');
}

function renderTotals() {
  const rows = [];
  if (priced) {
    const row = (key, value, cls = '') => rows.push([key, value, cls]);
    row('sale.t.subtotal', rupiah(priced.subtotal));
    if (priced.discount) row('sale.t.discount', minus(priced.discount));
    if (priced.service) row('sale.t.service', rupiah(priced.service));
    if (priced.tax) row(priced.tax_inclusive ? 'sale.t.tax_in' : 'sale.t.tax', rupiah(priced.tax));
    row('sale.t.total', rupiah(priced.total), 'grand');
    if (priced.rounding) {
      row('sale.t.rounding', minus(priced.rounding));
      row('sale.t.cash_total', rupiah(priced.cash_total), 'cash');
    }
  }
  // the same rows as drawn: only the amounts change
  const sig = rows.map(([key, , cls]) => `${key}:${cls}`).join(' ');
  if (totalsShown?.sig === sig) {
    rows.forEach(([, value], k) => setText(totalsShown.dds[k], value));
    return;
  }
  const dds = rows.map(([key, value, cls]) => el('dd', { class: cls, dataset: { total: key } }, value));
  $('cart-totals').replaceChildren(...rows.flatMap(([key, , cls], k) => [el('dt', { class: cls }, t(key)), dds[k]]));
  totalsShown = { sig, dds };
}

/** A line's row, its buttons finding the line where it is now. */
function newRow(l) {
  const at = () => cart.lines.indexOf(l);
  const step = (by) => () => {
    const i = at();
    if (i < 0) return;
    C.changeQuantity(cart, i, by);
    changed();
  };
  const r = {
    name: el('span'),
    sub: el('small', { class: 'muted' }),
    note: el('small', { class: 'ln-note' }),
    qty: el('span', { class: 'qty-n' }),
    money: el('span', { class: 'ln-money' }),
    shows: {},
  };
  const name = el('button', { type: 'button', class: 'ln-name', title: t('sale.line.edit'), onclick: () => { if (at() >= 0) openEditor(at()); } }, r.name);
  const qty = el('span', { class: 'qty' },
    el('button', { type: 'button', class: 'qty-minus', 'aria-label': t('sale.less'), onclick: step(-1) }, '−'),
    r.qty,
    el('button', { type: 'button', class: 'qty-plus', 'aria-label': t('sale.more'), onclick: step(1) }, '+'));
  r.li = el('li', { class: 'cart-line' }, name, qty, r.money);
  return r;
}

function setRow(r, l, p, i) {
  const was = r.shows;
  const now = { i, selected: selected === i, name: p?.name ?? l.name ?? '…', qty: digits(l.quantity), note: l.note ?? '' };
  const sub = [];
  if (p) sub.push(t('sale.unit', { qty: digits(p.quantity), price: rupiah(p.unit_price) }));
  if (l.discount) sub.push(l.discount.kind === 'percent' ? t('sale.disc.pct', { n: l.discount.value }) : t('sale.disc.rp', { amount: p ? rupiah(p.discount) : rupiah(l.discount.value) }));
  now.sub = sub.join(' · ');
  now.gross = p?.discount ? rupiah(p.gross) : null;
  now.net = p ? rupiah(p.net) : null;
  if (was.i !== i) r.li.dataset.line = i;
  if (was.selected !== now.selected) r.li.classList.toggle('selected', now.selected);
  if (was.name !== now.name) r.name.textContent = now.name;
  if (was.qty !== now.qty) r.qty.textContent = now.qty;
  if (was.sub !== now.sub || was.note !== now.note) {
    // the small lines under the name, in this order, only when they say something
    r.sub.textContent = now.sub;
    r.note.textContent = now.note;
    r.name.after(...[now.sub ? r.sub : null, now.note ? r.note : null].filter(Boolean));
    if (!now.sub) r.sub.remove();
    if (!now.note) r.note.remove();
  }
  if (was.gross !== now.gross || was.net !== now.net) {
    if (now.net == null) r.money.replaceChildren('—');
    else if (now.gross != null) r.money.replaceChildren(el('s', { class: 'muted' }, now.gross), ' ', el('b', {}, now.net));
    else if (r.money.firstChild?.tagName === 'B') r.money.firstChild.textContent = now.net;
    else r.money.replaceChildren(el('b', {}, now.net));
  }
  r.shows = now;
}

// ---------- one line's discount and note ----------

function openEditor(i) {
  selected = i;
  const l = cart.lines[i];
  $('le-title').textContent = priced?.lines[i]?.name ?? l.name ?? '';
  $('le-disc-kind').value = l.discount?.kind ?? 'rupiah';
  $('le-disc-value').value = l.discount ? String(l.discount.value) : '';
  $('le-note').value = l.note ?? '';
  $('line-editor').hidden = false;
  renderCart();
  $('le-disc-value').focus();
}

function closeEditor() {
  selected = null;
  $('line-editor').hidden = true;
}

function editLine() {
  const l = cart.lines[selected];
  if (!l) return;
  l.discount = C.discountOf($('le-disc-kind').value, $('le-disc-value').value);
  l.note = $('le-note').value.trim() || null;
  changed();
}

// ---------- paying, bills, a new sale ----------

export function clearCart() {
  cart = C.emptyCart();
  bill = null;
  closeEditor();
  $('cart-disc-value').value = '';
  $('cart-disc-kind').value = 'rupiah';
  added = null;
  $('scan-msg').hidden = true;
  $('cart-error').hidden = true;
  changed();
}

async function pay() {
  if (C.isEmpty(cart)) return;
  const p = await priceNow();
  if (!p) return;
  openPay({
    cart: C.toEngine(cart),
    priced: p,
    // a bill taken back stays open (taken) until the checkout that names it closes it
    billId: bill?.open ? bill.id : null,
    // the sale took stock: the copy a search key is answered from asks again
    done: () => { clearCart(); refreshCatalogue(); if (screen() === 'kasir') focusSearch(); },
  });
}

function bills() {
  openBills({
    cart: () => (C.isEmpty(cart) ? null : C.toEngine(cart)),
    bill: () => bill,
    parked: () => clearCart(),
    restore: (b) => {
      cart = C.fromEngine(b.cart);
      bill = { id: b.id, name: b.name, open: true };
      const d = cart.discount;
      $('cart-disc-kind').value = d?.kind ?? 'rupiah';
      $('cart-disc-value').value = d ? String(d.value) : '';
      closeEditor();
      changed();
      focusSearch();
    },
  });
}

function newSale() {
  if (C.isEmpty(cart)) return focusSearch();
  return confirmTwice($('cart-clear'), t('sale.confirmclear'), () => { clearCart(); focusSearch(); });
}

// ---------- keys ----------

/** A key on the Kasir screen; true when it was the catalogue's. */
export function onKey(e) {
  if (e.key === 'F7') {
    if (!hasProducts) return false;
    e.preventDefault();
    switchView();
    return true;
  }
  if (!cartView()) return false;
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName);
  if (e.key === 'F8') { e.preventDefault(); pay(); return true; }
  if (e.key === 'F9') { e.preventDefault(); bills(); return true; }
  if (e.key === 'F6') { e.preventDefault(); newSale(); return true; }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return true;
  if (scanner.key(e.key)) { e.preventDefault(); return true; }
  if (e.key === 'Enter' && document.activeElement?.tagName !== 'BUTTON') { e.preventDefault(); pay(); return true; }
  const last = selected ?? cart.lines.length - 1;
  if ((e.key === '+' || e.key === '-') && cart.lines[last]) {
    e.preventDefault();
    C.changeQuantity(cart, last, e.key === '+' ? 1 : -1);
    changed();
    return true;
  }
  // a letter starts a search
  if (e.key.length === 1 && /\S/.test(e.key)) {
    e.preventDefault();
    scanner.key('Enter'); // a person's digits typed just before go first
    const s = $('p-search');
    s.value += e.key;
    s.focus();
    loadGrid();
  }
  return true;
}

export function wireKatalog() {
  const search = $('p-search');
  search.addEventListener('input', loadGrid);
  search.addEventListener('keydown', (e) => {
    if (e.key.length === 1 || e.key === 'Backspace') searchKeyAt = performance.now();
    if (e.key === 'Enter') { e.preventDefault(); searchEnter(); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); search.value = ''; loadGrid(); search.blur(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); $('p-grid').querySelector('.tile')?.focus(); }
  });
  $('p-grid').addEventListener('click', tileClicked);
  $('to-amount').addEventListener('click', switchView);
  $('to-catalogue').addEventListener('click', switchView);
  $('cart-pay').addEventListener('click', pay);
  $('cart-bills').addEventListener('click', bills);
  $('cart-clear').addEventListener('click', newSale);
  for (const id of ['le-disc-kind', 'le-disc-value', 'le-note']) $(id).addEventListener('change', editLine);
  $('le-disc-value').addEventListener('input', editLine);
  $('line-editor').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === 'Escape') { e.preventDefault(); editLine(); closeEditor(); renderCart(); focusSearch(); }
  });
  $('le-remove').addEventListener('click', () => { C.removeLine(cart, selected); closeEditor(); changed(); focusSearch(); });
  $('le-done').addEventListener('click', () => { closeEditor(); renderCart(); focusSearch(); });
  const cartDiscount = () => {
    cart.discount = C.discountOf($('cart-disc-kind').value, $('cart-disc-value').value);
    changed();
  };
  $('cart-disc-kind').addEventListener('change', cartDiscount);
  $('cart-disc-value').addEventListener('input', cartDiscount);
  onScreen('kasir', { enter });
  renderCart();
}
