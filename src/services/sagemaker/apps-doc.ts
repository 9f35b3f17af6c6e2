import { sagemakerArn } from '../../core/arn.js';
import { ServiceError } from '../../core/errors.js';
import type { ResourceSpec } from '../../generated/types/sagemaker.js';
import { nestedId, SPACE_KIND } from '../../studio/user-identity.js';
import { canSeeSpace, viewerOf, type SpaceFacts, type Viewer } from '../../studio/visibility.js';
import type { MetadataStore, ResourceRecord } from '../../store/metadata-store.js';
import type { RequestContext } from '../service.js';
import { spaceFacts, type SpaceDoc } from './spaces-doc.js';

/** Store kind of Studio apps (docs/studio-apps.md). */
export const APP_KIND = 'app';

export type AppStatus = 'Pending' | 'InService' | 'Deleting' | 'Deleted' | 'Failed';

/** What the app controller records about the running Jupyter; never returned by DescribeApp. */
export interface AppRuntime {
  /** Port the Jupyter server listens on (a loopback port on the host network; 8888 on a private network). */
  port?: number;
  /** VpcOnly domain: the server runs on a private network (docs/networking.md), at this address. */
  vpcOnly?: boolean;
  address?: string;
  /** The kernels' container-credentials token (revoked when the app stops). */
  credentialsToken?: string;
  /** Jupyter's token, which the proxy injects; random per app. */
  token: string;
  /** The proxy prefix the server is started with (its base_url). */
  baseUrl: string;
  /** The runner's handle, for reattach and cleanup. */
  handle?: Record<string, unknown>;
  allocationId: string;
  /** Why the status is what it is (e.g. JupyterLab served by Jupyter Notebook). */
  note?: string;
  /** When Deleted: epoch ms; the record is kept for DescribeApp/ListApps. */
  deletedAt?: number;
}

export interface AppDoc {
  DomainId: string;
  UserProfileName?: string;
  SpaceName?: string;
  AppType: string;
  AppName: string;
  AppArn: string;
  Status: AppStatus;
  FailureReason?: string;
  ResourceSpec: ResourceSpec & { InstanceType: string };
  CreationTime: number;
  LastHealthCheckTimestamp?: number;
  LastUserActivityTimestamp?: number;
  /** Who created it (the ARN of the principal), for the audit log and costs. */
  CreatedBy: string;
  Clary: AppRuntime;
}

/** "space:<name>" or "user:<name>" — whose app it is. */
export const appOwnerKey = (doc: { SpaceName?: string; UserProfileName?: string }): string =>
  doc.SpaceName ? `space:${doc.SpaceName.toLowerCase()}` : `user:${(doc.UserProfileName ?? '').toLowerCase()}`;

export const appId = (domainId: string, owner: { SpaceName?: string; UserProfileName?: string }, appType: string, appName: string): string =>
  `${nestedId(domainId, appOwnerKey(owner))}/${appType.toLowerCase()}/${appName.toLowerCase()}`;

/** arn:aws:sagemaker:<region>:<acct>:app/<domain>/<space or user>/<type lower-case>/<name>, as SageMaker forms it. */
export const appArn = (ctx: Pick<RequestContext, 'platform'>, domainId: string, owner: { SpaceName?: string; UserProfileName?: string }, appType: string, appName: string): string =>
  sagemakerArn(ctx.platform.config, 'app', domainId, (owner.SpaceName ?? owner.UserProfileName ?? '').toLowerCase(), appType.toLowerCase(), appName.toLowerCase());

export const appNotFound = (arn: string) => new ServiceError('ResourceNotFound', `App [${arn}] does not exist.`, 400);

/** Who may see the app: a space's app as its space; a user profile's own app as a private space of that user. */
export async function appFacts(store: MetadataStore, doc: Pick<AppDoc, 'DomainId' | 'SpaceName' | 'UserProfileName'>): Promise<SpaceFacts | undefined> {
  if (doc.SpaceName) {
    const space = await store.getResource<SpaceDoc>(SPACE_KIND, nestedId(doc.DomainId, doc.SpaceName));
    return space ? spaceFacts(space.doc) : undefined;
  }
  return { domainId: doc.DomainId, sharingType: 'Private', owner: doc.UserProfileName };
}

export async function canSeeApp(store: MetadataStore, viewer: Viewer, doc: Pick<AppDoc, 'DomainId' | 'SpaceName' | 'UserProfileName'>): Promise<boolean> {
  if (viewer.kind === 'all') return true;
  const facts = await appFacts(store, doc);
  return facts !== undefined && canSeeSpace(viewer, facts);
}

/** The app as the caller may see it; else ResourceNotFound. */
export async function requireApp(ctx: RequestContext, input: { DomainId: string; SpaceName?: string; UserProfileName?: string; AppType: string; AppName: string }): Promise<ResourceRecord<AppDoc>> {
  const record = await ctx.platform.store.getResource<AppDoc>(APP_KIND, appId(input.DomainId, input, input.AppType, input.AppName));
  if (!record || !(await canSeeApp(ctx.platform.store, viewerOf(ctx.principal), record.doc))) throw appNotFound(appArn(ctx, input.DomainId, input, input.AppType, input.AppName));
  return record;
}

/** DescribeApp's shape: times as Dates, Clary's runtime facts left out. */
export function toDescribeApp(doc: AppDoc): Record<string, unknown> {
  const { Clary: _runtime, CreatedBy: _by, ...rest } = doc;
  const out: Record<string, unknown> = {
    ...rest,
    CreationTime: new Date(doc.CreationTime),
    LastHealthCheckTimestamp: doc.LastHealthCheckTimestamp === undefined ? undefined : new Date(doc.LastHealthCheckTimestamp),
    LastUserActivityTimestamp: doc.LastUserActivityTimestamp === undefined ? undefined : new Date(doc.LastUserActivityTimestamp),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Must exactly one of SpaceName / UserProfileName be given (SageMaker's rule for CreateApp & co). */
export function ownerOf(input: { SpaceName?: string; UserProfileName?: string }): { SpaceName?: string; UserProfileName?: string } {
  if ((input.SpaceName === undefined) === (input.UserProfileName === undefined)) {
    throw new ServiceError('ValidationException', 'Exactly one of SpaceName or UserProfileName must be specified.', 400);
  }
  return input.SpaceName !== undefined ? { SpaceName: input.SpaceName } : { UserProfileName: input.UserProfileName };
}

/** How many apps of a space (or of a user profile) are not Deleted/Failed: DeleteSpace and DeleteUserProfile refuse while any are. */
export async function liveAppsOf(store: MetadataStore, domainId: string, owner: { SpaceName?: string; UserProfileName?: string }): Promise<number> {
  const key = appOwnerKey(owner);
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await store.listResources<AppDoc>({ kind: APP_KIND, parent: domainId, sortBy: 'creationTime', sortOrder: 'asc', limit: 500, cursor });
    n += page.items.filter((r) => appOwnerKey(r.doc) === key && r.doc.Status !== 'Deleted' && r.doc.Status !== 'Failed').length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}
