import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListTrainingJobsCommand, SageMakerClient, StopTrainingJobCommand, type ListTrainingJobsCommandInput } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildDoc } from '../../src/services/sagemaker/training-jobs-create.js';
import type { ValidTrainingJobRequest } from '../../src/services/sagemaker/training-jobs-validate.js';
import { jobRequest } from './support.js';

let server: TestServer;
let sm: SageMakerClient;
const NAMES = ['list-b', 'list-a', 'other-c', 'list-d', 'other-e', 'list-f', 'list-g', 'list-h', 'list-i', 'list-j', 'list-k', 'list-l'];
const created: Record<string, number> = {};

beforeAll(async () => {
  // What the handlers record, before any controller acts on it (test/training/ runs jobs for real).
  server = await startTestServer({ controllers: false });
  sm = new SageMakerClient(server.clientConfig);
  // Jobs as CreateTrainingJob stores them, with creation times a minute apart in the past
  // (the API would stamp them within the same few milliseconds).
  const { store } = server.app.platform;
  const start = Date.now() - 3_600_000;
  for (const [i, name] of NAMES.entries()) {
    const t = start + i * 60_000;
    created[name] = t;
    const arn = `arn:aws:sagemaker:us-east-1:000000000000:training-job/${name}`;
    const doc = buildDoc(jobRequest(name) as ValidTrainingJobRequest, arn, t, undefined);
    await store.createResource({ kind: 'training-job', id: name, name, arn, parent: null, status: 'InProgress', creationTime: t, lastModifiedTime: t, doc });
  }
  await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'list-a' }));
});
afterAll(async () => {
  await server?.close();
});

const names = async (input: ListTrainingJobsCommandInput) => (await sm.send(new ListTrainingJobsCommand(input))).TrainingJobSummaries!.map((s) => s.TrainingJobName);

async function all(input: ListTrainingJobsCommandInput): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await sm.send(new ListTrainingJobsCommand({ ...input, NextToken: token }));
    out.push(...page.TrainingJobSummaries!.map((s) => s.TrainingJobName!));
    token = page.NextToken;
  } while (token);
  return out;
}

describe('ListTrainingJobs', () => {
  it('defaults: CreationTime ascending, 10 per page, NextToken for the rest', async () => {
    const first = await sm.send(new ListTrainingJobsCommand({}));
    expect(first.TrainingJobSummaries!.map((s) => s.TrainingJobName)).toEqual(NAMES.slice(0, 10));
    expect(first.NextToken).toBeDefined();
    const second = await sm.send(new ListTrainingJobsCommand({ NextToken: first.NextToken }));
    expect(second.TrainingJobSummaries!.map((s) => s.TrainingJobName)).toEqual(NAMES.slice(10));
    expect(second.NextToken).toBeUndefined();
    const s = first.TrainingJobSummaries![0]!;
    expect(s).toMatchObject({ TrainingJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/list-b', TrainingJobStatus: 'InProgress', SecondaryStatus: 'Starting' });
    expect(s.CreationTime).toEqual(new Date(created['list-b']!));
  });

  it('sorts by Name, CreationTime and Status both ways, across pages', async () => {
    const sorted = [...NAMES].sort();
    expect(await all({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 5 })).toEqual(sorted);
    expect(await all({ SortBy: 'Name', SortOrder: 'Descending', MaxResults: 5 })).toEqual([...sorted].reverse());
    expect(await all({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 3 })).toEqual([...NAMES].reverse());
    const byStatus = await all({ SortBy: 'Status', SortOrder: 'Descending', MaxResults: 4 });
    expect(byStatus[0]).toBe('list-a'); // "Stopping" sorts after "InProgress"
    expect(byStatus).toHaveLength(NAMES.length);
  });

  it('filters by NameContains (case-insensitive), StatusEquals and the time windows', async () => {
    expect(await all({ NameContains: 'OTHER' })).toEqual(['other-c', 'other-e']);
    expect(await names({ StatusEquals: 'Stopping' })).toEqual(['list-a']);
    expect(await all({ StatusEquals: 'InProgress', MaxResults: 100 })).toHaveLength(NAMES.length - 1);
    expect(await names({ CreationTimeAfter: new Date(created['list-d']!), CreationTimeBefore: new Date(created['list-g']!) })).toEqual(['other-e', 'list-f']);
    expect(await names({ LastModifiedTimeAfter: new Date(created['list-l']!) })).toEqual(['list-a']);
    expect(await names({ LastModifiedTimeBefore: new Date(created['list-a']!) })).toEqual(['list-b']);
  });

  it('WarmPoolStatusEquals and TrainingPlanArnEquals match what the controller recorded, and page', async () => {
    const store = server.app.platform.store;
    for (const name of ['list-d', 'list-g', 'list-j']) {
      const rec = await store.getResource<Record<string, unknown>>('training-job', name);
      await store.updateResource('training-job', name, rec!.version, { doc: { ...rec!.doc, WarmPoolStatus: { Status: 'Available' } }, lastModifiedTime: rec!.lastModifiedTime });
    }
    const first = await sm.send(new ListTrainingJobsCommand({ WarmPoolStatusEquals: 'Available', MaxResults: 2 }));
    expect(first.TrainingJobSummaries!.map((s) => [s.TrainingJobName, s.WarmPoolStatus?.Status])).toEqual([['list-d', 'Available'], ['list-g', 'Available']]);
    const second = await sm.send(new ListTrainingJobsCommand({ WarmPoolStatusEquals: 'Available', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.TrainingJobSummaries!.map((s) => s.TrainingJobName)).toEqual(['list-j']);
    expect(await names({ WarmPoolStatusEquals: 'InUse' })).toEqual([]);
    expect(await names({ TrainingPlanArnEquals: 'arn:aws:sagemaker:us-east-1:000000000000:training-plan/p1' })).toEqual([]);
  });

  it('an invalid NextToken is a ValidationException', async () => {
    for (const NextToken of ['garbage!', 'bm90LWEtY3Vyc29y']) {
      await expect(sm.send(new ListTrainingJobsCommand({ NextToken }))).rejects.toMatchObject({ name: 'ValidationException' });
    }
    // A token of one ordering is not valid for another.
    const page = await sm.send(new ListTrainingJobsCommand({ MaxResults: 1 }));
    await expect(sm.send(new ListTrainingJobsCommand({ NextToken: page.NextToken, SortBy: 'Name' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
