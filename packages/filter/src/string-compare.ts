/**
 * String comparison as LTTng-UST 2.13's `stack_strcmp()`: C strings of
 * signed `char`, compared byte by byte, where a *literal* (as opposed to a
 * field) honours `\*`/`\\` escapes and an unescaped `*` ends the comparison
 * with "equal" (the legacy prefix match: `"ab*"` equals anything starting
 * with "ab").
 */

function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Code units when ASCII (same as bytes), UTF-8 bytes otherwise; as signed chars. */
function chars(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return utf8Bytes(s).map((b) => (b >= 128 ? b - 256 : b));
    out.push(c);
  }
  return out;
}

/**
 * `stack_strcmp(bx = p, ax = q)`: <0, 0 or >0. `pLiteral`/`qLiteral` say
 * whether a side is a plain string literal (ESTACK_STRING_LITERAL_TYPE_PLAIN).
 */
export function lttngStrcmp(p: string, pLiteral: boolean, q: string, qLiteral: boolean): number {
  const a = chars(p);
  const b = chars(q);
  let i = 0;
  let j = 0;
  const at = (s: number[], k: number): number => (k < s.length ? s[k]! : 0);
  for (;;) {
    let escapedP = false;
    if (at(a, i) === 0) {
      if (at(b, j) === 0) return 0;
      if (qLiteral && at(b, j) === 42) return 0;
      return -1;
    }
    if (at(b, j) === 0) {
      if (pLiteral && at(a, i) === 42) return 0;
      return 1;
    }
    if (pLiteral) {
      const c = at(a, i);
      if (c === 42) return 0;
      if (c === 92) {
        i++;
        const e = at(a, i);
        if (e !== 92 && e !== 42) escapedP = true;
      }
    }
    if (qLiteral) {
      const c = at(b, j);
      if (c === 42) return 0;
      if (c === 92) {
        j++;
        const e = at(b, j);
        if (e !== 92 && e !== 42) {
          if (!escapedP) return -1;
        } else if (escapedP) return 1;
      } else if (escapedP) return 1;
    } else if (escapedP) return 1;
    const diff = at(a, i) - at(b, j);
    if (diff !== 0) return diff;
    i++;
    j++;
  }
}
