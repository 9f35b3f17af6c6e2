import { ServiceError } from '../../core/errors.js';
import { s3Errors } from '../../objects/s3-errors.js';

/** x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded, with an optional ?versionId=. */
export function parseCopySource(value: string): { bucket: string; key: string } {
  let v = value.startsWith('/') ? value.slice(1) : value;
  const q = v.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(v.slice(q + 1));
    const version = params.get('versionId');
    if (version !== null && version !== 'null') throw new ServiceError('NoSuchVersion', 'The specified version does not exist.', 404, { VersionId: version });
    v = v.slice(0, q);
  }
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  try {
    return { bucket: decodeURIComponent(v.slice(0, slash)), key: decodeURIComponent(v.slice(slash + 1)) };
  } catch {
    throw s3Errors.invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', value);
  }
}
