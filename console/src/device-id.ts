/** A client id that stays the same across reloads of one screen (the server replaces an older socket with the same id). */
export function stableId(kind: string): string {
  const key = `switchboard.${kind}.id`;
  let id = localStorage.getItem(key);
  if (!id) localStorage.setItem(key, (id = `${kind}-${Math.random().toString(36).slice(2, 10)}`));
  return id;
}
