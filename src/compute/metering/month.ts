import { validationException } from '../../core/errors.js';

/** Calendar months in UTC, written "YYYY-MM". */
export const monthOf = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 7);

/** [start, end) of the UTC month containing epochMs. */
export function monthBounds(epochMs: number): { start: number; end: number } {
  const d = new Date(epochMs);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

export function parseMonth(text: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw validationException(`Month "${text}" is not a month like 2026-01.`);
  return `${m[1]}-${m[2]}`;
}
