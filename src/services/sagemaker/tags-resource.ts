import { parseArn } from '../../core/arn.js';
import { validationException } from '../../core/errors.js';
import type { MetadataStore, ResourceRecord } from '../../store/metadata-store.js';
import type { Platform } from '../service.js';

/**
 * Finds the resource a SageMaker ARN names among the resources Clary holds:
 * arn:aws:sagemaker:<region>:<account>:<type>/<path>, where <type> is the store's resource kind
 * ("training-job", later "endpoint", "model" …) and <path> the resource id, lower-cased as
 * SageMaker writes names inside ARNs. The record's own ARN is the truth: ids that differ from the
 * ARN's path only in case are found by a name search.
 */
export async function findByArn(platform: Platform, arn: string): Promise<ResourceRecord | undefined> {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sagemaker') return undefined;
  if (parsed.region !== platform.config.region || parsed.accountId !== platform.config.accountId) return undefined;
  const slash = parsed.resource.indexOf('/');
  if (slash <= 0 || slash === parsed.resource.length - 1) return undefined;
  const kind = parsed.resource.slice(0, slash);
  const path = parsed.resource.slice(slash + 1);
  if (kind === 'tags' || kind === 'allocation' || kind === 'quota' || kind === 'budget') return undefined;
  return (await byId(platform.store, kind, path, arn)) ?? (await byName(platform.store, kind, path.split('/').pop()!, arn));
}

async function byId(store: MetadataStore, kind: string, id: string, arn: string): Promise<ResourceRecord | undefined> {
  const r = await store.getResource(kind, id);
  return r?.arn === arn ? r : undefined;
}

async function byName(store: MetadataStore, kind: string, name: string, arn: string): Promise<ResourceRecord | undefined> {
  let cursor: string | undefined;
  do {
    const page = await store.listResources({ kind, nameContains: name, sortBy: 'name', sortOrder: 'asc', limit: 100, cursor });
    const hit = page.items.find((r) => r.arn === arn);
    if (hit) return hit;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

/** What Clary answers for an ARN it holds no resource for (SageMaker answers ValidationException; its wording is not recorded). */
export const resourceNotFound = (arn: string) => validationException(`Resource ${arn} does not exist or is not taggable in this account and region.`);

/** findByArn, or the ValidationException. */
export async function requireByArn(platform: Platform, arn: string): Promise<ResourceRecord> {
  const r = await findByArn(platform, arn);
  if (!r) throw resourceNotFound(arn);
  return r;
}
