import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';

export type PathKind = 'dir' | 'file' | 'symlink' | 'other';

/** What sandbox planning needs to know about the host's file system (a seam for unit tests). */
export interface FsProbe {
  /** Kind of path itself (symlinks not followed); undefined when absent. */
  kind(path: string): PathKind | undefined;
  /** Kind after following symlinks; undefined when absent or dangling. */
  resolvedKind(path: string): PathKind | undefined;
  list(dir: string): string[];
  linkTarget(path: string): string;
  /** The path with every symlink resolved; undefined when absent. */
  realpath(path: string): string | undefined;
}

function kindOf(st: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }): PathKind {
  return st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
}

export const hostFs: FsProbe = {
  kind: (p) => {
    try {
      return kindOf(lstatSync(p));
    } catch {
      return undefined;
    }
  },
  resolvedKind: (p) => {
    try {
      return kindOf(statSync(p));
    } catch {
      return undefined;
    }
  },
  list: (d) => readdirSync(d).sort(),
  linkTarget: (p) => readlinkSync(p),
  realpath: (p) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  },
};
