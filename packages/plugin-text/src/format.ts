/**
 * C-compatible text formatting shared by the text sinks: `%g`, integers in
 * their display base (masked as babeltrace2 masks them), C-escaped strings.
 * Strings are byte strings (one char code per byte).
 */

/** C's `printf("%g", v)`. */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const a = v < 0 ? -v : v;
  if (a >= 1e-4 && a < 1e5) {
    // Fixed notation for sure (even after rounding to 6 digits): same digits as %g.
    const t = v.toPrecision(6);
    if (t.indexOf("e") < 0) {
      if (t.indexOf(".") < 0) return t;
      let end = t.length;
      while (t.charCodeAt(end - 1) === 48) end--;
      if (t.charCodeAt(end - 1) === 46) end--;
      return t.slice(0, end);
    }
  }
  const exp = v.toExponential(5);
  const e = Number.parseInt(exp.slice(exp.indexOf("e") + 1), 10);
  if (e < -4 || e >= 6) {
    let mant = exp.slice(0, exp.indexOf("e"));
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    const sign = e < 0 ? "-" : "+";
    const abs = Math.abs(e);
    return `${mant}e${sign}${abs < 10 ? "0" : ""}${abs}`;
  }
  let fixed = v.toFixed(5 - e);
  if (fixed.includes(".")) fixed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return fixed;
}

const TWO64 = 1n << 64n;

function toU64(v: number | bigint): bigint {
  const b = BigInt(v);
  return b < 0n ? b + TWO64 : b;
}

/** Integer text as babeltrace2's pretty sink prints it (print_integer). */
export function formatInt(v: number | bigint, signed: boolean, lengthBits: number, base: 2 | 8 | 10 | 16): string {
  if (base === 10) return typeof v === "number" ? String(v) : v.toString();
  let u: bigint;
  if (typeof v === "number" && v >= 0) {
    if (base === 16 && lengthBits <= 32) return `0x${v.toString(16).toUpperCase()}`;
    u = BigInt(v);
  } else {
    u = toU64(v);
  }
  switch (base) {
    case 16: {
      if (lengthBits < 64) {
        const rounded = BigInt((lengthBits + 3) & ~3);
        u &= (1n << rounded) - 1n;
      }
      return `0x${u.toString(16).toUpperCase()}`;
    }
    case 8: {
      if (signed && lengthBits < 64) {
        const rounded = BigInt(Math.floor((lengthBits - 1) / 3 + 1) * 3);
        u &= (1n << rounded) - 1n;
      }
      return `0${u.toString(8)}`;
    }
    case 2: {
      const s = u.toString(2).padStart(64, "0");
      return `0b${s.slice(64 - lengthBits)}`;
    }
  }
}

const ESC: Record<number, string> = {
  0: "\\0",
  7: "\\a",
  8: "\\b",
  27: "\\e",
  12: "\\f",
  10: "\\n",
  13: "\\r",
  9: "\\t",
  11: "\\v",
};

/** `"..."` with babeltrace2's escapes (print_escape_string); stops at the first NUL like C. */
export function escapeString(s: string): string {
  let out = '"';
  let plainFrom = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && c !== 0x5c && c !== 0x27 && c !== 0x22 && c !== 0x3f) continue;
    if (c === 0) {
      out += s.slice(plainFrom, i);
      return `${out}"`;
    }
    out += s.slice(plainFrom, i);
    plainFrom = i + 1;
    if (c === 0x5c) out += "\\\\";
    else if (c === 0x27) out += "\\'";
    else if (c === 0x22) out += '\\"';
    else if (c === 0x3f) out += "\\?";
    else out += ESC[c] ?? `\\x${c.toString(16).padStart(2, "0")}`;
  }
  out += s.slice(plainFrom);
  return `${out}"`;
}

/** Decimal text of an unsigned 64-bit value held as two 32-bit halves. */
export function u64Decimal(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** `escapeString` written straight into a `ByteWriter` (no intermediate string for plain text). */
export function escapeTo(w: { str(s: string): void; byte(c: number): void }, s: string): void {
  w.byte(34);
  const n = s.length;
  let plainFrom = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && c !== 0x5c && c !== 0x27 && c !== 0x22 && c !== 0x3f) continue;
    if (i > plainFrom) w.str(plainFrom === 0 && i === n ? s : s.slice(plainFrom, i));
    plainFrom = i + 1;
    if (c === 0) {
      w.byte(34);
      return;
    }
    if (c === 0x5c) w.str("\\\\");
    else if (c === 0x27) w.str("\\'");
    else if (c === 0x22) w.str('\\"');
    else if (c === 0x3f) w.str("\\?");
    else w.str(ESC[c] ?? `\\x${c.toString(16).padStart(2, "0")}`);
  }
  if (plainFrom === 0) w.str(s);
  else if (plainFrom < n) w.str(s.slice(plainFrom));
  w.byte(34);
}
