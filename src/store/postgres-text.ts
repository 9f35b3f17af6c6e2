/**
 * PostgreSQL's text cannot hold U+0000 (the server refuses the whole statement), while SQLite's
 * can, and Clary stores whatever a client sent: a log line, a metric dimension, a stream name. So
 * every string crossing the pg boundary is escaped with a reversible, order-preserving scheme:
 *
 *   U+0000 → U+0001 U+0001      U+0001 → U+0001 U+0002      anything else → itself
 *
 * Each code is prefix-free and the codes sort as the characters they stand for, so equality,
 * `<`/`>` under COLLATE "C" and `starts_with` give the same answers on escaped text as on the
 * original. A substring test (`strpos`, `LIKE '%…%'`) can match across a code boundary only when
 * the needle starts with U+0001 or U+0002 and the text holds U+0000 or U+0001 (docs/store.md).
 * Strings without either character (nearly all) are passed through untouched.
 */
const NUL = '\u0000';
const ESC = '\u0001';

const TO_ESCAPE = /[\u0000\u0001]/g;
const ESCAPED = /\u0001([\u0001\u0002])?/g;

export function encodeText(s: string): string {
  if (!s.includes(NUL) && !s.includes(ESC)) return s;
  return s.replace(TO_ESCAPE, (ch) => (ch === NUL ? ESC + ESC : ESC + '\u0002'));
}

/** A lone U+0001 (never written by encodeText: a row from before escaping) reads as itself. */
export function decodeText(s: string): string {
  if (!s.includes(ESC)) return s;
  return s.replace(ESCAPED, (_, next: string | undefined) => (next === ESC ? NUL : ESC));
}

/** Query parameters with every string (and every string in an array parameter) escaped. */
export function encodeParams(values: unknown): unknown {
  if (!Array.isArray(values)) return values;
  return values.map((v) => (typeof v === 'string' ? encodeText(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? encodeText(x) : x)) : v));
}
