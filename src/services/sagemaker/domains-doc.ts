import { randomBytes } from 'node:crypto';
import { sagemakerArn } from '../../core/arn.js';
import type { ClaryConfig } from '../../core/config.js';
import type { DefaultSpaceSettings, DomainSettings, UserSettings } from '../../generated/types/sagemaker.js';
import type { RequestContext } from '../service.js';
import { DOMAIN_KIND } from '../../studio/user-identity.js';
import { canSeeDomain, viewerOf } from '../../studio/visibility.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import { domainNotFound } from './domains-errors.js';

export { DOMAIN_KIND };

/**
 * The stored document of a Studio domain (id = DomainId): DescribeDomain's members with times as
 * epoch ms, plus NextUid, the HomeEfsFileSystemUid its next user profile gets.
 */
export interface DomainDoc {
  DomainId: string;
  DomainArn: string;
  DomainName: string;
  AuthMode: 'IAM';
  HomeEfsFileSystemId: string;
  Status: 'Pending' | 'InService' | 'Failed' | 'Deleting';
  FailureReason?: string;
  DefaultUserSettings: UserSettings;
  DefaultSpaceSettings?: DefaultSpaceSettings;
  DomainSettings?: DomainSettings;
  AppNetworkAccessType: 'PublicInternetOnly' | 'VpcOnly';
  AppSecurityGroupManagement?: string;
  HomeEfsFileSystemCreation?: string;
  HomeEfsFileSystemKmsKeyId?: string;
  KmsKeyId?: string;
  SubnetIds?: string[];
  VpcId?: string;
  TagPropagation?: string;
  Url: string;
  CreationTime: number;
  LastModifiedTime: number;
  NextUid: number;
}

/** d- and 12 lower-case letters and digits, as SageMaker's domain ids look. */
export function newDomainId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `d-${Array.from(randomBytes(12), (b) => alphabet[b % 36]).join('')}`;
}

/** Where Studio will serve the domain (the proxy, a later step): Clary's address and /studio/<domain-id>/. */
export function domainUrl(config: Pick<ClaryConfig, 'host' | 'port'>, domainId: string): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}/studio/${domainId}/`;
}

export const domainArn = (ctx: RequestContext, domainId: string) => sagemakerArn(ctx.platform.config, 'domain', domainId);

/** The domain as the caller may see it, or SageMaker's ResourceNotFound (also for a domain the caller may not see). */
export async function requireDomain(ctx: RequestContext, domainId: string): Promise<ResourceRecord<DomainDoc>> {
  const record = await ctx.platform.store.getResource<DomainDoc>(DOMAIN_KIND, domainId);
  if (!record || !canSeeDomain(viewerOf(ctx.principal), domainId)) throw domainNotFound(domainArn(ctx, domainId));
  return record;
}

export function toDescribeDomain(doc: DomainDoc): Record<string, unknown> {
  const { NextUid: _n, ...rest } = doc;
  const out: Record<string, unknown> = { ...rest, CreationTime: new Date(doc.CreationTime), LastModifiedTime: new Date(doc.LastModifiedTime) };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Drops undefined members before storing. */
export function compact<T extends object>(doc: T): T {
  for (const k of Object.keys(doc) as (keyof T)[]) if (doc[k] === undefined) delete doc[k];
  return doc;
}
