/**
 * IAM's wildcard match: `*` is any run of characters (also none, also across `:` and `/`), `?` is
 * exactly one character, everything else is literal. Actions compare case-insensitively; resources
 * and string conditions case-sensitively unless told otherwise. Compiled patterns are cached.
 */
const cache = new Map<string, RegExp>();
const MAX_CACHE = 10_000;

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    let src = '';
    for (const ch of pattern) {
      if (ch === '*') src += '[\\s\\S]*';
      else if (ch === '?') src += '[\\s\\S]';
      else src += ch.replace(/[\\^$.|+()[\]{}*?]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, ignoreCase ? 'iu' : 'u');
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(key, re);
  }
  return re;
}

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return compile(pattern, ignoreCase).test(value);
}

/**
 * ARN matching as ArnLike and Resource do: the six colon-separated parts are matched one by one
 * (a wildcard in one part does not run into the next), the resource part may hold further colons.
 */
export function arnMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return wildcardMatch(pattern, value);
  for (let i = 0; i < 6; i++) if (!wildcardMatch(p[i]!, v[i]!)) return false;
  return true;
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
