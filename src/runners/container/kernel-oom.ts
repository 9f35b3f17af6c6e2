import { closeSync, constants, openSync, readSync } from 'node:fs';

/**
 * Did the kernel's OOM killer kill a process of this container? The Docker API's
 * `State.OOMKilled` is the first answer, but Podman on cgroup v1 never sets it, and the
 * container's memory cgroup (whose `oom_kill` counter would say) is gone once it has exited. The
 * kernel log keeps the record: `oom-kill:constraint=CONSTRAINT_MEMCG,…,task_memcg=/…/libpod-<id>`
 * (Podman, cgroupfs), `…/docker/<id>` or `…/docker-<id>.scope` (Docker). Reading /dev/kmsg needs
 * root; where it cannot be read this answers false (and the job then reports exit 137).
 */
export function kernelLoggedOomKill(containerId: string, kmsg = '/dev/kmsg'): boolean {
  if (!/^[0-9a-f]{12,64}$/.test(containerId)) return false;
  let fd: number;
  try {
    fd = openSync(kmsg, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  const buf = Buffer.allocUnsafe(8192);
  try {
    for (let records = 0; records < 1_000_000; records++) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') continue; // records overwritten while reading: go on with the next
        return false; // EAGAIN: the end of the buffer
      }
      if (n === 0) return false;
      const record = buf.toString('utf8', 0, n);
      if (record.includes('oom-kill:') && record.includes(containerId) && /task_memcg=[^,\n]*/.exec(record)?.[0].includes(containerId)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}
