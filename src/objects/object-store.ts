import type { Readable } from 'node:stream';

/**
 * Object bytes behind one interface: the embedded store over the data dir, or an external S3.
 * Every piece of platform code (the S3 API, training inputs and outputs, model archives) reaches
 * bytes through this. Errors are ServiceErrors with S3's codes (NoSuchBucket, NoSuchKey, …), so the
 * S3 API can pass them straight through.
 *
 * Writes are atomic: a reader sees the old object or the whole new one, never a partial one, and a
 * crash in the middle of a write leaves nothing visible.
 */
export interface BucketInfo {
  readonly name: string;
  readonly creationDate: Date;
  readonly region: string;
}

export interface ObjectInfo {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** Quoted, as S3 sends it: "\"<md5 hex>\"" or "\"<md5 of md5s>-N\"" for multipart. */
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: string;
  /** x-amz-meta-* without the prefix, keys lower-cased. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Stored additional checksums (e.g. { CRC32: "base64" }) when the client sent one. */
  readonly checksums?: Readonly<Record<string, string>>;
}

export interface PutOptions {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly expires?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Base64 MD5 the body must match (Content-MD5); mismatch → BadDigest, nothing written. */
  readonly contentMD5?: string;
  /** Declared length; a body of another length → IncompleteBody, nothing written. */
  readonly contentLength?: number;
  readonly checksums?: Readonly<Record<string, string>>;
  /** Aborting leaves nothing behind. */
  readonly signal?: AbortSignal;
}

export interface ByteRange {
  /** Inclusive. */
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

export interface GetResult {
  readonly info: ObjectInfo;
  readonly body: Readable;
  /** Set when a range was served. */
  readonly range?: ByteRange;
}

export interface ListObjectsOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** Exclusive lower bound on keys (start-after, marker, or a decoded continuation token). */
  readonly startAfter?: string;
  /** 0..1000 (S3 caps at 1000). */
  readonly maxKeys: number;
}

export interface ListObjectsResult {
  readonly objects: ObjectInfo[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** The last key or common prefix returned; continue after it. */
  readonly nextMarker?: string;
}

export interface MultipartUpload {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  readonly initiated: Date;
}

export interface PartInfo {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: Date;
}

export interface ObjectStore {
  readonly kind: 'embedded' | 'external';

  createBucket(name: string, region: string): Promise<void>;
  /** BucketNotEmpty when objects or uploads remain. */
  deleteBucket(name: string): Promise<void>;
  headBucket(name: string): Promise<BucketInfo>;
  listBuckets(): Promise<BucketInfo[]>;

  putObject(bucket: string, key: string, body: Readable, opts?: PutOptions): Promise<ObjectInfo>;
  /** Range end beyond the size is clamped; an unsatisfiable range → InvalidRange (416). */
  getObject(bucket: string, key: string, range?: { start?: number; end?: number; suffix?: number }): Promise<GetResult>;
  headObject(bucket: string, key: string): Promise<ObjectInfo>;
  /** Deleting a missing key succeeds, as in S3. */
  deleteObject(bucket: string, key: string): Promise<void>;
  copyObject(
    src: { bucket: string; key: string },
    dst: { bucket: string; key: string },
    opts: { metadataDirective: 'COPY' | 'REPLACE' } & PutOptions,
  ): Promise<ObjectInfo>;
  listObjects(bucket: string, opts: ListObjectsOptions): Promise<ListObjectsResult>;

  createMultipartUpload(bucket: string, key: string, opts?: PutOptions): Promise<MultipartUpload>;
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, opts?: Pick<PutOptions, 'contentMD5' | 'contentLength' | 'signal'>): Promise<PartInfo>;
  /** InvalidPart / InvalidPartOrder / EntityTooSmall exactly as S3 answers them. */
  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[]): Promise<ObjectInfo>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  listParts(bucket: string, key: string, uploadId: string, opts: { partNumberMarker?: number; maxParts: number }): Promise<{ parts: PartInfo[]; isTruncated: boolean; nextPartNumberMarker?: number; upload: MultipartUpload }>;
  listMultipartUploads(bucket: string, opts: { prefix?: string; keyMarker?: string; uploadIdMarker?: string; maxUploads: number }): Promise<{ uploads: MultipartUpload[]; isTruncated: boolean }>;

  /**
   * A path on this machine holding the object's bytes, when the store keeps them locally
   * (embedded store). Lets FastFile channels and model archives be mounted instead of copied.
   */
  localPath?(bucket: string, key: string): Promise<string | undefined>;

  close(): Promise<void>;
}
