// Pengaturan: the settings, the shop's static QRIS, the API keys; the
// Webhook, Widget and Cetak cards come from integrations.js, Produk and
// Pajak & layanan from produk.js, Orang and Shift from orang.js. A cashier
// sees it too: what they save asks an owner's PIN (api.js).
import { call } from './api.js';
import { $, el } from './dom.js';
import { dateTime, onlyDigits, typedNumber } from './format.js';
import { t, setLanguage, language } from './i18n.js';
import { confirmTwice, copyText, showError } from './controls.js';
import { onScreen, show } from './nav.js';
import { session, loadInfo, loadLogin, update, may } from './session.js';
import { mountIntegrations } from './integrations.js';
import { autoConfirmCard } from './autoconfirm.js';
import { productsCard, taxCard } from './produk.js';
import { peopleCard, shiftsCard, wireShiftDialog } from './orang.js';

function fillSettings() {
  const s = session.settings;
  $('s-base').value = s.public_base_url || '';
  $('s-proxy').value = s.trusted_proxy || 'none';
  $('s-expiry').value = s.order_expiry_minutes;
  $('s-webhook').value = s.default_webhook_url || '';
  $('s-sound').checked = s.sound;
  $('s-language').value = s.language;
  $('listen-lan').checked = s.listen_lan;
  $('listen-local').checked = !s.listen_lan;
  const srv = session.server;
  const env = !!srv?.from_env;
  $('listen-lan').disabled = env;
  $('listen-local').disabled = env;
  $('server-env-note').hidden = !env;
  const lines = [];
  if (srv?.listening) {
    lines.push(t('settings.server.listening', { url: srv.local_url }));
    if (srv.lan_url) lines.push(t('settings.server.lanurl', { url: srv.lan_url }));
  } else {
    lines.push(srv?.error || t('server.down'));
  }
  $('server-detail').replaceChildren(...lines.flatMap((l, i) => (i ? [el('br'), l] : [l])));
}

/** Everything on the screen, asked again (app_info too: the zone may have changed). */
async function loadSettings() {
  $('settings-saved').hidden = true;
  try {
    // loading asks no owner's PIN: what a cashier may not see stays empty
    const quiet = (cmd) => call(cmd, undefined, { approve: false }).catch((e) => {
      if (e?.code === 'owner_only') return [];
      throw e;
    });
    const [info, qris, keys] = await Promise.all([loadInfo(), quiet('qris_list'), quiet('keys_list')]);
    fillSettings();
    $('about').textContent = t('about', { version: info.version, dir: info.data_dir });
    renderQrisList(qris);
    renderKeys(keys);
    mountIntegrations($('settings-webhooks-slot'), info.settings);
    autoConfirmCard(info.settings).then((card) => $('settings-autoconfirm-slot').replaceChildren(card));
  } catch (e) {
    showError($('settings-error'), e);
  }
}

function renderQrisList(list) {
  const tbody = $('qris-table').querySelector('tbody');
  tbody.replaceChildren(...list.map((q) => {
    const actions = el('td', {});
    if (q.is_default) actions.append(el('span', { class: 'badge paid' }, t('settings.qris.default')));
    else {
      const b = el('button', { type: 'button' }, t('settings.qris.makedefault'));
      b.addEventListener('click', async () => {
        await call('qris_set_default', { id: q.id }).catch((e) => showError($('settings-error'), e));
        loadSettings();
      });
      actions.append(b);
    }
    const del = el('button', { type: 'button', class: 'danger' }, t('settings.qris.delete'));
    del.addEventListener('click', () => confirmTwice(del, t('settings.qris.confirmdelete'), async () => {
      await call('qris_delete', { id: q.id }).catch((e) => showError($('settings-error'), e));
      loadSettings();
    }));
    actions.append(' ', del);
    return el('tr', {},
      el('td', {}, el('b', {}, q.merchant_name), el('br'), q.merchant_city),
      el('td', {}, `NMID ${q.nmid || '—'}`, el('br'), q.acquirer || ''),
      actions);
  }));
}

