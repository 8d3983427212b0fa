/**
 * Limits on the shape of untrusted JSON, checked before anything builds or
 * walks it recursively (class-transformer, validators, codecs): a 1 MB
 * `[[[[…]]]]` costs one linear scan and a 400, not seconds of CPU and a stack
 * overflow. Used for REST bodies and multipart fields (raw text, below) and for
 * WebSocket frames (parsed, jsonLimitViolation).
 */
export interface JsonLimits {
  /** Deepest nesting of arrays and objects (the top-level value is depth 1). */
  readonly maxDepth: number;
  /** Most elements in one array (and members in one object). */
  readonly maxArrayLength: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxArrayLength: 10_000 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Scans JSON text (a string or UTF-8 bytes) without parsing it and names the
 * first limit it breaks, or returns null. Malformed text is left to the
 * parser: this only counts brackets and commas outside strings.
 */
export function jsonLimitProblem(text: string | Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): string | null {
  const isString = typeof text === 'string';
  const n = text.length;
  // Commas seen at each open level; sized lazily up to maxDepth.
  const commas: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < n; i++) {
    const c = isString ? text.charCodeAt(i) : text[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limits.maxDepth) return `JSON is nested deeper than ${limits.maxDepth} levels`;
      commas[depth] = 0;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth > 0) depth--;
    } else if (c === COMMA && depth > 0) {
      if (++commas[depth] >= limits.maxArrayLength) return `A JSON array or object has more than ${limits.maxArrayLength} elements`;
    }
  }
  return null;
}

/**
 * The same limits for a value already built by a parser that does not see
 * JSON text (multipart fields written `a[b][c]` become nested objects).
 * Iterative, so a deep value cannot overflow the stack here either.
 */
export function valueLimitProblem(value: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS): string | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limits.maxDepth) return `Input is nested deeper than ${limits.maxDepth} levels`;
    const children = Array.isArray(v) ? v : Object.values(v);
    if (children.length > limits.maxArrayLength) return `A list or object has more than ${limits.maxArrayLength} elements`;
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return null;
}

/** The error a body parser's `verify` hook throws: 400 with the limit named. */
export class JsonLimitError extends Error {
  readonly status = 400;
  readonly jsonLimit = true;
}

/** A `verify` hook for express's JSON parser: refuses the raw body before it is parsed. */
export function verifyJsonLimits(limits: JsonLimits) {
  return (_req: unknown, _res: unknown, body: Buffer, encoding: string | null): void => {
    const utf8 = !encoding || /^utf-?8$/i.test(encoding);
    const problem = jsonLimitProblem(utf8 ? body : new TextDecoder(encoding).decode(body), limits);
    if (problem) throw new JsonLimitError(problem);
  };
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
