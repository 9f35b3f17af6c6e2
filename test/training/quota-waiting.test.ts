import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { detectHost } from '../../src/compute/host/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/**
 * SageMaker checks the instance-type quota when CreateTrainingJob arrives, counting the instances
 * of every InProgress job: also those still waiting for capacity, and requests arriving together.
 */
const TAIL = 'Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, contact AWS support to request an increase for this quota.';

let server: TestServer;
let sm: SageMakerClient;
let source: string;
/** ml.c7i.large instances (2 vCPU each) that take every vCPU of this machine without overcommit. */
let fillers: number;
/** The per-type quota: room for the fillers, and for `quota` ml.m5.large that can only wait behind them. */
let quota: number;
beforeAll(async () => {
  fillers = Math.floor((await detectHost()).vcpus / 2);
  quota = Math.max(2, fillers);
  server = await startTestServer({ vcpuOvercommit: 1 }, { CLARY_QUOTA_CPU_PER_TYPE: String(quota), CLARY_QUOTA_AGGREGATE: String(4 * quota), CLARY_STOP_GRACE_SECONDS: '1' });
  sm = new SageMakerClient(server.clientConfig);
  await createBucket(server, 'ml-data');
  source = await uploadSourceDir(server, 'ml-data', 'code/sleep.tar.gz', { 'train.py': 'import time\ntime.sleep(600)\n' });
});
afterAll(async () => {
  await server?.close();
});

describe('the training quota at CreateTrainingJob', () => {
  it('counts the instances of jobs still waiting for capacity', async () => {
    // The machine's vCPUs all go to a sleeping job; ml.m5.large jobs after it wait in Starting.
    await sm.send(new CreateTrainingJobCommand(scriptJob('quota-filler', source, { ResourceConfig: { InstanceType: 'ml.c7i.large', InstanceCount: fillers, VolumeSizeInGB: 1 } })));
    expect((await waitForJob(server, 'quota-filler', 60_000, ['Training', 'Failed'])).SecondaryStatus).toBe('Training');
    const waiting = Array.from({ length: quota }, (_, i) => `quota-wait-${i}`);
    for (const n of waiting) await sm.send(new CreateTrainingJobCommand(scriptJob(n, source)));
    // None of them is placed (the ledger holds only the filler): they are InProgress, Starting.
    for (const n of waiting) expect((await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: n }))).SecondaryStatus).toBe('Starting');
    await expect(sm.send(new CreateTrainingJobCommand(scriptJob('quota-over', source)))).rejects.toMatchObject({
      name: 'ResourceLimitExceeded',
      message: `The account-level service limit 'ml.m5.large for training job usage' is ${quota} Instances, with current utilization of ${quota} Instances and a request delta of 1 Instances. ${TAIL}`,
      $metadata: { httpStatusCode: 400 },
    });
    for (const n of ['quota-filler', ...waiting]) await sm.send(new StopTrainingJobCommand({ TrainingJobName: n }));
    for (const n of ['quota-filler', ...waiting]) expect((await waitForJob(server, n)).TrainingJobStatus).toBe('Stopped');
  });

  it('counts requests that arrive together', async () => {
    const names = Array.from({ length: quota + 1 }, (_, i) => `quota-burst-${i}`);
    const outcomes = await Promise.allSettled(names.map((n) => sm.send(new CreateTrainingJobCommand(scriptJob(n, source)))));
    const accepted = names.filter((_, i) => outcomes[i]!.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(accepted).toHaveLength(quota);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatchObject({
      name: 'ResourceLimitExceeded',
      message: `The account-level service limit 'ml.m5.large for training job usage' is ${quota} Instances, with current utilization of ${quota} Instances and a request delta of 1 Instances. ${TAIL}`,
    });

    // A stopped job no longer counts.
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: accepted[0] }));
    expect((await waitForJob(server, accepted[0]!)).TrainingJobStatus).toBe('Stopped');
    await sm.send(new CreateTrainingJobCommand(scriptJob('quota-e', source)));

    for (const n of [...accepted.slice(1), 'quota-e']) await sm.send(new StopTrainingJobCommand({ TrainingJobName: n }));
    for (const n of [...accepted.slice(1), 'quota-e']) expect((await waitForJob(server, n)).TrainingJobStatus).toBe('Stopped');
  });
});
