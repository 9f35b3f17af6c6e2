import { invalidToken } from './errors.js';

/**
 * NextToken for Service Quotas (the model allows only standard base64): an offset into the sorted
 * quota list ("q:<n>"), or a store cursor wrapped ("c:<cursor>").
 */
export const encodeToken = (kind: 'q' | 'c', value: string | number): string => Buffer.from(`${kind}:${value}`, 'utf8').toString('base64');

export function decodeOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const m = /^q:(\d{1,9})$/.exec(text);
  if (!m) throw invalidToken();
  return Number(m[1]);
}

export function decodeCursor(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('c:') || text.length < 3) throw invalidToken();
  return text.slice(2);
}
