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

export function encodeText(s: string): string {
  if (!s.includes(NUL) && !s.includes(ESC)) return s;
  let out = '';
  for (const ch of s) out += ch === NUL ? ESC + ESC : ch === ESC ? ESC + '\u0002' : ch;
  return out;
}

export function decodeText(s: string): string {
  if (!s.includes(ESC)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== ESC) {
      out += ch;
      continue;
    }
    const next = s[i + 1];
    if (next === ESC) out += NUL, i++;
    else if (next === '\u0002') out += ESC, i++;
    else out += ESC; // never written by encodeText (a row from before escaping): read as itself
  }
  return out;
}

/** Query parameters with every string (and every string in an array parameter) escaped. */
export function encodeParams(values: unknown): unknown {
  if (!Array.isArray(values)) return values;
  return values.map((v) => (typeof v === 'string' ? encodeText(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? encodeText(x) : x)) : v));
}
