import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { list as tarList } from 'tar';
import { Readable } from 'node:stream';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText, ROLE, sdkHyperParameters, uploadSourceDir, waitForJob } from './support.js';

const PYTORCH_IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13-cpu-py39';

/**
 * DistributedDataParallel over gloo: each rank fits a linear model on its own shard (different
 * data per rank), so only DDP's gradient averaging makes the ranks end with the same weights.
 */
const TRAIN_PY = `
import os
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()
print(f"rank {rank} world_size {world} host {os.environ['SM_CURRENT_HOST']}", flush=True)
torch.manual_seed(0)
model = DDP(torch.nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
g = torch.Generator().manual_seed(100 + rank)
x = torch.randn(64, 4, generator=g)
y = x @ torch.tensor([[1.0], [2.0], [-1.0], [0.5]]) + 0.3
for step in range(30):
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
t = torch.tensor([float(rank + 1)])
dist.all_reduce(t)
w = model.module.weight.detach().flatten().tolist() + model.module.bias.detach().tolist()
print(f"rank {rank} all_reduce {t.item():.1f} weights {' '.join(f'{v:.6f}' for v in w)}", flush=True)
if rank == 0:
    torch.save(model.module.state_dict(), os.path.join(os.environ["SM_MODEL_DIR"], "model.pt"))
dist.destroy_process_group()
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ddp');
  await putText(server, 'ddp', 'data/train.csv', '1,2\n');
});
afterAll(async () => {
  await server?.close();
});

async function streamText(prefix: string): Promise<string[]> {
  const logs = new CloudWatchLogsClient(server.clientConfig);
  const got = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: prefix }));
  return (got.events ?? []).map((e) => e.message!);
}

describe('PyTorch DistributedDataParallel on two instances', () => {
  it('runs torchrun on both hosts: ranks 0 and 1 of world size 2 all-reduce and end with the same weights', async () => {
    const source = await uploadSourceDir(server, 'ddp', 'code/ddp.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'ddp-two-hosts',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: PYTORCH_IMAGE, TrainingInputMode: 'File' },
        // What the SageMaker Python SDK sends for distribution={'torch_distributed': {'enabled': True}}.
        HyperParameters: sdkHyperParameters({ sagemaker_program: 'train.py', sagemaker_submit_directory: source, sagemaker_torch_distributed_enabled: true }),
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ddp/data/' } } }],
        OutputDataConfig: { S3OutputPath: 's3://ddp/output' },
        ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 2, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const d = await waitForJob(server, 'ddp-two-hosts', 100_000);
    const one = await streamText('ddp-two-hosts/algo-1-');
    const two = await streamText('ddp-two-hosts/algo-2-');
    expect(d.FailureReason, [...one, ...two].join('\n')).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');

    expect(one).toContain('rank 0 world_size 2 host algo-1');
    expect(two).toContain('rank 1 world_size 2 host algo-2');
    const result = (lines: string[], rank: number) => {
      const m = lines.map((l) => new RegExp(`^rank ${rank} all_reduce (\\S+) weights (.+)$`).exec(l)).find((x) => x);
      expect(m, `rank ${rank}'s result line`).toBeTruthy();
      return { sum: Number(m![1]), weights: m![2]!.split(' ').map(Number) };
    };
    const r0 = result(one, 0);
    const r1 = result(two, 1);
    expect(r0.sum).toBe(3);
    expect(r1.sum).toBe(3);
    expect(r0.weights).toHaveLength(5);
    // Different data per rank: equal weights mean the gradients were averaged across both hosts.
    expect(r1.weights).toEqual(r0.weights);

    const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'ddp', Key: 'output/ddp-two-hosts/output/model.tar.gz' }));
    const entries: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const lister = tarList({ onReadEntry: (e) => entries.push(e.path) });
      (got.Body as Readable).pipe(lister as unknown as NodeJS.WritableStream).on('finish', () => resolve()).on('error', reject);
    });
    expect(entries).toContain('model.pt');
  }, 120_000);
});
