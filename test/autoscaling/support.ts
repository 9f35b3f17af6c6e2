import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClary } from '../../src/app.js';
import { compileConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import type { MetricsOptions } from '../../src/metrics/clary-metrics.js';
import { awsEnv, type TestServer } from '../support/server.js';
import { createBucket } from '../training/support.js';
import { deploy, localSklearnModel, removeAllEndpoints, SKLEARN_IMAGE, waitForEndpoint } from '../hosting/support.js';

/** Metrics and autoscaler settings that make a scale-out observable in seconds (the periods stay CloudWatch-shaped). */
export const FAST_METRICS: MetricsOptions = {
  flushIntervalMs: 250,
  resolutionMs: 1000,
  autoscalerIntervalMs: 500,
  autoscalerPeriodSeconds: 5,
  autoscalerEvaluationPeriods: 1,
};

/** startTestServer's twin that passes startClary's metrics options. */
export async function startAutoscalingServer(metrics: MetricsOptions = FAST_METRICS): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clary-aas-'));
  const config = compileConfig({ port: 0, logLevel: 'warn', dataDir }, {});
  const app = await startClary(config, { log: createLogger(process.env.CLARY_TEST_LOG ?? 'silent'), metrics });
  const credentials = { ...app.admin };
  const server: TestServer = {
    app,
    endpoint: app.endpoint,
    region: config.region,
    dataDir,
    credentials,
    get clientConfig() {
      return { endpoint: app.endpoint, region: config.region, credentials: { ...credentials }, forcePathStyle: true };
    },
    env: awsEnv(app.endpoint, config.region, credentials),
    async close() {
      // Model servers outlive a closed Clary by design: delete the endpoints first.
      await removeAllEndpoints(server).catch(() => undefined);
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A one-instance scikit-learn endpoint (y = 3x + 1) with variant AllTraffic, InService. */
export async function deployEndpoint(server: TestServer, name: string): Promise<void> {
  await createBucket(server, `${name}-bucket`);
  const m = await localSklearnModel(server, `${name}-bucket`, 'model');
  await deploy(server, name, { Image: SKLEARN_IMAGE, ModelDataUrl: m.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: m.source } });
  const d = await waitForEndpoint(server, name);
  if (d.EndpointStatus !== 'InService') throw new Error(`endpoint ${name} is ${d.EndpointStatus}: ${d.FailureReason}`);
}

export const variantKey = (endpoint: string, variant = 'AllTraffic') => ({
  ServiceNamespace: 'sagemaker' as const,
  ResourceId: `endpoint/${endpoint}/variant/${variant}`,
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' as const,
});
