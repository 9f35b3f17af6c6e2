export { ContainerEngineUnavailableError, INIT_CANDIDATES, openContainerEngine, type ContainerEngine } from './container-engine.js';
export { chooseEngine, DEFAULT_DOCKER_SOCKET, hostProbe, type ContainerEngineConfig, type EngineChoice } from './engine-choice.js';
export { LazyEngine } from './lazy-engine.js';
export { ping, waitForPing } from './ping.js';
export { PodmanService, type PodmanServiceOptions } from './podman-service.js';
export { podmanConfText } from './podman-conf.js';
