import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/** Polls `check` until it returns true or 15 s pass (teardown follows right after the outcome is recorded). */
async function eventually(check: () => Promise<boolean> | boolean): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/** Host processes whose command line contains `marker`. */
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(pid);
  }
  return found;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
});
afterAll(async () => {
  await server?.close();
});

describe('a finished job leaves nothing behind on the host', () => {
  it('children and daemons the script leaves behind (detached from its output) do not outlive the job', async () => {
    const marker = `clary-stray-${process.pid}-${Date.now()}`;
    const source = await uploadSourceDir(server, 'ml-data', 'code/stray.tar.gz', {
      'train.py': `
import os, subprocess, sys, time
linger = [sys.executable, "-c", "import time; time.sleep(600)", "${marker}"]
quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
subprocess.Popen(linger, **quiet)                          # a plain child
subprocess.Popen(linger, start_new_session=True, **quiet)  # its own session
if os.fork() == 0:                                         # a double-forked daemon
    if os.fork() == 0:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.execv(sys.executable, linger)
    os._exit(0)
time.sleep(0.5)
print("left three processes behind", flush=True)
`,
    });
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob('stray', source)));
    const d = await waitForJob(server, 'stray');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(await jobLogs(server, 'stray/algo-1-')).toContain('left three processes behind');
    await eventually(async () => (await processesWith(marker)).length === 0);
    expect(await processesWith(marker)).toEqual([]);
  });

  it.each(['Completed', 'Failed'] as const)('a %s job\'s /opt/ml tree (its copy of the input data) is removed from the host once the model is uploaded', async (outcome) => {
    const name = `teardown-${outcome.toLowerCase()}`;
    await putText(server, 'ml-data', 'teardown/train/data.csv', '1,2\n'.repeat(1000));
    const source = await uploadSourceDir(server, 'ml-data', `code/${name}.tar.gz`, {
      // Waits for the test's go-ahead (a file it drops into /opt/ml/model from the host) so the tree can be seen first.
      'train.py':
        'import os, time\nmodel = os.environ["SM_MODEL_DIR"]\n' +
        'for _ in range(600):\n    if os.path.exists(os.path.join(model, "go")):\n        break\n    time.sleep(0.1)\n' +
        `open(os.path.join(model, "m.txt"), "w").write("m")\n${outcome === 'Failed' ? 'raise SystemExit(3)\n' : ''}`,
    });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob(name, source, { InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/teardown/train/' } } }] }),
      ),
    );
    const workspace = join(server.dataDir, 'jobs', name);
    expect((await waitForJob(server, name, 60_000, ['Training'])).SecondaryStatus).toBe('Training');
    expect(existsSync(join(workspace, 'algo-1', 'input', 'data', 'train', 'data.csv'))).toBe(true);
    await writeFile(join(workspace, 'algo-1', 'model', 'go'), '');
    const d = await waitForJob(server, name);
    expect(d.TrainingJobStatus).toBe(outcome);
    expect(await eventually(() => !existsSync(workspace))).toBe(true);
  });
});
