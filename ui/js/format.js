// Display only: money as "Rp 50.000", times in the merchant's zone. The one
// rupiah formatter of the till and customer windows.

// The merchant's zone as `app_info` names it; +07:00 (WIB) until it says.
let offsetMinutes = 7 * 60;

/** `app_info.zone` ({name, label, offset_minutes}); absent keeps +07:00. */
export function setZone(zone) {
  offsetMinutes = Number.isFinite(zone?.offset_minutes) ? zone.offset_minutes : 7 * 60;
}

export function digits(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

export function rupiah(n) {
  return 'Rp ' + digits(n ?? 0);
}

/** Keep the digits a person typed, without leading zeros. */
export function onlyDigits(s) {
  return String(s).replace(/\D/g, '').replace(/^0+(?=\d)/, '');
}

/** What an amount field shows while typing: its digits (at most 13) with dots. */
export function typedAmount(raw) {
  const d = onlyDigits(raw).slice(0, 13);
  return d ? digits(d) : '';
}

/** The number a person typed (dots and all), or null for none. */
export function typedNumber(raw) {
  const d = onlyDigits(raw);
  return d ? Number(d) : null;
}

/** An instant (epoch ms) on the merchant's wall clock: the epoch shifted by
 * the zone's offset, formatted as UTC (which every WebKit knows). */
export function dateTime(ms, lang, { seconds = false } = {}) {
  if (ms == null) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    timeZone: 'UTC', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  }).format(new Date(new Date(ms).getTime() + offsetMinutes * 60000));
}

/** Only the time of day on the merchant's wall clock ("11.20.50"): for
 * moments a minute or two away, such as a PIN lockout's end. */
export function timeOfDay(ms, lang, { seconds = false } = {}) {
  if (ms == null) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    timeZone: 'UTC', hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}),
  }).format(new Date(new Date(ms).getTime() + offsetMinutes * 60000));
}

/** Today (YYYY-MM-DD) on the merchant's wall clock, for an engine that does not say it yet. */
export function todayHere(nowMs = Date.now()) {
  return new Date(nowMs + offsetMinutes * 60000).toISOString().slice(0, 10);
}

export function countdown(msLeft) {
  if (msLeft <= 0) return '0:00';
  const s = Math.floor(msLeft / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A rate in basis points as a person reads it: 1100 → "11", 1150 → "11,5". */
export function bpPercent(bp) {
  const n = Number(bp ?? 0);
  const whole = Math.floor(n / 100);
  const frac = String(n % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole},${frac}` : String(whole);
}

/** A typed percent ("11", "11,5", "12.25") in basis points, or null when it
 * isn't one (more than two decimals, or not a number). */
export function percentBp(raw) {
  const m = String(raw ?? '').trim().match(/^(\d{1,3})(?:[.,](\d{1,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
