import { constants } from 'node:os';
import type { ExitInfo } from '../runner.js';

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** The parts of `docker inspect`'s State the lane reads. */
export interface ContainerState {
  readonly Status?: string;
  readonly Running?: boolean;
  readonly ExitCode?: number;
  readonly OOMKilled?: boolean;
  readonly Error?: string;
  readonly StartedAt?: string;
  readonly FinishedAt?: string;
}

/** ExitInfo from an exited container's state; `undefined` state: it is gone without a record. */
export function exitInfoOf(state: ContainerState | undefined, oomKilled: boolean, startedAt: number): ExitInfo {
  if (!state || typeof state.ExitCode !== 'number') return { exitCode: null, signal: null, oomKilled, durationMs: Math.max(0, Date.now() - startedAt) };
  const code = state.ExitCode;
  const signal = code > 128 ? (SIGNAL_NAMES.get(code - 128) ?? null) : null;
  const finished = Date.parse(state.FinishedAt ?? '');
  const ended = Number.isFinite(finished) && finished > 0 ? finished : Date.now();
  return { exitCode: code, signal, oomKilled, durationMs: Math.max(0, ended - startedAt) };
}
