import type { ServerResponse } from 'node:http';
import type { ServiceError } from '../../core/errors.js';

/** REST-JSON errors (SageMaker Runtime): the code travels in x-amzn-ErrorType, the body is JSON. */
export function writeRestJsonError(res: ServerResponse, requestId: string, err: ServiceError): void {
  const body = JSON.stringify({ message: err.message, ...err.fields });
  res.writeHead(err.status, {
    ...err.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.code,
  });
  res.end(body);
}
