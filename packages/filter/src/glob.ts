/**
 * Star-only globbing as LTTng implements it (lttng-tools/lttng-ust
 * `strutils.c`): `*` matches any run of characters, `\*` is a literal star,
 * `\\` a literal backslash; there is no `?` and no character class.
 */

enum GlobFlags {
  None = 0,
  Pattern = 1,
  EndOnly = 2,
}

function testGlob(pattern: string): GlobFlags {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42) return i === pattern.length - 1 ? GlobFlags.Pattern | GlobFlags.EndOnly : GlobFlags.Pattern;
    if (c === 92) {
      i++;
      if (i >= pattern.length) return GlobFlags.None;
    }
  }
  return GlobFlags.None;
}

/** True when `pattern` has at least one unescaped `*`. */
export function isStarGlobPattern(pattern: string): boolean {
  return (testGlob(pattern) & GlobFlags.Pattern) !== 0;
}

/** True when the first unescaped `*` of `pattern` is its last character. */
export function isStarAtEndOnlyGlobPattern(pattern: string): boolean {
  return (testGlob(pattern) & GlobFlags.EndOnly) !== 0;
}

/** Collapses runs of unescaped `*` into one, as LTTng does before use. */
export function normalizeStarGlobPattern(pattern: string): string {
  let out = "";
  let gotStar = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*") {
      if (gotStar) continue;
      gotStar = true;
      out += ch;
      continue;
    }
    if (ch === "\\") {
      out += ch;
      i++;
      if (i >= pattern.length) return out;
      out += pattern[i];
      gotStar = false;
      continue;
    }
    gotStar = false;
    out += ch;
  }
  return out;
}

/**
 * `strutils_star_glob_match()`: does `candidate` match `pattern`? Stops at a
 * NUL in either string, like the C code. Backtracks only to the last star,
 * so it is O(pattern × candidate) at worst and allocation-free.
 *
 * @example
 * starGlobMatch("hi*every*one", "hi ev every onyx one"); // true
 */
export function starGlobMatch(pattern: string, candidate: string): boolean {
  const pl = pattern.indexOf("\0") < 0 ? pattern.length : pattern.indexOf("\0");
  const cl = candidate.indexOf("\0") < 0 ? candidate.length : candidate.indexOf("\0");
  let retryC = 0;
  let retryP = 0;
  let gotStar = false;
  for (;;) {
    let c = retryC;
    let p = retryP;
    let mismatch = false;
    while (c < cl) {
      if (p >= pl) {
        mismatch = true;
        break;
      }
      let pc = pattern.charCodeAt(p);
      if (pc === 42) {
        gotStar = true;
        retryC = c;
        retryP = p + 1;
        if (retryP >= pl) return true;
        mismatch = false;
        c = -1; // restart from the retry point
        break;
      }
      if (pc === 92) {
        p++;
        pc = p < pl ? pattern.charCodeAt(p) : -1;
      }
      if (p >= pl || candidate.charCodeAt(c) !== pc) {
        mismatch = true;
        break;
      }
      c++;
      p++;
    }
    if (c === -1) continue;
    if (mismatch) {
      if (!gotStar) return false;
      retryC++;
      continue;
    }
    if (p >= pl) return true;
    return pattern.charCodeAt(p) === 42 && p + 1 >= pl;
  }
}
