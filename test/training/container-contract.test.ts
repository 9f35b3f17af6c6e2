import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/** Prints, as one JSON line, what §4 of the contract says a training container sees. */
const TRAIN_PY = `
import json, os, socket
cfg = lambda n: json.load(open(os.path.join("/opt/ml/input/config", n)))
env = {k: v for k, v in os.environ.items() if k.startswith(("SM_", "TRAINING_JOB_", "MY_")) and k not in ("SM_TRAINING_ENV",)}
print("CONTRACT " + json.dumps({
    "env": env,
    "training_env": json.loads(os.environ["SM_TRAINING_ENV"]),
    "hyperparameters": cfg("hyperparameters.json"),
    "inputdataconfig": cfg("inputdataconfig.json"),
    "resourceconfig": cfg("resourceconfig.json"),
    "cwd": os.getcwd(),
    "uid": os.getuid(),
    "hostname": socket.gethostname(),
    "resolves": {h: socket.gethostbyname(h) for h in json.loads(os.environ["SM_HOSTS"])},
    "dirs": sorted(d for d in ("model", "output/data", "checkpoints", "code", "input/data/train", "input/data/test") if os.path.isdir("/opt/ml/" + d)),
    "files": {c: sorted(os.listdir("/opt/ml/input/data/" + c)) for c in ("train", "test")},
}, sort_keys=True), flush=True)
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'contract/train/a.csv', '1,2\n');
  await putText(server, 'ml-data', 'contract/train/nested/b.csv', '3,4\n');
  await putText(server, 'ml-data', 'contract/test/c.csv', '5,6\n');
});
afterAll(async () => {
  await server?.close();
});

describe('the training container contract (§4)', () => {
  it('environment, /opt/ml config files, channels and hosts are what SageMaker gives a script-mode job', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/contract.tar.gz', { 'train.py': TRAIN_PY });
    const request = scriptJob(
      'contract',
      source,
      {
        Environment: { MY_FLAG: 'on' },
        ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 2, VolumeSizeInGB: 1 },
        InputDataConfig: [
          { ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/contract/train/' } } },
          { ChannelName: 'test', InputMode: 'FastFile', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/contract/test/' } } },
        ],
      },
      { epochs: 3, 'learning-rate': 0.1, label: 'y' },
    );
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(request));
    const d = await waitForJob(server, 'contract');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');

    for (const host of ['algo-1', 'algo-2']) {
      const log = await jobLogs(server, `contract/${host}-`);
      const line = log.split('\n').find((l) => l.startsWith('CONTRACT '));
      expect(line, log).toBeDefined();
      const c = JSON.parse(line!.slice('CONTRACT '.length)) as Record<string, any>;
      expect(c.hyperparameters).toEqual(request.HyperParameters);
      expect(c.inputdataconfig).toEqual({
        train: { ContentType: 'text/csv', TrainingInputMode: 'File', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' },
        test: { TrainingInputMode: 'FastFile', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' },
      });
      expect(c.resourceconfig).toMatchObject({ current_host: host, hosts: ['algo-1', 'algo-2'], network_interface_name: 'eth0', current_instance_type: 'ml.t3.medium' });
      expect(c.env).toMatchObject({
        TRAINING_JOB_NAME: 'contract',
        TRAINING_JOB_ARN: d.TrainingJobArn,
        MY_FLAG: 'on',
        SM_MODEL_DIR: '/opt/ml/model',
        SM_OUTPUT_DATA_DIR: '/opt/ml/output/data',
        SM_CHANNELS: '["test","train"]',
        SM_CHANNEL_TRAIN: '/opt/ml/input/data/train',
        SM_CHANNEL_TEST: '/opt/ml/input/data/test',
        SM_HPS: '{"epochs":3,"label":"y","learning-rate":0.1}',
        'SM_HP_LEARNING-RATE': '0.1',
        SM_HP_LABEL: 'y',
        SM_HOSTS: '["algo-1","algo-2"]',
        SM_CURRENT_HOST: host,
        SM_CURRENT_INSTANCE_TYPE: 'ml.t3.medium',
        SM_USER_ENTRY_POINT: 'train.py',
        SM_MODULE_DIR: JSON.parse(request.HyperParameters!.sagemaker_submit_directory!),
        SM_USER_ARGS: '["--epochs","3","--label","y","--learning-rate","0.1"]',
        SM_NUM_GPUS: '0',
      });
      expect(c.training_env).toMatchObject({ job_name: 'contract', current_host: host, hosts: ['algo-1', 'algo-2'], channel_input_dirs: { train: '/opt/ml/input/data/train', test: '/opt/ml/input/data/test' } });
      expect(c.cwd).toBe('/opt/ml/code');
      expect(c.uid).toBe(0);
      expect(c.hostname).toBe(host);
      expect(Object.keys(c.resolves)).toEqual(['algo-1', 'algo-2']);
      expect(c.dirs).toEqual(['checkpoints', 'code', 'input/data/test', 'input/data/train', 'model', 'output/data']);
      expect(c.files).toEqual({ train: ['a.csv', 'nested'], test: ['c.csv'] });
    }
  });
});
