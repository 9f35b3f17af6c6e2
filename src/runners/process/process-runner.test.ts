import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupStale, detectCgroupLayout, openInstanceCgroup } from '../../compute/cgroups/index.js';
import type { InstanceHandle, OutputLine } from '../runner.js';
import { runnerContract, type RunnerFixture } from '../runner.contract.js';
import { asProcessHandle } from './process-handle.js';
import { ProcessRunner } from './process-runner.js';
import { processStartTicks } from './proc-info.js';

const BWRAP = '/usr/bin/bwrap';
const layout = await detectCgroupLayout();
const isRoot = process.getuid?.() === 0;
if (isRoot && !existsSync(BWRAP)) spawnSync('apt-get', ['install', '-y', '-q', 'bubblewrap'], { stdio: 'ignore', timeout: 120_000 });
const skipReason = !isRoot ? 'needs root (cgroups, namespaces)' : !layout ? 'no usable cgroup hierarchy' : !existsSync(BWRAP) ? 'bubblewrap is not installed and could not be' : '';
const prefix = `t${process.pid}-`;

async function fixture(): Promise<RunnerFixture & { runRoot: string }> {
  const base = await mkdtemp(join(tmpdir(), 'clary-runner-'));
  const hiddenDir = join(base, 'data');
  const runRoot = join(hiddenDir, 'runs');
  const options = { runRoot, hiddenPaths: [hiddenDir], groupPrefix: prefix, cgroupLayout: layout };
  return {
    runRoot,
    hiddenDir,
    makeRunner: () => new ProcessRunner(options),
    async lose(handle: InstanceHandle) {
      const h = asProcessHandle(handle);
      process.kill(h.supervisorPid, 'SIGKILL');
      for (let i = 0; i < 500 && (await processStartTicks(h.supervisorPid)) !== undefined; i++) await sleep(10);
      await (await openInstanceCgroup(h.group, { layout })).kill();
    },
    async residue(handle: InstanceHandle) {
      const h = asProcessHandle(handle);
      const group = await openInstanceCgroup(h.group, { layout });
      const paths = [...group.dirs, join(runRoot, h.id)];
      const left: string[] = [];
      for (const p of paths) if (await stat(p).then(() => true, () => false)) left.push(p);
      return left;
    },
    async teardown() {
      await cleanupStale(prefix, { layout });
      await rm(base, { recursive: true, force: true });
    },
  };
}

describe.skipIf(skipReason !== '')(`process runner${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  runnerContract('process (bubblewrap)', fixture);

  describe('sandbox hardening', () => {
    let fx: Awaited<ReturnType<typeof fixture>>;
    const handles: InstanceHandle[] = [];
    afterAll(async () => {
      for (const h of handles) await fx.makeRunner().cleanup(h).catch(() => undefined);
      await fx?.teardown();
    });

    async function run(command: string) {
      fx ??= await fixture();
      const lines: OutputLine[] = [];
      const inst = await fx.makeRunner().start({
        id: `h${handles.length}`,
        command: ['/bin/sh', '-c', command],
        env: {},
        mounts: [],
        limits: { vcpus: 1, memoryBytes: 128 * 1024 ** 2 },
        network: { mode: 'host' },
        onStdout: (l) => lines.push(l),
        onStderr: (l) => lines.push(l),
      });
      handles.push(inst.handle);
      const exit = await inst.wait();
      return { exit, text: lines.map((l) => l.text).join('\n') };
    }

    it('cannot leave its cgroup, remount / writable, or write kernel settings', async () => {
      const cg = layout?.kind === 'v1' ? `${layout.memory}/cgroup.procs` : `${layout?.root}/cgroup.procs`;
      const r = await run(`echo $$ > ${cg} && echo LEFT-CGROUP; mount -o remount,rw / && echo REMOUNTED; echo 3 > /proc/sys/vm/drop_caches && echo SYSCTL; echo done`);
      expect(r.text).toContain('done');
      expect(r.text).not.toMatch(/LEFT-CGROUP|REMOUNTED|SYSCTL/);
    });

    it('hides /root, /run and /etc/shadow by default and gives a fresh, writable /tmp', async () => {
      const r = await run('ls -A /root /run; wc -c < /etc/shadow; touch /tmp/x && ls /tmp; echo done');
      expect(r.text).toBe(['/root:', '', '/run:', '0', 'x', 'done'].join('\n'));
    });

    it('runs inside the instance cgroup from its first instruction', async () => {
      const r = await run('cat /proc/self/cgroup');
      expect(r.text).toMatch(new RegExp(`/clary/${prefix}h\\d`));
    });

    it('refuses bad specs before creating anything', async () => {
      fx ??= await fixture();
      const base = { command: ['/bin/true'], env: {}, limits: { vcpus: 1, memoryBytes: 64 * 1024 ** 2 }, network: { mode: 'none' as const } };
      const runner = fx.makeRunner();
      await expect(runner.start({ ...base, id: '../x', mounts: [] })).rejects.toThrow(/invalid instance id/);
      await expect(runner.start({ ...base, id: 'bad1', mounts: [{ hostPath: '/nonexistent-x', sandboxPath: '/opt/ml', readOnly: false }] })).rejects.toThrow(/does not exist/);
      await expect(runner.start({ ...base, id: 'bad2', mounts: [{ hostPath: '/tmp', sandboxPath: '/proc/x', readOnly: false }] })).rejects.toThrow(/belong to the sandbox/);
      expect(existsSync(join(fx.runRoot, 'bad1'))).toBe(false);
    });
  });
});
