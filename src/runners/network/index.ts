export { asAttachment, attachmentOf, type NetworkAttachment } from './attachment.js';
export { openPrivateNetworks, NSENTER_PATH, type OpenedNetworks } from './open-networks.js';
export { DEFAULT_CLAIM_DIR, DEFAULT_PRIVATE_RANGE, PrivateNetworks, type PrivateNetworksOptions } from './private-networks.js';
export { instanceEndpoint, SERVICE_ADDRESS, ensureServiceAddress } from './service-address.js';
export { startServiceForwarder, type ServiceForwarder } from './service-forwarder.js';
export { startInstanceNetworks, type InstanceNetworks, type InstanceNetworksInput } from './instance-networks.js';
