import { randomBytes } from 'node:crypto';
import { getRoleByArn } from '../../iam/iam-directory.js';
import { JOB_CREDENTIALS_KIND, type JobCredentialsDoc } from '../../iam/job-credentials.js';
import { trustAllows } from '../../iam/trust.js';
import { sha256 } from '../../iam/role-sessions.js';
import type { AppDoc } from '../../services/sagemaker/apps-doc.js';
import type { DomainDoc } from '../../services/sagemaker/domains-doc.js';
import type { SpaceDoc } from '../../services/sagemaker/spaces-doc.js';
import { DOMAIN_KIND, executionRoleOf, nestedId, SPACE_KIND } from '../../studio/user-identity.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * The execution role an app's kernels act with (docs/studio-apps.md): a user profile's app and a
 * private space's app use the (owner) user profile's role; a shared space's app the domain's
 * DefaultSpaceSettings.ExecutionRole, else DefaultUserSettings.ExecutionRole.
 */
export async function appExecutionRole(store: MetadataStore, doc: AppDoc): Promise<string | undefined> {
  let owner = doc.UserProfileName;
  if (doc.SpaceName) {
    const space = await store.getResource<SpaceDoc>(SPACE_KIND, nestedId(doc.DomainId, doc.SpaceName));
    owner = space?.doc.OwnershipSettings && space.doc.SpaceSharingSettings.SharingType === 'Private' ? space.doc.OwnershipSettings.OwnerUserProfileName : undefined;
    if (!owner) {
      const domain = await store.getResource<DomainDoc>(DOMAIN_KIND, doc.DomainId);
      return domain?.doc.DefaultSpaceSettings?.ExecutionRole ?? domain?.doc.DefaultUserSettings?.ExecutionRole;
    }
  }
  return owner ? executionRoleOf(store, { domainId: doc.DomainId, userProfileName: owner.toLowerCase() }) : undefined;
}

/**
 * Container credentials for an app, as training jobs get them (src/iam/job-credentials.ts): a
 * token the kernels present at Clary's container-credentials URI for sessions of the execution
 * role. Returns the token, or a note saying why there is none.
 */
export async function prepareAppCredentials(store: MetadataStore, doc: AppDoc, sessionName: string, now: number): Promise<{ token: string } | { note: string }> {
  const role = await appExecutionRole(store, doc);
  if (!role) return { note: 'Clary: this app gets no AWS credentials: neither its user profile nor its domain names an ExecutionRole.' };
  const found = await getRoleByArn(store, role);
  if (!found) return { note: `Clary: this app gets no AWS credentials: its execution role ${role} names no role in Clary's IAM.` };
  if (!trustAllows(found, { service: 'sagemaker.amazonaws.com' })) return { note: `Clary: this app gets no AWS credentials: the trust policy of ${role} does not let sagemaker.amazonaws.com assume it.` };
  const token = randomBytes(32).toString('base64url');
  // The record lives exactly as long as the app runs (revoked on stop): `app` tells the credentials endpoint not to look for a training job.
  await store.createResource<JobCredentialsDoc & { app: string }>({
    kind: JOB_CREDENTIALS_KIND, id: sha256(token), name: sessionName, arn: found.Arn, parent: sessionName, status: null, creationTime: now,
    doc: { jobName: sessionName, roleArn: found.Arn, app: doc.AppArn },
  });
  return { token };
}

/** Revokes an app's credentials token (its kernels can no longer get sessions). */
export async function revokeAppCredentials(store: MetadataStore, token: string | undefined): Promise<void> {
  if (token) await store.deleteResource(JOB_CREDENTIALS_KIND, sha256(token));
}
