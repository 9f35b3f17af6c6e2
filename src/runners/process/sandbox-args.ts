import type { InstanceSpec } from '../runner.js';
import { InstanceSpecError } from '../runner-errors.js';
import { hostFs, type FsProbe } from './fs-probe.js';
import { planMounts } from './sandbox-mounts.js';

/** Docker's default capabilities less MKNOD (no device cgroup here) and NET_RAW. */
export const SANDBOX_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_SETFCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_AUDIT_WRITE',
];

/** /proc entries made read-only, as Docker does (the kernel's knobs are not the instance's). */
const READONLY_PROC = ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus', '/proc/fs'];

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SandboxPaths {
  /** Host directory bound at /tmp (fresh per instance, on disk). */
  readonly tmpDir: string;
  /** Host file bound at /etc/hosts. */
  readonly hostsFile: string;
  /** An empty host file bound over hidden files. */
  readonly emptyFile: string;
}

export interface SandboxArgsInput {
  readonly spec: InstanceSpec;
  readonly paths: SandboxPaths;
  readonly hidden: readonly string[];
  /** The fd bwrap writes {"child-pid": …} to. */
  readonly infoFd: number;
  readonly fs?: FsProbe;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment of the main process: exactly the spec's, plus PATH, HOME and HOSTNAME defaults. */
export function sandboxEnv(spec: InstanceSpec): Record<string, string> {
  for (const k of Object.keys(spec.env)) if (!ENV_NAME.test(k)) throw new InstanceSpecError(`invalid environment variable name "${k}"`);
  return { PATH: DEFAULT_PATH, HOME: '/root', HOSTNAME: hostnameOf(spec), ...spec.env };
}

export const hostnameOf = (spec: InstanceSpec) => spec.hostname ?? spec.id;

/** Everything after `bwrap` on its command line, ending with `--` and the instance's command. */
export function sandboxArgs(input: SandboxArgsInput): string[] {
  const { spec, paths } = input;
  if (spec.command.length === 0) throw new InstanceSpecError('command must not be empty');
  if (spec.network.mode !== 'none' && spec.network.mode !== 'host' && spec.network.mode !== 'private') {
    throw new InstanceSpecError(`network mode "${String(spec.network.mode)}" is not supported by the process runner (none, host, private)`);
  }
  const args = ['--ro-bind', '/', '/'];
  args.push(
    ...planMounts(
      {
        mounts: spec.mounts,
        hidden: input.hidden,
        emptyFile: paths.emptyFile,
        builtins: [
          { hostPath: paths.tmpDir, sandboxPath: '/tmp', readOnly: false },
          { hostPath: paths.hostsFile, sandboxPath: '/etc/hosts', readOnly: true },
        ],
      },
      input.fs ?? hostFs,
    ),
  );
  args.push('--dev', '/dev', '--proc', '/proc');
  for (const p of READONLY_PROC) args.push('--ro-bind-try', p, p);
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', hostnameOf(spec));
  // private: the sandbox is started inside the instance's own namespace (nsenter), so it keeps that one.
  if (spec.network.mode === 'none') args.push('--unshare-net');
  args.push('--new-session', '--cap-drop', 'ALL');
  for (const c of SANDBOX_CAPS) args.push('--cap-add', c);
  args.push('--clearenv');
  for (const [k, v] of Object.entries(sandboxEnv(spec))) args.push('--setenv', k, v);
  args.push('--chdir', spec.workDir ?? '/', '--info-fd', String(input.infoFd), '--', ...spec.command);
  return args;
}

/**
 * /etc/hosts inside the instance: loopback, its own name, and the spec's extra hosts. Its own name
 * is its address on a private network (as Docker does), so what it advertises by name (gloo,
 * NCCL, torchrun's rendezvous) is reachable from its peers; 127.0.1.1 otherwise.
 */
export function hostsFileText(spec: InstanceSpec, ownAddress?: string): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${ownAddress ?? '127.0.1.1'}\t${hostnameOf(spec)}`];
  for (const [name, ip] of Object.entries(spec.extraHosts ?? {})) {
    if (!/^[A-Za-z0-9.-]+$/.test(name) || !/^[0-9A-Fa-f.:]+$/.test(ip)) throw new InstanceSpecError(`invalid extra host ${name} → ${ip}`);
    lines.push(`${ip}\t${name}`);
  }
  return lines.join('\n') + '\n';
}
