/**
 * Clary's own URL as browsers reach it (http://host:port), per running Clary: CreatePresignedDomainUrl
 * builds AuthorizedUrl on it. The composition root sets it once the server listens (the port may
 * be chosen by the OS).
 */
const endpoints = new WeakMap<object, string>();

export function setStudioEndpoint(platform: object, endpoint: string): void {
  endpoints.set(platform, endpoint);
}

export function studioEndpoint(platform: object): string | undefined {
  return endpoints.get(platform);
}
