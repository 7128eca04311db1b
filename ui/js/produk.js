// Pengaturan → Produk (the catalogue: add, edit, deactivate, reorder,
// search) and Pengaturan → Pajak & layanan (PPN, service, cash rounding).
// The engine checks every field; this form only carries what was typed.
import { call } from './api.js';
import { el } from './dom.js';
import { bpPercent, digits, percentBp, rupiah, typedAmount, typedNumber } from './format.js';
import { t } from './i18n.js';
import { confirmTwice, errorText as err, say } from './controls.js';
import { update } from './session.js';

const field = (key, input) => el('label', {}, el('span', {}, t(key)), ' ', input);

// ---------- Produk ----------

export function productsCard() {
  const out = el('p', { role: 'status', hidden: '', id: 'prod-status' });
  const search = el('input', { type: 'search', id: 'prod-search', placeholder: t('prod.search'), 'aria-label': t('prod.search') });
  const name = el('input', { id: 'prod-name', maxlength: '120' });
  const price = el('input', { id: 'prod-price', inputmode: 'numeric' });
  price.addEventListener('input', () => { price.value = typedAmount(price.value); });
  const sku = el('input', { id: 'prod-sku', maxlength: '64', spellcheck: 'false' });
  const barcode = el('input', { id: 'prod-barcode', inputmode: 'numeric', maxlength: '64', spellcheck: 'false' });
  const cats = el('datalist', { id: 'prod-cats' });
  const category = el('input', { id: 'prod-category', list: 'prod-cats', maxlength: '60' });
  const stock = el('input', { id: 'prod-stock', inputmode: 'numeric', placeholder: t('prod.stock.none') });
  const active = el('input', { type: 'checkbox', id: 'prod-active', checked: '' });
  const title = el('h3', { id: 'prod-form-title' }, t('prod.add'));
  const save = el('button', { type: 'submit', class: 'primary', id: 'prod-save' }, t('prod.save'));
  const cancel = el('button', { type: 'button', class: 'ghost', id: 'prod-cancel', hidden: '' }, t('prod.cancel'));
  const form = el('form', { id: 'prod-form', class: 'form-grid prod-form', autocomplete: 'off' },
    title,
    field('prod.name', name), field('prod.price', price), field('prod.category', category),
    field('prod.sku', sku), field('prod.barcode', barcode), field('prod.stock', stock),
    el('label', { class: 'check' }, active, ' ', el('span', {}, t('prod.active'))),
    el('div', { class: 'form-actions' }, save, ' ', cancel),
    cats);
  const tbody = el('tbody', {});
  const heads = ['prod.name', 'prod.price', 'prod.category', 'prod.sku', 'prod.barcode', 'prod.stock', 'prod.status', ''];
  const table = el('table', { class: 'table', id: 'prod-table' },
    el('thead', {}, el('tr', {}, ...heads.map((k, i) => el('th', { class: i === 1 || i === 5 ? 'num' : '' }, k ? t(k) : '')))),
    tbody);
  const empty = el('p', { class: 'muted', id: 'prod-empty', hidden: '' }, t('prod.empty'));

  let editing = null; // the product in the form, or null for a new one
  let list = [];
  let seq = 0;

  const fill = (p) => {
    editing = p;
    title.textContent = p ? t('prod.edit', { name: p.name }) : t('prod.add');
    name.value = p?.name ?? '';
    price.value = p ? typedAmount(String(p.price)) : '';
    sku.value = p?.sku ?? '';
    barcode.value = p?.barcode ?? '';
    category.value = p?.category ?? '';
    stock.value = p?.stock != null ? String(p.stock) : '';
    active.checked = p ? p.active : true;
    cancel.hidden = !p;
  };

  const payload = (p, patch = {}) => ({
    ...(p?.id != null ? { id: p.id } : {}),
    name: p.name, price: p.price, sku: p.sku || null, barcode: p.barcode || null,
    category: p.category || null, stock: p.stock ?? null, active: p.active, ...patch,
  });

  const load = async () => {
    const mine = ++seq;
    try {
      const query = search.value.trim();
      const [products, categories] = await Promise.all([
        call('products_list', { include_inactive: true, ...(query ? { query } : {}) }),
        call('categories_list'),
      ]);
      if (mine !== seq) return;
      list = products;
      cats.replaceChildren(...categories.map((c) => el('option', { value: c.name })));
      tbody.replaceChildren(...products.map((p, i) => row(p, i, !query)));
      empty.hidden = products.length > 0;
    } catch (e) { say(out, err(e)); }
  };

  const move = async (i, by) => {
    const ids = list.map((p) => p.id);
    const j = i + by;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j], ids[i]];
    try {
      await call('products_reorder', { ids });
    } catch (e) { say(out, err(e)); }
    await load();
    tbody.querySelector(`tr[data-product-id="${ids[j]}"] .${by < 0 ? 'prod-up' : 'prod-down'}`)?.focus();
  };

  const row = (p, i, reorder) => {
    const edit = el('button', { type: 'button', class: 'prod-edit' }, t('prod.editbtn'));
    edit.addEventListener('click', () => { fill(p); name.focus(); form.scrollIntoView({ block: 'nearest' }); });
    const up = el('button', { type: 'button', class: 'ghost prod-up', 'aria-label': t('prod.up'), disabled: !reorder || i === 0 ? '' : undefined }, '↑');
    up.addEventListener('click', () => move(i, -1));
    const down = el('button', { type: 'button', class: 'ghost prod-down', 'aria-label': t('prod.down'), disabled: !reorder || i === list.length - 1 ? '' : undefined }, '↓');
    down.addEventListener('click', () => move(i, 1));
    const toggle = el('button', { type: 'button', class: p.active ? 'danger prod-toggle' : 'prod-toggle' }, t(p.active ? 'prod.deactivate' : 'prod.activate'));
    const flip = async () => {
      try {
        await call('product_save', { product: payload(p, { active: !p.active }) });
        say(out, t(p.active ? 'prod.deactivated' : 'prod.activated', { name: p.name }), true);
      } catch (e) { say(out, err(e)); }
      load();
    };
    toggle.addEventListener('click', () => (p.active ? confirmTwice(toggle, t('prod.confirmdeactivate'), flip) : flip()));
    return el('tr', { dataset: { productId: p.id }, class: p.active ? '' : 'inactive' },
      el('td', {}, el('b', {}, p.name)),
      el('td', { class: 'num' }, rupiah(p.price)),
      el('td', {}, p.category ?? ''),
      el('td', {}, p.sku ?? ''),
      el('td', {}, p.barcode ?? ''),
      el('td', { class: 'num' }, p.stock != null ? digits(p.stock) : '—'),
      el('td', {}, t(p.active ? 'prod.on' : 'prod.off')),
      el('td', { class: 'nowrap' }, edit, ' ', up, down, ' ', toggle));
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const typed = {
      name: name.value.trim(),
      price: typedNumber(price.value),
      sku: sku.value.trim(),
      barcode: barcode.value.trim(),
      category: category.value.trim(),
      stock: stock.value.trim() === '' ? null : Number(stock.value.trim()),
      active: active.checked,
    };
    // stock may be negative (sold before it was counted); anything else isn't a count
    if (stock.value.trim() !== '' && !/^-?\d{1,12}$/.test(stock.value.trim())) return say(out, t('error.invalid_field.stock'));
    try {
      const saved = await call('product_save', { product: payload({ ...typed, id: editing?.id }) });
      say(out, t('prod.saved', { name: saved.name }), true);
      fill(null);
      name.focus();
      load();
    } catch (e2) { say(out, err(e2)); }
  });
  cancel.addEventListener('click', () => fill(null));
  search.addEventListener('input', load);
  load();
  return el('div', { class: 'card', id: 'products-card' },
    el('h2', {}, t('prod.title')),
    el('p', { class: 'muted' }, t('prod.why')),
    form, out,
    el('div', { class: 'inline' }, search),
    table, empty);
}

