import { ServiceError } from '../core/errors.js';
import { s3Errors } from './s3-errors.js';

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
}

/**
 * Turns an error from the external S3 into the ServiceError the local S3 API would have raised.
 * HEAD responses carry no body, so their 404s are named by what was asked for.
 */
export function fromSdkError(e: unknown, on: { bucket?: string; key?: string; uploadId?: string } = {}): Error {
  const err = e as SdkError;
  const status = err?.$metadata?.httpStatusCode;
  if (status === undefined || typeof err.name !== 'string') return e instanceof Error ? e : new Error(String(e));
  if (err.name === 'AbortError') return err as Error;
  if (err.name === 'NotFound' || (status === 404 && err.name === 'Unknown')) {
    if (on.uploadId !== undefined) return s3Errors.noSuchUpload(on.uploadId);
    return on.key !== undefined ? s3Errors.noSuchKey(on.key) : s3Errors.noSuchBucket(on.bucket ?? '');
  }
  if (status === 403 && err.name === 'Forbidden') return s3Errors.accessDenied();
  const fields: Record<string, string> = {};
  if (on.bucket !== undefined && err.name === 'NoSuchBucket') fields.BucketName = on.bucket;
  if (on.key !== undefined && err.name === 'NoSuchKey') fields.Key = on.key;
  return new ServiceError(err.name, err.message ?? err.name, status, fields);
}
