import type { InstanceSpec, LineSink, NetworkSpec } from '../../runners/runner.js';

export const SANDBOX_HOME = '/home/sagemaker-user';

export interface JupyterSpecInput {
  readonly runnerId: string;
  /** The space's (or user's) directory on this machine, bound read-write at /home/sagemaker-user. */
  readonly homeDir: string;
  readonly port: number;
  /** Host network on 127.0.0.1, or a private network (VpcOnly) on the instance's address. */
  readonly network: NetworkSpec;
  readonly ip: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly python: string;
  readonly limits: { vcpus: number; memoryBytes: number };
  readonly onOutput: LineSink;
  readonly signal: AbortSignal;
  /** AWS_* for the kernels (endpoint, region, container credentials). */
  readonly awsEnv: Readonly<Record<string, string>>;
  /** Run Jupyter (and so its kernels and terminals) as this identity: the space's HomeEfsFileSystemUid and STUDIO_GID. Absent: as the sandbox's user. */
  readonly user?: { readonly uid: number; readonly gid: number };
}

/**
 * The sandbox starts as root (with the runner's few capabilities); `setpriv` then drops to the
 * space's uid and the Studio group, with no supplementary groups, no capabilities (bounding set
 * emptied) and no_new_privs, and execs Jupyter. /tmp (the sandbox's own) is handed to that uid
 * first, since Jupyter's runtime files live there.
 */
export function asUser(command: readonly string[], user: { uid: number; gid: number }): string[] {
  if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid) || user.uid <= 0 || user.gid < 0) throw new Error(`invalid app identity ${user.uid}:${user.gid}`);
  return [
    '/bin/sh', '-c',
    `chown ${user.uid}:${user.gid} /tmp && exec /usr/bin/setpriv --reuid=${user.uid} --regid=${user.gid} --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"`,
    'jupyter', ...command,
  ];
}

/**
 * A Studio app's Jupyter server in a bubblewrap sandbox: Debian's Jupyter Notebook (Jupyter
 * Server 1.23 underneath) with the proxy prefix as base_url and a random token the proxy injects,
 * on a loopback port of the host network. Only the space's directory is visible of the data dir
 * (the runner hides the rest); Jupyter's runtime and data files go to the sandbox's /tmp.
 */
export function jupyterSpec(input: JupyterSpecInput): InstanceSpec {
  const command = [
    input.python, '-m', 'notebook', '--allow-root', '--no-browser',
    '--ip', input.ip, '--port', String(input.port), '--port-retries=0',
    `--NotebookApp.base_url=${input.baseUrl}`,
    `--NotebookApp.token=${input.token}`,
    '--NotebookApp.password=',
    `--notebook-dir=${SANDBOX_HOME}`,
  ];
  return {
    id: input.runnerId,
    command: input.user ? asUser(command, input.user) : command,
    env: {
      ...(input.user ? { USER: 'sagemaker-user', LOGNAME: 'sagemaker-user' } : {}),
      ...input.awsEnv,
      HOME: SANDBOX_HOME,
      LANG: 'C.UTF-8',
      SHELL: '/bin/bash',
      PYTHONUNBUFFERED: '1',
      JUPYTER_RUNTIME_DIR: '/tmp/jupyter/runtime',
      JUPYTER_DATA_DIR: '/tmp/jupyter/data',
      JUPYTER_CONFIG_DIR: '/tmp/jupyter/config',
      IPYTHONDIR: '/tmp/ipython',
    },
    mounts: [{ hostPath: input.homeDir, sandboxPath: SANDBOX_HOME, readOnly: false }],
    workDir: SANDBOX_HOME,
    limits: input.limits,
    network: input.network,
    hostname: 'default',
    onStdout: input.onOutput,
    onStderr: input.onOutput,
    signal: input.signal,
  };
}
