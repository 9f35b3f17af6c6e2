import type { IncomingMessage, ServerResponse } from 'node:http';
import { notImplemented } from '../../core/errors.js';
import { s3Errors } from '../../objects/s3-errors.js';
import type { StreamingHandler } from '../../server/pipeline.js';
import type { AuthResult } from '../../server/auth/types.js';
import type { Platform, RequestContext } from '../service.js';
import * as bucketOps from './bucket-ops.js';
import { deleteObjects } from './delete-objects.js';
import { header } from './headers.js';
import { listObjectsV1, listObjectsV2 } from './list-ops.js';
import * as mp from './multipart-ops.js';
import * as objectOps from './object-ops.js';
import { route } from './route.js';
import type { S3Request } from './s3-request.js';

/** Query parameters that name a sub-resource (an operation of its own) rather than an option. */
const SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'location', 'logging', 'metadataTable', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy',
  'policyStatus', 'publicAccessBlock', 'renameObject', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'session',
  'tagging', 'torrent', 'uploads', 'versioning', 'versions', 'website',
];

function subresource(url: URL): string | undefined {
  return SUBRESOURCES.find((s) => url.searchParams.has(s));
}

const unsupported = (method: string, what: string) => notImplemented('S3', `${method} ?${what}`);

/** S3's REST-XML API: routes each request to one operation, which streams its own body and answer. */
export function createS3Handler(_platform: Platform): StreamingHandler {
  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext, url: URL, auth: AuthResult) => {
    const target = route(req);
    const method = req.method ?? 'GET';
    const sub = subresource(url);
    if (target.bucket === undefined) {
      if (method === 'GET' && sub === undefined) return bucketOps.listBuckets({ req, res, ctx, url, auth });
      throw s3Errors.methodNotAllowed(method, 'SERVICE');
    }
    const base = { req, res, ctx, url, auth, bucket: target.bucket };
    if (target.key === undefined) return bucketLevel({ ...base, key: '' }, method, sub);
    return objectLevel({ ...base, key: target.key }, method, sub);
  };
}

async function bucketLevel(r: S3Request, method: string, sub: string | undefined): Promise<void> {
  switch (method) {
    case 'GET':
      if (sub === undefined) return r.url.searchParams.get('list-type') === '2' ? listObjectsV2(r) : listObjectsV1(r);
      if (sub === 'location') return bucketOps.getBucketLocation(r);
      if (sub === 'versioning') return bucketOps.getBucketVersioning(r);
      if (sub === 'acl') return bucketOps.getAcl(r);
      if (sub === 'uploads') return mp.listMultipartUploads(r);
      if (await bucketOps.getAbsentConfiguration(r, sub)) return;
      throw unsupported(method, sub);
    case 'HEAD':
      if (sub === undefined) return bucketOps.headBucket(r);
      break;
    case 'PUT':
      if (sub === undefined) return bucketOps.createBucket(r);
      break;
    case 'DELETE':
      if (sub === undefined) return bucketOps.deleteBucket(r);
      break;
    case 'POST':
      if (sub === 'delete') return deleteObjects(r);
      break;
    default:
      throw s3Errors.methodNotAllowed(method, 'BUCKET');
  }
  throw unsupported(method, sub ?? '(none)');
}

async function objectLevel(r: S3Request, method: string, sub: string | undefined): Promise<void> {
  const hasUpload = r.url.searchParams.has('uploadId');
  const copySource = header(r.req, 'x-amz-copy-source');
  switch (method) {
    case 'GET':
      if (sub === undefined) return hasUpload ? mp.listParts(r) : objectOps.getObject(r, false);
      if (sub === 'acl') return bucketOps.getAcl(r, r.key);
      break;
    case 'HEAD':
      if (sub === undefined) return objectOps.getObject(r, true);
      break;
    case 'PUT':
      if (sub === undefined && hasUpload) return copySource !== undefined ? mp.uploadPartCopy(r, copySource) : mp.uploadPart(r);
      if (sub === undefined) return copySource !== undefined ? objectOps.copyObject(r, copySource) : objectOps.putObject(r);
      break;
    case 'DELETE':
      if (sub === undefined) return hasUpload ? mp.abortMultipartUpload(r) : objectOps.deleteObject(r);
      break;
    case 'POST':
      if (sub === 'uploads') return mp.createMultipartUpload(r);
      if (sub === undefined && hasUpload) return mp.completeMultipartUpload(r);
      break;
    default:
      throw s3Errors.methodNotAllowed(method, 'OBJECT');
  }
  throw unsupported(method, sub ?? '(none)');
}
