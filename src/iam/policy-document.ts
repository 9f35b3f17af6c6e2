import { isKnownOperator, NEGATED } from './condition-operators.js';

/**
 * IAM policy documents (the 2012-10-17 grammar), parsed once into a form the evaluator walks
 * quickly. Identity policies (inline, managed, session) name Action/NotAction and
 * Resource/NotResource and no Principal; trust policies (a role's AssumeRolePolicyDocument) name a
 * Principal and no Resource. Anything else is a PolicyError with IAM's MalformedPolicyDocument text.
 */
export type PolicyKind = 'identity' | 'trust';

export interface ConditionClause {
  /** The operator as written, e.g. "ForAnyValue:StringLikeIfExists". */
  readonly operator: string;
  /** The comparator without qualifier, IfExists or negation: "StringLike". */
  readonly base: string;
  readonly negated: boolean;
  readonly ifExists: boolean;
  readonly qualifier?: 'ForAllValues' | 'ForAnyValue';
  /** Condition key as written (keys compare case-insensitively). */
  readonly key: string;
  readonly values: readonly string[];
}

/** "*" or {AWS: [...], Service: [...], Federated: [...]}. */
export type PrincipalSpec = '*' | Readonly<Record<string, readonly string[]>>;

export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  readonly version: string;
  readonly statements: readonly Statement[];
}

export class PolicyError extends Error {}

const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

export function parsePolicy(text: string, kind: PolicyKind = 'identity'): PolicyDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PolicyError('Syntax errors in policy.');
  }
  if (!isObject(json)) throw new PolicyError('Syntax errors in policy.');
  for (const k of Object.keys(json)) if (!['Version', 'Id', 'Statement'].includes(k)) throw new PolicyError('Syntax errors in policy.');
  const version = json.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') throw new PolicyError('The policy must contain a valid version string');
  if (json.Id !== undefined && typeof json.Id !== 'string') throw new PolicyError('Syntax errors in policy.');
  const raw = json.Statement;
  if (raw === undefined) throw new PolicyError('Syntax errors in policy.');
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new PolicyError('Syntax errors in policy.');
  return { version: version as string, statements: list.map((s) => parseStatement(s, kind)) };
}

function parseStatement(s: unknown, kind: PolicyKind): Statement {
  if (!isObject(s)) throw new PolicyError('Syntax errors in policy.');
  for (const k of Object.keys(s)) if (!STATEMENT_FIELDS.has(k)) throw new PolicyError('Syntax errors in policy.');
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw new PolicyError('Syntax errors in policy.');
  if (s.Effect === undefined) throw new PolicyError('Missing required field Effect');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyError(`Invalid effect: ${String(s.Effect)}`);
  const action = stringList(s.Action, 'Action');
  const notAction = stringList(s.NotAction, 'NotAction');
  if ((action === undefined) === (notAction === undefined)) throw new PolicyError('Policy statement must contain actions.');
  for (const a of [...(action ?? []), ...(notAction ?? [])]) {
    if (a !== '*' && !/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]*$/.test(a)) {
      throw new PolicyError('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    }
  }
  const resource = stringList(s.Resource, 'Resource');
  const notResource = stringList(s.NotResource, 'NotResource');
  let principal: PrincipalSpec | undefined;
  let notPrincipal: PrincipalSpec | undefined;
  if (kind === 'identity') {
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw new PolicyError('Policy document should not specify a principal.');
    if (resource === undefined && notResource === undefined) throw new PolicyError('Policy statement must contain resources.');
    if (resource !== undefined && notResource !== undefined) throw new PolicyError('Syntax errors in policy.');
  } else {
    if (resource !== undefined || notResource !== undefined) throw new PolicyError(`Has prohibited field ${resource ? 'Resource' : 'NotResource'}`);
    principal = s.Principal === undefined ? undefined : parsePrincipal(s.Principal);
    notPrincipal = s.NotPrincipal === undefined ? undefined : parsePrincipal(s.NotPrincipal);
    if ((principal === undefined) === (notPrincipal === undefined)) throw new PolicyError('Missing required field Principal');
  }
  return {
    ...(s.Sid !== undefined ? { sid: s.Sid as string } : {}),
    effect: s.Effect,
    ...(action ? { action } : {}),
    ...(notAction ? { notAction } : {}),
    ...(resource ? { resource } : {}),
    ...(notResource ? { notResource } : {}),
    ...(principal ? { principal } : {}),
    ...(notPrincipal ? { notPrincipal } : {}),
    conditions: s.Condition === undefined ? [] : parseConditions(s.Condition),
  };
}

function stringList(v: unknown, field: string): string[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || list.some((x) => typeof x !== 'string' || x === '')) throw new PolicyError(`Syntax errors in policy. (${field})`);
  return list as string[];
}

function parsePrincipal(v: unknown): PrincipalSpec {
  if (v === '*') return '*';
  if (!isObject(v)) throw new PolicyError('Invalid principal in policy');
  const out: Record<string, string[]> = {};
  for (const [type, value] of Object.entries(v)) {
    if (!PRINCIPAL_TYPES.has(type)) throw new PolicyError(`Invalid principal in policy: "${type}"`);
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || list.some((x) => typeof x !== 'string' || x === '')) throw new PolicyError('Invalid principal in policy');
    for (const p of list as string[]) {
      if (type === 'AWS' && p !== '*' && !/^\d{12}$/.test(p) && !/^arn:aws:(iam|sts)::\d{12}:.+$/.test(p)) {
        throw new PolicyError(`Invalid principal in policy: "AWS":"${p}"`);
      }
    }
    out[type] = list as string[];
  }
  return out;
}

function parseConditions(v: unknown): ConditionClause[] {
  if (!isObject(v)) throw new PolicyError('Syntax errors in policy.');
  const out: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(v)) {
    let rest = operator;
    let qualifier: ConditionClause['qualifier'];
    const q = /^(ForAllValues|ForAnyValue):(.+)$/.exec(operator);
    if (q) {
      qualifier = q[1] as ConditionClause['qualifier'];
      rest = q[2]!;
    }
    const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
    if (ifExists) rest = rest.slice(0, -'IfExists'.length);
    if (!isKnownOperator(rest) || (rest === 'Null' && (ifExists || qualifier))) throw new PolicyError(`Invalid Condition type : ${operator}`);
    if (!isObject(block)) throw new PolicyError('Syntax errors in policy.');
    for (const [key, value] of Object.entries(block)) {
      if (!key.includes(':') && !/^aws:/i.test(key)) throw new PolicyError('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || list.some((x) => !['string', 'number', 'boolean'].includes(typeof x))) throw new PolicyError('Syntax errors in policy.');
      const negated = rest in NEGATED;
      out.push({
        operator,
        base: negated ? NEGATED[rest]! : rest,
        negated,
        ifExists,
        ...(qualifier ? { qualifier } : {}),
        key,
        values: list.map(String),
      });
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
