import { ServiceError } from '../core/errors.js';

/**
 * S3's own errors, with the codes, messages and statuses S3 answers. Shared by the object stores
 * and the S3 API so a store error passes straight through to the wire.
 */
export const s3Errors = {
  noSuchBucket: (bucket: string) => new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string) => new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }),
  noSuchUpload: (uploadId: string) =>
    new ServiceError(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: uploadId },
    ),
  bucketNotEmpty: (bucket: string) => new ServiceError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new ServiceError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket }),
  invalidBucketName: (bucket: string) => new ServiceError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  keyTooLong: (size: number) =>
    new ServiceError('KeyTooLongError', 'Your key is too long', 400, { Size: size, MaxSizeAllowed: 1024 }),
  invalidRange: (size: number, requested: string) =>
    new ServiceError('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: requested, ActualObjectSize: size }, { 'content-range': `bytes */${size}` }),
  badDigest: () => new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400),
  invalidDigest: (md5: string) => new ServiceError('InvalidDigest', 'The Content-MD5 you specified is not valid.', 400, { 'Content-MD5': md5 }),
  incompleteBody: () => new ServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400),
  entityTooLarge: (size: number, max: number) =>
    new ServiceError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: size, MaxSizeAllowed: max }),
  entityTooSmall: (size: number) =>
    new ServiceError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, { ProposedSize: size, MinSizeAllowed: 5 * 1024 * 1024 }),
  invalidPart: (partNumber: number, etag: string) =>
    new ServiceError(
      'InvalidPart',
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      400,
      { PartNumber: partNumber, ETag: etag },
    ),
  invalidPartOrder: () => new ServiceError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400),
  malformedXml: () =>
    new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new ServiceError('InvalidArgument', message, 400, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value }),
  invalidRequest: (message: string) => new ServiceError('InvalidRequest', message, 400),
  preconditionFailed: (condition: string) =>
    new ServiceError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition }),
  accessDenied: () => new ServiceError('AccessDenied', 'Access Denied', 403),
  methodNotAllowed: (method: string, resource: string) =>
    new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resource }),
  requestAborted: () => new ServiceError('RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.', 400),
} as const;

/** S3's rules for bucket names (general purpose buckets). */
export function isValidBucketName(name: string): boolean {
  if (name.length < 3 || name.length > 63) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return false;
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.startsWith('amzn-s3-demo-')) return false;
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3') || name.endsWith('.mrap') || name.endsWith('--x-s3') || name.endsWith('--table-s3')) return false;
  return true;
}

export function checkBucketName(name: string): void {
  if (!isValidBucketName(name)) throw s3Errors.invalidBucketName(name);
}

/** S3 keys are at most 1024 bytes of UTF-8. */
export function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > 1024) throw s3Errors.keyTooLong(size);
  if (size === 0) throw s3Errors.invalidArgument('Object key must not be empty', 'key', '');
}
