import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { route, virtualHostBucket } from './route.js';
import { escapeXml } from './xml.js';

const req = (url: string, host = '127.0.0.1:9900') => ({ url, headers: { host } }) as unknown as IncomingMessage;

describe('S3 routing', () => {
  it('reads bucket and key from the raw target, keeping dot segments and backslashes as key bytes', () => {
    expect(route(req('/b/../../etc/passwd'))).toEqual({ bucket: 'b', key: '../../etc/passwd', virtualHost: false });
    expect(route(req('/b/a%5Cb%00c?x=1'))).toEqual({ bucket: 'b', key: 'a\\b\u0000c', virtualHost: false });
    expect(route(req('/b/dir/'))).toEqual({ bucket: 'b', key: 'dir/', virtualHost: false });
    expect(route(req('/b/'))).toEqual({ bucket: 'b', key: undefined, virtualHost: false });
    expect(route(req('/'))).toEqual({ bucket: undefined, key: undefined, virtualHost: false });
    expect(() => route(req('/b/%E0%A4%A'))).toThrow(expect.objectContaining({ code: 'InvalidURI' }));
  });

  it('recognises virtual-hosted buckets only on *.localhost and *.s3.* hosts', () => {
    expect(virtualHostBucket('my.bucket.localhost:9900')).toBe('my.bucket');
    expect(virtualHostBucket('data.s3.us-east-1.amazonaws.com')).toBe('data');
    expect(virtualHostBucket('localhost:9900')).toBeUndefined();
    expect(virtualHostBucket('127.0.0.1:9900')).toBeUndefined();
    expect(virtualHostBucket('clary.example.com')).toBeUndefined();
    expect(virtualHostBucket('[::1]:9900')).toBeUndefined();
    expect(route(req('/k/e y', 'bkt.localhost:1'))).toEqual({ bucket: 'bkt', key: 'k/e y', virtualHost: true });
  });

  it('escapes XML specials and characters XML cannot carry raw', () => {
    expect(escapeXml(`<a&'">\u0000\u001f`)).toBe('&lt;a&amp;&apos;&quot;&gt;&#x0;&#x1f;');
  });
});
