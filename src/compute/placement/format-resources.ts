const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

/**
 * Bytes for people: "16 GiB", "1.5 GiB", "512 MiB". Amounts needed round up and amounts free
 * round down, so a message never reads "needs 4 GiB, 4 GiB free".
 */
export function formatBytes(bytes: number, round: 'up' | 'down'): string {
  const f = round === 'up' ? Math.ceil : Math.floor;
  if (bytes >= GiB || bytes === 0) return `${trim(f((bytes / GiB) * 10) / 10)} GiB`;
  return `${f(bytes / MiB)} MiB`;
}

/** vCPUs in thousandths to text: 2000 → "2", 500 → "0.5". */
export function formatVcpus(milli: number): string {
  return String(Math.round(milli) / 1000);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
