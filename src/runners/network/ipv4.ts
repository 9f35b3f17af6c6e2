/** IPv4 addresses and prefixes as numbers: parsing, formatting, carving a range into /24s. */

export interface Cidr {
  /** Network address (host bits zero), as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): number {
  const m = OCTETS.exec(text);
  if (!m) throw new Error(`"${text}" is not an IPv4 address`);
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) throw new Error(`"${text}" is not an IPv4 address`);
  return octets.reduce((n, o) => n * 256 + o, 0);
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

export function parseCidr(text: string): Cidr {
  const [addr, bits, extra] = text.split('/');
  const prefix = Number(bits);
  if (extra !== undefined || bits === undefined || !/^\d{1,2}$/.test(bits) || prefix > 32) throw new Error(`"${text}" is not an IPv4 prefix like 10.213.0.0/16`);
  const ip = parseIpv4(addr!);
  const base = (ip & mask(prefix)) >>> 0;
  if (base !== ip) throw new Error(`"${text}" has host bits set (did you mean ${formatIpv4(base)}/${prefix}?)`);
  return { base, prefix };
}

export const formatCidr = (c: Cidr) => `${formatIpv4(c.base)}/${c.prefix}`;

export function contains(c: Cidr, ip: number): boolean {
  return ((ip & mask(c.prefix)) >>> 0) === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.base & mask(p)) >>> 0) === ((b.base & mask(p)) >>> 0);
}

/** The /24s of a range, in order (a range narrower than /24 has none). */
export function subnets24(range: Cidr): Cidr[] {
  if (range.prefix > 24) return [];
  const count = 2 ** (24 - range.prefix);
  return Array.from({ length: count }, (_, i) => ({ base: range.base + i * 256, prefix: 24 }));
}

/** RFC 1918 space: a private network range must sit inside it. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(parseCidr);

export function isPrivateRange(c: Cidr): boolean {
  return PRIVATE.some((p) => p.prefix <= c.prefix && contains(p, c.base));
}
