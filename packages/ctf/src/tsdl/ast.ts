/**
 * TSDL abstract syntax tree (CTF 1.8 §7.3 grammar), as produced by
 * `parse()`. Only syntax lives here; meaning is given by the visitor.
 */

/** A right-hand side of `name = value;`. */
export type AstValue =
  | { k: "int"; value: number; big: bigint | undefined; negative: boolean; text: string; line: number }
  | { k: "float"; value: number; line: number }
  | { k: "string"; value: string; line: number }
  /** Identifier or dotted path: `le`, `TRUE`, `clock.monotonic.value`. */
  | { k: "path"; parts: string[]; line: number };

export interface AstEnumerator {
  label: string;
  /** Absent: implicit value (previous + 1). */
  lo: AstValue | undefined;
  hi: AstValue | undefined;
  line: number;
}

export type AstTypeSpec =
  | { k: "integer"; attrs: AstEntry[]; line: number }
  | { k: "floating_point"; attrs: AstEntry[]; line: number }
  | { k: "string"; attrs: AstEntry[] | undefined; line: number }
  | {
      k: "enum";
      name: string | undefined;
      container: AstTypeSpec | undefined;
      enumerators: AstEnumerator[] | undefined;
      line: number;
    }
  | { k: "struct"; name: string | undefined; body: AstEntry[] | undefined; align: AstValue | undefined; line: number }
  | { k: "variant"; name: string | undefined; tag: string | undefined; body: AstEntry[] | undefined; line: number }
  /** A type name: a typealias/typedef name, possibly several words (`unsigned long`). */
  | { k: "named"; name: string; line: number };

/** Array/sequence suffix `[N]` or `[path.to.length]`. */
export type AstLength = { k: "int"; value: number; line: number } | { k: "path"; path: string; line: number };

export interface AstDeclarator {
  name: string | undefined;
  /** Outermost first: `x[2][3]` is an array of 2 arrays of 3. */
  lengths: AstLength[];
  pointer: boolean;
  line: number;
}

export type AstEntry =
  | { k: "assign"; left: string; value: AstValue; line: number }
  | { k: "typeassign"; left: string; type: AstTypeSpec; declarator: AstDeclarator | undefined; line: number }
  | { k: "typealias"; target: AstTypeSpec; targetDecl: AstDeclarator | undefined; alias: string; line: number }
  | { k: "typedef"; type: AstTypeSpec; declarators: AstDeclarator[]; line: number }
  | { k: "field"; type: AstTypeSpec; declarators: AstDeclarator[]; line: number }
  | {
      k: "block";
      kind: "trace" | "env" | "clock" | "stream" | "event" | "callsite";
      body: AstEntry[];
      line: number;
    };
