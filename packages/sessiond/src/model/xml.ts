/**
 * The little XML LTTng's session files need: a writer with LTTng's tab
 * indentation and a parser for elements, text, entities, comments and the
 * prolog. Not a general XML library: no namespaces, DTDs or processing
 * instructions beyond `<?xml ...?>`; attributes are read and ignored.
 */
import { FormatError } from "@ttng/base";

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** A session file that is not well-formed or not what LTTng writes (LTTng's `LOAD_INVALID_CONFIG`). */
export class XmlSyntaxError extends FormatError {
  constructor(message: string) {
    super("ERR_PARAMS", message, { actor: "session-config" });
    this.name = "XmlSyntaxError";
  }
}

export function escapeXml(text: string): string {
  // libxml2's text writer, as lttng-sessiond uses it, also escapes double quotes.
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === "amp") return "&";
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    const code = e.startsWith("#x") ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

/** Parses a document and returns its root element. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skip = (close: string) => {
    const j = text.indexOf(close, i);
    if (j < 0) throw new XmlSyntaxError(`Unterminated ${close} construct`);
    i = j + close.length;
  };
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += decodeEntities(chunk);
    else if (chunk.trim() !== "") throw new XmlSyntaxError("Text outside the root element");
    if (lt < 0) break;
    i = lt;
    if (text.startsWith("<?", i)) skip("?>");
    else if (text.startsWith("<!--", i)) skip("-->");
    else if (text.startsWith("<![CDATA[", i)) {
      const j = text.indexOf("]]>", i);
      if (j < 0 || top === undefined) throw new XmlSyntaxError("Bad CDATA section");
      top.text += text.slice(i + 9, j);
      i = j + 3;
    } else if (text.startsWith("<!", i)) skip(">");
    else if (text.startsWith("</", i)) {
      const j = text.indexOf(">", i);
      if (j < 0) throw new XmlSyntaxError("Unterminated end tag");
      const name = text.slice(i + 2, j).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new XmlSyntaxError(`Unexpected end tag </${name}>`);
      i = j + 1;
    } else {
      const j = text.indexOf(">", i);
      if (j < 0) throw new XmlSyntaxError("Unterminated start tag");
      let inner = text.slice(i + 1, j);
      const selfClosing = inner.endsWith("/");
      if (selfClosing) inner = inner.slice(0, -1);
      const name = inner.trim().split(/\s+/)[0] ?? "";
      if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new XmlSyntaxError(`Bad element name '${name}'`);
      const el: XmlElement = { name, children: [], text: "" };
      if (top !== undefined) top.children.push(el);
      else if (root !== undefined) throw new XmlSyntaxError("More than one root element");
      else root = el;
      if (!selfClosing) stack.push(el);
      i = j + 1;
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`Unclosed element <${stack[stack.length - 1]!.name}>`);
  if (root === undefined) throw new XmlSyntaxError("No root element");
  return root;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el === undefined ? [] : el.children.filter((c) => c.name === name);
}

export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : c.text.trim();
}

/** Builds indented XML the way LTTng's config writer (libxml2, tab indent) does. */
export class XmlWriter {
  private out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  private depth = 0;

  open(name: string): this {
    this.out += `${"\t".repeat(this.depth)}<${name}>\n`;
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.out += `${"\t".repeat(this.depth)}</${name}>\n`;
    return this;
  }

  empty(name: string): this {
    this.out += `${"\t".repeat(this.depth)}<${name}/>\n`;
    return this;
  }

  element(name: string, value: string | number | boolean): this {
    this.out += `${"\t".repeat(this.depth)}<${name}>${escapeXml(String(value))}</${name}>\n`;
    return this;
  }

  text(): string {
    return this.out;
  }
}
