// Training jobs with custom images on their job's private network (docs/networking.md,
// docs/containers.md): each container in its own network namespace on the job's bridge, algo-N
// reaching each other by name, Clary at its service address, nothing else. Real Podman, real
// namespaces, through @aws-sdk/client-sagemaker.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient, type CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { ownerOf } from '../../src/runners/container/index.js';
import { DEFAULT_CLAIM_DIR } from '../../src/runners/network/index.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, ROLE, waitForJob } from '../training/support.js';
import { hostAddresses, kernelNetworkNames } from './byo-private-network-support.js';

/**
 * `train` of the test image. Every host prints its address on eth0 and what Clary's health route
 * answers at AWS_ENDPOINT_URL. exchange: algo-1 listens on 7777 (busybox nc), algo-2 connects to
 * `algo-1` by name; both exit 0 only if each got the other's line. probe: tries the hosts and ports
 * the hyperparameter `targets` names (host:port …) and prints what happened to each.
 */
const TRAIN = `#!/bin/sh
hp=$(cat /opt/ml/input/config/hyperparameters.json)
param() { echo "$hp" | sed -n "s/.*\\"$1\\": *\\"\\([^\\"]*\\)\\".*/\\1/p"; }
me=$(hostname)
addr=$(ip addr show eth0 2>/dev/null | sed -n 's/.*inet \\([0-9.]*\\/[0-9]*\\).*/\\1/p')
health=$(timeout 20 wget -q -O - "$AWS_ENDPOINT_URL/_clary/health" 2>&1 | head -c 200) # (busybox 1.35: wget -T segfaults)
echo "train: on $me addr=$addr endpoint=$AWS_ENDPOINT_URL health=$health"
case "$(param mode)" in
  exchange)
    if [ "$me" = algo-1 ]; then
      got=$( (echo "hello from algo-1"; sleep 3) | timeout 120 nc -l -p 7777)
    else
      for i in $(seq 1 300); do got=$(echo "hello from algo-2" | nc -w 5 algo-1 7777 2>/dev/null) && [ -n "$got" ] && break; sleep 0.2; done
    fi
    echo "train: $me got: $got"
    { echo "addr=$addr"; echo "got=$got"; echo "health=$health"; } > /opt/ml/model/model.txt
    case "$got" in "hello from algo-"*) exit 0 ;; *) echo "no exchange between the hosts" > /opt/ml/output/failure; exit 1 ;; esac ;;
  probe)
    for t in $(param targets); do
      h=\${t%:*}; p=\${t##*:}
      if out=$(echo hi | nc -w 3 "$h" "$p" 2>&1); then echo "probe $t: REACHED $out"; else echo "probe $t: FAILED $out"; fi
    done
    ip route add default dev eth0 2>/dev/null && echo "probe route: ADDED" || echo "probe route: REFUSED"
    exit 0 ;;
esac
`;

const skipReason = podmanSkipReason() || (spawnSync('ip', ['-V']).status !== 0 ? 'needs iproute2' : '');
let server: TestServer;
let imageUri: string;
let hostServer: Server;
let hostPort = 0;

