export { localCandidates, parseImageName, type ImageName } from './image-candidates.js';
export { localImageId, NOT_FOUND_MESSAGE, resolveImage, type ImageResolution, type ResolveOptions } from './image-resolver.js';
export { listLocalImages, type LocalImage } from './local-images.js';
export { DEFAULT_REGISTRY, registryReachable } from './registry-reachable.js';
export { buildImage, type BuildOptions } from './build-image.js';
