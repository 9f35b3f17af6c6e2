import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand,
  ListMultipartUploadsCommand, ListObjectsV2Command, ListPartsCommand, PutObjectCommand, S3Client, UploadPartCommand,
  type BucketLocationConstraint, type GetObjectCommandOutput, type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { ExternalS3Config } from '../core/config.js';
import { fromSdkError } from './external-errors.js';
import type { BucketInfo, GetResult, ListObjectsOptions, ListObjectsResult, MultipartUpload, ObjectInfo, ObjectStore, PartInfo, PutOptions } from './object-store.js';
import { checkBucketName, checkKey } from './s3-errors.js';

type Headers = Pick<HeadObjectCommandOutput, 'ContentLength' | 'ETag' | 'LastModified' | 'ContentType' | 'ContentEncoding' | 'ContentDisposition' | 'ContentLanguage' | 'CacheControl' | 'ExpiresString' | 'Metadata'> & {
  ChecksumCRC32?: string; ChecksumCRC32C?: string; ChecksumSHA1?: string; ChecksumSHA256?: string; ChecksumCRC64NVME?: string;
};

function info(bucket: string, key: string, h: Headers, size = h.ContentLength ?? 0): ObjectInfo {
  const checksums: Record<string, string> = {};
  for (const alg of ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const) {
    const v = h[`Checksum${alg}`];
    if (v) checksums[alg] = v;
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(h.Metadata ?? {})) metadata[k.toLowerCase()] = v;
  return {
    bucket, key, size, etag: h.ETag ?? '""', lastModified: h.LastModified ?? new Date(0), contentType: h.ContentType ?? 'application/octet-stream',
    ...(h.ContentEncoding ? { contentEncoding: h.ContentEncoding } : {}),
    ...(h.ContentDisposition ? { contentDisposition: h.ContentDisposition } : {}),
    ...(h.ContentLanguage ? { contentLanguage: h.ContentLanguage } : {}),
    ...(h.CacheControl ? { cacheControl: h.CacheControl } : {}),
    ...(h.ExpiresString ? { expires: h.ExpiresString } : {}),
    metadata,
    ...(Object.keys(checksums).length ? { checksums } : {}),
  };
}

const putHeaders = (o?: PutOptions) => ({
  ContentType: o?.contentType, ContentEncoding: o?.contentEncoding, ContentDisposition: o?.contentDisposition, ContentLanguage: o?.contentLanguage,
  CacheControl: o?.cacheControl, Expires: o?.expires ? new Date(o.expires) : undefined, Metadata: o?.metadata ? { ...o.metadata } : undefined,
});

/** The object store over an external S3 (AWS, MinIO, Ceph, or another Clary). Bytes stream through; nothing is buffered whole. */
export class ExternalS3Store implements ObjectStore {
  readonly kind = 'external' as const;
  private readonly client: S3Client;

