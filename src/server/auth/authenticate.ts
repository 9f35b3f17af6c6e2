import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../../core/errors.js';
import { expiredSessionToken, invalidSessionToken, presignExpired, presignNotYetValid, signatureMismatch, skewed, unknownAccessKey } from './auth-errors.js';
import { checkSessionToken } from './session-token.js';
import { expectedSignature } from './canonical.js';
import { s3PayloadMode } from './payload-mode.js';
import { readClaim, type SigV4Claim } from './sigv4-claim.js';
import { authenticateV2, isSigV2Header, isSigV2Query } from './sigv2.js';
import type { AuthOptions, AuthResult, PayloadMode } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/i;

/**
 * Verifies a request's AWS Signature Version 4 (Authorization header or presigned query string)
 * and answers who made it. Every failure is a ServiceError in the caller's protocol family
 * (docs/auth.md lists them). The signature is recomputed with @smithy/signature-v4's canonical
 * request builder and compared in constant time.
 */
export async function authenticate(req: IncomingMessage, url: URL, opts: AuthOptions): Promise<AuthResult> {
  const { family } = opts;
  if (family === 's3' && (isSigV2Header(req.headers.authorization) || (req.headers.authorization === undefined && isSigV2Query(url)))) {
    return authenticateV2(req, url, opts);
  }
  const claim = readClaim(req, url, family);
  checkTime(claim, opts);

  const key = await opts.keys.resolve(claim.accessKeyId);
  if (!key) throw unknownAccessKey(family, claim.accessKeyId);
  if (key.session) checkSessionToken(req, url, key.session, opts.now, family, { invalid: invalidSessionToken, expired: expiredSessionToken });

  const { payloadHash, payload } = family === 's3' ? s3PayloadMode(req, url, claim.presigned) : otherPayload(req, opts);

  const expected = await expectedSignature({
    req,
    s3: family === 's3',
    signedHeaders: claim.signedHeaders,
    payloadHash,
    amzDate: claim.amzDate,
    scope: claim.scope,
    scopeDate: claim.scopeDate,
    region: claim.region,
    service: claim.service,
    accessKeyId: claim.accessKeyId,
    secretAccessKey: key.secretAccessKey,
  });
  if (!sameSignature(expected.signature, claim.signature)) {
    throw signatureMismatch(family, {
      accessKeyId: claim.accessKeyId,
      stringToSign: expected.stringToSign,
      signatureProvided: claim.signature,
      canonicalRequest: expected.canonicalRequest,
    });
  }
  // A non-S3 client that declared its body hash must have sent that body.
  if (family !== 's3' && opts.bodySha256 !== undefined && HEX64.test(payloadHash) && payloadHash.toLowerCase() !== opts.bodySha256) {
    throw signatureMismatch(family);
  }

  return {
    // A session's or Studio user's principal carries the client address (aws:SourceIp); the admin's is shared as is.
    principal: key.session || key.principal.studioUser ? { ...key.principal, sourceIp: req.socket?.remoteAddress } : key.principal,
    payload,
    presigned: claim.presigned,
    ...(payload.kind === 'streaming-signed'
      ? { signing: { signingKey: expected.signingKey, amzDate: claim.amzDate, scope: claim.scope, seedSignature: claim.signature } }
      : {}),
  };
}

function checkTime(claim: SigV4Claim, opts: AuthOptions): void {
  const skewMs = opts.clockSkewSeconds * 1000;
  if (claim.presigned) {
    if (claim.dateMs - opts.now > skewMs) throw presignNotYetValid(opts.family, claim.amzDate, opts.now, opts.clockSkewSeconds);
    if (opts.now > claim.dateMs + (claim.expires ?? 0) * 1000) {
      throw presignExpired(opts.family, claim.amzDate, claim.expires ?? 0, opts.now);
    }
    return;
  }
  if (Math.abs(opts.now - claim.dateMs) > skewMs) throw skewed(opts.family, claim.amzDate, opts.now, opts.clockSkewSeconds);
}

/** JSON, REST-JSON and query services: the declared x-amz-content-sha256, else the buffered body's hash. */
function otherPayload(req: IncomingMessage, opts: AuthOptions): { payloadHash: string; payload: PayloadMode } {
  const declared = req.headers['x-amz-content-sha256'];
  const header = Array.isArray(declared) ? declared[0] : declared;
  if (header !== undefined) {
    return { payloadHash: header, payload: HEX64.test(header) ? { kind: 'hash', sha256: header.toLowerCase() } : { kind: 'unsigned' } };
  }
  if (opts.bodySha256 === undefined) {
    // A wiring error, not a client's: the pipeline must hash the body for services that do not declare it.
    throw new ServiceError('InternalFailure', 'Clary could not verify the request signature: the request body was not hashed.', 500);
  }
  return { payloadHash: opts.bodySha256, payload: { kind: 'hash', sha256: opts.bodySha256 } };
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided.toLowerCase(), 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
