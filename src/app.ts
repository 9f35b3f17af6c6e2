import { mkdir, chmod } from 'node:fs/promises';
import type { ClaryConfig } from './core/config.js';
import { createLogger, type Logger } from './core/logger.js';
import { PolicyAuthorizer } from './iam/policy-authorizer.js';
import { withSageMakerResources } from './iam/sagemaker-resource.js';
import { withRuntimeAuthorization } from './iam/runtime-authorization.js';
import { openObjectStore } from './objects/index.js';
import { openMetadataStore } from './store/index.js';
import { createPipeline } from './server/pipeline.js';
import { listen, type RunningServer } from './server/http-server.js';
import { storeKeyResolver } from './server/keys.js';
import { ensureAdminKey, writeCredentialsFile, type AdminKey } from './server/admin-key.js';
import { createInternalRoutes } from './server/internal-routes.js';
import { createS3Handler, writeS3Error } from './services/s3/index.js';
import { createRuntimeHandler } from './services/runtime/index.js';
import { sagemakerService } from './services/sagemaker/index.js';
import { stsService } from './services/sts/index.js';
import { iamService } from './services/iam/index.js';
import { logsService } from './services/logs/index.js';
import { cloudwatchService } from './services/cloudwatch/index.js';
import { createServiceQuotasService } from './services/service-quotas/index.js';
import type { Platform } from './services/service.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectHost } from './compute/host/index.js';
import { Placer, placerCapacity } from './compute/placement/index.js';
import { ProcessRunner } from './runners/process/index.js';
import { ContainerLane, LaneRunner } from './runners/container/index.js';
import { sweepLeftoverContainers } from './controllers/training/leftover-containers.js';
import { startInstanceNetworks } from './runners/network/index.js';
import { Capacity } from './controllers/capacity/capacity.js';
import { TrainingController } from './controllers/training/training-controller.js';
import { sweepLeftoverInstances } from './controllers/training/leftover-instances.js';
import { TRAINING_JOB_KIND } from './services/sagemaker/training-jobs-doc.js';
import { HostingController, ModelArtifacts, NO_OP_OBSERVER, RoutingTable, sweepLeftoverEndpointInstances, type InvocationObserver } from './controllers/hosting/index.js';
import { ENDPOINT_KIND } from './services/sagemaker/endpoints-doc.js';
import { TransformController, sweepTransformInstances } from './controllers/transform/index.js';
import { TRANSFORM_JOB_KIND } from './services/sagemaker/transform-jobs-doc.js';
import type { RuntimeHosting } from './services/runtime/index.js';
import { createApplicationAutoScalingService } from './services/application-autoscaling/index.js';
import { TARGET_KIND } from './services/application-autoscaling/shapes.js';
import { Autoscaler } from './controllers/autoscaling/autoscaler.js';
import { hostingVariantScaler } from './controllers/autoscaling/hosting-variant-scaler.js';
import { ClaryMetrics, type MetricsOptions } from './metrics/clary-metrics.js';
import { AppController, sweepLeftoverApps } from './controllers/apps/index.js';
import { APP_KIND } from './services/sagemaker/apps-doc.js';
import { AuditLog, setStudioEndpoint, StudioProxy } from './proxy/index.js';
import { mountSpaceVolumes, unmountIdleSpaceVolumes } from './services/sagemaker/spaces-volumes.js';

/** runtimes/python (the training toolkit), from src/ under tsx and from dist/ alike. */
const TOOLKIT_PATH = fileURLToPath(new URL('../runtimes/python', import.meta.url));

/** A running Clary: what `clary up` and the tests hold. */
export interface ClaryApp {
  readonly config: ClaryConfig;
  readonly port: number;
  /** http://host:port */
  readonly endpoint: string;
  readonly admin: AdminKey;
  readonly credentialsFile: string;
  readonly platform: Platform;
  /** Plugs in what records each InvokeEndpoint's latencies (CloudWatch metrics); the default records nothing. */
  setInvocationObserver(observer: InvocationObserver): void;
  close(): Promise<void>;
}

