import type { Platform } from '../services/service.js';

/** What caches IAM data (the policy authorizer): told after every IAM write so the next request sees it. */
export interface IamChangeListener {
  iamChanged(): void;
}

export function iamChanged(platform: Pick<Platform, 'authorizer'>): void {
  (platform.authorizer as Partial<IamChangeListener>).iamChanged?.();
}
