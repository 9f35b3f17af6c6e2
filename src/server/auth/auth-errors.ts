import { ServiceError } from '../../core/errors.js';
import type { AuthFamily } from './types.js';

/**
 * The authentication failures, named the way each AWS protocol family names them. S3 answers in
 * its own vocabulary; the AWS JSON and REST-JSON services (Coral) share one; the query services
 * (STS, IAM, CloudWatch) another. Messages are AWS's own text. No secret ever goes in here.
 */

const S3_SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const CORAL_SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** No Authorization header and no presigned query: an anonymous request. */
export function missingAuth(family: AuthFamily): ServiceError {
  if (family === 's3') return new ServiceError('AccessDenied', 'Access Denied', 403);
  if (family === 'query') return new ServiceError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  return new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
}

export function unknownAccessKey(family: AuthFamily, accessKeyId: string): ServiceError {
  if (family === 's3') {
    return new ServiceError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
      AWSAccessKeyId: accessKeyId,
    });
  }
  if (family === 'query') return new ServiceError('InvalidClientTokenId', INVALID_TOKEN, 403);
  return new ServiceError('UnrecognizedClientException', INVALID_TOKEN, 403);
}

/** What S3 echoes back with SignatureDoesNotMatch so a client can see where signing differed. */
export interface MismatchDetail {
  readonly accessKeyId: string;
  readonly stringToSign: string;
  readonly signatureProvided: string;
  readonly canonicalRequest: string;
}

export function signatureMismatch(family: AuthFamily, detail?: MismatchDetail): ServiceError {
  if (family === 's3') {
    return new ServiceError(
      'SignatureDoesNotMatch',
      S3_SIGNATURE_MISMATCH,
      403,
      detail
        ? {
            AWSAccessKeyId: detail.accessKeyId,
            StringToSign: detail.stringToSign,
            SignatureProvided: detail.signatureProvided,
            CanonicalRequest: detail.canonicalRequest,
          }
        : {},
    );
  }
  if (family === 'query') return new ServiceError('SignatureDoesNotMatch', CORAL_SIGNATURE_MISMATCH, 403);
  return new ServiceError('InvalidSignatureException', CORAL_SIGNATURE_MISMATCH, 403);
}

/**
 * A malformed Authorization header or presigned query. `coralMessage` is the JSON/query services'
 * text; S3 gets `s3Message` under AuthorizationHeaderMalformed (header) or
 * AuthorizationQueryParametersError (query string).
 */
export function malformed(family: AuthFamily, coralMessage: string, s3Message: string, presigned = false): ServiceError {
  if (family === 's3') {
    return presigned
      ? new ServiceError('AuthorizationQueryParametersError', s3Message, 400)
      : new ServiceError('AuthorizationHeaderMalformed', `The authorization header is malformed; ${s3Message}`, 400);
  }
  return new ServiceError(family === 'query' ? 'IncompleteSignature' : 'IncompleteSignatureException', coralMessage, 400);
}

/** The algorithm is not AWS4-HMAC-SHA256 (SigV2, SigV4a, something else). */
export function unsupportedAlgorithm(family: AuthFamily, presigned: boolean): ServiceError {
  if (family === 's3') {
    return presigned
      ? new ServiceError('AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', 400)
      : new ServiceError(
          'InvalidRequest',
          'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
          400,
        );
  }
  const message = presigned
    ? 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'
    : 'Authorization header requires the AWS4-HMAC-SHA256 algorithm. Clary does not support other signing algorithms.';
  return new ServiceError(family === 'query' ? 'IncompleteSignature' : 'IncompleteSignatureException', message, 400);
}

export function missingDate(family: AuthFamily): ServiceError {
  if (family === 's3') return new ServiceError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403);
  return new ServiceError(
    family === 'query' ? 'IncompleteSignature' : 'IncompleteSignatureException',
    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    400,
  );
}

export function badDateFormat(family: AuthFamily, value: string, presigned: boolean): ServiceError {
  if (family === 's3') {
    return presigned
      ? new ServiceError('AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"', 400)
      : new ServiceError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403);
  }
  return new ServiceError(
    family === 'query' ? 'IncompleteSignature' : 'IncompleteSignatureException',
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    400,
  );
}

/** Clock skew beyond the allowed window. Texts: S3's RequestTimeTooSkewed; Coral's "Signature expired". */
export function skewed(family: AuthFamily, amzDate: string, now: number, skewSeconds: number): ServiceError {
  if (family === 's3') {
    return new ServiceError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
      RequestTime: amzDate,
      ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      MaxAllowedSkewMilliseconds: skewSeconds * 1000,
    });
  }
  const requestMs = parsedMs(amzDate);
  const minutes = `${Math.round(skewSeconds / 60)} min.`;
  const message =
    requestMs < now
      ? `Signature expired: ${amzDate} is now earlier than ${basic(now - skewSeconds * 1000)} (${basic(now)} - ${minutes})`
      : `Signature not yet current: ${amzDate} is still later than ${basic(now + skewSeconds * 1000)} (${basic(now)} + ${minutes})`;
  return new ServiceError(family === 'query' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', message, 403);
}

/** A presigned URL past its X-Amz-Date + X-Amz-Expires. */
export function presignExpired(family: AuthFamily, amzDate: string, expiresSeconds: number, now: number): ServiceError {
  const expiresAt = parsedMs(amzDate) + expiresSeconds * 1000;
  if (family === 's3') {
    return new ServiceError('AccessDenied', 'Request has expired', 403, {
      'X-Amz-Expires': expiresSeconds,
      Expires: iso(expiresAt),
      ServerTime: iso(now),
    });
  }
  const message = `Signature expired: ${basic(expiresAt)} is now earlier than ${basic(now)}`;
  return new ServiceError(family === 'query' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', message, 403);
}

/** A presigned URL whose X-Amz-Date lies in the future beyond the skew. */
export function presignNotYetValid(family: AuthFamily, amzDate: string, now: number, skewSeconds: number): ServiceError {
  if (family === 's3') return new ServiceError('AccessDenied', 'Request is not yet valid', 403);
  return skewed(family, amzDate, now, skewSeconds);
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const basic = (ms: number) => iso(ms).replace(/[-:]/g, '');
const parsedMs = (amzDate: string) =>
  Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));

/** Temporary credentials without their session token, or with another one. */
export function invalidSessionToken(family: AuthFamily): ServiceError {
  if (family === 's3') return new ServiceError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
  if (family === 'query') return new ServiceError('InvalidClientTokenId', INVALID_TOKEN, 403);
  return new ServiceError('UnrecognizedClientException', INVALID_TOKEN, 403);
}

/** Temporary credentials past their Expiration. */
export function expiredSessionToken(family: AuthFamily): ServiceError {
  if (family === 's3') return new ServiceError('ExpiredToken', 'The provided token has expired.', 400);
  if (family === 'query') return new ServiceError('ExpiredToken', 'The security token included in the request is expired', 403);
  return new ServiceError('ExpiredTokenException', 'The security token included in the request is expired', 400);
}
