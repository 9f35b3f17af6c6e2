import type { OperationHandler } from '../service.js';
import { canSeeDomain, canSeeUserProfile, canSeeSpace, viewerOf } from '../../studio/visibility.js';
import { DOMAIN_KIND, USER_PROFILE_KIND, SPACE_KIND } from '../../studio/user-identity.js';
import { resourceNotFound } from './tags-resource.js';
import { findByArn } from './tags-resource.js';
import { spaceFacts, type SpaceDoc } from './spaces-doc.js';

/**
 * AddTags / ListTags / DeleteTags on Studio resources follow the visibility rule
 * (src/studio/visibility.ts): another user's private space, or a resource of another domain,
 * answers as an ARN Clary does not hold. Wraps the tag handlers (services/sagemaker/index.ts).
 */
export function withStudioVisibility<I extends { ResourceArn: string }>(handler: OperationHandler<I>): OperationHandler<I> {
  return async (input, ctx) => {
    if (ctx.principal.studioUser) {
      const record = await findByArn(ctx.platform, input.ResourceArn);
      const viewer = viewerOf(ctx.principal);
      const hidden =
        record &&
        ((record.kind === DOMAIN_KIND && !canSeeDomain(viewer, record.id)) ||
          (record.kind === USER_PROFILE_KIND && !canSeeUserProfile(viewer, record.parent ?? '')) ||
          (record.kind === SPACE_KIND && !canSeeSpace(viewer, spaceFacts(record.doc as SpaceDoc))));
      if (hidden) throw resourceNotFound(input.ResourceArn);
    }
    return handler(input, ctx);
  };
}
