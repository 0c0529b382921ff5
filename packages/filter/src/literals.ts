/**
 * Values of numeric literals exactly as lttng-tools computes them: with
 * glibc `sscanf` and the field widths in filter-parser.y (`%20lu`, `0%22lo`,
 * `0x%17lx`, `%4096lg`). Widths truncate long literals, overflow saturates to
 * 2^64-1, and a hex literal spelled `0X…` or an octal with a suffix (`0u`)
 * does not scan at all, which LTTng reports as a parse error.
 */

const U64_MAX = (1n << 64n) - 1n;

function scanDigits(text: string, radix: number, width: number): bigint | undefined {
  let value = 0n;
  let count = 0;
  const big = BigInt(radix);
  for (let i = 0; i < text.length && count < width; i++, count++) {
    const d = Number.parseInt(text[i] ?? "", radix);
    if (Number.isNaN(d)) break;
    value = value * big + BigInt(d);
  }
  if (count === 0) return undefined;
  return value > U64_MAX ? U64_MAX : value;
}

/** Decimal literal (`[1-9][0-9]*` + C suffix). */
export function scanDecimal(text: string): bigint | undefined {
  return scanDigits(text, 10, 20);
}

/** Octal literal (`0[0-7]*` + C suffix); undefined when sscanf fails. */
export function scanOctal(text: string): bigint | undefined {
  if (text === "0") return 0n;
  return scanDigits(text.slice(1), 8, 22);
}

/** Hexadecimal literal; the format's literal `0x` does not match `0X`. */
export function scanHex(text: string): bigint | undefined {
  if (!text.startsWith("0x")) return undefined;
  return scanDigits(text.slice(2), 16, 17);
}

/** Floating literal, decimal or hexadecimal (C99 `0x1.8p3`), as strtod reads it. */
export function scanFloat(text: string): number {
  if (/^0[xX]/.test(text)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?/.exec(text);
    const intPart = m?.[1] ?? "";
    const fracPart = m?.[2] ?? "";
    const exp = Number.parseInt(m?.[3] ?? "0", 10);
    let mantissa = 0;
    for (const ch of intPart + fracPart) mantissa = mantissa * 16 + Number.parseInt(ch, 16);
    return mantissa * 2 ** (exp - 4 * fracPart.length);
  }
  return Number.parseFloat(text);
}
