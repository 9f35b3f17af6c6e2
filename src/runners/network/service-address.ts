import { IpCommandError, type IpRunner } from './ip-command.js';

/**
 * The address instances on a private network reach Clary at. It is ECS's container-credentials
 * address, one of the two non-loopback hosts botocore accepts for AWS_CONTAINER_CREDENTIALS_FULL_URI
 * over plain http (169.254.170.2 and 169.254.170.23). Clary puts it on the host's loopback device
 * and serves its port there (service-forwarder.ts); instances route to it through their bridge.
 */
export const SERVICE_ADDRESS = '169.254.170.2';

/** The endpoint URL an instance on a private network uses for Clary listening on `port`. */
export function instanceEndpoint(port: number | string): string {
  return `http://${SERVICE_ADDRESS}:${port}`;
}

/** Puts SERVICE_ADDRESS/32 on `lo` unless it is there (idempotent; shared by every Clary on the machine, never removed). */
export async function ensureServiceAddress(ip: IpRunner): Promise<void> {
  const text = await ip(['-j', '-4', 'addr', 'show', 'dev', 'lo']);
  const addrs = (JSON.parse(text || '[]') as { addr_info?: { local?: string }[] }[]).flatMap((l) => l.addr_info ?? []).map((a) => a.local);
  if (addrs.includes(SERVICE_ADDRESS)) return;
  try {
    await ip(['addr', 'add', `${SERVICE_ADDRESS}/32`, 'dev', 'lo']);
  } catch (e) {
    if (!(e instanceof IpCommandError && /File exists/.test(e.stderr))) throw e;
  }
}
