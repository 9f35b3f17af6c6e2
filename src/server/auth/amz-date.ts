/**
 * SigV4 dates. The signed date is X-Amz-Date in ISO 8601 basic format (20240102T030405Z); old
 * clients may sign the HTTP Date header (RFC 1123) instead, which is turned into the same form.
 */
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Epoch ms of a basic-format date, or undefined when it is not one (or not a real date). */
export function parseAmzDate(value: string): number | undefined {
  const m = BASIC.exec(value);
  if (!m) return undefined;
  // Read in place (no slice/map arrays): this runs on every signed request.
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!, h = +m[4]!, mi = +m[5]!, s = +m[6]!;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return ms;
}

/** An HTTP Date header as a basic-format date, or undefined. */
export function httpDateToAmz(value: string): string | undefined {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? toAmzDate(ms) : undefined;
}

export function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
