import type { Tag } from '../../iam/iam-directory.js';
import { invalidInput, limitExceeded } from '../../iam/iam-errors.js';

/** Tag rules IAM applies to roles and policies: keys unique without regard to case, at most 50. */
export function checkNewTags(tags: readonly Tag[] | undefined): Tag[] {
  const list = tags ?? [];
  const seen = new Set<string>();
  for (const t of list) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
  return list.map((t) => ({ Key: t.Key, Value: t.Value }));
}

/** Tags after TagRole: an existing key (any case) takes the new value. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[], entity: string): Tag[] {
  const incoming = checkNewTags(added);
  const out = existing.filter((t) => !incoming.some((n) => n.Key.toLowerCase() === t.Key.toLowerCase()));
  out.push(...incoming);
  if (out.length > 50) throw limitExceeded(`Cannot exceed quota for TagsPer${entity}: 50`);
  return out;
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}
