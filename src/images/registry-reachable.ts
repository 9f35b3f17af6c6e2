import { connect } from 'node:net';

/** Docker Hub's host, for names without a registry. */
export const DEFAULT_REGISTRY = 'registry-1.docker.io';

/**
 * Whether a TCP connection to the registry's HTTPS port opens within timeoutMs. Used only to fail
 * fast: where no registry is reachable (an offline machine), a pull would hang until it times out.
 */
export function registryReachable(host: string, timeoutMs = 2_000): Promise<boolean> {
  const [name, portText] = host.includes(':') ? host.split(':', 2) as [string, string] : [host, '443'];
  return new Promise((resolve) => {
    const socket = connect({ host: name, port: Number(portText), timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
