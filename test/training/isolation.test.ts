import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/** Tries each of Clary's secrets and the other job's files; prints one JSON line of what it could and could not read. */
const SPY_PY = `
import json, os, sys
data_dir, victim = sys.argv[sys.argv.index("--data-dir") + 1], sys.argv[sys.argv.index("--victim") + 1]
read, denied = {}, {}
def attempt(label, fn):
    try:
        read[label] = repr(fn())[:200]
    except Exception as e:
        denied[label] = type(e).__name__
def cat(path):
    with open(path, "rb") as f:
        return f.read()
attempt("credentials", lambda: cat(os.path.join(data_dir, "credentials")))
attempt("database", lambda: cat(os.path.join(data_dir, "clary.db")))
attempt("objects", lambda: os.listdir(os.path.join(data_dir, "objects")) or cat(os.path.join(data_dir, "objects")))
attempt("jobs", lambda: os.listdir(os.path.join(data_dir, "jobs")) or cat(os.path.join(data_dir, "jobs")))
attempt("runs", lambda: os.listdir(os.path.join(data_dir, "runs")) or cat(os.path.join(data_dir, "runs")))
attempt("victim-hyperparameters", lambda: cat(os.path.join(data_dir, "jobs", victim, "algo-1", "input", "config", "hyperparameters.json")))
attempt("victim-code", lambda: os.listdir(os.path.join(data_dir, "jobs", victim, "algo-1", "code")))
def victim_process():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"victim-secret" in cat("/proc/%s/cmdline" % pid):
                return pid
        except OSError:
            pass
    raise LookupError("no process of the other job is visible")
attempt("victim-process", victim_process)
print("ENVIRONMENT " + json.dumps(dict(os.environ)) + " " + repr(cat("/proc/1/environ")), flush=True)
print("ISOLATION " + json.dumps({"read": read, "denied": denied}, sort_keys=True), flush=True)
`;

let server: TestServer;
let dataDir: string;
beforeAll(async () => {
  // Not under /tmp: each sandbox gets its own /tmp, which would hide a data dir there for free.
  dataDir = await mkdtemp(join('/var/tmp', 'clary-isolation-'));
  server = await startTestServer({ dataDir });
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'data/train/train.csv', '1,2\n3,4\n');
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("a job's sandbox hides Clary and the other jobs", () => {
  it("cannot read Clary's data dir (credentials, database, objects, jobs, runs) or another running job's workspace or processes", async () => {
    const sm = new SageMakerClient(server.clientConfig);
    const small = { ResourceConfig: { InstanceType: 'ml.t3.medium' as const, InstanceCount: 1, VolumeSizeInGB: 1 } };
    const train = { InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: 's3://ml-data/data/train/' } } }] };
    const victimSource = await uploadSourceDir(server, 'ml-data', 'code/victim.tar.gz', { 'train.py': 'import time\nprint("victim running", flush=True)\ntime.sleep(120)\n' });
    await sm.send(new CreateTrainingJobCommand(scriptJob('iso-victim', victimSource, { ...small, ...train }, { token: 'victim-secret-42' })));
    expect((await waitForJob(server, 'iso-victim', 60_000, ['Training'])).SecondaryStatus).toBe('Training');

    // What the spy will try is really there on the host while it runs.
    const victimHp = join(dataDir, 'jobs', 'iso-victim', 'algo-1', 'input', 'config', 'hyperparameters.json');
    for (const p of [join(dataDir, 'credentials'), join(dataDir, 'clary.db'), join(dataDir, 'objects'), join(dataDir, 'runs'), victimHp]) expect(existsSync(p), p).toBe(true);

    const spySource = await uploadSourceDir(server, 'ml-data', 'code/spy.tar.gz', { 'train.py': SPY_PY });
    await sm.send(new CreateTrainingJobCommand(scriptJob('iso-spy', spySource, { ...small, ...train }, { 'data-dir': dataDir, victim: 'iso-victim' })));
    const spy = await waitForJob(server, 'iso-spy');
    expect(existsSync(victimHp)).toBe(true);
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'iso-victim' }));

    expect(spy.FailureReason).toBeUndefined();
    expect(spy.TrainingJobStatus).toBe('Completed');
    const log = await jobLogs(server, 'iso-spy/algo-1-');
    const line = log.split('\n').find((l) => l.startsWith('ISOLATION '));
    expect(line, log).toBeDefined();
    const result = JSON.parse(line!.slice('ISOLATION '.length)) as { read: Record<string, string>; denied: Record<string, string> };
    expect(result.read).toEqual({});
    expect(Object.keys(result.denied).sort()).toEqual(['credentials', 'database', 'jobs', 'objects', 'runs', 'victim-code', 'victim-hyperparameters', 'victim-process']);
    expect(log).not.toContain('victim-secret-42');
    // Neither the job's environment nor its sandbox's first process carry Clary's own keys.
    expect(log).toContain('ENVIRONMENT ');
    expect(log).not.toContain(server.credentials.secretAccessKey);
    expect((await waitForJob(server, 'iso-victim')).TrainingJobStatus).toBe('Stopped');
  });

  it('EnableNetworkIsolation: the job cannot reach Clary (or anything) over the network; without it, it can', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/net.tar.gz', {
      'train.py':
        'import os, sys, urllib.request, urllib.error\n' +
        // Clary's address inside depends on the network: the service address on a private network.
        'url = os.environ.get("AWS_ENDPOINT_URL") or sys.argv[sys.argv.index("--url") + 1]\n' +
        'try:\n    urllib.request.urlopen(url, timeout=5)\n    print("NETWORK reached", flush=True)\n' +
        'except urllib.error.HTTPError as e:\n    print("NETWORK reached (HTTP %d)" % e.code, flush=True)\n' +
        'except Exception as e:\n    print("NETWORK unreachable: %s" % e, flush=True)\n' +
        'print("ENDPOINT_ENV", os.environ.get("AWS_ENDPOINT_URL"), flush=True)\n',
    });
    const sm = new SageMakerClient(server.clientConfig);
    const train = { InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: 's3://ml-data/data/train/' } } }] };
    await sm.send(new CreateTrainingJobCommand(scriptJob('net-isolated', source, { ...train, EnableNetworkIsolation: true }, { url: server.endpoint })));
    await sm.send(new CreateTrainingJobCommand(scriptJob('net-open', source, train, { url: server.endpoint })));
    for (const [name, reached] of [['net-isolated', false], ['net-open', true]] as const) {
      const d = await waitForJob(server, name);
      expect(d.FailureReason).toBeUndefined();
      expect(d.TrainingJobStatus).toBe('Completed');
      expect(d.EnableNetworkIsolation).toBe(!reached);
      const log = await jobLogs(server, `${name}/algo-1-`);
      expect(log).toMatch(reached ? /NETWORK reached/ : /NETWORK unreachable/);
      if (reached) expect(log).toMatch(new RegExp(`ENDPOINT_ENV (${server.endpoint}|http://169\\.254\\.170\\.2:${server.app.port})$`, 'm'));
      else expect(log).toContain('ENDPOINT_ENV None');
    }
  });
});
