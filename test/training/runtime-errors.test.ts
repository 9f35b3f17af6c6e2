import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

let server: TestServer;
let source: string;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'data/train/train.csv', '1,2\n');
  source = await uploadSourceDir(server, 'ml-data', 'code/ok.tar.gz', { 'train.py': 'print("ran", flush=True)\n' });
});
afterAll(async () => {
  await server?.close();
});

const withImage = (name: string, image: string) =>
  new CreateTrainingJobCommand(
    scriptJob(name, source, {
      AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
      InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/data/train/' } } }],
    }),
  );

describe('requests that are valid on the wire but cannot run here fail the job with a clear reason', () => {
  it('a custom (non-framework) image: accepted, then Failed saying Clary has no runtime for it', async () => {
    const sm = new SageMakerClient(server.clientConfig);
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:latest';
    const created = await sm.send(withImage('custom-image', image));
    expect(created.TrainingJobArn).toMatch(/:training-job\/custom-image$/);
    const d = await waitForJob(server, 'custom-image');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.SecondaryStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: /);
    expect(d.FailureReason).toContain(image);
    expect(d.FailureReason).toContain('not a SageMaker framework image');
    expect(d.SecondaryStatusTransitions?.map((t) => t.Status)).toEqual(['Starting', 'Failed']);
  });

  it('a framework whose runtime is not installed (TensorFlow): Failed naming the runtime', async () => {
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(withImage('tf-missing', '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.13-cpu-py310'));
    const d = await waitForJob(server, 'tf-missing');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: /);
    expect(d.FailureReason).toContain('runtime tensorflow is not installed on this Clary');
  });

  it('an inference image used for training: Failed, pointing at the training image', async () => {
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(withImage('inference-image', '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.0.1-cpu-py310'));
    const d = await waitForJob(server, 'inference-image');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: .*inference image/);
  });

  const trainChannel = (uri: string) => [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: uri } } }];

  it.each([
    ['a channel in a bucket that does not exist', 'no-bucket', { InputDataConfig: trainChannel('s3://no-such-bucket/train/') }, undefined, /^ClientError: .*s3:\/\/no-such-bucket\/train\//],
    ['code that is not in S3', 'no-code', {}, 's3://ml-data/code/missing.tar.gz', /^ClientError: cannot fetch the training code s3:\/\/ml-data\/code\/missing.tar.gz/],
  ] as const)('%s: Failed before training, with a ClientError naming it', async (_, name, extra, code, reason) => {
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob(name, code ?? source, extra)));
    const d = await waitForJob(server, name);
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(reason);
    expect(d.SecondaryStatusTransitions?.map((t) => t.Status)).not.toContain('Training');
  });

  it('sagemaker_program names a file the source dir does not have: Failed, naming it', async () => {
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({ ...scriptJob('no-entry-point', source), HyperParameters: { sagemaker_program: '"missing.py"', sagemaker_submit_directory: JSON.stringify(source) } }),
    );
    const d = await waitForJob(server, 'no-entry-point');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toContain('missing.py');
  });

  it('an output path in a bucket that does not exist: the job runs, then fails its upload with a ClientError naming the path', async () => {
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob('no-output-bucket', source, { OutputDataConfig: { S3OutputPath: 's3://no-such-output/models' } })));
    const d = await waitForJob(server, 'no-output-bucket');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: .*s3:\/\/no-such-output\/models/);
  });
});
