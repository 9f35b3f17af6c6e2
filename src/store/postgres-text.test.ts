import { describe, expect, it } from 'vitest';
import { decodeText, encodeParams, encodeText } from './postgres-text.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ALPHABET = ['\u0000', '\u0001', '\u0002', 'a', '\u00e9', '\u{1F422}'];

/** Every string of up to `n` characters from ALPHABET. */
function strings(n: number): string[] {
  if (n === 0) return [''];
  const shorter = strings(n - 1);
  return [...shorter, ...shorter.filter((s) => [...s].length === n - 1).flatMap((s) => ALPHABET.map((c) => s + c))];
}

describe('PostgreSQL text escaping', () => {
  const all = strings(3);

  it('round-trips every short string, keeps plain strings as they are and writes no U+0000', () => {
    for (const s of all) {
      const e = encodeText(s);
      expect(e.includes('\u0000')).toBe(false);
      expect(decodeText(e)).toBe(s);
    }
    expect(encodeText('plain text')).toBe('plain text');
    expect(encodeText('a\u0000b')).toBe('a\u0001\u0001b');
    expect(encodeText('\u0001')).toBe('\u0001\u0002');
  });

  it('keeps code-point order and prefixes, so COLLATE "C" comparisons and starts_with answer as on the original', () => {
    for (const a of all) {
      for (const b of all) {
        expect(cmp(encodeText(a), encodeText(b))).toBe(cmp(a, b));
        expect(encodeText(b).startsWith(encodeText(a))).toBe(b.startsWith(a));
      }
    }
  });

  it('reads a lone U+0001 (a row written before escaping) as itself', () => {
    expect(decodeText('x\u0001y')).toBe('x\u0001y');
    expect(decodeText('x\u0001')).toBe('x\u0001');
  });

  it('escapes string parameters and strings inside array parameters only', () => {
    expect(encodeParams(['\u0000', 5, null, ['a\u0000', 7]])).toEqual(['\u0001\u0001', 5, null, ['a\u0001\u0001', 7]]);
    expect(encodeParams(undefined)).toBeUndefined();
  });
});