function renderKeys(keys) {
  const tbody = $('keys-table').querySelector('tbody');
  tbody.replaceChildren(...keys.map((k) => {
    const actions = el('td', {});
    if (!k.revoked_at) {
      const lim = el('button', { type: 'button' }, t('settings.keys.setlimit'));
      lim.addEventListener('click', async () => {
        const v = window.prompt(t('settings.keys.newlimit'), k.daily_limit ?? '');
        if (v === null) return;
        // empty clears the limit; anything but digits goes to the engine as -1, which refuses it
        const limit = onlyDigits(v) ? typedNumber(v) : (v.trim() ? -1 : null);
        await call('key_set_limit', { id: k.id, daily_limit: limit })
          .catch((e) => showError($('key-error'), e));
        loadSettings();
      });
      const rev = el('button', { type: 'button', class: 'danger' }, t('settings.keys.revoke'));
      rev.addEventListener('click', () => confirmTwice(rev, t('settings.keys.confirmrevoke'), async () => {
        await call('key_revoke', { id: k.id }).catch((e) => showError($('key-error'), e));
        loadSettings();
      }));
      actions.append(lim, ' ', rev);
    }
    return el('tr', {},
      el('td', {}, k.id),
      el('td', {}, k.name),
      el('td', {}, el('code', {}, `${k.key_prefix}…`)),
      el('td', {}, k.daily_limit ?? t('settings.keys.unlimited')),
      el('td', {}, dateTime(k.created_at, language())),
      el('td', {}, k.revoked_at ? t('settings.keys.revoked') : t('settings.keys.active')),
      actions);
  }));
}

async function saveSettings() {
  $('settings-error').hidden = true;
  $('settings-saved').hidden = true;
  try {
    const settings = await call('settings_update', {
      patch: {
        public_base_url: $('s-base').value.trim(),
        trusted_proxy: $('s-proxy').value.trim() || 'none',
        default_webhook_url: $('s-webhook').value.trim(),
        order_expiry_minutes: typedNumber($('s-expiry').value) ?? undefined,
        sound: $('s-sound').checked,
        language: $('s-language').value,
      },
    });
    setLanguage(settings.language);
    update({ settings });
    await loadLogin().catch(() => {});
    await loadSettings();
    $('settings-saved').hidden = false;
  } catch (e) {
    showError($('settings-error'), e);
  }
}

async function setListen(lan) {
  $('settings-error').hidden = true;
  try {
    update({ settings: await call('settings_update', { patch: { listen_lan: lan } }) });
    update({ server: await call('server_restart') });
    fillSettings();
  } catch (e) {
    showError($('settings-error'), e);
  }
}

export function wirePengaturan() {
  $('s-save').addEventListener('click', saveSettings);
  $('listen-local').addEventListener('change', () => setListen(false));
  $('listen-lan').addEventListener('change', () => setListen(true));
  $('qris-add').addEventListener('click', () => show('setup'));
  $('key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('key-error').hidden = true;
    try {
      const r = await call('keys_create', { name: $('k-name').value, daily_limit: typedNumber($('k-limit').value) });
      $('key-secret-text').textContent = r.secret;
      $('key-secret').hidden = false;
      $('k-name').value = '';
      $('k-limit').value = '';
      loadSettings();
    } catch (err) {
      showError($('key-error'), err);
    }
  });
  wireShiftDialog();
  $('key-copy').addEventListener('click', (e) => copyText($('key-secret-text').textContent, e.currentTarget));
  // Produk and Pajak & layanan are drawn once each time the screen comes up,
  // so saving another card doesn't wipe a product half typed
  onScreen('settings', {
    enter: async () => {
      $('settings-owner-note').hidden = may('settings');
      $('settings-people-slot').replaceChildren(peopleCard());
      $('settings-shifts-slot').replaceChildren(shiftsCard());
      await loadSettings();
      $('settings-products-slot').replaceChildren(productsCard());
      if (session.settings) $('settings-tax-slot').replaceChildren(taxCard(session.settings));
    },
  });
}
