import { startClaryProcess } from './lib/clary-process.js';

/** Cold start to healthy (spawn → first 200 on /_clary/health, fresh data dir) and idle RSS. Targets: ≤ 1.5 s, ≤ 150 MB. */
export async function run() {
  const starts: number[] = [];
  let rss = 0;
  for (let i = 0; i < 5; i++) {
    const p = await startClaryProcess();
    starts.push(p.startMs);
    if (i === 0) {
      await new Promise((r) => setTimeout(r, 3000));
      rss = await p.rssBytes();
    }
    await p.stop();
  }
  starts.sort((a, b) => a - b);
  return {
    name: 'startup',
    coldStartMsP50: Math.round(starts[2]!),
    coldStartMsMax: Math.round(starts[4]!),
    idleRssMB: +(rss / 1024 / 1024).toFixed(1),
    targets: { coldStartMs: '<= 1500', idleRssMB: '<= 150' },
  };
}
