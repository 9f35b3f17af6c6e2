// A two-host custom-image job on its private network across a Clary restart: the containers run
// on in their namespaces, the new Clary's start-up sweep must leave those (and their veths and
// bridge) alone, and the exchange the hosts make after the restart must still work by name.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ownerOf } from '../../src/runners/container/index.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, ROLE, waitForJob } from '../training/support.js';
import { kernelNetworkNames } from './byo-private-network-support.js';

/** algo-1 listens on 7777; algo-2 waits for /opt/ml/input/go (the test writes it after the restart), then connects to algo-1 by name. */
const TRAIN = `#!/bin/sh
me=$(hostname)
addr=$(ip addr show eth0 2>/dev/null | sed -n 's/.*inet \\([0-9.]*\\)\\/.*/\\1/p')
echo "train: $me waiting at $addr"
if [ "$me" = algo-1 ]; then
  got=$( (echo "hello from algo-1"; sleep 3) | timeout 300 nc -l -p 7777)
else
  while [ ! -e /opt/ml/input/go ]; do sleep 0.2; done
  for i in $(seq 1 300); do got=$(echo "hello from algo-2" | nc -w 5 algo-1 7777 2>/dev/null) && [ -n "$got" ] && break; sleep 0.2; done
fi
echo "train: $me got: $got"
case "$got" in "hello from algo-"*) exit 0 ;; *) echo "no exchange after the restart" > /opt/ml/output/failure; exit 1 ;; esac
`;

const skipReason = podmanSkipReason();
let dataDir: string | undefined;
let server: TestServer | undefined;

afterAll(async () => {
  await server?.close();
  if (dataDir) {
    const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe.skipIf(skipReason !== '')(`a custom-image job's private network across a Clary restart${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('the hosts still reach each other by name after the restart; the network goes with the job', async () => {
    const image = await busyboxImage({ repository: 'clary-test/byo-net-restart', files: { '/usr/bin/train': { content: TRAIN, mode: 0o755 } } });
    dataDir = await mkdtemp(join(tmpdir(), 'clary-netrestart-'));
    server = await startTestServer({ dataDir });
    await createBucket(server, 'ml-data');
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'net-restart',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
        OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const logsSoFar = () => jobLogs(server!, 'net-restart/').catch(() => '');
    let logs = '';
    for (let i = 0; i < 1200 && !/algo-1 waiting[\s\S]*algo-2 waiting|algo-2 waiting[\s\S]*algo-1 waiting/.test((logs = await logsSoFar())); i++) await new Promise((r) => setTimeout(r, 100));
    const address = /algo-1 waiting at (10\.213\.\d+)\.2/.exec(logs)?.[1];
    expect(address, logs).toBeDefined();
    const key = address!.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');
    const pieces = () => kernelNetworkNames().filter((x) => x.includes(key));
    const before = pieces().sort();
    expect(before).toEqual(expect.arrayContaining([`clary-${key}-02`, `clary-${key}-03`, `clb${key}`, `clv${key}02`, `clv${key}03`]));

    await server.close();
    server = undefined;
    // A new Clary on the same data dir: its start-up sweep runs while both containers run on.
    server = await startTestServer({ dataDir });
    expect(pieces().sort()).toEqual(before);
    const go = join(dataDir, 'jobs', 'net-restart', 'algo-2', 'input', 'go');
    expect(existsSync(join(dataDir, 'jobs', 'net-restart', 'algo-2', 'input'))).toBe(true);
    await writeFile(go, '');
    const d = await waitForJob(server, 'net-restart', 240_000);
    const all = await jobLogs(server, 'net-restart/');
    expect(d.FailureReason, all).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(all).toContain('train: algo-1 got: hello from algo-2');
    expect(all).toContain('train: algo-2 got: hello from algo-1');
    for (let i = 0; pieces().length > 0 && i < 300; i++) await new Promise((r) => setTimeout(r, 100));
    expect(pieces()).toEqual([]);
  }, 300_000);
});
