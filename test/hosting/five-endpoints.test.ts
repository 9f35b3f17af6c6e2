import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, uploadSourceDir } from '../training/support.js';
import { deploy, localSklearnModel, removeAllEndpoints, removeEndpoint, SKLEARN_IMAGE, waitForEndpoint } from './support.js';

/** INFERENCE_PY's model, plus ANSWER_OFFSET from the model's Environment: each endpoint answers differently. */
const OFFSET_PY = `
import os, pickle
import numpy as np

def model_fn(model_dir):
    with open(os.path.join(model_dir, "model.pkl"), "rb") as f:
        return pickle.load(f)

def input_fn(body, content_type):
    text = body.decode() if isinstance(body, bytes) else body
    return np.array([[float(x)] for x in text.strip().split("\\n")])

def predict_fn(data, model):
    return model.predict(data) + float(os.environ.get("ANSWER_OFFSET", "0"))

def output_fn(prediction, accept):
    return ",".join("%.3f" % p for p in prediction), "text/csv"
`;

const NAMES = ['five-a', 'five-b', 'five-c', 'five-d', 'five-e'];

let server: TestServer;
let runtime: SageMakerRuntimeClient;

beforeAll(async () => {
  // Five ml.t2.medium (INSTANCE_TYPE, 2 vCPU, 4 GiB) at once: more than the default overcommit (4×) of a 2-core machine.
  server = await startTestServer({ vcpuOvercommit: 8 });
  await createBucket(server, 'five');
  const m = await localSklearnModel(server, 'five', 'm');
  const source = await uploadSourceDir(server, 'five', 'offset/sourcedir.tar.gz', { 'inference.py': OFFSET_PY });
  runtime = new SageMakerRuntimeClient(server.clientConfig);
  await Promise.all(
    NAMES.map((name, i) =>
      deploy(server, name, { Image: SKLEARN_IMAGE, ModelDataUrl: m.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: source, ANSWER_OFFSET: String(100 * i) } }),
    ),
  );
}, 120_000);
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
});

describe('five endpoints on one port', () => {
  it('are InService at once, each answers concurrently with its own model, and all are deleted', async () => {
    const described = await Promise.all(NAMES.map((n) => waitForEndpoint(server, n, ['InService', 'Failed'], 180_000)));
    expect(described.map((d) => [d.EndpointName, d.EndpointStatus, d.FailureReason])).toEqual(NAMES.map((n) => [n, 'InService', undefined]));

    // Every endpoint invoked several times, all requests in flight together.
    const calls = NAMES.flatMap((name, i) =>
      [0, 1, 2, 3].map(async (k) => {
        const out = await runtime.send(new InvokeEndpointCommand({ EndpointName: name, ContentType: 'text/csv', Body: new TextEncoder().encode(`${k}\n2`) }));
        return { name, k, i, body: new TextDecoder().decode(out.Body), variant: out.InvokedProductionVariant, type: out.ContentType };
      }),
    );
    for (const r of await Promise.all(calls)) {
      const offset = 100 * r.i;
      expect({ name: r.name, body: r.body, variant: r.variant, type: r.type }).toEqual({
        name: r.name,
        body: `${(3 * r.k + 1 + offset).toFixed(3)},${(7 + offset).toFixed(3)}`,
        variant: 'AllTraffic',
        type: 'text/csv',
      });
    }

    await Promise.all(NAMES.map((n) => removeEndpoint(server, n)));
    for (const name of NAMES) {
      await expect(runtime.send(new InvokeEndpointCommand({ EndpointName: name, ContentType: 'text/csv', Body: new TextEncoder().encode('1') }))).rejects.toThrow(`Endpoint ${name} of account 000000000000 not found.`);
    }
  }, 300_000);
});
