import { randomBytes } from 'node:crypto';
import { AlreadyExistsError, StaleVersionError } from '../core/errors.js';
import type { MetadataStore, ResourceRecord } from '../store/metadata-store.js';
import { policyExists, roleExists } from './iam-errors.js';
import { managedPolicy } from './managed-policies.js';
import { parsePolicy, type PolicyDocument } from './policy-document.js';

/**
 * Roles and customer managed policies, kept as documents in the store's generic resources table
 * (kinds "iam-role" and "iam-policy", id = the lower-cased name: IAM names are unique without
 * regard to case). Inline policies and attachments live inside the role's document.
 */
export const ROLE_KIND = 'iam-role';
export const POLICY_KIND = 'iam-policy';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface RoleDoc {
  readonly RoleName: string;
  readonly RoleId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly AssumeRolePolicyDocument: string;
  readonly Description?: string;
  readonly MaxSessionDuration: number;
  readonly Tags: readonly Tag[];
  readonly CreateDate: number;
  /** Inline policies: name → document, in insertion order. */
  readonly inline: Readonly<Record<string, string>>;
  /** Attached managed policies (AWS's and the account's), by ARN. */
  readonly attached: readonly string[];
}

export interface PolicyDoc {
  readonly PolicyName: string;
  readonly PolicyId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly Description?: string;
  readonly CreateDate: number;
  readonly UpdateDate: number;
  readonly Tags: readonly Tag[];
  readonly Document: string;
  readonly DefaultVersionId: string;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Unique ids as IAM writes them: a 4-letter type prefix and 17 upper-case characters. */
export function iamUniqueId(prefix: 'AROA' | 'ANPA'): string {
  const b = randomBytes(17);
  let out = prefix;
  for (const x of b) out += ID_ALPHABET[x % ID_ALPHABET.length];
  return out;
}

export const roleArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:role${path}${name}`;
export const policyArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:policy${path}${name}`;

export async function getRole(store: MetadataStore, name: string): Promise<ResourceRecord<RoleDoc> | undefined> {
  return store.getResource<RoleDoc>(ROLE_KIND, name.toLowerCase());
}

/** The role an ARN names, if it exists (the path must match too). */
export async function getRoleByArn(store: MetadataStore, arn: string): Promise<RoleDoc | undefined> {
  const m = /^arn:aws:iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  if (!m) return undefined;
  const rec = await getRole(store, m[3]!);
  return rec && rec.doc.Arn === arn ? rec.doc : undefined;
}

export async function createRole(store: MetadataStore, doc: RoleDoc): Promise<RoleDoc> {
  try {
    await store.createResource<RoleDoc>({ kind: ROLE_KIND, id: doc.RoleName.toLowerCase(), name: doc.RoleName, arn: doc.Arn, parent: null, status: null, creationTime: doc.CreateDate, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw roleExists(doc.RoleName);
    throw e;
  }
  return doc;
}

/** Read, change, write with optimistic retries; `mutate` may throw to refuse. Undefined when the role is gone. */
export async function updateRole(store: MetadataStore, name: string, mutate: (d: RoleDoc) => RoleDoc): Promise<RoleDoc | undefined> {
  for (let attempt = 0; ; attempt++) {
    const rec = await getRole(store, name);
    if (!rec) return undefined;
    const next = mutate(rec.doc);
    try {
      const out = await store.updateResource<RoleDoc>(ROLE_KIND, rec.id, rec.version, { doc: next });
      if (out) return out.doc;
    } catch (e) {
      if (!(e instanceof StaleVersionError) || attempt >= 20) throw e;
    }
  }
}

export async function allRoles(store: MetadataStore): Promise<RoleDoc[]> {
  return (await all<RoleDoc>(store, ROLE_KIND)).map((r) => r.doc);
}

export async function allCustomerPolicies(store: MetadataStore): Promise<PolicyDoc[]> {
  return (await all<PolicyDoc>(store, POLICY_KIND)).map((r) => r.doc);
}

async function all<T>(store: MetadataStore, kind: string): Promise<ResourceRecord<T>[]> {
  const out: ResourceRecord<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listResources<T>({ kind, sortBy: 'name', sortOrder: 'asc', limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export async function createCustomerPolicy(store: MetadataStore, doc: PolicyDoc): Promise<PolicyDoc> {
  try {
    await store.createResource<PolicyDoc>({ kind: POLICY_KIND, id: doc.PolicyName.toLowerCase(), name: doc.PolicyName, arn: doc.Arn, parent: null, status: null, creationTime: doc.CreateDate, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw policyExists(doc.PolicyName);
    throw e;
  }
  return doc;
}

export async function getCustomerPolicy(store: MetadataStore, accountId: string, arn: string): Promise<PolicyDoc | undefined> {
  const m = /^arn:aws:iam::(\d{12}):policy(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  if (!m || m[1] !== accountId) return undefined;
  const rec = await store.getResource<PolicyDoc>(POLICY_KIND, m[3]!.toLowerCase());
  return rec && rec.doc.Arn === arn ? rec.doc : undefined;
}

/** A managed policy's document by ARN: AWS's or the account's. */
export async function policyDocumentByArn(store: MetadataStore, accountId: string, arn: string): Promise<{ name: string; document: string; parsed: PolicyDocument } | undefined> {
  const aws = managedPolicy(arn);
  if (aws) return { name: aws.name, document: aws.document, parsed: aws.parsed };
  const own = await getCustomerPolicy(store, accountId, arn);
  return own ? { name: own.PolicyName, document: own.Document, parsed: parsePolicy(own.Document) } : undefined;
}
