/**
 * History cursors: opaque to clients, the (created_at, seq) of the last
 * message of a page. Keyset pagination on that pair never skips or repeats a
 * message when new ones arrive between pages.
 */
export interface MessageCursor {
  createdAt: string;
  seq: string;
}

export function encodeCursor(createdAt: Date, seq: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), seq])).toString('base64url');
}

export function decodeCursor(cursor: string): MessageCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, seq] = value;
    if (typeof at !== 'string' || typeof seq !== 'string' || !/^\d{1,19}$/.test(seq) || Number.isNaN(Date.parse(at))) return null;
    return { createdAt: new Date(at).toISOString(), seq };
  } catch {
    return null;
  }
}
