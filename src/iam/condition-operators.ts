import { arnMatch, wildcardMatch } from './wildcard.js';

/**
 * The condition operators of IAM's policy grammar, each a test of one request value against one
 * policy value. Set qualifiers (ForAllValues:/ForAnyValue:), the …IfExists suffix and the Null
 * operator are handled by conditions.ts; this file only compares.
 */
export type Comparator = (requestValue: string, policyValue: string) => boolean;

const num = (s: string): number => (s.trim() === '' ? NaN : Number(s));
const date = (s: string): number => {
  if (/^\d+$/.test(s)) return Number(s) * 1000; // epoch seconds, as IAM allows
  const t = Date.parse(s);
  return Number.isNaN(t) ? NaN : t;
};
const cmp = (parse: (s: string) => number, test: (a: number, b: number) => boolean): Comparator => (a, b) => {
  const x = parse(a);
  const y = parse(b);
  return !Number.isNaN(x) && !Number.isNaN(y) && test(x, y);
};

/** Positive operators; their negations are derived (see NEGATED). */
export const OPERATORS: Readonly<Record<string, Comparator>> = {
  StringEquals: (a, b) => a === b,
  StringEqualsIgnoreCase: (a, b) => a.toLowerCase() === b.toLowerCase(),
  StringLike: (a, b) => wildcardMatch(b, a),
  NumericEquals: cmp(num, (a, b) => a === b),
  NumericLessThan: cmp(num, (a, b) => a < b),
  NumericLessThanEquals: cmp(num, (a, b) => a <= b),
  NumericGreaterThan: cmp(num, (a, b) => a > b),
  NumericGreaterThanEquals: cmp(num, (a, b) => a >= b),
  DateEquals: cmp(date, (a, b) => a === b),
  DateLessThan: cmp(date, (a, b) => a < b),
  DateLessThanEquals: cmp(date, (a, b) => a <= b),
  DateGreaterThan: cmp(date, (a, b) => a > b),
  DateGreaterThanEquals: cmp(date, (a, b) => a >= b),
  Bool: (a, b) => a.toLowerCase() === b.toLowerCase(),
  BinaryEquals: (a, b) => a === b,
  IpAddress: (a, b) => ipInCidr(a, b),
  ArnEquals: (a, b) => arnMatch(b, a),
  ArnLike: (a, b) => arnMatch(b, a),
};

/** Negated operators: true when no policy value matches (see conditions.ts). */
export const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

export const isKnownOperator = (op: string): boolean => op === 'Null' || op in OPERATORS || op in NEGATED;

/** IPv4 and IPv6 CIDR (or a bare address); IPv4-mapped IPv6 request addresses count as IPv4. */
export function ipInCidr(address: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const a = parseIp(address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address);
  const n = parseIp(net ?? '');
  if (!a || !n || a.length !== n.length) return false;
  const bits = bitsText === undefined ? a.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length * 8) return false;
  for (let i = 0; i < a.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((a[i]! & mask) !== (n[i]! & mask)) return false;
  }
  return true;
}

function parseIp(s: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    return parts.every((p) => p <= 255) ? parts : undefined;
  }
  if (!s.includes(':') || !/^[0-9a-fA-F:]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  const out: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  return out;
}
