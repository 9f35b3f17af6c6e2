import type { Principal } from '../core/principal.js';
import type { StudioUser } from './user-identity.js';

/**
 * Who may see which Studio resource — the one rule that the Studio API, apps and the proxy share
 * (docs/studio.md). IAM decides whether a principal may call an operation at all; this decides
 * which resources exist for it:
 *
 * - the admin and role sessions see everything (IAM policies scope them);
 * - a user-profile principal sees its own domain (the domain, its user profiles, its shared
 *   spaces) and its own private spaces; another user's private space, and anything of another
 *   domain, does not exist for it (ResourceNotFound, omitted from lists).
 */
export type Viewer = { readonly kind: 'all' } | { readonly kind: 'user'; readonly user: StudioUser };

export const viewerOf = (principal: Principal): Viewer => (principal.studioUser ? { kind: 'user', user: principal.studioUser } : { kind: 'all' });

export interface SpaceFacts {
  readonly domainId: string;
  readonly sharingType: 'Private' | 'Shared';
  /** The owner's user profile name (any case); set for private spaces. */
  readonly owner?: string;
}

export function canSeeDomain(viewer: Viewer, domainId: string): boolean {
  return viewer.kind === 'all' || viewer.user.domainId === domainId;
}

export function canSeeUserProfile(viewer: Viewer, domainId: string): boolean {
  return canSeeDomain(viewer, domainId);
}

export function canSeeSpace(viewer: Viewer, space: SpaceFacts): boolean {
  if (viewer.kind === 'all') return true;
  if (viewer.user.domainId !== space.domainId) return false;
  if (space.sharingType === 'Shared') return true;
  return space.owner?.toLowerCase() === viewer.user.userProfileName;
}

/** Whether the viewer may name this user profile as the owner of a new private space (only itself, unless it sees everything). */
export function mayOwnFor(viewer: Viewer, domainId: string, owner: string): boolean {
  return viewer.kind === 'all' || (viewer.user.domainId === domainId && viewer.user.userProfileName === owner.toLowerCase());
}
