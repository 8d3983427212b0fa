/**
 * Free text is plain text: markup and control characters are removed and the
 * length capped before it is stored or sent. Newlines and tabs survive.
 */
export function plainText(input: unknown, maxLength = 1000): string {
  if (input === null || input === undefined) return '';
  let s = String(input);
  s = s.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<\/?[a-zA-Z!][^>]*>/g, '');
  s = s.replace(/[<>]/g, '');
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, '');
  s = s.trim();
  return [...s].slice(0, maxLength).join('');
}
