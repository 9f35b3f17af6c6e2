import { invalidToken } from './errors.js';

/**
 * Log paging tokens. GetLogEvents: "f/<seq>" (newer than seq) and "b/<seq>" (older than seq), as
 * CloudWatch does; polling with an unchanged forward token is how clients tail a stream.
 * Describe*: an offset; FilterLogEvents: the last seq returned.
 */
export function parseDirectional(token: string): { dir: 'f' | 'b'; seq: number } {
  const m = /^([fb])\/(\d{1,20})$/.exec(token);
  if (!m) throw invalidToken();
  return { dir: m[1] as 'f' | 'b', seq: Number(m[2]) };
}

export const directional = (dir: 'f' | 'b', seq: number): string => `${dir}/${String(seq).padStart(20, '0')}`;

export function parseNumberToken(token: string | undefined): number {
  if (token === undefined) return 0;
  if (!/^\d{1,15}$/.test(token)) throw invalidToken();
  return Number(token);
}
