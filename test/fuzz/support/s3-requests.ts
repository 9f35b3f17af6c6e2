import fc from 'fast-check';
import type { OutgoingRequest } from './send.js';

const SEGMENTS = ['..', '.', '%00', '%2e%2e', 'a%2Fb', '%ZZ', 'key', 'dir', '%F0%9F%98%80', '%C0%AF', '~user', ''];

const segment = fc.oneof(
  fc.constantFrom(...SEGMENTS),
  fc.string({ maxLength: 16 }).map(encodeURIComponent),
  fc.integer({ min: 1, max: 2000 }).map((n) => 'k'.repeat(n)),
);

const bucket = fc.constantFrom('fuzz-bucket', 'no-such-bucket', 'A_B', 'xn--', '..', '%00', 'a', 'b'.repeat(70), '');

const SUBRESOURCES: [string, string][] = [
  ['uploads', ''], ['uploadId', 'nope'], ['partNumber', '0'], ['partNumber', '10001'], ['partNumber', 'x'], ['list-type', '2'],
  ['prefix', ''], ['delimiter', '/'], ['max-keys', '-1'], ['max-keys', 'abc'], ['max-keys', '99999999999999999999'],
  ['continuation-token', 'zzz'], ['start-after', '\u0000'], ['acl', ''], ['tagging', ''], ['versioning', ''], ['location', ''],
  ['delete', ''], ['policy', ''], ['cors', ''], ['versionId', 'null'], ['versions', ''], ['x-id', 'PutObject'],
  ['response-content-type', 'a/b'], ['marker', '..'], ['encoding-type', 'url'], ['attributes', ''], ['lifecycle', ''],
];

const HEADERS: [string, string][] = [
  ['content-type', 'application/xml'], ['x-amz-copy-source', '/fuzz-bucket/key'], ['x-amz-copy-source', '../../etc/passwd'],
  ['x-amz-copy-source', '%00'], ['range', 'bytes=abc'], ['range', 'bytes=0-0'], ['range', 'bytes=-5'], ['range', 'bytes=9-1'],
  ['if-match', '"x"'], ['if-none-match', '*'], ['if-modified-since', 'yesterday'], ['content-md5', 'garbage'],
  ['x-amz-meta-a', 'b'], ['x-amz-checksum-crc32', 'AAAA'], ['x-amz-checksum-sha256', 'nope'], ['x-amz-tagging', 'a=b&c'],
  ['x-amz-acl', 'public-read'], ['x-amz-storage-class', 'GLACIER'], ['x-amz-server-side-encryption', 'aws:kms'],
  ['x-amz-metadata-directive', 'REPLACE'], ['expect', '100-continue'], ['x-amz-decoded-content-length', '5'],
];

const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    '<Delete><Object><Key>a</Key></Object></Delete>',
    '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>',
    '<' + 'a>'.repeat(5000),
  ),
);

/** A random, signed-able request against the S3 REST-XML surface. */
export const s3Request: fc.Arbitrary<OutgoingRequest> = fc
  .record({
    method: fc.constantFrom('GET', 'PUT', 'HEAD', 'DELETE', 'POST', 'OPTIONS', 'PATCH'),
    bucket,
    key: fc.array(segment, { maxLength: 4 }),
    query: fc.subarray(SUBRESOURCES, { maxLength: 3 }),
    headers: fc.subarray(HEADERS, { maxLength: 3 }),
    body,
  })
  .map(({ method, bucket: b, key, query, headers, body: data }) => ({
    method,
    path: '/' + [b, ...key].join('/'),
    query: Object.fromEntries(query),
    headers: Object.fromEntries(headers.filter(([h]) => h !== 'expect' || data !== undefined)),
    body: method === 'GET' || method === 'HEAD' ? undefined : data,
  }));
