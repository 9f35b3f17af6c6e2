/** The Studio visibility rule (src/studio/visibility.ts) that the API, apps and the proxy share. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/principal.js';
import { canSeeDomain, canSeeSpace, canSeeUserProfile, mayOwnFor, viewerOf } from '../../src/studio/visibility.js';

const base: Principal = { arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000', userId: '000000000000', accessKeyId: 'AKIA', isAdmin: true };
const admin = viewerOf(base);
const session = viewerOf({ ...base, isAdmin: false, arn: 'arn:aws:sts::000000000000:assumed-role/R/s' });
const alice = viewerOf({ ...base, isAdmin: false, arn: 'arn:aws:sagemaker:us-east-1:000000000000:user-profile/d-1/alice', studioUser: { domainId: 'd-1', userProfileName: 'alice' } });

describe('visibility', () => {
  it('lets the admin and role sessions see everything', () => {
    for (const v of [admin, session]) {
      expect(canSeeDomain(v, 'd-2')).toBe(true);
      expect(canSeeSpace(v, { domainId: 'd-2', sharingType: 'Private', owner: 'bob' })).toBe(true);
      expect(mayOwnFor(v, 'd-2', 'bob')).toBe(true);
    }
  });

  it('lets a user see its domain, its shared spaces and its own private spaces only', () => {
    expect(canSeeDomain(alice, 'd-1')).toBe(true);
    expect(canSeeDomain(alice, 'd-2')).toBe(false);
    expect(canSeeUserProfile(alice, 'd-1')).toBe(true);
    expect(canSeeUserProfile(alice, 'd-2')).toBe(false);
    expect(canSeeSpace(alice, { domainId: 'd-1', sharingType: 'Shared' })).toBe(true);
    expect(canSeeSpace(alice, { domainId: 'd-1', sharingType: 'Private', owner: 'Alice' })).toBe(true);
    expect(canSeeSpace(alice, { domainId: 'd-1', sharingType: 'Private', owner: 'bob' })).toBe(false);
    expect(canSeeSpace(alice, { domainId: 'd-1', sharingType: 'Private' })).toBe(false);
    expect(canSeeSpace(alice, { domainId: 'd-2', sharingType: 'Shared' })).toBe(false);
    expect(canSeeSpace(alice, { domainId: 'd-2', sharingType: 'Private', owner: 'alice' })).toBe(false);
    expect(mayOwnFor(alice, 'd-1', 'ALICE')).toBe(true);
    expect(mayOwnFor(alice, 'd-1', 'bob')).toBe(false);
    expect(mayOwnFor(alice, 'd-2', 'alice')).toBe(false);
  });
});
