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

/**
 * A matcher equivalent to `starGlobMatch(pattern, candidate)` for one fixed
 * pattern, for hot paths (filters run it once per event). The pattern is cut
 * once at its unescaped stars: the candidate must start with the first piece,
 * end with the last, and hold the others in order in between (leftmost match
 * of each is enough with stars only), so matching is native `startsWith`,
 * `indexOf` and `endsWith` with no backtracking loop. Patterns this does not
 * model exactly (a run of stars, a trailing lone backslash) use
 * {@link starGlobMatch} itself.
 *
 * @example
 * const m = compileStarGlob("a*b*c");
 * m("a-b-c"); // true
 * m("alpha beta gamma"); // false
 */
export function compileStarGlob(pattern: string): (candidate: string) => boolean {
  const nul = pattern.indexOf("\0");
  const pat = nul < 0 ? pattern : pattern.slice(0, nul);
  const reference = (candidate: string): boolean => starGlobMatch(pat, candidate);
  const pieces: string[] = [];
  let cur = "";
  let previousStar = false;
  for (let i = 0; i < pat.length; i++) {
    const ch = pat[i]!;
    if (ch === "*") {
      // `**` before the end fails where `*` would not (strutils quirk): keep the reference there.
      if (previousStar) return reference;
      pieces.push(cur);
      cur = "";
      previousStar = true;
      continue;
    }
    previousStar = false;
    if (ch === "\\") {
      i++;
      if (i >= pat.length) return reference;
      cur += pat[i];
      continue;
    }
    cur += ch;
  }
  pieces.push(cur);
  const first = pieces[0]!;
  if (pieces.length === 1) {
    return (candidate) => {
      const n = candidate.indexOf("\0");
      return (n < 0 ? candidate : candidate.slice(0, n)) === first;
    };
  }
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((m) => m !== "");
  let minLength = first.length + last.length;
  for (const m of middle) minLength += m.length;
  return (candidate) => {
    const n = candidate.indexOf("\0");
    const c = n < 0 ? candidate : candidate.slice(0, n);
    if (c.length < minLength || !c.startsWith(first) || !c.endsWith(last)) return false;
    const end = c.length - last.length;
    let pos = first.length;
    for (let k = 0; k < middle.length; k++) {
      const m = middle[k]!;
      const at = c.indexOf(m, pos);
      if (at < 0 || at + m.length > end) return false;
      pos = at + m.length;
    }
    return true;
  };
}
