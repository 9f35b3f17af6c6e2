import { constants } from 'node:os';
import type { ExitInfo } from '../runner.js';
import type { ExitRecord } from './run-dir.js';

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]),
);

/** ExitInfo from the supervisor's record (undefined: the instance died unrecorded). */
export function exitInfoOf(record: ExitRecord | undefined, oomKilled: boolean, startedAt: number): ExitInfo {
  if (!record) return { exitCode: null, signal: null, oomKilled, durationMs: Math.max(0, Date.now() - startedAt) };
  const signal = record.status > 128 ? (SIGNAL_NAMES.get(record.status - 128) ?? null) : null;
  return { exitCode: record.status, signal, oomKilled, durationMs: Math.max(0, record.endedAt - startedAt) };
}
