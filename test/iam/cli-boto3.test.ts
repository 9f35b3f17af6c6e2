/**
 * IAM and STS from the AWS CLI and boto3 (the default python3): what the SageMaker Python SDK's
 * get_execution_role() calls (iam get-role), policy documents decoded by botocore, and a boto3
 * session on AssumeRole credentials that is allowed S3 and denied SageMaker in SageMaker's words.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com', AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });

async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run('aws', [...args, '--output', 'json'], { env: server.env });
  return stdout.trim() ? JSON.parse(stdout) : undefined;
}

describe('AWS CLI', () => {
  it('creates and reads roles and policies; get-role answers as the SageMaker SDK expects; errors are IAM\'s', async () => {
    const created = await aws('iam', 'create-role', '--role-name', 'SageMakerExecution', '--path', '/service-role/', '--assume-role-policy-document', TRUST);
    expect(created.Role.Arn).toBe('arn:aws:iam::000000000000:role/service-role/SageMakerExecution');
    await aws('iam', 'attach-role-policy', '--role-name', 'SageMakerExecution', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess');
    await aws('iam', 'put-role-policy', '--role-name', 'SageMakerExecution', '--policy-name', 'extra', '--policy-document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::my-data/*' }] }));

    const got = await aws('iam', 'get-role', '--role-name', 'SageMakerExecution');
    expect(got.Role.RoleName).toBe('SageMakerExecution');
    // The CLI decodes the URL-encoded document into JSON.
    expect(got.Role.AssumeRolePolicyDocument).toEqual(JSON.parse(TRUST));
    expect((await aws('iam', 'get-role-policy', '--role-name', 'SageMakerExecution', '--policy-name', 'extra')).PolicyDocument.Statement[0].Resource).toBe('arn:aws:s3:::my-data/*');
    expect((await aws('iam', 'list-attached-role-policies', '--role-name', 'SageMakerExecution')).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonSageMakerFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess' },
    ]);
    const version = await aws('iam', 'get-policy-version', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', '--version-id', 'v3');
    expect(version.PolicyVersion.Document.Statement[0].Action).toContain('s3:Get*');
    // Paging through the CLI's own paginator.
    const listed = await aws('iam', 'list-policies', '--scope', 'AWS', '--max-items', '2');
    expect(listed.Policies).toHaveLength(2);
    expect(listed.NextToken).toBeTruthy();

    const missing = await run('aws', ['iam', 'get-role', '--role-name', 'nope'], { env: server.env }).then(() => '', (e: { stderr: string }) => e.stderr);
    expect(missing).toContain('An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name nope cannot be found.');
    const conflict = await run('aws', ['iam', 'delete-role', '--role-name', 'SageMakerExecution'], { env: server.env }).then(() => '', (e: { stderr: string }) => e.stderr);
    expect(conflict).toContain('(DeleteConflict)');
    const malformed = await run('aws', ['iam', 'create-policy', '--policy-name', 'bad', '--policy-document', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}'], { env: server.env }).then(() => '', (e: { stderr: string }) => e.stderr);
    expect(malformed).toContain('An error occurred (MalformedPolicyDocument) when calling the CreatePolicy operation: Policy statement must contain resources.');

    const assumed = await aws('sts', 'assume-role', '--role-arn', created.Role.Arn, '--role-session-name', 'cli');
    expect(assumed.AssumedRoleUser.Arn).toBe('arn:aws:sts::000000000000:assumed-role/SageMakerExecution/cli');
    expect(assumed.Credentials.AccessKeyId).toMatch(/^ASIA/);
  }, 300_000);
});

describe('boto3', () => {
  it('get_role as get_execution_role does, and a session on AssumeRole credentials is authorized by the role', async () => {
    const script = `
import json, boto3, botocore
s = boto3.Session()
iam = s.client("iam")
iam.create_role(RoleName="BotoRole", AssumeRolePolicyDocument=${JSON.stringify(TRUST)})
iam.attach_role_policy(RoleName="BotoRole", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
out = {"role": iam.get_role(RoleName="BotoRole")["Role"]["Arn"]}
c = s.client("sts").assume_role(RoleArn=out["role"], RoleSessionName="boto")["Credentials"]
r = boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
out["me"] = r.client("sts").get_caller_identity()["Arn"]
s3 = r.client("s3")
s3.create_bucket(Bucket="boto-bucket")
s3.put_object(Bucket="boto-bucket", Key="k", Body=b"v")
out["body"] = s3.get_object(Bucket="boto-bucket", Key="k")["Body"].read().decode()
import re, urllib.request, urllib.error
from botocore.config import Config
for sv in ("s3", "s3v4"):
    url = r.client("s3", config=Config(signature_version=sv)).generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "k"})
    out["token_in_" + sv] = bool(re.search(r"[?&]x-amz-security-token=", url, re.I))
    out["presigned_" + sv] = urllib.request.urlopen(url).read().decode()
    bad = re.sub(r"([?&]x-amz-security-token=)", r"\\1x", url, flags=re.I)
    try:
        urllib.request.urlopen(bad)
        out["bad_" + sv] = "accepted"
    except urllib.error.HTTPError as e:
        out["bad_" + sv] = [e.code, re.search(r"<Code>([^<]+)</Code>", e.read().decode()).group(1)]
try:
    r.client("sagemaker").list_training_jobs()
except botocore.exceptions.ClientError as e:
    out["sagemaker"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
try:
    r.client("iam").create_role(RoleName="Escalate", AssumeRolePolicyDocument=${JSON.stringify(TRUST)})
except botocore.exceptions.ClientError as e:
    out["iam"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script], { env: server.env });
    const out = JSON.parse(stdout);
    expect(out.role).toBe('arn:aws:iam::000000000000:role/BotoRole');
    expect(out.me).toBe('arn:aws:sts::000000000000:assumed-role/BotoRole/boto');
    expect(out.body).toBe('v');
    expect(out.sagemaker).toEqual(['AccessDeniedException', 'User: arn:aws:sts::000000000000:assumed-role/BotoRole/boto is not authorized to perform: sagemaker:ListTrainingJobs on resource: * because no identity-based policy allows the sagemaker:ListTrainingJobs action']);
    expect(out.iam).toEqual(['AccessDenied', 403]);
    // Presigned URLs carry the session token (SigV2 and SigV4); a changed token is refused.
    for (const sv of ['s3', 's3v4']) {
      expect(out[`token_in_${sv}`]).toBe(true);
      expect(out[`presigned_${sv}`]).toBe('v');
      expect(out[`bad_${sv}`]).toEqual([400, 'InvalidToken']);
    }
  }, 300_000);
});
