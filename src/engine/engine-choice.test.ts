import { describe, expect, it } from 'vitest';
import { chooseEngine, type ChoiceProbe } from './engine-choice.js';

const probe = (files: string[], bins: Record<string, string>): ChoiceProbe => ({ exists: (p) => files.includes(p), which: (n) => bins[n] });
const config = { dockerHost: undefined, startPodman: true, podmanPath: 'podman' };

describe('which container engine Clary uses', () => {
  it('CLARY_DOCKER_HOST wins, as given (unix://, a path, tcp://)', () => {
    expect(chooseEngine({ ...config, dockerHost: 'unix:///run/x.sock' }, '/d', probe(['/var/run/docker.sock'], {}))).toMatchObject({ kind: 'socket', socketPath: '/run/x.sock' });
    expect(chooseEngine({ ...config, dockerHost: '/run/y.sock' }, '/d', probe([], {}))).toMatchObject({ kind: 'socket', socketPath: '/run/y.sock' });
    expect(chooseEngine({ ...config, dockerHost: 'tcp://10.0.0.5:2375' }, '/d', probe([], {}))).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 2375 });
  });
  it('then /var/run/docker.sock when it exists', () => {
    expect(chooseEngine(config, '/d', probe(['/var/run/docker.sock'], { podman: '/usr/bin/podman' }))).toMatchObject({ kind: 'socket', socketPath: '/var/run/docker.sock' });
  });
  it("then Clary's own Podman on <dataDir>/podman.sock", () => {
    expect(chooseEngine(config, '/data', probe([], { podman: '/usr/bin/podman' }))).toEqual({
      kind: 'podman',
      socketPath: '/data/podman.sock',
      podmanPath: '/usr/bin/podman',
      why: 'no /var/run/docker.sock: Clary runs /usr/bin/podman system service on /data/podman.sock',
    });
  });
  it('else none, saying what to install or set', () => {
    expect(chooseEngine(config, '/d', probe([], {}))).toMatchObject({ kind: 'none', why: expect.stringContaining('apt-get install podman runc catatonit') });
    expect(chooseEngine({ ...config, startPodman: false }, '/d', probe([], { podman: '/usr/bin/podman' }))).toMatchObject({ kind: 'none', why: expect.stringContaining('CLARY_START_PODMAN is off') });
  });
});
