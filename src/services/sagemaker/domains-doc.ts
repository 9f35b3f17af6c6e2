import { randomBytes } from 'node:crypto';
import { sagemakerArn } from '../../core/arn.js';
import { studioEndpoint } from '../../proxy/studio-endpoint.js';
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

/**
 * Where Studio serves the domain: Clary's address as it listens now (the port actually bound, so
 * `--port 0` gives the OS-chosen one) and /studio/<domain-id>/. Computed when answered, so a
 * restart on another port shows the new address; the configured host:port only before listening.
 */
export function domainUrl(platform: { readonly config: Pick<ClaryConfig, 'host' | 'port'> }, domainId: string): string {
  const { host, port } = platform.config;
  const origin = studioEndpoint(platform) ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return `${origin}/studio/${domainId}/`;
}

export const domainArn = (ctx: RequestContext, domainId: string) => sagemakerArn(ctx.platform.config, 'domain', domainId);

/** The domain as the caller may see it, or SageMaker's ResourceNotFound (also for a domain the caller may not see). */
export async function requireDomain(ctx: RequestContext, domainId: string): Promise<ResourceRecord<DomainDoc>> {
  const record = await ctx.platform.store.getResource<DomainDoc>(DOMAIN_KIND, domainId);
  if (!record || !canSeeDomain(viewerOf(ctx.principal), domainId)) throw domainNotFound(domainArn(ctx, domainId));
  return record;
}

export function toDescribeDomain(doc: DomainDoc, url: string): Record<string, unknown> {
  const { NextUid: _n, ...rest } = doc;
  const out: Record<string, unknown> = { ...rest, Url: url, CreationTime: new Date(doc.CreationTime), LastModifiedTime: new Date(doc.LastModifiedTime) };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Drops undefined members before storing. */
export function compact<T extends object>(doc: T): T {
  for (const k of Object.keys(doc) as (keyof T)[]) if (doc[k] === undefined) delete doc[k];
  return doc;
}