  constructor(config: ExternalS3Config) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
      // Older S3-compatible servers reject the aws-chunked trailing checksums newer SDKs send by default.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private async call<T>(fn: () => Promise<T>, on: { bucket?: string; key?: string; uploadId?: string }): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw fromSdkError(e, on);
    }
  }

  async createBucket(name: string, region: string): Promise<void> {
    checkBucketName(name);
    const cfg = region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint };
    await this.call(() => this.client.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: cfg })), { bucket: name });
  }

  async deleteBucket(name: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteBucketCommand({ Bucket: name })), { bucket: name });
  }

  async headBucket(name: string): Promise<BucketInfo> {
    const head = await this.call(() => this.client.send(new HeadBucketCommand({ Bucket: name })), { bucket: name });
    const listed = (await this.listBuckets()).find((b) => b.name === name);
    return { name, region: head.BucketRegion ?? listed?.region ?? 'us-east-1', creationDate: listed?.creationDate ?? new Date(0) };
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const out = await this.call(() => this.client.send(new ListBucketsCommand({})), {});
    return (out.Buckets ?? []).map((b) => ({ name: b.Name ?? '', creationDate: b.CreationDate ?? new Date(0), region: b.BucketRegion ?? 'us-east-1' }));
  }

  async putObject(bucket: string, key: string, body: Readable, opts?: PutOptions): Promise<ObjectInfo> {
    checkKey(key);
    const on = { bucket, key };
    if (opts?.contentLength === undefined) {
      const upload = new Upload({ client: this.client, params: { Bucket: bucket, Key: key, Body: body, ...putHeaders(opts) } });
      const abort = () => void upload.abort();
      opts?.signal?.addEventListener('abort', abort, { once: true });
      try {
        await this.call(() => upload.done(), on);
      } finally {
        opts?.signal?.removeEventListener('abort', abort);
      }
    } else {
      const cmd = new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: opts.contentLength, ContentMD5: opts.contentMD5, ...putHeaders(opts) });
      await this.call(() => this.client.send(cmd, { abortSignal: opts.signal }), on);
    }
    return this.headObject(bucket, key);
  }

  async getObject(bucket: string, key: string, range?: { start?: number; end?: number; suffix?: number }): Promise<GetResult> {
    const Range = range === undefined ? undefined : range.suffix !== undefined ? `bytes=-${range.suffix}` : `bytes=${range.start ?? 0}-${range.end ?? ''}`;
    const out: GetObjectCommandOutput = await this.call(() => this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range })), { bucket, key });
    const m = out.ContentRange ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(out.ContentRange) : null;
    const size = m ? Number(m[3]) : out.ContentLength ?? 0;
    return { info: info(bucket, key, out, size), body: out.Body as Readable, ...(m ? { range: { start: Number(m[1]), end: Number(m[2]) } } : {}) };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    const out = await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), { bucket, key });
    return info(bucket, key, out);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })), { bucket, key });
  }

  async copyObject(src: { bucket: string; key: string }, dst: { bucket: string; key: string }, opts: { metadataDirective: 'COPY' | 'REPLACE' } & PutOptions): Promise<ObjectInfo> {
    checkKey(dst.key);
    const CopySource = `${src.bucket}/${src.key.split('/').map(encodeURIComponent).join('/')}`;
    const replace = opts.metadataDirective === 'REPLACE' ? putHeaders(opts) : {};
    await this.call(() => this.client.send(new CopyObjectCommand({ Bucket: dst.bucket, Key: dst.key, CopySource, MetadataDirective: opts.metadataDirective, ...replace }), { abortSignal: opts.signal }), { bucket: src.bucket, key: src.key });
    return this.headObject(dst.bucket, dst.key);
  }

  async listObjects(bucket: string, opts: ListObjectsOptions): Promise<ListObjectsResult> {
    const out = await this.call(
      () => this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: opts.prefix || undefined, Delimiter: opts.delimiter || undefined, StartAfter: opts.startAfter || undefined, MaxKeys: opts.maxKeys })),
      { bucket },
    );
    const objects = (out.Contents ?? []).map((o) => info(bucket, o.Key ?? '', { ETag: o.ETag, LastModified: o.LastModified }, o.Size ?? 0));
    const commonPrefixes = (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '');
    const last = [objects[objects.length - 1]?.key, commonPrefixes[commonPrefixes.length - 1]].filter((x): x is string => x !== undefined);
    const nextMarker = last.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).pop();
    return { objects, commonPrefixes, isTruncated: out.IsTruncated ?? false, nextMarker };
  }

  async createMultipartUpload(bucket: string, key: string, opts?: PutOptions): Promise<MultipartUpload> {
    checkKey(key);
    const out = await this.call(() => this.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...putHeaders(opts) })), { bucket });
    return { bucket, key, uploadId: out.UploadId ?? '', initiated: new Date() };
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, opts?: Pick<PutOptions, 'contentMD5' | 'contentLength' | 'signal'>): Promise<PartInfo> {
    const cmd = new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: opts?.contentLength, ContentMD5: opts?.contentMD5 });
    const out = await this.call(() => this.client.send(cmd, { abortSignal: opts?.signal }), { bucket, uploadId });
    return { partNumber, etag: out.ETag ?? '""', size: opts?.contentLength ?? 0, lastModified: new Date() };
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<ObjectInfo> {
    const MultipartUpload = { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) };
    await this.call(() => this.client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload })), { bucket, uploadId });
    return this.headObject(bucket, key);
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.call(() => this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })), { bucket, uploadId });
  }

  async listParts(bucket: string, key: string, uploadId: string, opts: { partNumberMarker?: number; maxParts: number }) {
    const out = await this.call(
      () => this.client.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: opts.maxParts, PartNumberMarker: opts.partNumberMarker === undefined ? undefined : String(opts.partNumberMarker) })),
      { bucket, uploadId },
    );
    const parts = (out.Parts ?? []).map((p) => ({ partNumber: p.PartNumber ?? 0, etag: p.ETag ?? '""', size: p.Size ?? 0, lastModified: p.LastModified ?? new Date(0) }));
    const next = out.NextPartNumberMarker === undefined ? undefined : Number(out.NextPartNumberMarker);
    return { parts, isTruncated: out.IsTruncated ?? false, nextPartNumberMarker: next, upload: { bucket, key, uploadId, initiated: new Date() } };
  }

  async listMultipartUploads(bucket: string, opts: { prefix?: string; keyMarker?: string; uploadIdMarker?: string; maxUploads: number }) {
    const out = await this.call(
      () => this.client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: opts.prefix, KeyMarker: opts.keyMarker, UploadIdMarker: opts.uploadIdMarker, MaxUploads: opts.maxUploads })),
      { bucket },
    );
    const uploads = (out.Uploads ?? []).map((u) => ({ bucket, key: u.Key ?? '', uploadId: u.UploadId ?? '', initiated: u.Initiated ?? new Date(0) }));
    return { uploads, isTruncated: out.IsTruncated ?? false };
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
