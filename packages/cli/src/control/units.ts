/**
 * Size and time arguments as lttng 2.13 reads them (utils_parse_size_suffix,
 * utils_parse_time_suffix): sizes in bytes with optional k/K, M, G (powers
 * of 1024), numbers in C notation (decimal, 0x hex, 0 octal); times in
 * microseconds with optional us, ms, s, m, h. Negative values are refused.
 * Returns null for anything lttng would refuse.
 */

function cNumber(text: string, base0: boolean): { value: number; rest: string } | null {
  const m = base0 ? /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text) : /^\s*\+?([0-9]+)/.exec(text);
  if (m === null) return null;
  const t = m[1]!;
  let value: number;
  if (!base0) value = Number.parseInt(t, 10);
  else if (/^0[xX]/.test(t)) value = Number.parseInt(t.slice(2), 16);
  else if (t.startsWith("0") && t.length > 1) value = Number.parseInt(t.slice(1), 8);
  else value = Number.parseInt(t, 10);
  return { value, rest: text.slice(m[0].length) };
}

export function parseSize(text: string): number | null {
  if (text.includes("-")) return null;
  const n = cNumber(text, true);
  if (n === null) return null;
  let mult = 1;
  let rest = n.rest;
  if (rest.startsWith("G")) mult = 1024 ** 3;
  else if (rest.startsWith("M")) mult = 1024 ** 2;
  else if (rest.startsWith("K") || rest.startsWith("k")) mult = 1024;
  if (mult !== 1) rest = rest.slice(1);
  if (rest !== "") return null;
  const v = n.value * mult;
  return Number.isSafeInteger(v) ? v : null;
}

export function parseTimeUs(text: string): number | null {
  if (text.includes("-")) return null;
  const n = cNumber(text, false);
  if (n === null) return null;
  let rest = n.rest;
  let mult = 1;
  if (rest.startsWith("us")) rest = rest.slice(2);
  else if (rest.startsWith("ms")) {
    mult = 1000;
    rest = rest.slice(2);
  } else if (rest.startsWith("m")) {
    mult = 60_000_000;
    rest = rest.slice(1);
  } else if (rest.startsWith("s")) {
    mult = 1_000_000;
    rest = rest.slice(1);
  } else if (rest.startsWith("h")) {
    mult = 3_600_000_000;
    rest = rest.slice(1);
  }
  if (rest !== "") return null;
  const v = n.value * mult;
  return Number.isSafeInteger(v) ? v : null;
}

/** `strtoull(text, NULL, 0)` with lttng's extra "must start with a digit" rule; null when refused. */
export function parseCount(text: string): number | null {
  if (!/^[0-9]/.test(text)) return null;
  const n = cNumber(text, true);
  return n === null ? null : n.value;
}

/** The next power of two at or above `n` (n >= 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
