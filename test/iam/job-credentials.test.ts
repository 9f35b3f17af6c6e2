/**
 * A training job's execution role, end to end: the job's instances get the ECS container-credentials
 * variables, boto3 inside the job (Debian's /usr/bin/python3) picks them up by itself, and the
 * credentials act as the role — allowed on S3 by AmazonS3FullAccess, denied SageMaker — for the
 * job's own code and for anyone holding them outside; the route stops issuing them once the job ends.
 */
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, SKLEARN_IMAGE, sdkHyperParameters, uploadSourceDir, waitForJob } from '../training/support.js';

const TRAIN_PY = `
import json, os, urllib.request
import boto3
from botocore.exceptions import ClientError
ep = os.environ["AWS_ENDPOINT_URL"]
out = {"uri": os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")}
if out["uri"]:
    session = boto3.Session()
    creds = session.get_credentials()
    out["method"] = creds.method
    out["arn"] = session.client("sts", endpoint_url=ep).get_caller_identity()["Arn"]
    s3 = session.client("s3", endpoint_url=ep)
    s3.put_object(Bucket="ml-data", Key="written-by-job.txt", Body=b"from the job")
    try:
        session.client("sagemaker", endpoint_url=ep).list_training_jobs()
        out["sagemaker"] = "allowed"
    except ClientError as e:
        out["sagemaker"] = e.response["Error"]["Code"]
    # The raw ECS answer, kept (with the token) for the test to use from outside.
    req = urllib.request.Request(out["uri"], headers={"Authorization": os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]})
    raw = json.load(urllib.request.urlopen(req))
    raw["_token"] = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    s3.put_object(Bucket="ml-data", Key="job-credentials.json", Body=json.dumps(raw).encode())
print("RESULT " + json.dumps(out), flush=True)
`;

let server: TestServer;
let source: string;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  source = await uploadSourceDir(server, 'ml-data', 'code/sourcedir.tar.gz', { 'train.py': TRAIN_PY });
  const iam = new IAMClient(server.clientConfig);
  await iam.send(new CreateRoleCommand({
    RoleName: 'JobRole',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'JobRole', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
  iam.destroy();
});
afterAll(async () => {
  await server?.close();
});

const createJob = (name: string, roleArn: string) =>
  new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand({
    TrainingJobName: name,
    RoleArn: roleArn,
    AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File' },
    HyperParameters: sdkHyperParameters({ sagemaker_program: 'train.py', sagemaker_submit_directory: source }),
    OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 300 },
  }));

function result(logs: string): Record<string, string | undefined> {
  const line = logs.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line, logs).toBeDefined();
  return JSON.parse(line!.slice('RESULT '.length));
}

describe('execution-role credentials in training jobs', () => {
  it('boto3 in the job gets the role\'s credentials from the container-credentials URI and acts as the role', async () => {
    await createJob('creds-job', 'arn:aws:iam::000000000000:role/JobRole');
    const d = await waitForJob(server, 'creds-job');
    const logs = await jobLogs(server, 'creds-job/algo-1-');
    expect(d.TrainingJobStatus, `${d.FailureReason}\n${logs}`).toBe('Completed');
    const out = result(logs);
    expect(out.uri).toMatch(/^http:\/\/(127\.0\.0\.1|169\.254\.170\.2):\d+\/_clary\/container-credentials$/);
    expect(out.method).toBe('container-role');
    expect(out.arn).toBe('arn:aws:sts::000000000000:assumed-role/JobRole/creds-job');
    expect(out.sagemaker).toBe('AccessDeniedException');

    const admin = new S3Client(server.clientConfig);
    expect(await (await admin.send(new GetObjectCommand({ Bucket: 'ml-data', Key: 'written-by-job.txt' }))).Body!.transformToString()).toBe('from the job');
    const raw = JSON.parse(await (await admin.send(new GetObjectCommand({ Bucket: 'ml-data', Key: 'job-credentials.json' }))).Body!.transformToString());
    expect(raw).toMatchObject({ AccessKeyId: expect.stringMatching(/^ASIA/), RoleArn: 'arn:aws:iam::000000000000:role/JobRole' });
    expect(Date.parse(raw.Expiration)).toBeGreaterThan(Date.now());

    // The same credentials from outside, with the JS SDK.
    const credentials = { accessKeyId: raw.AccessKeyId, secretAccessKey: raw.SecretAccessKey, sessionToken: raw.Token };
    const cfg = { ...server.clientConfig, credentials, maxAttempts: 1 };
    const s3 = new S3Client(cfg);
    await s3.send(new PutObjectCommand({ Bucket: 'ml-data', Key: 'outside.txt', Body: 'ok' }));
    expect((await new STSClient(cfg).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::000000000000:assumed-role/JobRole/creds-job');
    const denied = await new SageMakerClient(cfg).send(new CreateTrainingJobCommand({
      TrainingJobName: 'by-the-role', RoleArn: 'arn:aws:iam::000000000000:role/JobRole',
      AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File' }, OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 }, StoppingCondition: { MaxRuntimeInSeconds: 60 },
    })).then(() => undefined, (e: Error) => e);
    expect(denied?.name).toBe('AccessDeniedException');
    expect(denied?.message).toBe('User: arn:aws:sts::000000000000:assumed-role/JobRole/creds-job is not authorized to perform: sagemaker:CreateTrainingJob on resource: arn:aws:sagemaker:us-east-1:000000000000:training-job/by-the-role because no identity-based policy allows the sagemaker:CreateTrainingJob action');

    // The job has ended: its token no longer gets credentials; a wrong or missing token never did.
    const url = `${server.endpoint}/_clary/container-credentials`;
    const ended = await fetch(url, { headers: { authorization: raw._token } });
    expect(ended.status).toBe(403);
    expect(((await ended.json()) as { message: string }).message).toBe('The training job creds-job has ended: its credentials are no longer issued.');
    expect((await fetch(url, { headers: { authorization: 'not-a-token' } })).status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
  }, 300_000);

  it('a job whose role Clary does not have runs as before, without credentials, and its log says why', async () => {
    await createJob('no-role-job', 'arn:aws:iam::000000000000:role/NotInClary');
    const d = await waitForJob(server, 'no-role-job');
    const logs = await jobLogs(server, 'no-role-job/algo-1-');
    expect(d.TrainingJobStatus, `${d.FailureReason}\n${logs}`).toBe('Completed');
    expect(result(logs).uri).toBeNull();
    expect(logs).toContain('Clary: this job gets no AWS credentials: its RoleArn arn:aws:iam::000000000000:role/NotInClary names no role in Clary\'s IAM');
  }, 300_000);
});