// ---------- Pajak & layanan ----------

export function taxCard(settings) {
  const out = el('p', { role: 'status', hidden: '', id: 'tax-status' });
  const check = (id, on, key) => {
    const c = el('input', { type: 'checkbox', id });
    c.checked = !!on;
    return [c, el('label', { class: 'check' }, c, ' ', el('span', {}, t(key)))];
  };
  const [taxOn, taxOnRow] = check('tax-enabled', settings.tax_enabled, 'tax.enabled');
  const rate = el('input', { id: 'tax-rate', inputmode: 'decimal', value: bpPercent(settings.tax_rate_bp ?? 1100) });
  const [inclusive, inclusiveRow] = check('tax-inclusive', settings.tax_inclusive, 'tax.inclusive');
  const service = el('input', { id: 'svc-rate', inputmode: 'decimal', value: bpPercent(settings.service_rate_bp ?? 0) });
  const [taxed, taxedRow] = check('svc-taxed', settings.service_taxed, 'tax.service_taxed');
  const rounding = el('select', { id: 'cash-rounding' },
    ...[0, 100, 500, 1000].map((v) => el('option', { value: String(v) }, v ? t('tax.rounding.to', { amount: rupiah(v) }) : t('tax.rounding.off'))));
  rounding.value = String(settings.cash_rounding ?? 0);
  const save = el('button', { type: 'button', class: 'primary', id: 'tax-save' }, t('settings.save'));
  save.addEventListener('click', async () => {
    const taxBp = percentBp(rate.value);
    const serviceBp = percentBp(service.value);
    if (taxBp == null) return say(out, t('tax.bad_rate', { field: t('tax.rate') }));
    if (serviceBp == null) return say(out, t('tax.bad_rate', { field: t('tax.service') }));
    try {
      const s = await call('settings_update', {
        patch: {
          tax_enabled: taxOn.checked,
          tax_rate_bp: taxBp,
          tax_inclusive: inclusive.checked,
          service_rate_bp: serviceBp,
          service_taxed: taxed.checked,
          cash_rounding: Number(rounding.value),
        },
      });
      update({ settings: s });
      rate.value = bpPercent(s.tax_rate_bp);
      service.value = bpPercent(s.service_rate_bp);
      say(out, t('settings.saved'), true);
    } catch (e) { say(out, err(e)); }
  });
  return el('div', { class: 'card', id: 'tax-card' },
    el('h2', {}, t('tax.title')),
    taxOnRow,
    field('tax.rate', rate),
    inclusiveRow,
    field('tax.service', service),
    taxedRow,
    field('tax.rounding', rounding),
    el('p', { class: 'muted' }, t('tax.rounding.why')),
    save, out);
}
