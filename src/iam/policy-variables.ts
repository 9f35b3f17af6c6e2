import type { ConditionContext } from './conditions.js';

/**
 * IAM policy variables in Resource/NotResource elements and condition values of 2012-10-17
 * policies: `${aws:PrincipalTag/team}`, `${sagemaker:DomainId}`, `${sagemaker:UserProfileName}` …
 * are replaced by the request's single value of that key; `${key, 'default'}` falls back to the
 * default; `${*}`, `${?}` and `${$}` stand for the literal characters. A variable whose key the
 * request lacks (or holds several values for) leaves the element unresolved: it matches nothing,
 * as in IAM ("the policy variable … doesn't match").
 */
const VARIABLE = /\$\{([^}]*)\}/g;
const LITERALS: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

export function substituteVariables(text: string, ctx: ConditionContext): string | undefined {
  if (!text.includes('${')) return text;
  let unresolved = false;
  const out = text.replace(VARIABLE, (whole, inner: string) => {
    const literal = LITERALS[inner];
    if (literal !== undefined) return literal;
    const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
    if (!m) {
      unresolved = true;
      return whole;
    }
    const values = ctx.get(m[1]!.toLowerCase());
    if (values && values.length === 1) return values[0]!;
    if (m[2] !== undefined) return m[2];
    unresolved = true;
    return whole;
  });
  return unresolved ? undefined : out;
}
