/**
 * babeltrace2's color codes for the text sinks. Codes are empty strings
 * when the terminal does not support colors (global detection), whatever
 * the component's `color` parameter says, exactly as babeltrace2 behaves.
 */
import type { TerminalInfo } from "@ttng/graph";

export interface Colors {
  reset: string;
  bold: string;
  fgCyan: string;
  fgYellow: string;
  fgBrightRed: string;
  fgBrightMagenta: string;
  fgBrightYellow: string;
}

export const NO_COLORS: Colors = {
  reset: "",
  bold: "",
  fgCyan: "",
  fgYellow: "",
  fgBrightRed: "",
  fgBrightMagenta: "",
  fgBrightYellow: "",
};

export function terminalColors(t: TerminalInfo): Colors {
  if (!t.colorCodes) return NO_COLORS;
  const bright = (n: number) => (t.brightMeansBold ? `\x1b[1m\x1b[${n}m` : `\x1b[${n + 60}m`);
  return {
    reset: "\x1b[0m",
    bold: "\x1b[1m",
    fgCyan: "\x1b[36m",
    fgYellow: "\x1b[33m",
    fgBrightRed: bright(31),
    fgBrightMagenta: bright(35),
    fgBrightYellow: bright(33),
  };
}

/** The pretty sink's roles (print.c's pretty_print_init). */
export interface PrettyColors {
  name: string;
  fieldName: string;
  rst: string;
  stringValue: string;
  numberValue: string;
  enumMappingName: string;
  unknown: string;
  eventName: string;
  timestamp: string;
}

export function prettyColors(c: Colors): PrettyColors {
  return {
    name: c.bold,
    fieldName: c.fgCyan,
    rst: c.reset,
    stringValue: c.bold,
    numberValue: c.bold,
    enumMappingName: c.bold,
    unknown: c.bold + c.fgBrightRed,
    eventName: c.bold + c.fgBrightMagenta,
    timestamp: c.bold + c.fgBrightYellow,
  };
}
