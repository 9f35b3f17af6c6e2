import { validationException } from '../../core/errors.js';

/**
 * Checks beyond the official model shared by CreateDomain and UpdateDomain: Clary's domains
 * authenticate with IAM only (no IAM Identity Center), and VpcOnly needs a VPC and subnets.
 */
export function validateAuthMode(authMode: string): void {
  if (authMode !== 'IAM') {
    throw validationException(`AuthMode ${authMode} is not supported by Clary: Clary supports AuthMode IAM only (user profiles sign in with their own access keys; see docs/studio.md).`);
  }
}

export function validateNetwork(access: string | undefined, vpcId: string | undefined, subnets: readonly string[] | undefined): void {
  if (access === 'VpcOnly' && (!vpcId || !subnets?.length)) {
    throw validationException('VpcId and SubnetIds are required when AppNetworkAccessType is VpcOnly.');
  }
}
