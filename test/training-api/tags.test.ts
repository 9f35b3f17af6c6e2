import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddTagsCommand, CreateTrainingJobCommand, DeleteTagsCommand, ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { setBudget } from '../../src/compute/metering/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { jobRequest } from './support.js';

let server: TestServer;
let sm: SageMakerClient;
beforeAll(async () => {
  // What the handlers record, before any controller acts on it (test/training/ runs jobs for real).
  server = await startTestServer({ controllers: false });
  sm = new SageMakerClient(server.clientConfig);
});
afterAll(async () => {
  await server?.close();
});

const ARN = (name: string) => `arn:aws:sagemaker:us-east-1:000000000000:training-job/${name}`;
const tags = async (arn: string) => (await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags;

describe('AddTags / ListTags / DeleteTags', () => {
  it('round-trips the tags of a training job, found by its lower-cased ARN', async () => {
    const { TrainingJobArn } = await sm.send(new CreateTrainingJobCommand(jobRequest('Tagged-Job', { Tags: [{ Key: 'team', Value: 'vision' }, { Key: 'cost-center', Value: '42' }] })));
    expect(TrainingJobArn).toBe(ARN('tagged-job'));
    expect(await tags(ARN('tagged-job'))).toEqual([{ Key: 'team', Value: 'vision' }, { Key: 'cost-center', Value: '42' }]);

    const added = await sm.send(new AddTagsCommand({ ResourceArn: ARN('tagged-job'), Tags: [{ Key: 'team', Value: 'nlp' }, { Key: 'stage', Value: 'dev' }] }));
    expect(added.Tags).toEqual([{ Key: 'team', Value: 'nlp' }, { Key: 'cost-center', Value: '42' }, { Key: 'stage', Value: 'dev' }]);

    await sm.send(new DeleteTagsCommand({ ResourceArn: ARN('tagged-job'), TagKeys: ['cost-center', 'not-there'] }));
    expect(await tags(ARN('tagged-job'))).toEqual([{ Key: 'team', Value: 'nlp' }, { Key: 'stage', Value: 'dev' }]);
  });

  it('a job without tags lists none', async () => {
    await sm.send(new CreateTrainingJobCommand(jobRequest('untagged')));
    const out = await sm.send(new ListTagsCommand({ ResourceArn: ARN('untagged'), MaxResults: 50 }));
    expect(out.Tags).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('refuses a 51st tag, an invalid NextToken and a MaxResults under 50', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await sm.send(new CreateTrainingJobCommand(jobRequest('full-of-tags', { Tags: fifty })));
    expect(await tags(ARN('full-of-tags'))).toHaveLength(50);
    await expect(sm.send(new AddTagsCommand({ ResourceArn: ARN('full-of-tags'), Tags: [{ Key: 'one-more', Value: 'x' }] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `A resource can have at most 50 tags; this request would give ${ARN('full-of-tags')} 51.`,
    });
    await sm.send(new AddTagsCommand({ ResourceArn: ARN('full-of-tags'), Tags: [{ Key: 'k0', Value: 'replaced' }] }));
    expect((await tags(ARN('full-of-tags')))?.[0]).toEqual({ Key: 'k0', Value: 'replaced' });
    await expect(sm.send(new ListTagsCommand({ ResourceArn: ARN('full-of-tags'), NextToken: 'nope' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sm.send(new ListTagsCommand({ ResourceArn: ARN('full-of-tags'), MaxResults: 10 }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value '10' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 50",
    });
  });

  it('an ARN Clary holds nothing for is a ValidationException', async () => {
    for (const arn of [ARN('never-created'), 'arn:aws:sagemaker:eu-west-1:000000000000:training-job/tagged-job', 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/ep']) {
      for (const cmd of [new ListTagsCommand({ ResourceArn: arn }), new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: 'b' }] }), new DeleteTagsCommand({ ResourceArn: arn, TagKeys: ['a'] })]) {
        await expect(sm.send(cmd as ListTagsCommand)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(arn) });
      }
    }
  });
});

describe('Studio owner tags', () => {
  it('name the owner whose exhausted budget refuses the job', async () => {
    const { store } = server.app.platform;
    await setBudget(store, { target: { scope: 'user', domainId: 'd-abc123', userProfileName: 'alice' }, usdPerMonth: 0 }, Date.now());
    const studioTags = [
      { Key: 'sagemaker:domain-arn', Value: 'arn:aws:sagemaker:us-east-1:000000000000:domain/d-abc123' },
      { Key: 'sagemaker:user-profile-arn', Value: 'arn:aws:sagemaker:us-east-1:000000000000:user-profile/d-abc123/alice' },
    ];
    await expect(sm.send(new CreateTrainingJobCommand(jobRequest('over-budget', { Tags: studioTags })))).rejects.toMatchObject({
      name: 'ResourceLimitExceeded',
      message: 'Budget of $0.00 for user alice (domain d-abc123) is exhausted this month ($0.00 spent). New work is refused until the budget is raised or the month ends.',
    });
    // Bob of the same domain has no budget: his job is stored with its owner for the controller's metering.
    const bob = [studioTags[0]!, { Key: 'sagemaker:user-profile-arn', Value: 'arn:aws:sagemaker:us-east-1:000000000000:user-profile/d-abc123/bob' }];
    await sm.send(new CreateTrainingJobCommand(jobRequest('bobs-job', { Tags: bob })));
    const rec = await store.getResource<{ _clary?: unknown }>('training-job', 'bobs-job');
    expect(rec?.doc._clary).toEqual({ owner: { domainId: 'd-abc123', userProfileName: 'bob' } });
  });
});
