import { isServiceError } from '../../core/errors.js';
import { s3Errors } from '../../objects/s3-errors.js';
import { header } from './headers.js';
import { parseXmlBody, str } from './parse-xml.js';
import { sendXml } from './respond.js';
import { authorize, readSmallBody, type S3Request } from './s3-request.js';
import type { XmlNode } from './xml.js';

/** POST /bucket?delete: up to 1000 keys, each answered Deleted or Error; Quiet reports errors only. */
export async function deleteObjects(r: Omit<S3Request, 'key'>): Promise<void> {
  const hasChecksum = header(r.req, 'content-md5') !== undefined || Object.keys(r.req.headers).some((h) => h.startsWith('x-amz-checksum-')) ||
    header(r.req, 'x-amz-sdk-checksum-algorithm') !== undefined || header(r.req, 'x-amz-trailer') !== undefined;
  if (!hasChecksum) throw s3Errors.invalidRequest('Missing required header for this request: Content-MD5');
  const doc = parseXmlBody(await readSmallBody(r as S3Request), 'Delete');
  const list = Array.isArray(doc.Object) ? (doc.Object as Record<string, unknown>[]) : [];
  if (list.length === 0 || list.length > 1000) throw s3Errors.malformedXml();
  const quiet = str(doc.Quiet)?.trim().toLowerCase() === 'true';
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const item of list) {
    const key = str(item?.Key);
    if (key === undefined) throw s3Errors.malformedXml();
    try {
      await authorize(r, 'DeleteObject', r.bucket, key);
      await r.ctx.platform.objects.deleteObject(r.bucket, key);
      if (!quiet) deleted.push({ Key: key });
    } catch (e) {
      if (!isServiceError(e)) throw e;
      if (e.code === 'NoSuchBucket') throw e;
      errors.push({ Key: key, Code: e.code, Message: e.message });
    }
  }
  sendXml(r.res, r.ctx.requestId, 'DeleteResult', { Deleted: deleted, Error: errors });
}

