import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DEFAULT_CLAIM_DIR } from '../../src/runners/network/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, ROLE, sdkHyperParameters, uploadSourceDir, waitForJob } from './support.js';

const PYTORCH_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13-cpu-py39';
const canNetwork = process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0 && spawnSync('nsenter', ['--version']).status === 0;

/** gloo over the job's private network (torchrun on port 7777 in both jobs), and Clary reached at AWS_ENDPOINT_URL. */
const TRAIN_PY = `
import os, socket, urllib.request
import torch
import torch.distributed as dist
dist.init_process_group("gloo")
rank = dist.get_rank()
t = torch.tensor([float(rank + 1)])
dist.all_reduce(t)
health = urllib.request.urlopen(os.environ["AWS_ENDPOINT_URL"] + "/_clary/health", timeout=10).status
print(f"rank {rank} sum {t.item():.0f} algo-1 {socket.gethostbyname('algo-1')} algo-2 {socket.gethostbyname('algo-2')} endpoint {os.environ['AWS_ENDPOINT_URL']} health {health}", flush=True)
dist.destroy_process_group()
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ddp2');
  await putText(server, 'ddp2', 'data/train.csv', '1,2\n');
});
afterAll(async () => {
  await server?.close();
});

describe.skipIf(!canNetwork)('two distributed jobs at once, each on its own private network', () => {
  it('both run torchrun on port 7777 without a clash; algo-N are their private addresses; nothing of the networks is left', async () => {
    const source = await uploadSourceDir(server, 'ddp2', 'code/ddp.tar.gz', { 'train.py': TRAIN_PY });
    const sm = new SageMakerClient(server.clientConfig);
    const names = ['ddp-net-one', 'ddp-net-two'];
    for (const name of names) {
      await sm.send(
        new CreateTrainingJobCommand({
          TrainingJobName: name,
          RoleArn: ROLE,
          AlgorithmSpecification: { TrainingImage: PYTORCH_IMAGE, TrainingInputMode: 'File' },
          HyperParameters: sdkHyperParameters({ sagemaker_program: 'train.py', sagemaker_submit_directory: source, sagemaker_torch_distributed_enabled: true }),
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ddp2/data/' } } }],
          OutputDataConfig: { S3OutputPath: 's3://ddp2/output' },
          ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 2, VolumeSizeInGB: 1 },
          StoppingCondition: { MaxRuntimeInSeconds: 600 },
        }),
      );
    }
    const seen: Record<string, string[]> = {};
    for (const name of names) {
      const d = await waitForJob(server, name, 240_000);
      const logs = (await jobLogs(server, `${name}/`)).split('\n');
      expect(d.FailureReason, logs.join('\n')).toBeUndefined();
      expect(d.TrainingJobStatus).toBe('Completed');
      for (const rank of [0, 1]) {
        const line = logs.find((l) => l.startsWith(`rank ${rank} sum 3 `));
        expect(line, `rank ${rank} of ${name}: ${logs.join('\n')}`).toBeDefined();
        const m = /algo-1 (\S+) algo-2 (\S+) endpoint (\S+) health (\d+)/.exec(line!)!;
        expect(m[1]).toMatch(/^10\.213\.\d+\.2$/);
        expect(m[2]).toMatch(/^10\.213\.\d+\.3$/);
        expect(m[3]).toBe(`http://169.254.170.2:${server.app.port}`);
        expect(m[4]).toBe('200');
        seen[name] = [m[1]!, m[2]!];
      }
    }
    // Each job had its own network.
    expect(seen[names[0]!]![0]).not.toBe(seen[names[1]!]![0]);

    // Once the jobs are done, their namespaces, veths, bridges and subnet claims go.
    const leftovers = () => {
      const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
      const claims = readdirSync(DEFAULT_CLAIM_DIR).filter((f) => readFileSync(`${DEFAULT_CLAIM_DIR}/${f}`, 'utf8').includes(JSON.stringify(server.dataDir)));
      const subnets = Object.values(seen).map((a) => a[0]!.split('.').map(Number)).map(([a, b, c]) => [a!, b!, c!].map((o) => o.toString(16).padStart(2, '0')).join(''));
      const links = spawnSync('ip', ['-br', 'link'], { encoding: 'utf8' }).stdout;
      return [...claims, ...subnets.filter((k) => ns.includes(`clary-${k}-`) || links.includes(k))];
    };
    for (let i = 0; leftovers().length > 0 && i < 300; i++) await new Promise((r) => setTimeout(r, 100));
    expect(leftovers()).toEqual([]);
  }, 300_000);
});
