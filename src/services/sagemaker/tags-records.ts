import { AlreadyExistsError, StaleVersionError, validationException } from '../../core/errors.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * Tags of SageMaker resources, one store record per tagged ARN (resource kind "tags", id = ARN),
 * kept apart from the resource's own document so that tagging never races with a controller
 * writing the resource. Order is insertion order; re-adding a key replaces its value in place.
 */
export const TAGS_KIND = 'tags';

/** SageMaker's limit of tags on one resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

export interface TagPair {
  Key: string;
  Value: string;
}

interface TagsDoc {
  Tags: TagPair[];
}

export async function readTags(store: MetadataStore, arn: string): Promise<TagPair[]> {
  return (await store.getResource<TagsDoc>(TAGS_KIND, arn))?.doc.Tags ?? [];
}

function merge(existing: readonly TagPair[], added: readonly TagPair[], arn: string): TagPair[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    const at = out.findIndex((o) => o.Key === t.Key);
    if (at >= 0) out[at] = { Key: t.Key, Value: t.Value };
    else out.push({ Key: t.Key, Value: t.Value });
  }
  if (out.length > MAX_TAGS_PER_RESOURCE) {
    throw validationException(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this request would give ${arn} ${out.length}.`);
  }
  return out;
}

/** Applies `change` to the ARN's tags with optimistic retries; returns the tags after. */
async function modify(store: MetadataStore, arn: string, now: number, change: (tags: TagPair[]) => TagPair[]): Promise<TagPair[]> {
  for (;;) {
    const current = await store.getResource<TagsDoc>(TAGS_KIND, arn);
    const next = change(current?.doc.Tags ?? []);
    try {
      if (current) {
        const updated = await store.updateResource<TagsDoc>(TAGS_KIND, arn, current.version, { doc: { Tags: next }, lastModifiedTime: now });
        if (updated) return next;
        continue; // deleted meanwhile: create it again
      }
      await store.createResource<TagsDoc>({ kind: TAGS_KIND, id: arn, name: arn, arn, parent: null, status: null, creationTime: now, lastModifiedTime: now, doc: { Tags: next } });
      return next;
    } catch (e) {
      if (e instanceof StaleVersionError || e instanceof AlreadyExistsError) continue;
      throw e;
    }
  }
}

export const addTags = (store: MetadataStore, arn: string, tags: readonly TagPair[], now: number): Promise<TagPair[]> =>
  modify(store, arn, now, (existing) => merge(existing, tags, arn));

export const removeTags = (store: MetadataStore, arn: string, keys: readonly string[], now: number): Promise<TagPair[]> =>
  modify(store, arn, now, (existing) => existing.filter((t) => !keys.includes(t.Key)));

/** Forgets every tag of a resource (for Delete* handlers). */
export const dropTags = (store: MetadataStore, arn: string): Promise<boolean> => store.deleteResource(TAGS_KIND, arn);
