// Display only: money as "Rp 50.000", times in Asia/Jakarta.
const TZ = 'Asia/Jakarta';

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

export function dateTime(ms, lang) {
  if (ms == null) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    timeZone: TZ, day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit',
  }).format(new Date(ms));
}

/** Today in Jakarta as YYYY-MM-DD. */
export function todayJakarta() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

export function countdown(msLeft) {
  if (msLeft <= 0) return '0:00';
  const s = Math.floor(msLeft / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
