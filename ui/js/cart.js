// The cart as the cashier builds it: which products, how many, their
// discounts and notes. Pure and without money: every rupiah a screen shows
// comes from the engine's `cart_price` over `toEngine(cart)` (docs/SALES.md).

export const MAX_QUANTITY = 9999;

export function emptyCart() {
  return { lines: [], discount: null };
}

/** A discount as typed: `{kind, value}`, or null when none (empty or 0). */
export function discountOf(kind, value) {
  const v = Number(String(value ?? '').replace(/\D/g, '') || 0);
  if (!kind || !v) return null;
  return { kind: kind === 'percent' ? 'percent' : 'rupiah', value: v };
}

/** Add one of a product: on the cart's last line when that is the same
 * product and plain (no discount, no note), else on a new line, so the cart
 * reads in the order it was rung up. Returns the line's index. */
export function addProduct(cart, productId) {
  const i = cart.lines.length - 1;
  const l = cart.lines[i];
  if (l && l.product_id === productId && !l.discount && !l.note) {
    l.quantity = Math.min(MAX_QUANTITY, l.quantity + 1);
    return i;
  }
  cart.lines.push({ product_id: productId, quantity: 1, discount: null, note: null });
  return cart.lines.length - 1;
}

/** Quantity up or down by `by`; a line down to zero is removed. */
export function changeQuantity(cart, index, by) {
  const l = cart.lines[index];
  if (!l) return;
  const q = l.quantity + by;
  if (q <= 0) cart.lines.splice(index, 1);
  else l.quantity = Math.min(MAX_QUANTITY, q);
}

export function setQuantity(cart, index, quantity) {
  const l = cart.lines[index];
  if (!l) return;
  const q = Math.floor(Number(quantity));
  if (!Number.isFinite(q) || q <= 0) cart.lines.splice(index, 1);
  else l.quantity = Math.min(MAX_QUANTITY, q);
}

export function removeLine(cart, index) {
  cart.lines.splice(index, 1);
}

export const isEmpty = (cart) => cart.lines.length === 0;

/** A line typed by hand (no product): its name and unit price as typed. */
export function addManual(cart, name, unitPrice) {
  cart.lines.push({ product_id: null, name, unit_price: unitPrice, quantity: 1, discount: null, note: null });
  return cart.lines.length - 1;
}

/** The `Cart` of docs/SALES.md: only the fields the engine reads. */
export function toEngine(cart) {
  const line = (l) => {
    const o = { quantity: l.quantity };
    if (l.product_id != null) o.product_id = l.product_id;
    else {
      o.name = l.name;
      o.unit_price = l.unit_price;
    }
    if (l.discount) o.discount = { ...l.discount };
    if (l.note) o.note = l.note;
    return o;
  };
  const out = { lines: cart.lines.map(line) };
  if (cart.discount) out.discount = { ...cart.discount };
  return out;
}

/** A cart the engine kept (an open bill) back into the till's own form. */
export function fromEngine(c) {
  const lines = (c?.lines ?? []).map((l) => ({
    product_id: l.product_id ?? null,
    ...(l.product_id == null ? { name: l.name, unit_price: l.unit_price } : {}),
    quantity: l.quantity,
    discount: l.discount ?? null,
    note: l.note ?? null,
  }));
  return { lines, discount: c?.discount ?? null };
}