beforeAll(async () => {
  if (skipReason) return;
  const local = await busyboxImage({ repository: 'clary-test/byo-network', files: { '/usr/bin/train': { content: TRAIN, mode: 0o755 } } });
  imageUri = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${local}`;
  server = await startTestServer();
  await createBucket(server, 'net-data');
  await putText(server, 'net-data', 'train/data.txt', 'rows');
  // A server on the host's loopback that no instance may reach.
  hostServer = createServer((s) => s.end('host secret\n'));
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
  hostPort = (hostServer.address() as { port: number }).port;
});
afterAll(async () => {
  const owner = server && ownerOf(server.dataDir);
  await server?.close();
  await new Promise((r) => (hostServer ? hostServer.close(r) : r(undefined)));
  if (owner) {
    const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${owner}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
  }
});

function job(name: string, hp: Record<string, string>, count = 1): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    RoleArn: ROLE,
    AlgorithmSpecification: { TrainingImage: imageUri, TrainingInputMode: 'File' },
    HyperParameters: hp,
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://net-data/train/' } } }],
    OutputDataConfig: { S3OutputPath: 's3://net-data/output' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: count, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
  };
}

/** This server's subnet claims, and the kernel objects named after the given /24 keys. */
function leftovers(keys: readonly string[]): string[] {
  const claims = readdirSync(DEFAULT_CLAIM_DIR).filter((f) => readFileSync(`${DEFAULT_CLAIM_DIR}/${f}`, 'utf8').includes(JSON.stringify(server.dataDir)));
  return [...claims, ...kernelNetworkNames().filter((n) => keys.some((k) => n.includes(k)))];
}

async function noLeftovers(keys: readonly string[]): Promise<string[]> {
  for (let i = 0; leftovers(keys).length > 0 && i < 300; i++) await new Promise((r) => setTimeout(r, 100));
  return leftovers(keys);
}

/** 10.213.5.3 → "0ad505", the key in the names of its network's kernel objects. */
const keyOf = (address: string) => address.split('.').slice(0, 3).map((o) => Number(o).toString(16).padStart(2, '0')).join('');

describe.skipIf(skipReason !== '')(`custom-image jobs on their private network${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const sm = () => new SageMakerClient(server.clientConfig);

  it('two containers reach each other by name on their own addresses, and Clary at the service address; nothing of the network is left', async () => {
    await sm().send(new CreateTrainingJobCommand(job('net-exchange', { mode: 'exchange' }, 2)));
    const d = await waitForJob(server, 'net-exchange', 240_000);
    const logs = await jobLogs(server, 'net-exchange/');
    expect(d.FailureReason, logs).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(logs).toContain('train: algo-1 got: hello from algo-2');
    expect(logs).toContain('train: algo-2 got: hello from algo-1');
    const seen: Record<string, string> = {};
    for (const host of ['algo-1', 'algo-2']) {
      const m = new RegExp(`train: on ${host} addr=(\\S*) endpoint=(\\S*) health=(.*)$`, 'm').exec(logs);
      expect(m, logs).not.toBeNull();
      seen[host] = m![1]!;
      expect(m![2]).toBe(`http://169.254.170.2:${server.app.port}`);
      expect(m![3]).toContain('"status":"ok"');
    }
    // Each its own address on the job's /24 (algo-1 is .2), none of the host's.
    expect(seen['algo-1']).toMatch(/^10\.213\.\d+\.2\/24$/);
    expect(seen['algo-2']).toBe(seen['algo-1']!.replace(/\.2\/24$/, '.3/24'));
    for (const a of hostAddresses()) expect(seen['algo-1']!.split('/')[0]).not.toBe(a);
    expect(await noLeftovers([keyOf(seen['algo-1']!)])).toEqual([]);
  }, 300_000);

  it("reaches nothing else: not the host's loopback or addresses, not other ports at the service address; cannot add a route", async () => {
    const addrs = hostAddresses();
    expect(addrs.length).toBeGreaterThan(0);
    const targets = [`127.0.0.1:${hostPort}`, ...addrs.map((a) => `${a}:${hostPort}`), `169.254.170.2:${hostPort}`, `169.254.170.2:${server.app.port}`];
    await sm().send(new CreateTrainingJobCommand(job('net-probe', { mode: 'probe', targets: targets.join(' ') })));
    const d = await waitForJob(server, 'net-probe', 240_000);
    const logs = await jobLogs(server, 'net-probe/algo-1-');
    expect(d.FailureReason, logs).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    for (const t of targets.slice(0, -1)) expect(logs, t).toMatch(new RegExp(`^probe ${t.replace(/\./g, '\\.')}: FAILED`, 'm'));
    expect(logs).toMatch(new RegExp(`^probe 169\\.254\\.170\\.2:${server.app.port}: REACHED`, 'm'));
    expect(logs).not.toContain('host secret');
    expect(logs).toMatch(/^train: on algo-1 addr=10\.213\.\d+\.2\/24 .* health=\{"status":"ok"\}/m);
    // No CAP_NET_ADMIN in the container: it cannot give itself a way out.
    expect(logs).toContain('probe route: REFUSED');
    const addr = /addr=(10\.213\.\d+\.\d+)/.exec(logs)![1]!;
    expect(await noLeftovers([keyOf(addr)])).toEqual([]);
  }, 300_000);
});
