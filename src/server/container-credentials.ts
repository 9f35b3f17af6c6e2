import type { IncomingMessage, ServerResponse } from 'node:http';
import { issueJobSession, lookupJobCredentials } from '../iam/job-credentials.js';
import type { Platform } from '../services/service.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from '../services/sagemaker/training-jobs-doc.js';

export { containerCredentialsUri, CONTAINER_CREDENTIALS_PATH } from '../iam/job-credentials.js';

/** Sessions handed out are reused while they have this long left (botocore refreshes 15 minutes before expiry). */
const REUSE_WHILE_MS = 20 * 60 * 1000;
const cache = new Map<string, { body: string; expiresAt: number }>();

/**
 * GET /_clary/container-credentials — the ECS container-credentials endpoint for training jobs
 * (docs/iam.md). No SigV4: the job's token comes in the Authorization header, as botocore sends
 * AWS_CONTAINER_AUTHORIZATION_TOKEN. Answers {AccessKeyId, SecretAccessKey, Token, Expiration,
 * RoleArn} for a session of the job's execution role named after the job, while the job runs.
 */
export async function containerCredentials(req: IncomingMessage, res: ServerResponse, platform: Platform): Promise<void> {
  if (req.method !== 'GET') return send(res, 405, { code: 'MethodNotAllowed', message: 'Use GET.' });
  const token = req.headers.authorization;
  if (!token) return send(res, 401, { code: 'AccessDenied', message: 'The Authorization header must carry the job\'s AWS_CONTAINER_AUTHORIZATION_TOKEN.' });
  const found = await lookupJobCredentials(platform.store, token);
  if (!found) return send(res, 403, { code: 'AccessDenied', message: 'The authorization token is not valid.' });
  const job = (await platform.store.getResource<TrainingJobDoc>(TRAINING_JOB_KIND, found.doc.jobName))?.doc;
  // A Studio app's token (docs/studio-apps.md) is valid while its record exists: the app revokes it when it stops.
  const isApp = typeof (found.doc as { app?: unknown }).app === 'string';
  if (!isApp && (!job || (job.TrainingJobStatus !== 'InProgress' && job.TrainingJobStatus !== 'Stopping'))) {
    cache.delete(token);
    return send(res, 403, { code: 'AccessDenied', message: `The training job ${found.doc.jobName} has ended: its credentials are no longer issued.` });
  }
  if (!found.role) return send(res, 403, { code: 'AccessDenied', message: `The execution role ${found.doc.roleArn} no longer exists.` });
  const now = platform.now();
  const hit = cache.get(token);
  if (hit && hit.expiresAt - now > REUSE_WHILE_MS) return sendText(res, hit.body);
  const s = await issueJobSession(platform.store, platform.config.accountId, found.role, found.doc.jobName, now);
  const body = JSON.stringify({
    AccessKeyId: s.accessKeyId,
    SecretAccessKey: s.secretAccessKey,
    Token: s.sessionToken,
    Expiration: s.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    RoleArn: found.role.Arn,
  });
  if (cache.size > 10_000) cache.clear();
  cache.set(token, { body, expiresAt: s.expiration.getTime() });
  sendText(res, body);
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendText(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
