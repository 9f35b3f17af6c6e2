import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../../core/errors.js';
import { badDateFormat, malformed, missingAuth, missingDate, unsupportedAlgorithm } from './auth-errors.js';
import { httpDateToAmz, parseAmzDate } from './amz-date.js';
import type { AuthFamily } from './types.js';

/** What a request claims about its signature, read from the Authorization header or presigned query. */
export interface SigV4Claim {
  readonly presigned: boolean;
  readonly accessKeyId: string;
  /** yyyymmdd/region/service/aws4_request */
  readonly scope: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  /** Lower-case header names, as listed by the client. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The signed date in basic format, and as epoch ms. */
  readonly amzDate: string;
  readonly dateMs: number;
  /** Presigned only: X-Amz-Expires seconds. */
  readonly expires?: number;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_EXPIRES = 604_800;
const CREDENTIAL_SHAPE = 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';

/** Reads the claim, or throws the family's error for a missing or malformed one. */
export function readClaim(req: IncomingMessage, url: URL, family: AuthFamily): SigV4Claim {
  const header = req.headers.authorization;
  // url.search first: most requests have no query, and searchParams builds a parser object on first use.
  const presigned = url.search !== '' && (url.searchParams.has('X-Amz-Algorithm') || url.searchParams.has('X-Amz-Signature') || url.searchParams.has('X-Amz-Credential'));
  if (header !== undefined && presigned && family === 's3') {
    throw new ServiceError(
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      400,
      { ArgumentName: 'Authorization', ArgumentValue: header.length > 200 ? `${header.slice(0, 200)}...` : header },
    );
  }
  if (header !== undefined) return fromHeader(req, header, family);
  if (presigned) return fromQuery(url, family);
  throw missingAuth(family);
}

function fromHeader(req: IncomingMessage, header: string, family: AuthFamily): SigV4Claim {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) {
    if (family !== 's3' && !algorithm.startsWith('AWS')) throw missingAuth(family);
    throw unsupportedAlgorithm(family, false);
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    const coral = missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ') + ` Authorization=${trimmed}`;
    throw malformed(family, coral, `missing ${missing.join(', ')}.`);
  }
  const credential = parseCredential(fields.get('Credential')!, family, false);

  const xAmzDate = single(req.headers['x-amz-date']);
  let amzDate: string;
  if (xAmzDate !== undefined) {
    amzDate = xAmzDate;
  } else {
    const date = single(req.headers.date);
    if (date === undefined) throw missingDate(family);
    const converted = httpDateToAmz(date);
    if (converted === undefined) throw badDateFormat(family, date, false);
    amzDate = converted;
  }
  const dateMs = parseAmzDate(amzDate);
  if (dateMs === undefined) throw badDateFormat(family, amzDate, false);
  if (amzDate.slice(0, 8) !== credential.scopeDate) {
    throw malformed(
      family,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${credential.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      `Invalid credential date. Date is not the same as X-Amz-Date: "${credential.scopeDate}".`,
    );
  }
  return {
    presigned: false,
    ...credential,
    signedHeaders: fields.get('SignedHeaders')!.split(';').map((h) => h.trim().toLowerCase()),
    signature: fields.get('Signature')!,
    amzDate,
    dateMs,
  };
}

function fromQuery(url: URL, family: AuthFamily): SigV4Claim {
  const q = url.searchParams;
  const names = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
  const missing = names.filter((n) => !q.get(n));
  if (missing.length > 0) {
    throw malformed(
      family,
      missing.map((n) => `AWS query-string parameters must include '${n}'.`).join(' ') + ' Re-examine the query-string parameters.',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      true,
    );
  }
  if (q.get('X-Amz-Algorithm') !== ALGORITHM) throw unsupportedAlgorithm(family, true);
  const credential = parseCredential(q.get('X-Amz-Credential')!, family, true);
  const amzDate = q.get('X-Amz-Date')!;
  const dateMs = parseAmzDate(amzDate);
  if (dateMs === undefined) throw badDateFormat(family, amzDate, true);
  const expiresRaw = q.get('X-Amz-Expires')!;
  const expires = /^\d{1,9}$/.test(expiresRaw) ? Number(expiresRaw) : NaN;
  if (!Number.isFinite(expires)) {
    throw malformed(family, `X-Amz-Expires must be a non-negative integer. Got '${expiresRaw}'.`, 'X-Amz-Expires should be a number', true);
  }
  if (expires > MAX_EXPIRES) {
    throw malformed(
      family,
      'X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds',
      'X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds',
      true,
    );
  }
  if (amzDate.slice(0, 8) !== credential.scopeDate) {
    throw malformed(
      family,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${credential.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      `Invalid credential date "${credential.scopeDate}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`,
      true,
    );
  }
  return {
    presigned: true,
    ...credential,
    signedHeaders: q.get('X-Amz-SignedHeaders')!.split(';').map((h) => h.trim().toLowerCase()),
    signature: q.get('X-Amz-Signature')!,
    amzDate,
    dateMs,
    expires,
  };
}

function parseCredential(value: string, family: AuthFamily, presigned: boolean) {
  const parts = value.split('/');
  if (parts.length < 5) {
    throw malformed(family, `Credential should have at least 5 slash-separated parts, not ${parts.length}. Credential=${value}`, CREDENTIAL_SHAPE, presigned);
  }
  const [scopeDate, region, service, terminator] = parts.slice(-4) as [string, string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  if (terminator !== 'aws4_request') {
    throw malformed(family, `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `, CREDENTIAL_SHAPE, presigned);
  }
  if (!/^\d{8}$/.test(scopeDate) || !accessKeyId || !region || !service) {
    throw malformed(family, `Credential should be scoped to a valid date, region and service. Credential=${value}`, CREDENTIAL_SHAPE, presigned);
  }
  return { accessKeyId, scopeDate, region, service, scope: `${scopeDate}/${region}/${service}/aws4_request` };
}

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
