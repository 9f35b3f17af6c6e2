import { describe, expect, it } from 'vitest';
import { appBaseUrl, parseAppPath } from './app-paths.js';

describe('Studio proxy paths', () => {
  it('round-trips a space app and a user app, lower-cased', () => {
    const space = appBaseUrl('d-abc123', { SpaceName: 'Team' }, 'JupyterLab', 'Default');
    expect(space).toBe('/studio/d-abc123/spaces/team/jupyterlab/default/');
    expect(parseAppPath(`${space}api/kernels/1/channels`)).toEqual({ domainId: 'd-abc123', owner: { SpaceName: 'team' }, appType: 'jupyterlab', appName: 'default' });
    expect(parseAppPath('/studio/d-abc123/users/Alice/')).toEqual({ domainId: 'd-abc123', owner: { UserProfileName: 'alice' }, appType: undefined, appName: undefined });
  });

  it('names nothing for other paths', () => {
    for (const p of ['/studio/', '/studio/d-abc123/', '/studio/d-abc123/auth', '/studio/x/spaces/team/', '/studio/d-abc123/spaces/../x', '/studio/d-abc123/other/team/']) {
      expect(parseAppPath(p)).toBeUndefined();
    }
  });
});
