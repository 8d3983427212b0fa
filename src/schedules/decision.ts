/** The approval fields a time-off request and a shift request share. */
export interface Decided {
  decidedById: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
}

/** Who decided a request, when, and why, as the REST views show it. */
export function decisionView(d: Decided) {
  return {
    decided_by: d.decidedByName ? { id: d.decidedById, name: d.decidedByName } : null,
    decided_at: d.decidedAt ? d.decidedAt.toISOString() : null,
    decision_note: d.decisionNote,
  };
}
