import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { s3Errors } from '../../objects/s3-errors.js';

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'Part' || name === 'Object',
});

/** Parses a request's XML body; MalformedXML when it is not well-formed or has no `root`. */
export function parseXmlBody(body: Buffer, root: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw s3Errors.malformedXml();
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch {
    throw s3Errors.malformedXml();
  }
  const node = doc[root];
  if (node === undefined) throw s3Errors.malformedXml();
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : {};
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
