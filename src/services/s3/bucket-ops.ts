import { ServiceError } from '../../core/errors.js';
import { checkBucketName } from '../../objects/s3-errors.js';
import { sendEmpty, sendXml } from './respond.js';
import { authorize, owner, readSmallBody, type S3Request } from './s3-request.js';
import { parseXmlBody, str } from './parse-xml.js';

type BucketRequest = Omit<S3Request, 'key'>;

export async function listBuckets(r: Omit<S3Request, 'key' | 'bucket'>): Promise<void> {
  await authorize(r, 'ListAllMyBuckets');
  const prefix = r.url.searchParams.get('prefix') ?? '';
  const buckets = (await r.ctx.platform.objects.listBuckets()).filter((b) => b.name.startsWith(prefix));
  sendXml(r.res, r.ctx.requestId, 'ListAllMyBucketsResult', {
    Owner: owner(r),
    Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: b.creationDate, BucketRegion: b.region })) },
    Prefix: prefix || undefined,
  });
}

export async function createBucket(r: BucketRequest): Promise<void> {
  await authorize(r, 'CreateBucket', r.bucket);
  checkBucketName(r.bucket);
  const region = r.ctx.platform.config.region;
  const body = await readSmallBody(r as S3Request, 64 * 1024);
  let constraint: string | undefined;
  if (body.length > 0 && body.toString('utf8').trim() !== '') {
    constraint = str(parseXmlBody(body, 'CreateBucketConfiguration').LocationConstraint) || undefined;
  }
  if (constraint !== undefined && region === 'us-east-1' && constraint === 'us-east-1') {
    throw new ServiceError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
  }
  if ((constraint ?? 'us-east-1') !== region) {
    throw new ServiceError(
      'IllegalLocationConstraintException',
      constraint === undefined
        ? 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.'
        : `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    );
  }
  await r.ctx.platform.objects.createBucket(r.bucket, region);
  sendEmpty(r.res, r.ctx.requestId, 200, { location: `/${r.bucket}` });
}

export async function deleteBucket(r: BucketRequest): Promise<void> {
  await authorize(r, 'DeleteBucket', r.bucket);
  await r.ctx.platform.objects.deleteBucket(r.bucket);
  sendEmpty(r.res, r.ctx.requestId, 204);
}

export async function headBucket(r: BucketRequest): Promise<void> {
  await authorize(r, 'ListBucket', r.bucket);
  const info = await r.ctx.platform.objects.headBucket(r.bucket);
  sendEmpty(r.res, r.ctx.requestId, 200, { 'x-amz-bucket-region': info.region, 'x-amz-access-point-alias': 'false' });
}

export async function getBucketLocation(r: BucketRequest): Promise<void> {
  await authorize(r, 'GetBucketLocation', r.bucket);
  const info = await r.ctx.platform.objects.headBucket(r.bucket);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${info.region === 'us-east-1' ? '' : info.region}</LocationConstraint>`;
  r.res.writeHead(200, { 'x-amz-request-id': r.ctx.requestId, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  r.res.end(body);
}

/** Versioning was never enabled on a Clary bucket: S3 answers an empty configuration. */
export async function getBucketVersioning(r: BucketRequest): Promise<void> {
  await authorize(r, 'GetBucketVersioning', r.bucket);
  await r.ctx.platform.objects.headBucket(r.bucket);
  sendXml(r.res, r.ctx.requestId, 'VersioningConfiguration', {});
}

/** Every bucket is private to its owner: the default ACL. */
export async function getAcl(r: BucketRequest, key?: string): Promise<void> {
  await authorize(r, key === undefined ? 'GetBucketAcl' : 'GetObjectAcl', r.bucket, key);
  if (key === undefined) await r.ctx.platform.objects.headBucket(r.bucket);
  else await r.ctx.platform.objects.headObject(r.bucket, key);
  const o = owner(r);
  const grant = `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${o.ID}</ID><DisplayName>${o.DisplayName}</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>`;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${o.ID}</ID><DisplayName>${o.DisplayName}</DisplayName></Owner><AccessControlList>${grant}</AccessControlList></AccessControlPolicy>`;
  r.res.writeHead(200, { 'x-amz-request-id': r.ctx.requestId, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  r.res.end(body);
}

/** Configurations Clary never holds: S3's own "there is none" answers, so readers (Terraform) carry on. */
const NONE: Record<string, [string, string]> = {
  tagging: ['NoSuchTagSet', 'The TagSet does not exist'],
  policy: ['NoSuchBucketPolicy', 'The bucket policy does not exist'],
  cors: ['NoSuchCORSConfiguration', 'The CORS configuration does not exist'],
  lifecycle: ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
  website: ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
  encryption: ['ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found'],
  replication: ['ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
  publicAccessBlock: ['NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'],
  ownershipControls: ['OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'],
  'object-lock': ['ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'],
};

export async function getAbsentConfiguration(r: BucketRequest, sub: string): Promise<boolean> {
  const none = NONE[sub];
  if (!none) return false;
  await authorize(r, `GetBucket${sub[0]!.toUpperCase()}${sub.slice(1)}`, r.bucket);
  await r.ctx.platform.objects.headBucket(r.bucket);
  throw new ServiceError(none[0], none[1], 404, { BucketName: r.bucket });
}
