import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText } from '../training/support.js';
import { createSklearnModel, getText, sklearnBatchModel, startTransform, transformRequest, waitForTransform } from './support.js';

let dataDir: string | undefined;
let server: TestServer | undefined;
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a Clary restarted in the middle of a transform job', () => {
  it('runs the job again from the start: Completed with every output, never stuck InProgress', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clary-tf-restart-'));
    server = await startTestServer({ dataDir });
    await createBucket(server, 'restart');
    await putText(server, 'restart', 'in/x.csv', '1\n2\n3\n');
    const model = await sklearnBatchModel(server, 'restart', 'model');
    await createSklearnModel(server, 'slow', model, { TEST_MODEL_FN_DELAY: '4' });
    await startTransform(server, transformRequest('tf-restart', 'slow', 'restart', 'in/', 'out'));
    // The model server is starting (model_fn sleeps 4 s): Clary goes away under it.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await waitForTransform(server, 'tf-restart', 0)).TransformJobStatus).toBe('InProgress');
    await server.close();
    server = undefined;
    expect(await readdir(join(dataDir, 'transform-runs')).catch(() => [])).toEqual([]);

    server = await startTestServer({ dataDir });
    const d = await waitForTransform(server, 'tf-restart', 120_000);
    expect(d.FailureReason).toBeUndefined();
    expect(d.TransformJobStatus).toBe('Completed');
    expect(await getText(server, 'restart', 'out/x.csv.out')).toBe('4.0\n7.0\n10.0\n');
  }, 180_000);
});