/** The composition root: compiles nothing, reads no environment; everything comes in through config. */
export async function startClary(config: ClaryConfig, opts: { log?: Logger; metrics?: MetricsOptions } = {}): Promise<ClaryApp> {
  const log = opts.log ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await chmod(config.dataDir, 0o700);

  const store = await openMetadataStore(config);
  let objects;
  try {
    await store.migrate();
    objects = await openObjectStore(config);
  } catch (e) {
    await store.close();
    throw e;
  }

  const listeners = new Map<string, () => void>();
  const platform: Platform = Object.freeze({
    config,
    store,
    objects,
    authorizer: new PolicyAuthorizer(store, config),
    log,
    now: () => Date.now(),
    changed: (kind: string) => listeners.get(kind)?.(),
  });

  const admin = await ensureAdminKey(store, config);
  const credentialsFile = await writeCredentialsFile(config, admin);

  const runtimeHosting: RuntimeHosting = { routes: new RoutingTable(), observer: NO_OP_OBSERVER };
  // CloudWatch metrics (docs/metrics.md): InvokeEndpoint's AWS/SageMaker metrics, per minute; Application Auto Scaling drives variants.
  const metrics = new ClaryMetrics(store, (e, v) => runtimeHosting.routes.get(e)?.variants.find((x) => x.name === v)?.instances.length, opts.metrics, log);
  runtimeHosting.observer = metrics.invocations;
  const variantScaler = hostingVariantScaler(platform);
  let ready = false;
  const handler = createPipeline({
    platform,
    keys: storeKeyResolver(store, config),
    services: { sagemaker: withSageMakerResources(sagemakerService), sts: stsService, iam: iamService, logs: logsService, cloudwatch: cloudwatchService, 'service-quotas': createServiceQuotasService(config.quotas), 'application-autoscaling': createApplicationAutoScalingService({ scaler: variantScaler }) },
    s3: createS3Handler(platform),
    writeS3Error,
    runtime: withRuntimeAuthorization(createRuntimeHandler(platform, runtimeHosting)),
    internal: createInternalRoutes(() => ready, platform),
  });

  const studioAudit = new AuditLog(join(config.dataDir, 'audit', 'studio.jsonl'));
  const studioProxy = new StudioProxy(platform, studioAudit);
  let server: RunningServer;
  try {
    // Studio apps' reverse proxy (docs/studio-apps.md): /studio/… is served before SigV4, WebSockets included.
    server = await listen((req, res) => (studioProxy.handles(req) ? studioProxy.http(req, res) : handler(req, res)), config.host, config.port);
    server.server.on('upgrade', (req, socket, head) => {
      if (studioProxy.handles(req)) void studioProxy.upgrade(req, socket as import('node:net').Socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
  } catch (e) {
    await objects.close();
    await store.close();
    throw e;
  }
  const endpoint = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.port}`;
  setStudioEndpoint(platform, endpoint);

  // Controllers: they pick up every unfinished resource from the store and do the work.
  const host = await detectHost();
  const capacity = new Capacity(
    new Placer(placerCapacity(host, 0), { vcpuOvercommit: config.compute.vcpuOvercommit, emulateAccelerators: config.compute.emulateAccelerators }),
  );
  const runRoot = join(config.dataDir, 'runs');
  // Each instance of a non-isolated job on its job's private network (docs/networking.md).
  const instanceNetworks = await startInstanceNetworks({
    enabled: config.network.privateNetworks,
    range: config.network.privateNetworkRange,
    owner: config.dataDir,
    listen: { host: config.host, port: server.port },
    log,
  });
  const runner = new ProcessRunner({ runRoot, hiddenPaths: [config.dataDir], networks: instanceNetworks.networks });
  // The container lane (custom images): its engine (Podman) starts on first use, not here.
  const containers = new ContainerLane(config.containers, config.dataDir, {
    onOpen: (lane, docker) => sweepLeftoverContainers(store, lane, docker, log).catch((e: unknown) => log.error({ err: e }, 'cannot sweep leftover containers')),
    networks: instanceNetworks.networks,
  });
  const training = new TrainingController({
    platform,
    runner: new LaneRunner(runner, containers.runner),
    containers,
    capacity,
    jobsDir: join(config.dataDir, 'jobs'),
    toolkitPath: TOOLKIT_PATH,
    endpoint,
    stopGraceMs: config.compute.stopGraceSeconds * 1000,
  });
  if (config.controllers) {
    await sweepLeftoverInstances(store, runner, runRoot, log).catch((e: unknown) => log.error({ err: e }, 'cannot sweep leftover instances'));
    await instanceNetworks.sweep();
    listeners.set(TRAINING_JOB_KIND, () => training.nudge());
    training.start();
  }
  // Endpoints run on their own run root (the training sweep above must not see them).
  const hostingRunRoot = join(config.dataDir, 'endpoint-runs');
  const hostingRunner = new ProcessRunner({ runRoot: hostingRunRoot, hiddenPaths: [config.dataDir], groupPrefix: 'ep-' });
  // One per models dir: endpoints and transform jobs of one model share (and fetch once) its files.
  const modelArtifacts = new ModelArtifacts(objects, join(config.dataDir, 'models'));
  const hosting = new HostingController({
    platform,
    // Custom images run on the container lane (docs/containers.md).
    runner: new LaneRunner(hostingRunner, containers.runner),
    containers,
    capacity,
    artifacts: modelArtifacts,
    routes: runtimeHosting.routes,
    toolkitPath: TOOLKIT_PATH,
    endpoint,
    stopGraceMs: 30_000,
    pingIntervalMs: 2000,
    pingFailures: 3,
  });
  if (config.controllers) {
    await sweepLeftoverEndpointInstances(store, hostingRunner, hostingRunRoot, log).catch((e: unknown) => log.error({ err: e }, 'cannot sweep leftover endpoint instances'));
    listeners.set(ENDPOINT_KIND, () => hosting.nudge());
    hosting.start();
  }
  // Transform jobs: model servers on their own run root, all swept at start (unfinished jobs run again from the top).
  const transformRunRoot = join(config.dataDir, 'transform-runs');
  const transformRunner = new ProcessRunner({ runRoot: transformRunRoot, hiddenPaths: [config.dataDir], groupPrefix: 'tf-' });
  const transform = new TransformController({
    platform,
    runner: new LaneRunner(transformRunner, containers.runner),
    containers,
    capacity,
    artifacts: modelArtifacts,
    toolkitPath: TOOLKIT_PATH,
    endpoint,
    stopGraceMs: 30_000,
  });
  if (config.controllers) {
    await sweepTransformInstances(transformRunner, transformRunRoot, log).catch((e: unknown) => log.error({ err: e }, 'cannot sweep leftover transform instances'));
    listeners.set(TRANSFORM_JOB_KIND, () => transform.nudge());
    transform.start();
  }
  // Spaces' volumes (docs/studio.md) are mounted again before apps are adopted or started on them.
  await mountSpaceVolumes(platform).catch((e: unknown) => log.error({ err: e }, 'cannot mount space volumes'));
  // Studio apps: Jupyter servers on their own run root (docs/studio-apps.md); left running across restarts and adopted.
  const appRunRoot = join(config.dataDir, 'app-runs');
  const appRunner = new ProcessRunner({ runRoot: appRunRoot, hiddenPaths: [config.dataDir], groupPrefix: 'app-', networks: instanceNetworks.networks });
  const apps = new AppController({
    platform,
    runner: appRunner,
    capacity,
    python: '/usr/bin/python3',
    idleTimeoutMs: config.studio.appIdleTimeoutSeconds * 1000,
    checkIntervalMs: config.studio.appIdleTimeoutSeconds > 0 ? Math.min(10_000, Math.max(500, (config.studio.appIdleTimeoutSeconds * 1000) / 4)) : 10_000,
    startTimeoutMs: 120_000,
    stopGraceMs: 5000,
    endpoint,
  });
  if (config.controllers) {
    await sweepLeftoverApps(store, appRunner, appRunRoot, log).catch((e: unknown) => log.error({ err: e }, 'cannot sweep leftover apps'));
    listeners.set(APP_KIND, () => apps.nudge());
    apps.start();
  }
  const autoscaler = new Autoscaler({
    platform,
    scaler: variantScaler,
    intervalMs: opts.metrics?.autoscalerIntervalMs,
    periodSeconds: opts.metrics?.autoscalerPeriodSeconds,
    evaluationPeriods: opts.metrics?.autoscalerEvaluationPeriods,
    log,
  });
  metrics.start();
  if (config.controllers) {
    listeners.set(TARGET_KIND, () => autoscaler.nudge());
    autoscaler.start();
  }
  ready = true;
  log.info({ endpoint, dataDir: config.dataDir, database: store.dialect, objects: objects.kind }, 'clary is up');

  let closing: Promise<void> | undefined;
  return {
    config,
    port: server.port,
    endpoint,
    admin,
    credentialsFile,
    platform,
    setInvocationObserver(observer) {
      runtimeHosting.observer = observer;
    },
    close() {
      closing ??= (async () => {
        ready = false;
        await training.close();
        await autoscaler.close();
        await transform.close();
        await hosting.close();
        await apps.close();
        // After the controllers: transform instances are stopped through the engine.
        await containers.close();
        await unmountIdleSpaceVolumes(platform).catch((e: unknown) => log.warn({ err: e }, 'cannot unmount space volumes'));
        await instanceNetworks.close();
        await server.close();
        await studioAudit.close();
        await metrics.close();
        await objects.close();
        await store.close();
      })();
      return closing;
    },
  };
}
