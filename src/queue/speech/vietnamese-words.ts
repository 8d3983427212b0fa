/**
 * Numbers and letters as a Vietnamese announcer says them, so the speech
 * engine is handed words it cannot misread ("một trăm lẻ năm", never "105").
 */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** How a zero tens digit inside a hundred is read: "một trăm lẻ năm" (south and common speech) or "một trăm linh năm" (north, formal). */
export type ZeroTens = 'lẻ' | 'linh';

export interface VietnameseNumberOptions {
  zeroTens?: ZeroTens;
}

/** 0–99 after a hundreds digit was or was not said. */
function tensAndUnits(n: number, afterHundreds: boolean, zeroTens: ZeroTens): string[] {
  const tens = Math.floor(n / 10);
  const units = n % 10;
  if (tens === 0) {
    if (units === 0) return [];
    return afterHundreds ? [zeroTens, DIGITS[units]] : [DIGITS[units]];
  }
  const words = tens === 1 ? ['mười'] : [DIGITS[tens], 'mươi'];
  if (units === 0) return words;
  // "mốt" and "tư" only after "mươi" (21, 24; but 11, 14); "lăm" after any tens digit (15, 25).
  if (units === 1) words.push(tens === 1 ? 'một' : 'mốt');
  else if (units === 4) words.push(tens === 1 ? 'bốn' : 'tư');
  else if (units === 5) words.push('lăm');
  else words.push(DIGITS[units]);
  return words;
}

/** 0–999; `full` says the hundreds even when zero ("không trăm"), as inside a larger number. */
function hundreds(n: number, full: boolean, zeroTens: ZeroTens): string[] {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h === 0 && !full) return tensAndUnits(rest, false, zeroTens);
  return [DIGITS[h], 'trăm', ...tensAndUnits(rest, true, zeroTens)];
}

const GROUPS = ['', 'nghìn', 'triệu', 'tỷ'];

/** A whole number from 0 to 999 999 999 999 in words: 105 → "một trăm lẻ năm", 21 → "hai mươi mốt". */
export function vietnameseNumber(n: number, options: VietnameseNumberOptions = {}): string {
  const zeroTens = options.zeroTens ?? 'lẻ';
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e12) throw new RangeError(`Cannot read ${n} aloud`);
  if (n === 0) return DIGITS[0];
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i];
    if (g === 0) continue;
    // A group after a higher one is read in full: 1 005 → "một nghìn không trăm lẻ năm".
    words.push(...hundreds(g, i < groups.length - 1, zeroTens));
    if (GROUPS[i]) words.push(GROUPS[i]);
  }
  return words.join(' ');
}

/** Latin letters as Vietnamese speakers name them when reading a ticket ("B012" → "bê …"). */
const LETTERS: Record<string, string> = {
  A: 'a',
  B: 'bê',
  C: 'xê',
  D: 'dê',
  Đ: 'đê',
  E: 'e',
  F: 'ép',
  G: 'giê',
  H: 'hát',
  I: 'i',
  J: 'gi',
  K: 'ca',
  L: 'e lờ',
  M: 'em mờ',
  N: 'en nờ',
  O: 'o',
  P: 'pê',
  Q: 'quy',
  R: 'e rờ',
  S: 'ét xì',
  T: 'tê',
  U: 'u',
  V: 'vê',
  W: 'vê kép',
  X: 'ích xì',
  Y: 'i dài',
  Z: 'dét',
};

/** One letter as spoken; unknown characters are dropped (the speech engine gets words only). */
export function vietnameseLetter(letter: string): string {
  return LETTERS[letter.toLocaleUpperCase('vi')] ?? '';
}

/** A displayed ticket number ("A012", "105") as spoken: the prefix letters spelt, then the number ("a mười hai"). */
export function spokenTicket(display: string, options: VietnameseNumberOptions = {}): string {
  const m = /^([^\d]*)(\d+)$/.exec(display.trim());
  if (!m) return spokenText(display, options);
  const letters = [...m[1]].map(vietnameseLetter).filter(Boolean);
  return [...letters, vietnameseNumber(Number(m[2]), options)].join(' ');
}

/** Any text with every run of digits read as a number, so nothing reaches the speech engine as digits. */
export function spokenText(text: string, options: VietnameseNumberOptions = {}): string {
  return text.replace(/\d+/g, (digits) => (digits.length > 12 ? [...digits].map((d) => DIGITS[Number(d)]).join(' ') : vietnameseNumber(Number(digits), options)));
}
