import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, scriptJob, uploadSourceDir, waitForJob } from './support.js';

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

describe("a job's processes end with the job", () => {
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
    // The instance is torn down right after its outcome is recorded: give that a moment, no more.
    const deadline = Date.now() + 15_000;
    let left = await processesWith(marker);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      left = await processesWith(marker);
    }
    expect(left).toEqual([]);
  });
});
