// node --test ui/test/: the till's guards around every engine call (api.js).
// An `owner_only` asks an owner's PIN and repeats the same command once; a
// cancelled prompt gives the caller the original error; `locked` and
// `no_open_shift` reach the shell on their way to the caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, setGuards } from '../js/api.js';

/** A stand-in for Tauri: `answers[cmd]` is a list of answers, one per call. */
function fakeTauri(answers) {
  const calls = [];
  globalThis.__TAURI__ = {
    core: {
      invoke: async (cmd, args) => {
        calls.push([cmd, args]);
        const a = answers[cmd].shift();
        if (a instanceof Error || a?.code) throw a;
        return a;
      },
    },
  };
  return calls;
}

const ownerOnly = { code: 'owner_only', message: 'Only the owner can refund: ask the owner to approve with their PIN.' };

test('an owner_only answer asks the owner once, then the same command runs again', async () => {
  const calls = fakeTauri({ order_refund: [ownerOnly, { order_id: 'A1', refunded_amount: 5000 }] });
  const asked = [];
  setGuards({ ownerOnly: async (cmd, err) => { asked.push([cmd, err.code]); return true; } });
  const r = await call('order_refund', { order_id: 'A1', reason: 'Salah pesan' });
  assert.equal(r.refunded_amount, 5000);
  assert.deepEqual(asked, [['order_refund', 'owner_only']]);
  assert.deepEqual(calls, [
    ['order_refund', { order_id: 'A1', reason: 'Salah pesan' }],
    ['order_refund', { order_id: 'A1', reason: 'Salah pesan' }],
  ]);
});

test('a cancelled prompt gives the caller the original error, and nothing runs again', async () => {
  const calls = fakeTauri({ order_refund: [ownerOnly] });
  setGuards({ ownerOnly: async () => false });
  await assert.rejects(call('order_refund', { order_id: 'A1' }), (e) => e === ownerOnly);
  assert.equal(calls.length, 1);
});

test('the repeat is once: a second owner_only goes to the caller', async () => {
  const calls = fakeTauri({ settings_update: [ownerOnly, ownerOnly] });
  let asked = 0;
  setGuards({ ownerOnly: async () => { asked++; return true; } });
  await assert.rejects(call('settings_update', { patch: {} }), (e) => e.code === 'owner_only');
  assert.equal(asked, 1);
  assert.equal(calls.length, 2);
});

test('a screen loading asks no PIN when it says approve: false', async () => {
  fakeTauri({ users_list: [ownerOnly] });
  let asked = 0;
  setGuards({ ownerOnly: async () => { asked++; return true; } });
  await assert.rejects(call('users_list', undefined, { approve: false }), (e) => e.code === 'owner_only');
  assert.equal(asked, 0);
});

test('locked and no_open_shift reach the shell and the caller', async () => {
  fakeTauri({ checkout: [{ code: 'no_open_shift', message: 'Open a shift first' }], orders_list: [{ code: 'locked', message: 'locked' }] });
  const seen = [];
  setGuards({ locked: (e) => seen.push(e.code), noShift: (e) => seen.push(e.code) });
  await assert.rejects(call('checkout', {}), (e) => e.code === 'no_open_shift');
  await assert.rejects(call('orders_list', {}), (e) => e.code === 'locked');
  assert.deepEqual(seen, ['no_open_shift', 'locked']);
});

test('two owner_only answers at once get one prompt at a time', async () => {
  fakeTauri({ a: [ownerOnly, 'A'], b: [ownerOnly, 'B'] });
  let open = 0;
  let most = 0;
  setGuards({
    ownerOnly: async () => {
      open++;
      most = Math.max(most, open);
      await new Promise((r) => setTimeout(r, 10));
      open--;
      return true;
    },
  });
  assert.deepEqual(await Promise.all([call('a'), call('b')]), ['A', 'B']);
  assert.equal(most, 1);
});
