import { connect, createServer, type Server, type Socket } from 'node:net';
import { SERVICE_ADDRESS } from './service-address.js';

export interface ServiceForwarder {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves Clary's port on SERVICE_ADDRESS for instances on private networks: every connection is
 * piped to Clary's real listener (which stays on loopback). Clary then sees the connection come
 * from loopback: an instance is not told apart by its source address (credentials name it by token).
 */
export async function startServiceForwarder(target: { host: string; port: number }, listenPort = target.port): Promise<ServiceForwarder> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect({ host: target.host, port: target.port });
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, SERVICE_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    address: SERVICE_ADDRESS,
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
