// The only door to the engine: Tauri commands. Errors always come back as
// {code, message}, whether the engine or Tauri's argument parsing raised them.
//
// Every call goes through the till's guards (people.js installs them; the
// customer window has none): `locked` brings up the lock screen, an
// `owner_only` asks for an owner's PIN and repeats the same command once,
// and `no_open_shift` sends the cashier to Buka shift. The caller gets the
// answer of the repeated command, or the original error when the owner's
// PIN was not given.
// (looked up on each call, so the unit tests can stand in for Tauri)
const tauri = () => globalThis.__TAURI__;

async function invoke(cmd, args) {
  try {
    return await tauri().core.invoke(cmd, args);
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e) throw e;
    throw { code: 'invalid_request', message: String(e) };
  }
}

let guards = {};

/** `{ locked(err), ownerOnly(cmd, err) → Promise<boolean>, noShift(err) }`. */
export function setGuards(g) {
  guards = g;
}

// only one owner prompt at a time: a second owner_only waits for the first
let prompting = Promise.resolve();

function askOwner(cmd, err) {
  const turn = prompting.then(() => guards.ownerOnly(cmd, err));
  prompting = turn.catch(() => false);
  return turn;
}

/**
 * A Tauri command. `opts.approve: false` skips the owner's prompt (a screen
 * loading what only an owner may see says so instead of asking).
 */
export async function call(cmd, args, opts = {}) {
  let first;
  try {
    return await invoke(cmd, args);
  } catch (e) {
    first = e;
  }
  if (first?.code === 'owner_only' && guards.ownerOnly && opts.approve !== false) {
    if (!(await askOwner(cmd, first))) throw first;
    try {
      return await invoke(cmd, args);
    } catch (e) {
      throw others(e);
    }
  }
  throw others(first);
}

/** The other guards see the error on its way to the caller. */
function others(e) {
  if (e?.code === 'locked') guards.locked?.(e);
  if (e?.code === 'no_open_shift') guards.noShift?.(e);
  return e;
}

export function listen(event, handler) {
  return tauri().event.listen(event, (e) => handler(e.payload));
}
