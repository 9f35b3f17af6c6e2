import { crc32 } from 'node:zlib';

/**
 * One message of the AWS event stream encoding (application/vnd.amazon.eventstream), as
 * InvokeEndpointWithResponseStream answers: prelude (total length, headers length, CRC32),
 * string headers, payload, CRC32 of the whole message.
 */
export function encodeEventMessage(headers: Readonly<Record<string, string>>, payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length); // type 7: string
    h.writeUInt16BE(v.length, 2 + n.length);
    parts.push(h, v);
  }
  const headerBytes = Buffer.concat(parts);
  const total = 12 + headerBytes.length + payload.length + 4;
  const msg = Buffer.alloc(total);
  msg.writeUInt32BE(total, 0);
  msg.writeUInt32BE(headerBytes.length, 4);
  msg.writeUInt32BE(crc32(msg.subarray(0, 8)), 8);
  headerBytes.copy(msg, 12);
  payload.copy(msg, 12 + headerBytes.length);
  msg.writeUInt32BE(crc32(msg.subarray(0, total - 4)), total - 4);
  return msg;
}

export const payloadPart = (bytes: Buffer): Buffer =>
  encodeEventMessage({ ':event-type': 'PayloadPart', ':message-type': 'event', ':content-type': 'application/octet-stream' }, bytes);

export const modelStreamError = (message: string, errorCode: string): Buffer =>
  encodeEventMessage({ ':exception-type': 'ModelStreamError', ':message-type': 'exception', ':content-type': 'application/json' }, Buffer.from(JSON.stringify({ Message: message, ErrorCode: errorCode })));
