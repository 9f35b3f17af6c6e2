/**
 * A space's size as its app sees it (docs/studio.md, "Space storage"): a kernel of a JupyterServer
 * app in a 5 GB private space sees a 5 GB home, writes 100 MB, and gets ENOSPC for 6 GiB.
 * UpdateSpace while the app runs grows the volume online where Clary may (CAP_SYS_RESOURCE), else
 * answers ResourceInUse and keeps the size. Real Jupyter, driven over the proxy's kernel WebSocket.
 */
import { existsSync } from 'node:fs';
import {
  CreateAppCommand, CreatePresignedDomainUrlCommand, DeleteAppCommand, DescribeSpaceCommand, UpdateSpaceCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { runCell, sessionFrom, studioFixture, waitForStatus } from '../studio-apps/studio-fixture.js';

// Loop mounts need root, /dev/loop-control and e2fsprogs (scripts/prepare.mjs installs it).
const isRoot = process.getuid?.() === 0 && existsSync('/dev/loop-control') && existsSync('/usr/sbin/mkfs.ext4');

describe.skipIf(!isRoot)('space storage inside the app', () => {
  let server: TestServer;
  let f: Awaited<ReturnType<typeof studioFixture>>;
  const app = () => ({ DomainId: f.domainId, SpaceName: 'alice-private', AppType: 'JupyterServer' as const, AppName: 'default' });

  beforeAll(async () => {
    server = await startTestServer();
    f = await studioFixture(server);
  }, 60_000);
  afterAll(async () => {
    if (f) {
      await f.admin.send(new DeleteAppCommand(app())).catch(() => undefined);
      await waitForStatus(f.admin, app(), ['Deleted', 'Failed']).catch(() => undefined);
      for (const c of [f.admin, f.alice, f.bob]) c.destroy();
    }
    await server?.close();
  }, 120_000);

  it('the kernel sees a 5 GB home: 100 MB fit, 6 GiB is ENOSPC', async () => {
    // The fixture's spaces take the default size: 5 GB.
    expect((await f.admin.send(new DescribeSpaceCommand({ DomainId: f.domainId, SpaceName: 'alice-private' }))).SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(5);
    await f.alice.send(new CreateAppCommand(app()));
    await waitForStatus(f.alice, app(), ['InService']);
    const cookie = await sessionFrom((await f.alice.send(new CreatePresignedDomainUrlCommand({ DomainId: f.domainId, UserProfileName: 'alice', SpaceName: 'alice-private' }))).AuthorizedUrl!);
    const base = `${server.endpoint}/studio/${f.domainId}/spaces/alice-private/jupyterserver/default/`;
    const code = [
      'import os, errno',
      "home = os.path.expanduser('~')",
      'st = os.statvfs(home)',
      'total = st.f_blocks * st.f_frsize',
      "assert 4.5 * 2**30 < total <= 5 * 2**30, f'home is {total} bytes'",
      "with open(os.path.join(home, 'small.bin'), 'wb') as f:",
      '    for _ in range(100): f.write(b"x" * 2**20)',
      "assert os.path.getsize(os.path.join(home, 'small.bin')) == 100 * 2**20",
      "fd = os.open(os.path.join(home, 'big.bin'), os.O_CREAT | os.O_WRONLY)",
      'try:',
      '    os.posix_fallocate(fd, 0, 6 * 2**30)',
      '    raise AssertionError("6 GiB fit in a 5 GB space")',
      'except OSError as e:',
      '    assert e.errno == errno.ENOSPC, e',
      'finally:',
      '    os.close(fd)',
      "    os.remove(os.path.join(home, 'big.bin'))",
    ].join('\n');
    expect(await runCell(base, cookie, code)).toBe('ok');

    // Growing while the app runs: online where this Clary may, else refused (and the size stays).
    const grown = await f.admin.send(new UpdateSpaceCommand({ DomainId: f.domainId, SpaceName: 'alice-private', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 6 } } } }))
      .then(() => undefined, (e: Error) => e);
    const size = (await f.admin.send(new DescribeSpaceCommand({ DomainId: f.domainId, SpaceName: 'alice-private' }))).SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb;
    if (grown === undefined) {
      expect(size).toBe(6);
      expect(await runCell(base, cookie, "import os; st = os.statvfs(os.path.expanduser('~')); assert st.f_blocks * st.f_frsize > 5.5 * 2**30")).toBe('ok');
    } else {
      expect(grown.name).toBe('ResourceInUse');
      expect(grown.message).toMatch(/Delete its app and try again/);
      expect(size).toBe(5);
    }
  }, 240_000);
});
