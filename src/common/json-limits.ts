/** How deep and how wide untrusted JSON may be before anything else looks at it. */
export interface JsonLimits {
  maxDepth: number;
  maxArrayLength: number;
}

/**
 * Why a parsed JSON value exceeds the limits, or null when it does not.
 * Cheap enough to run before validation: it stops at the first excess, never
 * recurses deeper than `maxDepth`, and allocates nothing. The top-level value
 * is depth 1.
 */
export function jsonLimitViolation(value: unknown, limits: JsonLimits): string | null {
  return walk(value, 1, limits);
}

function walk(value: unknown, depth: number, limits: JsonLimits): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > limits.maxDepth) return `nested deeper than ${limits.maxDepth} levels`;
  if (Array.isArray(value)) {
    if (value.length > limits.maxArrayLength) return `holds an array of more than ${limits.maxArrayLength} items`;
    for (let i = 0; i < value.length; i++) {
      const why = walk(value[i], depth + 1, limits);
      if (why) return why;
    }
    return null;
  }
  for (const key in value) {
    const why = walk((value as Record<string, unknown>)[key], depth + 1, limits);
    if (why) return why;
  }
  return null;
}
