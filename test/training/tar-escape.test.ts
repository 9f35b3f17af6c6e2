import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, scriptJob, uploadSourceDir, waitForJob } from './support.js';

const run = promisify(execFile);

/**
 * Clary itself (outside the sandbox, as root) unpacks sourcedir.tar.gz and packs /opt/ml/model: neither
 * may be turned by a job's files into a way to read or write Clary's data dir.
 */
let server: TestServer;
let dataDir: string;
beforeAll(async () => {
  // Not under /tmp: each sandbox gets its own /tmp, which would hide a data dir there for free.
  dataDir = await mkdtemp(join('/var/tmp', 'clary-tar-escape-'));
  server = await startTestServer({ dataDir });
  await createBucket(server, 'ml-data');
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('archives Clary handles for a job stay inside the job', () => {
  it('links in /opt/ml/model to Clary\'s files upload as links, never the files\' bytes', async () => {
    const secret = (await readFile(join(dataDir, 'credentials'), 'utf8')).trim();
    expect(secret.length).toBeGreaterThan(8);
    const source = await uploadSourceDir(server, 'ml-data', 'code/links.tar.gz', {
      'train.py':
        'import os, sys\n' +
        'data_dir = sys.argv[sys.argv.index("--data-dir") + 1]\n' +
        'model = os.environ["SM_MODEL_DIR"]\n' +
        'os.symlink(os.path.join(data_dir, "credentials"), os.path.join(model, "credentials"))\n' +
        'os.symlink(data_dir, os.path.join(model, "clary"))\n' +
        'os.mkfifo(os.path.join(model, "pipe"))\n' +
        'open(os.path.join(model, "weights.txt"), "w").write("ok")\n',
    });
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob('model-links', source, {}, { 'data-dir': dataDir })));
    const d = await waitForJob(server, 'model-links');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'ml-data', Key: 'output/model-links/output/model.tar.gz' }));
    const tar = gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString('latin1');
    expect(tar).toContain('weights.txt');
    expect(tar).not.toContain(secret);
    expect(tar).not.toContain('clary.db');
  });

  it.each([
    ['/opt/ml/model', 'model', 'model.tar.gz'],
    ['/opt/ml/output/data', 'output-data', 'output.tar.gz'],
  ])('%s replaced by a link to Clary\'s data dir uploads nothing of it', async (dir, name, archive) => {
    const secret = (await readFile(join(dataDir, 'credentials'), 'utf8')).trim();
    const source = await uploadSourceDir(server, 'ml-data', `code/swap-${name}.tar.gz`, {
      'train.py':
        'import os, shutil, sys\n' +
        'data_dir = sys.argv[sys.argv.index("--data-dir") + 1]\n' +
        `shutil.rmtree("${dir}")\nos.symlink(data_dir, "${dir}")\n`,
    });
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob(`swap-${name}`, source, {}, { 'data-dir': dataDir })));
    const d = await waitForJob(server, `swap-${name}`);
    expect(['Completed', 'Failed']).toContain(d.TrainingJobStatus);
    const got = await new S3Client(server.clientConfig)
      .send(new GetObjectCommand({ Bucket: 'ml-data', Key: `output/swap-${name}/output/${archive}` }))
      .catch(() => undefined);
    if (got) {
      const tar = gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString('latin1');
      expect(tar).not.toContain(secret);
      expect(tar).not.toContain('clary.db');
    }
  });

  it.each([
    ['a link to Clary\'s credentials', 'link', 'os.symlink(os.path.join(data_dir, "credentials"), failure)'],
    ['a FIFO nobody writes', 'fifo', 'os.mkfifo(failure)'],
  ])('/opt/ml/output/failure as %s: the job fails with its exit code, not the file behind it, and does not hang', async (_, kind, make) => {
    const secret = (await readFile(join(dataDir, 'credentials'), 'utf8')).trim();
    const source = await uploadSourceDir(server, 'ml-data', `code/failure-${kind}.tar.gz`, {
      'train.py': `import os, sys\ndata_dir = sys.argv[sys.argv.index("--data-dir") + 1]\nfailure = "/opt/ml/output/failure"\n${make}\nos._exit(5)\n`,
    });
    // The toolkit leaves a failure file that already exists alone, so Clary reads what the script made.
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob(`failure-${kind}`, source, {}, { 'data-dir': dataDir })));
    const d = await waitForJob(server, `failure-${kind}`, 60_000);
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).not.toContain(secret);
    expect(d.FailureReason).toMatch(/^AlgorithmError: /);
  });

  it.each([
    ['a symlink to the data dir, then a file through it', 'through-link'],
    ['an absolute path into the data dir', 'absolute'],
    ['a "../" path into the data dir', 'dotdot'],
  ])('a sourcedir.tar.gz with %s cannot put a file into Clary\'s data dir', async (_, kind) => {
    const dir = await mkdtemp(join('/var/tmp', 'clary-evil-src-'));
    try {
      const archive = join(dir, 'sourcedir.tar.gz');
      // The code dir is <dataDir>/jobs/<job>/algo-1/code: four levels below the data dir.
      await run('python3', ['-c', `
import io, sys, tarfile
archive, kind, data_dir = sys.argv[1:4]
with tarfile.open(archive, "w:gz") as t:
    def add(name, data=b"pwned", kind=tarfile.REGTYPE, link=""):
        info = tarfile.TarInfo(name); info.type = kind; info.linkname = link; info.size = len(data) if kind == tarfile.REGTYPE else 0
        t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    add("train.py", b"print('ran')\\n")
    if kind == "through-link":
        add("escape", kind=tarfile.SYMTYPE, link="../../../..")
        add("escape/pwned-through-link.txt")
    elif kind == "absolute":
        add(data_dir + "/pwned-absolute.txt")
    else:
        add("../../../../pwned-dotdot.txt")
`, archive, kind, dataDir]);
      await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: 'ml-data', Key: `code/evil-${kind}.tar.gz`, Body: await readFile(archive) }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob(`evil-${kind}`, `s3://ml-data/code/evil-${kind}.tar.gz`)));
    const d = await waitForJob(server, `evil-${kind}`);
    // Refusing the archive or unpacking it harmlessly are both fine; writing outside the code dir is not.
    if (d.TrainingJobStatus === 'Failed') expect(d.FailureReason).toMatch(/^ClientError: cannot fetch the training code/);
    else expect(d.TrainingJobStatus).toBe('Completed');
    expect(existsSync(join(dataDir, `pwned-${kind}.txt`))).toBe(false);
  });
});
