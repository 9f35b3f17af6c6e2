import { describe, expect, it } from 'vitest';
import { frameworkBuildTarget } from '../cli/images.js';
import { compileConfig, ConfigError } from '../core/config.js';
import { matchRuntime } from '../runtimes/image-map.js';
import { inContext } from './build-framework-image.js';
import { debianBaseTag } from './debian-base.js';
import { FRAMEWORK_IMAGES, IMAGE_RUNTIMES } from './framework-images.js';

describe('framework images', () => {
  it('CLARY_RUNTIME_LANES: runtime=lane pairs; default process; anything else is a ConfigError', () => {
    expect(compileConfig({}, {}).containers.runtimeLanes).toEqual({});
    expect(compileConfig({}, { CLARY_RUNTIME_LANES: 'sklearn=container, pytorch=process' }).containers.runtimeLanes).toEqual({ sklearn: 'container', pytorch: 'process' });
    expect(() => compileConfig({}, { CLARY_RUNTIME_LANES: 'tensorflow=container' })).toThrow(ConfigError);
    expect(() => compileConfig({}, { CLARY_RUNTIME_LANES: 'sklearn=docker' })).toThrow(/runtime=lane pairs/);
  });

  it('the base tag changes with packages, suite or mirror, not with their order', () => {
    const a = debianBaseTag({ name: 'sklearn', packages: ['python3', 'python3-sklearn'], mirror: 'http://deb.debian.org/debian' });
    expect(a).toMatch(/^clary-base\/sklearn:[0-9a-f]{16}$/);
    expect(debianBaseTag({ name: 'sklearn', packages: ['python3-sklearn', 'python3'], mirror: 'http://deb.debian.org/debian' })).toBe(a);
    expect(debianBaseTag({ name: 'sklearn', packages: ['python3'], mirror: 'http://deb.debian.org/debian' })).not.toBe(a);
    expect(debianBaseTag({ name: 'sklearn', packages: ['python3', 'python3-sklearn'], mirror: 'http://mirror.example/debian' })).not.toBe(a);
    expect(debianBaseTag({ name: 'sklearn', packages: ['python3', 'python3-sklearn'], mirror: 'http://deb.debian.org/debian', suite: 'trixie' })).not.toBe(a);
  });

  it('each image carries SageMaker names the image map knows as its framework', () => {
    for (const rt of IMAGE_RUNTIMES) for (const tag of FRAMEWORK_IMAGES[rt].sagemakerTags) expect(matchRuntime(tag)?.framework).toBe(rt);
  });

  it('the build context is the toolkit and the entry scripts, without bytecode or tests', () => {
    expect(inContext('python/clary_training/trainer.py')).toBe(true);
    expect(inContext('python/clary_inference/frameworks/sklearn.py')).toBe(true);
    expect(inContext('containers/bin/serve')).toBe(true);
    expect(inContext('python/clary_training/__pycache__/trainer.cpython-311.pyc')).toBe(false);
    expect(inContext('python/tests/test_trainer.py')).toBe(false);
    expect(inContext('toolkit.test.ts')).toBe(false);
  });

  it('clary images build NAME: a known runtime that is not a directory is a framework build', () => {
    expect(frameworkBuildTarget('sklearn', false)).toBe('sklearn');
    expect(frameworkBuildTarget('sklearn', true)).toBeUndefined();
    expect(frameworkBuildTarget('./my-image', false)).toBeUndefined();
  });
});
