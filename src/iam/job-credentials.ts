import { randomBytes } from 'node:crypto';
import type { MetadataStore } from '../store/metadata-store.js';
import { getRoleByArn, type RoleDoc } from './iam-directory.js';
import { issueRoleSession, sha256, type IssuedSession } from './role-sessions.js';
import { trustAllows } from './trust.js';

/**
 * A training job's execution-role credentials (docs/iam.md): when the job's RoleArn names a role
 * Clary has, and the role trusts sagemaker.amazonaws.com, each instance gets
 * AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN (a random per-job
 * secret, stored as its SHA-256 in the resources table, kind "job-credentials", id = the hash).
 * botocore and the other SDKs then fetch a fresh role session from that URI as on ECS/SageMaker.
 */
export const JOB_CREDENTIALS_KIND = 'job-credentials';
export const CONTAINER_CREDENTIALS_PATH = '/_clary/container-credentials';

/**
 * The URI instances fetch credentials from, given the endpoint they reach Clary at. botocore
 * accepts only loopback hosts and 169.254.170.2 / 169.254.170.23 over plain http: both
 * http://127.0.0.1:<port> (host network) and http://169.254.170.2:<port> (private network) qualify.
 */
export function containerCredentialsUri(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}${CONTAINER_CREDENTIALS_PATH}`;
}

export interface JobCredentialsDoc {
  readonly jobName: string;
  readonly roleArn: string;
}

/** What a job's instances get: a token to put in their environment, or a line for the job's log saying why not. */
export type JobCredentials = { readonly token: string } | { readonly note: string };

export async function prepareJobCredentials(store: MetadataStore, job: { TrainingJobName: string; RoleArn?: string }, now: number): Promise<JobCredentials> {
  const role = job.RoleArn ? await getRoleByArn(store, job.RoleArn) : undefined;
  if (!role) {
    return { note: `Clary: this job gets no AWS credentials: its RoleArn ${job.RoleArn} names no role in Clary's IAM (create it with aws iam create-role, trusting sagemaker.amazonaws.com, to give jobs its permissions).` };
  }
  if (!trustAllows(role, { service: 'sagemaker.amazonaws.com' })) {
    return { note: `Clary: this job gets no AWS credentials: the trust policy of ${role.Arn} does not let sagemaker.amazonaws.com assume it.` };
  }
  const token = randomBytes(32).toString('base64url');
  await store.createResource<JobCredentialsDoc>({
    kind: JOB_CREDENTIALS_KIND, id: sha256(token), name: job.TrainingJobName, arn: role.Arn, parent: job.TrainingJobName, status: null, creationTime: now,
    doc: { jobName: job.TrainingJobName, roleArn: role.Arn },
  });
  return { token };
}

/** The job and role a container's token stands for, if any. */
export async function lookupJobCredentials(store: MetadataStore, token: string): Promise<{ doc: JobCredentialsDoc; role: RoleDoc | undefined } | undefined> {
  const rec = await store.getResource<JobCredentialsDoc>(JOB_CREDENTIALS_KIND, sha256(token));
  if (!rec) return undefined;
  return { doc: rec.doc, role: await getRoleByArn(store, rec.doc.roleArn) };
}

/** A session of the job's role named after the job, an hour long (or the role's maximum if shorter). */
export function issueJobSession(store: MetadataStore, accountId: string, role: RoleDoc, jobName: string, now: number): Promise<IssuedSession> {
  return issueRoleSession(store, { accountId, role, sessionName: jobName.slice(0, 64), durationSeconds: Math.min(3600, role.MaxSessionDuration), now });
}
