/**
 * A tiny writer for S3's fixed response shapes. Every text value is escaped; characters XML 1.0
 * cannot carry even escaped (NUL and most C0 controls) are written as character references so
 * keys holding them still round-trip through lenient parsers (clients should use encoding-type=url).
 */
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => {
    switch (c) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      case "'": return '&apos;';
      default: return `&#x${c.charCodeAt(0).toString(16)};`;
    }
  });
}

export type XmlValue = string | number | boolean | Date | undefined | null | XmlNode | XmlNode[];
export interface XmlNode {
  readonly [tag: string]: XmlValue;
}

function text(v: string | number | boolean | Date): string {
  return v instanceof Date ? v.toISOString() : escapeXml(String(v));
}

/** Serialises children in insertion order; arrays repeat the tag; undefined/null are left out. */
export function children(node: XmlNode): string {
  let out = '';
  for (const [tag, v] of Object.entries(node)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) out += `<${tag}>${children(item)}</${tag}>`;
    else if (typeof v === 'object' && !(v instanceof Date)) out += `<${tag}>${children(v)}</${tag}>`;
    else out += `<${tag}>${text(v)}</${tag}>`;
  }
  return out;
}

/** A whole document: the root element carries S3's namespace unless told otherwise. */
export function document(root: string, node: XmlNode, ns: string | undefined = S3_NS): string {
  const attr = ns ? ` xmlns="${ns}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attr}>${children(node)}</${root}>`;
}
