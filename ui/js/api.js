// The only door to the engine: Tauri commands. Errors always come back as
// {code, message}, whether the engine or Tauri's argument parsing raised them.
const tauri = window.__TAURI__;

export async function call(cmd, args) {
  try {
    return await tauri.core.invoke(cmd, args);
  } catch (e) {
    if (e && typeof e === 'object' && 'message' in e) throw e;
    throw { code: 'invalid_request', message: String(e) };
  }
}

export function listen(event, handler) {
  return tauri.event.listen(event, (e) => handler(e.payload));
}
