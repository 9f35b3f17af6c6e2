import type { ClaryConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { Principal, Authorizer } from '../core/principal.js';
import type { MetadataStore } from '../store/metadata-store.js';
import type { ObjectStore } from '../objects/object-store.js';

/** What every handler can reach. Built once at start-up (see src/app.ts). */
export interface Platform {
  readonly config: ClaryConfig;
  readonly store: MetadataStore;
  readonly objects: ObjectStore;
  readonly authorizer: Authorizer;
  readonly log: Logger;
  /** Epoch milliseconds; a seam so tests and replay can control time. */
  now(): number;
  /** Handlers call this after recording intent so the kind's controller looks now, not at its next resync. */
  changed(kind: string): void;
}

/** One request's context. */
export interface RequestContext {
  readonly platform: Platform;
  readonly requestId: string;
  readonly principal: Principal;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/**
 * A handler for one operation of a JSON/query service: takes the validated input (already
 * checked against the official model) and returns the output members. It records intent in the
 * store; controllers do the work.
 */
export type OperationHandler<I = any, O = any> = (input: I, ctx: RequestContext) => Promise<O>;

export interface ServiceModule {
  /** Key of the service model in src/generated/models (e.g. "sagemaker", "logs", "sts"). */
  readonly model: string;
  /** IAM action prefix ("sagemaker", "logs", "sts"). */
  readonly actionPrefix: string;
  readonly handlers: Readonly<Record<string, OperationHandler>>;
  /** ARN of the resource an operation acts on, for authorization; "*" when not resource-scoped. */
  resourceOf?(operation: string, input: any, platform: Platform): string;
  /** Condition keys the request supplies for authorization (docs/iam.md); asked only for non-admin callers. */
  conditionKeysOf?(operation: string, input: any, platform: Platform, resource: string): Promise<Readonly<Record<string, string | readonly string[]>>>;
}
