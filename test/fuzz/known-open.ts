/**
 * Failures the fuzz suites find that belong to items of the hardening issue
 * (#14) still being fixed on other branches. A failure that one of these
 * matches is counted and printed, not failed; everything else fails the
 * suite. When an item's fix is merged, delete its entry: the suites then
 * hold that fix in place.
 */
export interface FuzzFailure {
  /** `ws:<gateway>` or `rest:<METHOD> <route>`. */
  surface: string;
  /** The frame, or the request line and body, as sent. */
  input: string;
  /** What went wrong (`internal error frame`, `HTTP 500`, `alert system_error`, …) and the server's error log line. */
  outcome: string;
}

export interface KnownOpen {
  /** Item of issue 14. */
  item: number;
  what: string;
  matches(f: FuzzFailure): boolean;
}

/** Deeper than any message or body of the contract nests (filters.date_range is three). */
const deeplyNested = (input: string) => /(\[\s*){64}|(\{\s*"[^"]*"\s*:\s*){64}|(\[\{"a":){20}/.test(input);
/** Integer text past PostgreSQL's int4, or an impossible calendar date. */
const outOfRange = (input: string) => /(^|[^\d.])-?\d{10,}(?![\d.])|\d[eE]\+?\d{2,}|\d{4}-(1[3-9]|[2-9]\d|00)-\d{2}|\d{4}-\d{2}-(3[2-9]|[4-9]\d|00)/.test(input);

export const KNOWN_OPEN: KnownOpen[] = [
  {
    item: 1,
    what: 'nesting depth is not limited before validation (REST bodies, WebSocket frames)',
    matches: (f) => /Maximum call stack size exceeded/.test(`${f.input} ${f.outcome}`) || (deeplyNested(f.input) && /internal error|HTTP 500/.test(f.outcome)),
  },
  {
    item: 5,
    what: 'ids, offsets and dates past what PostgreSQL holds answer 500 (and raise system_error alerts)',
    matches: (f) => outOfRange(f.input) && /out of range|invalid input syntax|date\/time field|system_error|HTTP 500/.test(`${f.input} ${f.outcome}`),
  },
];

/** The entry that explains a failure, if any. */
export function knownOpen(f: FuzzFailure): KnownOpen | undefined {
  return KNOWN_OPEN.find((k) => k.matches(f));
}
