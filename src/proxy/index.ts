export { AuditLog, type AuditEntry } from './audit-log.js';
export { StudioProxy } from './studio-proxy.js';
export { setStudioEndpoint, studioEndpoint } from './studio-endpoint.js';
