import assert from "node:assert/strict";
import { test } from "node:test";
import { Lexer, type Token, tokenize } from "./lexer.js";
import { parseTsdl } from "./parser.js";

const brief = (ts: Token[]) =>
  ts.map((t) => `${t.kind}:${t.text}${t.kind === "int" ? `=${t.big ?? t.value}` : ""}@${t.line}`);

test("tokens: punctuators, integers of every base and size, floats, strings, comments, lines", () => {
  const text = [
    "a...b:=c->d<<e>>f{}[]()<>;,=:.*+-~!&|^?/%",
    "0 7 010 0x1F 0XfFu 42UL 9007199254740993 0xFFFFFFFFFFFFFFFF 1.5e3 2.25 /* c\n*/ x",
    "\"s\\n\\x41\" 'q' // line comment",
    "_id9",
  ].join("\n");
  assert.deepEqual(brief(tokenize(text)), [
    ..."a...b:=c->d<<e>>f"
      .match(/\.\.\.|:=|->|<<|>>|\w/g)!
      .map((p) => (/\w/.test(p) ? `ident:${p}@1` : `punct:${p}@1`)),
    ..."{}[]()<>;,=:.*+-~!&|^?/%".split("").map((p) => `punct:${p}@1`),
    "int:0=0@2",
    "int:7=7@2",
    "int:010=8@2",
    "int:0x1F=31@2",
    "int:0XfFu=255@2",
    "int:42UL=42@2",
    "int:9007199254740993=9007199254740993@2",
    "int:0xFFFFFFFFFFFFFFFF=18446744073709551615@2",
    "float:1.5e3@2",
    "float:2.25@2",
    "ident:x@3",
    "string:s\nA@4",
    "char:q@4",
    "ident:_id9@5",
    "eof:@5",
  ]);
  assert.throws(() => tokenize("x = 0x1FFFFFFFFFFFFFFFF;"), /Cannot parse constant integer: base=16/);
  assert.throws(() => tokenize("x = 08;"), /Invalid octal constant/);
  assert.throws(() => tokenize("\n\nx = 12abc;"), /At line 3 .*invalid constant: token="12abc"/);
  assert.throws(() => tokenize("x = #;"), /unexpected character: char=`#`/);
});

test("the lexer's batches give tokenize()'s tokens", () => {
  const text = 'trace { major = 1; minor = 8; uuid = "2a6422d0-6cee-11e0-8c08-cb07d7b3a564"; };\n'.repeat(50);
  const all = tokenize(text);
  for (const batch of [1, 2, 7, 300]) {
    const lexer = new Lexer(text);
    const got: Token[] = [];
    let calls = 0;
    while (lexer.fill(got, got.length + batch)) calls++;
    assert.deepEqual(got, all, `batch ${batch}`);
    assert.ok(calls >= Math.floor((all.length - 1) / batch), `batch ${batch}: ${calls} calls`);
    assert.equal(lexer.fill(got, Number.POSITIVE_INFINITY), false);
    assert.equal(got.length, all.length);
  }
});

test("a syntax error is reported before a lexing error further on, as babeltrace2 does", () => {
  const text = 'trace { major = 1; minor = 8; };\nclock { name = = x; };\n\n\nevent { name = "unterminated; };\n';
  assert.throws(() => parseTsdl(text), /At line 2 in metadata stream: syntax error/);
  // Without the syntax error, the lexing error.
  assert.throws(() => parseTsdl(text.replace("= = x", "= x")), /At line 5 in metadata stream: Unterminated string/);
});
