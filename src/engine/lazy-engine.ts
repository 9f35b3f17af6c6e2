import type { ContainerEngine } from './container-engine.js';

/**
 * The engine, opened on first use (Clary's start-up stays fast: Podman is only started when a
 * job needs the container lane or `clary images` asks) and closed with Clary. A failed open is
 * not remembered, so installing podman later works without a restart.
 */
export class LazyEngine {
  private opening: Promise<ContainerEngine> | undefined;
  private closed = false;

  constructor(private readonly open: () => Promise<ContainerEngine>) {}

  get(): Promise<ContainerEngine> {
    if (this.closed) return Promise.reject(new Error('Clary is shutting down: the container engine is closed'));
    this.opening ??= this.open().catch((e: unknown) => {
      this.opening = undefined;
      throw e;
    });
    return this.opening;
  }

  /** True once get() has been called and succeeded or is under way. */
  get started(): boolean {
    return this.opening !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const engine = await this.opening?.catch(() => undefined);
    this.opening = undefined;
    await engine?.close();
  }
}
