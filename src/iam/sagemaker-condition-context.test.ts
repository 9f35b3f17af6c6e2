import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTags } from '../services/sagemaker/tags-records.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { SPACE_KIND } from '../studio/user-identity.js';
import { sagemakerConditionKeys } from './sagemaker-condition-context.js';

let store: MetadataStore;
const scope = () => ({ region: 'us-east-1', accountId: '000000000000', store });
const A = 'arn:aws:sagemaker:us-east-1:000000000000';

beforeAll(async () => {
  store = await openSqliteStore(':memory:');
  await store.migrate();
  await addTags(store, `${A}:model/m`, [{ Key: 'team', Value: 'ml' }], 0);
  await addTags(store, `${A}:user-profile/d-1/alice`, [{ Key: 'tier', Value: 'gold' }], 0);
  for (const [name, doc] of [
    ['team', { SpaceSharingSettings: { SharingType: 'Shared' } }],
    ['mine', { SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'Alice' } }],
  ] as const) {
    await store.createResource({ kind: SPACE_KIND, id: `d-1/${name}`, name, arn: `${A}:space/d-1/${name}`, parent: 'd-1', status: 'InService', creationTime: 0, lastModifiedTime: 0, doc: { DomainId: 'd-1', SpaceName: name, ...doc } });
  }
});
afterAll(async () => {
  await store?.close();
});

describe('sagemakerConditionKeys', () => {
  it('reads the tags of the resource acted on, not of one being created', async () => {
    expect(await sagemakerConditionKeys('DescribeModel', { ModelName: 'm' }, `${A}:model/m`, scope())).toEqual({ 'sagemaker:ResourceTag/team': 'ml', 'aws:ResourceTag/team': 'ml' });
    expect(await sagemakerConditionKeys('CreateModel', { ModelName: 'm' }, `${A}:model/m`, scope())).toEqual({});
    expect(await sagemakerConditionKeys('CreatePresignedDomainUrl', { DomainId: 'd-1', UserProfileName: 'alice' }, `${A}:user-profile/d-1/alice`, scope())).toEqual({
      'sagemaker:ResourceTag/tier': 'gold',
      'aws:ResourceTag/tier': 'gold',
    });
    expect(await sagemakerConditionKeys('ListModels', {}, '*', scope())).toEqual({});
  });

  it('space sharing type and owner: from the stored space, from CreateSpace\'s request, absent for a user profile\'s app', async () => {
    expect(await sagemakerConditionKeys('CreateApp', { DomainId: 'd-1', SpaceName: 'mine', AppType: 'JupyterLab', AppName: 'default' }, `${A}:app/d-1/mine/jupyterlab/default`, scope())).toEqual({
      'sagemaker:SpaceSharingType': 'Private',
      'sagemaker:OwnerUserProfileArn': `${A}:user-profile/d-1/alice`,
    });
    expect(await sagemakerConditionKeys('DeleteSpace', { DomainId: 'd-1', SpaceName: 'TEAM' }, `${A}:space/d-1/team`, scope())).toEqual({ 'sagemaker:SpaceSharingType': 'Shared' });
    expect(await sagemakerConditionKeys('CreateSpace', { DomainId: 'd-1', SpaceName: 'new', SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'bob' } }, `${A}:space/d-1/new`, scope())).toEqual({
      'sagemaker:SpaceSharingType': 'Private',
      'sagemaker:OwnerUserProfileArn': `${A}:user-profile/d-1/bob`,
    });
    expect(await sagemakerConditionKeys('CreateApp', { DomainId: 'd-1', UserProfileName: 'alice', AppType: 'JupyterServer', AppName: 'default' }, `${A}:app/d-1/alice/jupyterserver/default`, scope())).toEqual({});
    expect(await sagemakerConditionKeys('UpdateSpace', { DomainId: 'd-1', SpaceName: 'gone' }, `${A}:space/d-1/gone`, scope())).toEqual({});
  });
});
