import type { InstanceHandle, InstanceSpec, PrivateNetworkLease, ReattachOptions, Runner, RunningInstance } from '../runner.js';
import type { ContainerInstanceSpec } from './container-spec.js';

/**
 * One Runner over the process lane and the container lane, for controllers that run both kinds of
 * job: a spec with an `image` starts a container, any other a sandboxed process; reattach and
 * cleanup follow `handle.runner`. Both lanes put instances of mode private on the same private
 * networks (one PrivateNetworks), so a network is reserved once, by whichever lane can.
 */
export class LaneRunner implements Runner {
  readonly kind: string;

  constructor(
    private readonly processLane: Runner,
    private readonly containerLane: Runner,
  ) {
    this.kind = processLane.kind;
  }

  start(spec: InstanceSpec): Promise<RunningInstance> {
    return (spec as ContainerInstanceSpec).image ? this.containerLane.start(spec) : this.processLane.start(spec);
  }

  reattach(handle: InstanceHandle, options?: ReattachOptions): Promise<RunningInstance | undefined> {
    return this.laneOf(handle).reattach(handle, options);
  }

  cleanup(handle: InstanceHandle): Promise<void> {
    return this.laneOf(handle).cleanup(handle);
  }

  reservePrivateNetwork(network: string, hosts: readonly string[]): Promise<PrivateNetworkLease | undefined> {
    const lane = this.processLane.reservePrivateNetwork ? this.processLane : this.containerLane;
    return lane.reservePrivateNetwork?.(network, hosts) ?? Promise.resolve(undefined);
  }

  private laneOf(handle: InstanceHandle): Runner {
    return handle.runner === this.containerLane.kind ? this.containerLane : this.processLane;
  }
}
