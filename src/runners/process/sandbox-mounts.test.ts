import { describe, expect, it } from 'vitest';
import type { FsProbe, PathKind } from './fs-probe.js';
import { planMounts } from './sandbox-mounts.js';

/** A fake host file system: path → kind (dirs listed by their children's paths), symlinks → target. */
function fakeFs(entries: Record<string, PathKind>, links: Record<string, string> = {}): FsProbe {
  const kind = (p: string) => (p === '/' ? 'dir' : entries[p]);
  return {
    kind,
    resolvedKind: (p) => (kind(p) === 'symlink' ? kind(links[p]!) : kind(p)),
    list: (d) => Object.keys(entries).filter((p) => p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes('/')).map((p) => p.slice(d.length + 1)).sort(),
    linkTarget: (p) => links[p]!,
    realpath: (p) => (kind(p) === undefined ? undefined : kind(p) === 'symlink' ? links[p] : p),
  };
}

const host = fakeFs(
  { '/opt': 'dir', '/opt/conda': 'dir', '/opt/conda/bin': 'dir', '/opt/link': 'symlink', '/data': 'dir', '/data/jobs': 'dir', '/data/jobs/j1': 'dir', '/data/code': 'dir', '/etc': 'dir', '/etc/shadow': 'file', '/var': 'dir', '/var/run': 'symlink', '/run': 'dir', '/mnt': 'dir' },
  { '/opt/link': '/opt/conda', '/var/run': '/run' },
);
const base = { hidden: [] as string[], emptyFile: '/e', builtins: [] };
const bind = (hostPath: string, sandboxPath: string, readOnly = false) => ({ hostPath, sandboxPath, readOnly });

describe('planMounts', () => {
  it('binds an existing target directly', () => {
    expect(planMounts({ ...base, mounts: [bind('/data/jobs/j1', '/mnt')] }, host)).toEqual(['--bind', '/data/jobs/j1', '/mnt']);
  });

  it('shadows the deepest existing ancestor of a missing target, binding its entries back', () => {
    expect(planMounts({ ...base, mounts: [bind('/data/jobs/j1', '/opt/ml')] }, host)).toEqual([
      '--tmpfs', '/opt', '--ro-bind', '/opt/conda', '/opt/conda', '--symlink', '/opt/conda', '/opt/link', '--bind', '/data/jobs/j1', '/opt/ml',
    ]);
  });

  it('binds parents before children and needs no shadow inside a writable bind', () => {
    const args = planMounts({ ...base, mounts: [bind('/data/code', '/opt/ml/code', true), bind('/data/jobs/j1', '/opt/ml')] }, host);
    expect(args.filter((a) => a === '--tmpfs')).toHaveLength(1);
    expect(args.slice(-6)).toEqual(['--bind', '/data/jobs/j1', '/opt/ml', '--ro-bind', '/data/code', '/opt/ml/code']);
  });

  it('refuses a missing target inside a read-only bind, and one whose top-level directory is missing', () => {
    expect(() => planMounts({ ...base, mounts: [bind('/data/jobs/j1', '/opt/ml', true), bind('/data/code', '/opt/ml/code')] }, host)).toThrow(/read-only mount \/opt\/ml/);
    expect(() => planMounts({ ...base, mounts: [bind('/data/code', '/nowhere/x')] }, host)).toThrow(/top-level directory/);
  });

  it('hides dirs behind a tmpfs, files behind the empty file, a symlink by its target, skips absent paths', () => {
    expect(planMounts({ ...base, hidden: ['/data', '/etc/shadow', '/var/run', '/absent'], mounts: [] }, host)).toEqual([
      '--tmpfs', '/data', '--ro-bind', '/e', '/etc/shadow', '--tmpfs', '/run',
    ]);
  });

  it('hides paths after shadows (so a shadow never re-exposes them) and before binds (which may sit inside them)', () => {
    const args = planMounts({ ...base, hidden: ['/opt/conda', '/data'], mounts: [bind('/data/code', '/opt/ml'), bind('/data/code', '/data/x')] }, host);
    expect(args.indexOf('--tmpfs')).toBe(args.indexOf('/opt') - 1);
    expect(args.lastIndexOf('/opt/conda')).toBeLessThan(args.indexOf('/data/x'));
    expect(args.join(' ')).toContain('--tmpfs /opt/conda');
  });

  it('refuses mounts over the sandbox\'s own paths, relative paths and duplicates', () => {
    expect(() => planMounts({ ...base, mounts: [bind('/data', '/proc/x')] }, host)).toThrow(/belong to the sandbox/);
    expect(() => planMounts({ ...base, mounts: [bind('/data', 'opt/ml')] }, host)).toThrow(/absolute/);
    expect(() => planMounts({ ...base, mounts: [bind('/data', '/mnt'), bind('/data/code', '/mnt')] }, host)).toThrow(/two mounts/);
    expect(() => planMounts({ ...base, mounts: [bind('/nope', '/mnt')] }, host)).toThrow(/does not exist/);
  });
});
