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

// Items 1 (nesting depth) and 5 (out-of-range ids, offsets and dates) are fixed: nothing is tolerated.
export const KNOWN_OPEN: KnownOpen[] = [];

/** The entry that explains a failure, if any. */
export function knownOpen(f: FuzzFailure): KnownOpen | undefined {
  return KNOWN_OPEN.find((k) => k.matches(f));
}
