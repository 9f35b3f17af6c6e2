import { join, relative, sep } from 'node:path';
import { mountsUnder, unmount } from '../../studio/mounts.js';
import { ensureSpaceVolume } from '../../studio/space-volume.js';
import { studioRoot } from '../../studio/volumes.js';
import type { Platform } from '../service.js';
import { liveAppsOf } from './apps-doc.js';
import { SPACE_KIND, type SpaceDoc } from './spaces-doc.js';
import { volumeSpecOf } from './spaces-storage.js';

/**
 * Clary's start and stop for space volumes (docs/studio.md, "Space storage").
 *
 * At start, before apps are adopted or started: every space's volume is made ready (mounted again
 * after a restart; a mount a crashed Clary left is kept). One space that fails is logged and left
 * as a plain directory; it does not stop Clary.
 *
 * At stop: volumes of spaces with no live app are unmounted (so the data dir can be moved or
 * removed); a space whose app keeps running across the restart keeps its mount.
 */
export async function mountSpaceVolumes(platform: Platform): Promise<void> {
  const env = { config: platform.config, log: platform.log };
  let cursor: string | undefined;
  do {
    const page = await platform.store.listResources<SpaceDoc>({ kind: SPACE_KIND, sortBy: 'creationTime', sortOrder: 'asc', limit: 500, cursor });
    for (const r of page.items) {
      await ensureSpaceVolume(env, volumeSpecOf(r.doc)).catch((e: unknown) => platform.log.error({ err: e, space: r.arn }, 'cannot make the space volume ready'));
    }
    cursor = page.nextCursor;
  } while (cursor);
}

export async function unmountIdleSpaceVolumes(platform: Platform): Promise<void> {
  const root = studioRoot(platform.config);
  for (const target of await mountsUnder(root)) {
    // <root>/<domain-id>/spaces/<space>
    const parts = relative(root, target).split(sep);
    if (parts.length !== 3 || parts[1] !== 'spaces') continue;
    const [domainId, , space] = parts as [string, string, string];
    try {
      if ((await liveAppsOf(platform.store, domainId, { SpaceName: space })) > 0) continue;
      await unmount(join(root, domainId, 'spaces', space));
    } catch (e) {
      platform.log.warn({ err: e, target }, 'cannot unmount a space volume');
    }
  }
}
