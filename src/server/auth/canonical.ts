import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { getCanonicalHeaders, getSigningKey, SignatureV4Base } from '@smithy/signature-v4';
import { ALGORITHM } from './sigv4-claim.js';

/** SHA-256 in the shape @smithy/signature-v4 wants: `new Sha256(secret?)`. */
class Sha256 extends Hash {
  constructor(secret?: string | Uint8Array) {
    super('sha256', secret as never);
  }
}
/** Its constructor type, as smithy's (structurally identical) HashConstructor. */
const sha256 = Sha256 as never;

/**
 * Exposes @smithy/signature-v4's canonical-request and string-to-sign builders (the same code that
 * signs every SDK request) without its request-rewriting `sign()`, which would drop or add headers
 * (Date, X-Amz-Date, x-amz-content-sha256) the client did or did not sign.
 */
class CanonicalBuilder extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    super({ service: 'clary', region: 'clary', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256, uriEscapePath });
  }
  canonicalRequest(request: HttpRequest, headers: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
}

/**
 * SigV4's string to sign, exactly as @smithy/signature-v4's createStringToSign builds it (algorithm,
 * date, scope, hex SHA-256 of the UTF-8 canonical request), computed synchronously: this is on
 * every request's path and smithy's async Hash costs a promise and a copy for nothing.
 */
export function stringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
}

/** S3 signs the path exactly as sent; every other service signs it URI-encoded once more. */
const builders = { s3: new CanonicalBuilder(false), other: new CanonicalBuilder(true) };

export interface ExpectedSignature {
  readonly signature: string;
  readonly signingKey: Buffer;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

export interface SignInput {
  readonly req: IncomingMessage;
  readonly s3: boolean;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
  readonly amzDate: string;
  readonly scope: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Recomputes the signature the client should have sent for this request. */
export async function expectedSignature(input: SignInput): Promise<ExpectedSignature> {
  const { req } = input;
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = parseRawQuery(q < 0 ? '' : rawUrl.slice(q + 1));
  const signed = new Set(input.signedHeaders);
  const headers = signedHeaderValues(req, signed);
  const request = new HttpRequest({ method: req.method ?? 'GET', path: path || '/', query, headers });
  const builder = input.s3 ? builders.s3 : builders.other;
  const canonicalRequest = builder.canonicalRequest(request, getCanonicalHeaders(request, undefined, signed), input.payloadHash);
  const toSign = stringToSign(input.amzDate, input.scope, canonicalRequest);
  const signingKey = cachedSigningKeyHit(input) ?? (await cachedSigningKey(input));
  const signature = createHmac('sha256', signingKey).update(toSign, 'utf8').digest('hex');
  return { signature, signingKey, canonicalRequest, stringToSign: toSign };
}

/**
 * Signing keys change once a day per key, region and service: derive each once (four HMACs) and
 * reuse it. The secret is part of the check, so a rotated secret never matches a cached key.
 */
const signingKeys = new Map<string, { secret: string; key: Buffer }>();

/** The cached key, without a promise (the usual case: every request but the day's first per key). */
function cachedSigningKeyHit(input: SignInput): Buffer | undefined {
  const hit = signingKeys.get(`${input.accessKeyId}/${input.scopeDate}/${input.region}/${input.service}`);
  return hit && hit.secret === input.secretAccessKey ? hit.key : undefined;
}

async function cachedSigningKey(input: SignInput): Promise<Buffer> {
  const id = `${input.accessKeyId}/${input.scopeDate}/${input.region}/${input.service}`;
  const hit = signingKeys.get(id);
  if (hit && hit.secret === input.secretAccessKey) return hit.key;
  const key = Buffer.from(
    await getSigningKey(sha256, { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }, input.scopeDate, input.region, input.service),
  );
  if (signingKeys.size >= 1024) signingKeys.clear();
  signingKeys.set(id, { secret: input.secretAccessKey, key });
  return key;
}

/**
 * The query exactly as received, percent-decoded once (never '+' as space: SigV4 clients encode a
 * space as %20 and a plus as %2B) so smithy re-encodes it the canonical way.
 */
export function parseRawQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Values of the signed headers; a header sent more than once is joined with commas, as SigV4 says. */
function signedHeaderValues(req: IncomingMessage, signed: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!signed.has(name) || name === '__proto__') continue;
    const value = raw[i + 1]!;
    out[name] = out[name] === undefined ? value : `${out[name]},${value}`;
  }
  return out;
}
