import { decodeCursor, encodeCursor } from './cursor.js';
import type { ListPage, ListQuery, SortKey } from './metadata-store.js';
import { RESOURCE_COLUMNS, rowToRecord, type ResourceRow } from './resource-rows.js';

const SORT_COLUMN: Readonly<Record<SortKey, string>> = {
  name: 'name',
  creationTime: 'creation_time',
  lastModifiedTime: 'last_modified_time',
  status: 'status',
};

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}

/** Escapes LIKE's wildcards (and the escape character itself) in user input; use with ESCAPE '\'. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface ListPlan {
  /** SQL with `?` placeholders (see numberPlaceholders for PostgreSQL). */
  readonly sql: string;
  readonly params: unknown[];
  readonly limit: number;
  readonly sortBy: SortKey;
  readonly order: 'asc' | 'desc';
  readonly kind: string;
}

/**
 * One keyset-paginated SELECT for both dialects. Defaults follow SageMaker's List* operations:
 * sort by creation time, newest first. Fetches limit + 1 rows to know whether a next page exists.
 */
export function planList(q: ListQuery): ListPlan {
  const sortBy = q.sortBy ?? 'creationTime';
  const order = q.sortOrder ?? 'desc';
  if (!(sortBy in SORT_COLUMN)) throw new Error(`unknown sort key ${String(sortBy)}`);
  if (order !== 'asc' && order !== 'desc') throw new Error(`unknown sort order ${String(order)}`);
  const limit = clampLimit(q.limit);
  const col = SORT_COLUMN[sortBy];
  const where = ['kind = ?'];
  const params: unknown[] = [q.kind];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (q.parent !== undefined) add('parent = ?', q.parent);
  if (q.statusEquals !== undefined) add('status = ?', q.statusEquals);
  if (q.nameContains) add(`name_lower LIKE ? ESCAPE '\\'`, `%${escapeLike(q.nameContains.toLowerCase())}%`);
  if (q.creationTimeAfter !== undefined) add('creation_time > ?', q.creationTimeAfter);
  if (q.creationTimeBefore !== undefined) add('creation_time < ?', q.creationTimeBefore);
  if (q.lastModifiedTimeAfter !== undefined) add('last_modified_time > ?', q.lastModifiedTimeAfter);
  if (q.lastModifiedTimeBefore !== undefined) add('last_modified_time < ?', q.lastModifiedTimeBefore);
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor, { kind: q.kind, sortBy, order });
    add(`(${col}, id) ${order === 'asc' ? '>' : '<'} (?, ?)`, c.value, c.id);
  }
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const sql = `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE ${where.join(' AND ')} ORDER BY ${col} ${dir}, id ${dir} LIMIT ${limit + 1}`;
  return { sql, params, limit, sortBy, order, kind: q.kind };
}

/** Turns the rows of a planned SELECT into a page with the cursor of its last item. */
export function finishList<T>(plan: ListPlan, rows: ResourceRow[]): ListPage<T> {
  const more = rows.length > plan.limit;
  const pageRows = more ? rows.slice(0, plan.limit) : rows;
  const items = pageRows.map((r) => rowToRecord<T>(r));
  if (!more) return { items };
  const last = pageRows[pageRows.length - 1]!;
  const value = sortValue(plan.sortBy, last);
  return { items, nextCursor: encodeCursor({ kind: plan.kind, sortBy: plan.sortBy, order: plan.order, value, id: last.id }) };
}

function sortValue(sortBy: SortKey, row: ResourceRow): string | number {
  switch (sortBy) {
    case 'name':
      return row.name;
    case 'status':
      return row.status;
    case 'creationTime':
      return Number(row.creation_time);
    case 'lastModifiedTime':
      return Number(row.last_modified_time);
  }
}

/** `?` → `$1, $2, …` for PostgreSQL. The SQL given must not contain `?` in literals. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
