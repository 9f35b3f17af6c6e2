import { randomBytes, randomUUID } from 'node:crypto';

export const requestId = (): string => randomUUID();

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** Access key ids look like AWS's: 20 upper-case characters, "AKIA" for long-term keys. */
export const accessKeyId = (prefix = 'AKIA'): string => prefix + pick(ALNUM_UPPER, 20 - prefix.length);

/** 40-character secret, base64-ish like AWS's. */
export const secretAccessKey = (): string => randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b');

/** Lower-case alphanumeric id, e.g. for domain ids (d-xxxxxxxxxxxx). */
export const shortId = (n = 12): string => pick(ALNUM, n);
