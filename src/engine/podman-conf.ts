import { writeFile } from 'node:fs/promises';

/**
 * The containers.conf Clary writes for the Podman it starts (given to it with CONTAINERS_CONF, so
 * no system file is edited). Every container created through the Docker API inherits it:
 * - runtime runc: Debian's crun 1.8 fails on hybrid cgroup v1 hosts;
 * - nofile/nproc ulimits of 1024: Podman's default (the host's values) cannot be set here;
 * - env without TERM, log_driver k8s-file (no journald without systemd);
 * - init_path: Debian's catatonit, for `HostConfig.Init` (the command is not PID 1, so it gets
 *   stop()'s SIGTERM and `kill -KILL $$` works as in the process lane).
 */
export function podmanConfText(opts: { initPath?: string } = {}): string {
  return [
    '# Written by Clary for the Podman service it starts (CONTAINERS_CONF). Edits are overwritten.',
    '[containers]',
    'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
    // No TERM=xterm: a container's environment is exactly what Clary gives it (and PATH).
    'env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]',
    // Logs in a file the Docker API's /logs reads back (journald needs systemd, absent here).
    'log_driver = "k8s-file"',
    ...(opts.initPath ? [`init_path = ${JSON.stringify(opts.initPath)}`] : []),
    '',
    '[engine]',
    'runtime = "runc"',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    '',
  ].join('\n');
}

export async function writePodmanConf(path: string, opts: { initPath?: string } = {}): Promise<void> {
  await writeFile(path, podmanConfText(opts), { mode: 0o644 });
}
