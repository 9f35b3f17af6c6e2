import { OPERATORS } from './condition-operators.js';
import type { ConditionClause } from './policy-document.js';
import { substituteVariables } from './policy-variables.js';

/**
 * The request's condition keys, lower-cased (IAM compares key names case-insensitively), each with
 * one or more values.
 */
export type ConditionContext = ReadonlyMap<string, readonly string[]>;

export function conditionContext(entries: Readonly<Record<string, string | readonly string[] | undefined>>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined) continue;
    out.set(k.toLowerCase(), typeof v === 'string' ? [v] : v);
  }
  return out;
}

/** All clauses must hold (AND across operators and keys; OR across a key's values). */
export function conditionsHold(clauses: readonly ConditionClause[], ctx: ConditionContext, variables = false): boolean {
  for (const c of clauses) if (!clauseHolds(variables ? withVariables(c, ctx) : c, ctx)) return false;
  return true;
}

/** The clause with `${…}` policy variables in its values resolved; an unresolved value matches nothing. */
function withVariables(c: ConditionClause, ctx: ConditionContext): ConditionClause {
  if (!c.values.some((v) => v.includes('${'))) return c;
  return { ...c, values: c.values.map((v) => substituteVariables(v, ctx)).filter((v): v is string => v !== undefined) };
}

export function clauseHolds(c: ConditionClause, ctx: ConditionContext): boolean {
  const present = ctx.get(c.key.toLowerCase());
  if (c.base === 'Null') {
    // "true": the key must be absent; "false": present. Any listed value may match.
    return c.values.some((v) => (v.toLowerCase() === 'true') === (present === undefined));
  }
  const compare = OPERATORS[c.base]!;
  const matchesAny = (requestValue: string) => c.values.some((pv) => compare(requestValue, pv));
  if (c.qualifier === 'ForAllValues') {
    // Vacuously true when the key is missing or empty, as in IAM.
    if (!present) return true;
    return present.every((rv) => (c.negated ? !matchesAny(rv) : matchesAny(rv)));
  }
  if (present === undefined || present.length === 0) {
    if (c.ifExists) return true;
    // Negated operators hold for a missing key (IAM: "StringNotEquals … returns true").
    return c.qualifier === undefined && c.negated;
  }
  if (c.qualifier === 'ForAnyValue') return present.some((rv) => (c.negated ? !matchesAny(rv) : matchesAny(rv)));
  return c.negated ? !present.some(matchesAny) : present.some(matchesAny);
}
