import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** boto3 (the default python3's) against the control plane: what the SageMaker Python SDK does first. */
describe('boto3', () => {
  it('calls STS, SageMaker and Logs and gets AWS-shaped answers and errors', async () => {
    const script = `
import json, boto3, botocore
s = boto3.Session()
out = {}
out["account"] = s.client("sts").get_caller_identity()["Account"]
sm = s.client("sagemaker")
out["jobs"] = sm.list_training_jobs()["TrainingJobSummaries"]
try:
    sm.list_training_jobs(MaxResults=0)
except botocore.exceptions.ClientError as e:
    out["error"] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
except botocore.exceptions.ParamValidationError as e:
    out["error"] = ["client-side", str(e)]
try:
    sm.describe_training_job(TrainingJobName="x" * 70)
except botocore.exceptions.ClientError as e:
    out["describe"] = e.response["Error"]["Code"]
logs = s.client("logs")
logs.create_log_group(logGroupName="/boto3/test")
out["groups"] = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/boto3")["logGroups"]]
rt = s.client("sagemaker-runtime")
for name, body in (("small", b"1,2,3"), ("big", b"x" * (6 * 1024 * 1024 + 1))):
    try:
        rt.invoke_endpoint(EndpointName="nope", Body=body, ContentType="text/csv")
    except botocore.exceptions.ClientError as e:
        out["invoke_" + name] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script], { env: server.env });
    const out = JSON.parse(stdout);
    expect(out.account).toBe('000000000000');
    expect(out.jobs).toEqual([]);
    // botocore validates MaxResults>=1 itself, so this reaches the server only if it doesn't.
    expect(out.error[0]).toMatch(/ValidationException|client-side/);
    expect(out.describe).toMatch(/ValidationException|NotImplemented/);
    expect(out.groups).toEqual(['/boto3/test']);
    expect(out.invoke_small).toEqual(['ValidationError', 400]);
    expect(out.invoke_big).toEqual(['ValidationError', 400]);
  });
});
