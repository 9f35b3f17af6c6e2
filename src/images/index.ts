export { localCandidates, parseImageName, type ImageName } from './image-candidates.js';
export { localImageId, NOT_FOUND_MESSAGE, resolveImage, type ImageResolution, type ResolveOptions } from './image-resolver.js';
export { listLocalImages, type LocalImage } from './local-images.js';
export { DEFAULT_REGISTRY, registryReachable } from './registry-reachable.js';
export { buildImage, type BuildOptions } from './build-image.js';
export { FRAMEWORK_IMAGES, IMAGE_PYTHON, IMAGE_RUNTIMES, findFrameworkImage, frameworkImageName, isImageRuntime, type BuiltFrameworkImage, type FrameworkImage, type ImageRuntime } from './framework-images.js';
export { buildFrameworkImage, toolkitHash, type FrameworkBuild, type FrameworkBuildOptions } from './build-framework-image.js';
export { debianBaseTag, debootstrapMissing, ensureDebianBase } from './debian-base.js';
