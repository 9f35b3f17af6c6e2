import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  // What the handlers record, before any controller acts on it (test/training/ runs jobs for real).
  server = await startTestServer({ controllers: false });
});
afterAll(async () => {
  await server?.close();
});

/** boto3 (what the SageMaker Python SDK calls) through the whole training-job API. */
describe('boto3 training jobs', () => {
  it('creates, describes, lists, stops and tags a job, and gets SageMaker errors', async () => {
    const script = `
import json, boto3, botocore
sm = boto3.client("sagemaker")
out = {}
def err(f):
    try:
        f()
        return None
    except botocore.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["Error"]["Message"]]
req = dict(
    TrainingJobName="Boto3-Job",
    RoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
    AlgorithmSpecification={"TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:latest", "TrainingInputMode": "File"},
    HyperParameters={"epochs": "2"},
    InputDataConfig=[{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://data/train"}}}],
    OutputDataConfig={"S3OutputPath": "s3://out"},
    ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
    StoppingCondition={"MaxRuntimeInSeconds": 600},
    Tags=[{"Key": "owner", "Value": "boto3"}],
)
out["arn"] = sm.create_training_job(**req)["TrainingJobArn"]
d = sm.describe_training_job(TrainingJobName="Boto3-Job")
out["describe"] = {k: d[k] for k in ("TrainingJobStatus", "SecondaryStatus", "ModelArtifacts", "ResourceConfig", "StoppingCondition", "EnableNetworkIsolation")}
out["creation_is_datetime"] = type(d["CreationTime"]).__name__
out["transitions"] = [[t["Status"], t["StatusMessage"]] for t in d["SecondaryStatusTransitions"]]
out["duplicate"] = err(lambda: sm.create_training_job(**req))
out["list"] = [s["TrainingJobName"] for s in sm.list_training_jobs(NameContains="boto3")["TrainingJobSummaries"]]
out["tags"] = sm.list_tags(ResourceArn=out["arn"])["Tags"]
sm.stop_training_job(TrainingJobName="Boto3-Job")
out["after_stop"] = sm.describe_training_job(TrainingJobName="Boto3-Job")["TrainingJobStatus"]
out["missing"] = err(lambda: sm.describe_training_job(TrainingJobName="nope"))
no_rc = {k: v for k, v in req.items() if k not in ("ResourceConfig", "TrainingJobName")}
out["no_rc"] = err(lambda: sm.create_training_job(TrainingJobName="no-rc", **no_rc))
out["gpu"] = err(lambda: sm.create_training_job(**{**req, "TrainingJobName": "gpu", "ResourceConfig": {"InstanceType": "ml.p3.2xlarge", "InstanceCount": 1}}))
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script], { env: server.env });
    const out = JSON.parse(stdout);
    expect(out.arn).toBe('arn:aws:sagemaker:us-east-1:000000000000:training-job/boto3-job');
    expect(out.describe).toEqual({
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Starting',
      ModelArtifacts: { S3ModelArtifacts: 's3://out/Boto3-Job/output/model.tar.gz' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
      EnableNetworkIsolation: false,
    });
    expect(out.creation_is_datetime).toBe('datetime');
    expect(out.transitions).toEqual([['Starting', 'Starting the training job']]);
    expect(out.duplicate[0]).toBe('ResourceInUse');
    expect(out.list).toEqual(['Boto3-Job']);
    expect(out.tags).toEqual([{ Key: 'owner', Value: 'boto3' }]);
    expect(out.after_stop).toBe('Stopping');
    expect(out.missing).toEqual(['ValidationException', 'Requested resource not found.']);
    expect(out.no_rc).toEqual(['ValidationException', "1 validation error detected: Value null at 'resourceConfig' failed to satisfy constraint: Member must not be null"]);
    expect(out.gpu[0]).toBe('ResourceLimitExceeded');
    expect(out.gpu[1]).toMatch(/^The account-level service limit 'ml\.p3\.2xlarge for training job usage' is 0 Instances/);
  });
});
