import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, scriptJob, SKLEARN_IMAGE, uploadSourceDir, waitForJob } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
});
afterAll(async () => {
  await server?.close();
});

const N = 20_000;

describe("a job's output reaches its log stream and metrics whole", () => {
  it(`${N} quick lines on stdout and stderr, unicode and an unterminated last line: every line in order, the last metric value`, async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/chatty.tar.gz', {
      'train.py':
        'import sys\n' +
        `for i in range(${N}):\n    print("step %d loss=%d;" % (i, i))\n` +
        'print("to stderr: naïve café ✓", file=sys.stderr, flush=True)\n' +
        'sys.stdout.write("final accuracy=0.875;")\n',
    });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob('chatty', source, {
          AlgorithmSpecification: {
            TrainingImage: SKLEARN_IMAGE,
            TrainingInputMode: 'File',
            MetricDefinitions: [
              { Name: 'train:loss', Regex: 'loss=([0-9]+);' },
              { Name: 'accuracy', Regex: 'final accuracy=([0-9.]+);' },
            ],
          },
        }),
      ),
    );
    const d = await waitForJob(server, 'chatty');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const metrics = Object.fromEntries((d.FinalMetricDataList ?? []).map((m) => [m.MetricName, m.Value]));
    expect(metrics).toEqual({ 'train:loss': N - 1, accuracy: 0.875 });

    const lines = (await jobLogs(server, 'chatty/algo-1-')).split('\n');
    const steps = lines.filter((l) => l.startsWith('step '));
    expect(steps).toHaveLength(N);
    expect(steps.every((l, i) => l === `step ${i} loss=${i};`)).toBe(true);
    expect(lines).toContain('to stderr: naïve café ✓');
    expect(lines).toContain('final accuracy=0.875;');
  });
});
