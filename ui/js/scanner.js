// A barcode scanner is a keyboard (a "wedge"): it types the code's digits
// faster than a person can, then Enter. Keys that reach the till while no
// field has the focus come here; a fast burst ending in Enter is a scan, and
// anything slower was a person, whose keys go to the search field instead.

/** Scanners type a key every 5-30 ms; a person, rarely under 80 ms. */
export const GAP_MS = 80;
/** EAN-8 is the shortest common retail code; a person's "12⏎" is no scan. */
export const MIN_LENGTH = 4;

/**
 * `onScan(code)`: a burst and Enter. `onTyped(text)`: keys that were a
 * person's (the caller puts them in the search field). `clock` and `timers`
 * are for the tests.
 */
export function createScanner({ onScan, onTyped, gapMs = GAP_MS, minLength = MIN_LENGTH,
  clock = () => performance.now(), timers = globalThis } = {}) {
  let buf = '';
  let last = 0;
  let timer = null;

  const flush = () => {
    timers.clearTimeout(timer);
    timer = null;
    const typed = buf;
    buf = '';
    if (typed) onTyped(typed);
  };

  return {
    /** A key pressed with no field focused; true when the scanner took it. */
    key(k) {
      const now = clock();
      if (/^[0-9]$/.test(k)) {
        if (buf && now - last > gapMs) flush();
        buf += k;
        last = now;
        timers.clearTimeout(timer);
        timer = timers.setTimeout(flush, gapMs);
        return true;
      }
      if (k === 'Enter' && buf) {
        const code = buf;
        const fast = now - last <= gapMs;
        if (fast && code.length >= minLength) {
          timers.clearTimeout(timer);
          timer = null;
          buf = '';
          onScan(code);
        } else {
          flush();
        }
        return true;
      }
      return false;
    },
    /** Digits waiting to be told apart (a scan so far, or a person's). */
    pending: () => buf,
  };
}
