/**
 * Number formatting of `sink.text.details`: decimal with `,` thousands
 * separators (only from 10,000 on), hexadecimal `0x` grouped by 4 with `:`,
 * octal `0` grouped by 3 with `:`, and C's `%f` for reals. Not a general
 * formatting library: it reproduces babeltrace2's output byte for byte.
 */

function sepDigits(digits: string, group: number, sep: string): string {
  if (digits.length <= group) return digits;
  let out = "";
  const first = digits.length % group || group;
  out = digits.slice(0, first);
  for (let i = first; i < digits.length; i += group) out += sep + digits.slice(i, i + group);
  return out;
}

/** Formats a non-negative magnitude in `base` (2 and 16 both print as hex, as babeltrace2 does). */
function formatMagnitude(abs: number | bigint, base: number, small: boolean): string {
  switch (base) {
    case 2:
    case 16:
      return `0x${sepDigits(abs.toString(16), 4, ":")}`;
    case 8:
      return `0${sepDigits(abs.toString(8), 3, ":")}`;
    default:
      return small ? abs.toString(10) : sepDigits(abs.toString(10), 3, ",");
  }
}

/** An unsigned integer (number or bigint), as babeltrace2's details sink writes it. */
export function formatUint(value: number | bigint, base = 10): string {
  return formatMagnitude(value, base, value <= 9999);
}

/** A signed integer (number or bigint), as babeltrace2's details sink writes it. */
export function formatInt(value: number | bigint, base = 10): string {
  const neg = value < 0;
  const abs = neg ? -value : value;
  const small = value >= -9999 && value <= 9999;
  return (neg ? "-" : "") + formatMagnitude(abs, base, small);
}

/** C's `%f` (6 decimals, no exponent). */
export function formatReal(x: number): string {
  if (Number.isNaN(x)) return x < 0 ? "-nan" : "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  // toFixed() switches to exponent notation from 1e21; such doubles are integers.
  const body = a >= 1e21 ? `${BigInt(a).toString()}.000000` : a.toFixed(6);
  return neg ? `-${body}` : body;
}

/** A 16-byte UUID string as babeltrace2 prints it (lowercase, dashed). */
export function formatUuid(uuid: string): string {
  return uuid.toLowerCase();
}
