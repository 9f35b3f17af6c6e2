// The contract every Runner implementation passes (process lane now; container, cluster later).
// A lane's test file calls runnerContract(name, setup) with a fixture that makes runners of it.
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceHandle, InstanceSpec, OutputLine, Runner, RunningInstance } from './runner.js';

export interface RunnerFixture {
  /** A fresh runner object with the same configuration each call (a second call simulates a Clary restart). */
  makeRunner(): Runner;
  /** A host directory the runner was told to hide (the stand-in for Clary's data dir). */
  readonly hiddenDir: string;
  /** Simulates a host crash for one instance: everything of it dies and nothing records how. */
  lose(handle: InstanceHandle): Promise<void>;
  /** Variables the lane's engine adds by itself whatever the spec says (Podman: TERM=xterm), not Clary's. */
  readonly engineAddedEnv?: readonly string[];
  /** What the instance still has on this machine (cgroups, dirs, containers): empty after cleanup. */
  residue(handle: InstanceHandle): Promise<string[]>;
  teardown(): Promise<void>;
}

const MiB = 1024 ** 2;

export function runnerContract(name: string, setup: () => Promise<RunnerFixture>): void {
  describe(`Runner contract: ${name}`, () => {
    let fx: RunnerFixture;
    let runner: Runner;
    const started: InstanceHandle[] = [];
    let n = 0;

    beforeAll(async () => {
      fx = await setup();
      runner = fx.makeRunner();
    });
    afterAll(async () => {
      for (const h of started) await runner.cleanup(h).catch(() => undefined);
      await fx?.teardown();
    });

    /** A job dir inside the hidden data dir, as Clary lays them out. */
    async function jobDir(files: Record<string, string> = {}): Promise<string> {
      const dir = join(fx.hiddenDir, 'jobs', `job-${++n}`);
      await mkdir(dir, { recursive: true });
      for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
      return dir;
    }

    function spec(command: string, overrides: Partial<InstanceSpec> = {}): InstanceSpec {
      return { id: `c${process.pid}-${++n}`, command: ['/bin/sh', '-c', command], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 256 * MiB }, network: { mode: 'none' }, ...overrides };
    }

    async function start(s: InstanceSpec, on = runner): Promise<RunningInstance> {
      const inst = await on.start(s);
      started.push(inst.handle);
      return inst;
    }

    /** Runs to the end and gives back the exit and the lines of both streams. */
    async function run(s: InstanceSpec) {
      const out: string[] = [];
      const err: string[] = [];
      const inst = await start({ ...s, onStdout: (l) => out.push(l.text), onStderr: (l) => err.push(l.text) });
      const exit = await inst.wait();
      return { exit, out, err, inst };
    }

    async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(20);
      }
    }

    it('runs a command and delivers stdout and stderr lines in order, with timestamps', async () => {
      const lines: OutputLine[] = [];
      const inst = await start({ ...spec('for i in $(seq 1 200); do echo out $i; echo err $i >&2; done; printf "no newline"'), onStdout: (l) => lines.push(l), onStderr: (l) => lines.push(l) });
      const exit = await inst.wait();
      expect(exit).toMatchObject({ exitCode: 0, signal: null, oomKilled: false });
      const out = lines.filter((l) => l.stream === 'stdout').map((l) => l.text);
      const err = lines.filter((l) => l.stream === 'stderr').map((l) => l.text);
      expect(out).toEqual([...Array.from({ length: 200 }, (_, i) => `out ${i + 1}`), 'no newline']);
      expect(err).toEqual(Array.from({ length: 200 }, (_, i) => `err ${i + 1}`));
      expect(lines.every((l) => l.timestamp >= inst.handle.startedAt)).toBe(true);
    });

    it('reports exit codes, and a signal death as 128 + n', async () => {
      expect((await run(spec('exit 3'))).exit).toMatchObject({ exitCode: 3, signal: null, oomKilled: false });
      expect((await run(spec('kill -KILL $$'))).exit).toMatchObject({ exitCode: 137, signal: 'SIGKILL', oomKilled: false });
    });

    it('passes exactly the given environment, the host name and extra hosts', async () => {
      const r = await run(spec('env; hostname; grep -w storage /etc/hosts', { env: { SM_HOST: 'algo-1', WITH_SPACE: 'a b' }, hostname: 'algo-1', extraHosts: { storage: '10.0.0.7' } }));
      expect(r.exit.exitCode).toBe(0);
      expect(r.out).toContain('SM_HOST=algo-1');
      expect(r.out).toContain('WITH_SPACE=a b');
      expect(r.out).toContain('algo-1');
      expect(r.out).toContain('10.0.0.7\tstorage');
      const leaked = Object.keys(process.env).filter((k) => !['PATH', 'HOME', 'HOSTNAME', 'PWD', 'SHLVL', '_', ...(fx.engineAddedEnv ?? [])].includes(k));
      expect(r.out.filter((l) => leaked.some((k) => l.startsWith(`${k}=`)))).toEqual([]);
    });

    it('binds /opt/ml writable and a read-only mount read-only', async () => {
      const ml = await jobDir({ 'in.txt': 'training data' });
      const code = await jobDir({ 'train.py': 'print(1)' });
      const r = await run(spec('cat /opt/ml/in.txt; echo; echo model > /opt/ml/model.txt; echo x > /opt/ml/code/train.py && echo WROTE-RO', {
        mounts: [{ hostPath: code, sandboxPath: '/opt/ml/code', readOnly: true }, { hostPath: ml, sandboxPath: '/opt/ml', readOnly: false }],
      }));
      expect(r.out).toContain('training data');
      expect(await readFile(join(ml, 'model.txt'), 'utf8')).toBe('model\n');
      expect(r.out).not.toContain('WROTE-RO');
      expect(await readFile(join(code, 'train.py'), 'utf8')).toBe('print(1)');
    });

    it('hides the hidden paths and other instances (their files and their processes)', async () => {
      await writeFile(join(fx.hiddenDir, 'secret.txt'), 'top secret');
      const other = await jobDir({ 'theirs.txt': 'not yours' });
      const lines: string[] = [];
      const a = await start({ ...spec('echo ready; sleep 60; echo marker-of-a', { mounts: [{ hostPath: other, sandboxPath: '/opt/ml', readOnly: false }] }), onStdout: (l) => lines.push(l.text) });
      await until(() => lines.includes('ready'), 'the other instance');
      const files = await run(spec(`cat ${fx.hiddenDir}/secret.txt; ls -a ${fx.hiddenDir}; cat ${other}/theirs.txt; ls -a /opt; echo end`));
      const procs = await run(spec("cat /proc/[0-9]*/cmdline | tr '\\0' ' '; echo; echo end"));
      await a.kill();
      expect(files.out).toContain('end');
      expect(files.out.join('\n')).not.toMatch(/top secret|secret\.txt|not yours/);
      expect(procs.out).toContain('end');
      expect(procs.out.join('\n')).toContain('cmdline'); // it sees itself…
      expect(procs.out.join('\n')).not.toContain('marker-of-a'); // …and not the other instance
    });

    describe('networking', () => {
      let server: Server;
      let port = 0;
      let connections = 0;
      beforeAll(async () => {
        server = createServer((s) => {
          connections++;
          s.end('hello\n');
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        port = (server.address() as { port: number }).port;
      });
      afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const connect = () => `/bin/bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3' && echo CONNECTED`;

      it('none: cannot reach a server on the host loopback', async () => {
        const before = connections;
        const r = await run(spec(connect(), { network: { mode: 'none' } }));
        expect(r.out).not.toContain('CONNECTED');
        expect(connections).toBe(before);
      });

      it('host: reaches it', async () => {
        const r = await run(spec(connect(), { network: { mode: 'host' } }));
        expect(r.out).toEqual(['hello', 'CONNECTED']);
      });
    });

    it('kills an instance that goes over its memory limit and says it was the OOM killer', async () => {
      const r = await run(spec('x=$(head -c 400000000 /dev/zero | tr "\\0" a); echo survived ${#x}', { limits: { vcpus: 1, memoryBytes: 64 * MiB } }));
      expect(r.out).not.toContainEqual(expect.stringContaining('survived'));
      expect(r.exit).toMatchObject({ oomKilled: true, exitCode: 137, signal: 'SIGKILL' });
    });

    it('stop(): SIGTERM first, which a trap can handle', async () => {
      const ml = await jobDir();
      const lines: string[] = [];
      const inst = await start({ ...spec('trap "echo term > /opt/ml/got-term; exit 0" TERM; echo ready; while :; do sleep 0.05; done', { mounts: [{ hostPath: ml, sandboxPath: '/opt/ml', readOnly: false }] }), onStdout: (l) => lines.push(l.text) });
      await until(() => lines.includes('ready'), 'ready');
      const exit = await inst.stop(30_000);
      expect(exit).toMatchObject({ exitCode: 0, signal: null });
      expect(await readFile(join(ml, 'got-term'), 'utf8')).toBe('term\n');
    });

    it('stop(): SIGKILL after the grace period when SIGTERM is ignored', async () => {
      const lines: string[] = [];
      const inst = await start({ ...spec('trap "" TERM; echo ready; while :; do sleep 0.05; done'), onStdout: (l) => lines.push(l.text) });
      await until(() => lines.includes('ready'), 'ready');
      expect(await inst.stop(300)).toMatchObject({ exitCode: 137, signal: 'SIGKILL', oomKilled: false });
    });

    it('reattach after a restart: adopts a running instance, continues its output and gets its exit', async () => {
      const ml = await jobDir();
      const first: string[] = [];
      const s = spec('echo one; while [ ! -e /opt/ml/go ]; do sleep 0.05; done; echo two; exit 5', { mounts: [{ hostPath: ml, sandboxPath: '/opt/ml', readOnly: false }] });
      const inst = await start({ ...s, onStdout: (l) => first.push(l.text) });
      await until(() => first.includes('one'), 'first line');
      const cursor = inst.outputCursor();
      inst.detach();
      const handle = JSON.parse(JSON.stringify(inst.handle)) as InstanceHandle; // as the store keeps it
      const restarted = fx.makeRunner();
      const later: string[] = [];
      const again = await restarted.reattach(handle, { onStdout: (l) => later.push(l.text), outputFrom: cursor });
      expect(again).toBeDefined();
      expect(again!.id).toBe(s.id);
      await writeFile(join(ml, 'go'), '');
      expect(await again!.wait()).toMatchObject({ exitCode: 5, signal: null, oomKilled: false });
      expect(later).toEqual(['two']);
    });

    it('reattach after a restart: an instance that ended meanwhile gives its exit status', async () => {
      const ml = await jobDir();
      const inst = await start(spec('echo bye; touch /opt/ml/done; exit 4', { mounts: [{ hostPath: ml, sandboxPath: '/opt/ml', readOnly: false }] }));
      inst.detach();
      await until(() => access(join(ml, 'done')).then(() => true, () => false), 'the instance to finish');
      const again = await fx.makeRunner().reattach(inst.handle);
      const lines: string[] = [];
      const withOutput = await fx.makeRunner().reattach(inst.handle, { onStdout: (l) => lines.push(l.text) });
      expect(await again!.wait()).toMatchObject({ exitCode: 4 });
      await withOutput!.wait();
      expect(lines).toEqual(['bye']);
    });

    it('reattach after a restart: an instance lost without a record is reported gone', async () => {
      const inst = await start(spec('sleep 60'));
      inst.detach();
      await fx.lose(inst.handle);
      expect(await fx.makeRunner().reattach(inst.handle)).toBeUndefined();
    });

    it('cleanup removes everything the instance had, and is idempotent', async () => {
      const inst = await start(spec('echo ready; sleep 60'));
      expect((await fx.residue(inst.handle)).length).toBeGreaterThan(0);
      await runner.cleanup(inst.handle);
      expect(await fx.residue(inst.handle)).toEqual([]);
      await runner.cleanup(inst.handle);
      await expect(inst.wait()).resolves.toBeDefined();
    });
  });
}
