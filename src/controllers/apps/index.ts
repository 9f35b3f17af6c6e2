export { AppController } from './app-controller.js';
export type { AppDeps } from './app-deps.js';
export { appBaseUrl, parseAppPath, STUDIO_PREFIX, SERVED_APP_TYPES } from './app-paths.js';
export { sweepLeftoverApps } from './leftover-apps.js';
