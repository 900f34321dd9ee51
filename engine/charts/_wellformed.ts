/**
 * A minimal, strict XML parser used by the chart tests (jsdom is not a dependency) to prove that every
 * chart is well-formed and to query its elements: one root element, balanced tags, quoted attributes
 * without duplicates, no raw `<` or stray `&` in text or attribute values (only the five predefined
 * entities and numeric character references), comments and processing instructions skipped.
 * It does not resolve DTDs or namespaces — our SVGs use neither.
 * @module
 */

/** An element of the parsed tree. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated, entity-decoded character data directly inside this element. */
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const WS = /\s*/y;
const TAG = /[^\s/>]+/y;
const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/y;

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`raw "<" in ${where}`);
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== "&") {
      out += c;
      continue;
    }
    ENTITY.lastIndex = i;
    const m = ENTITY.exec(raw);
    if (!m) throw new Error(`bad "&" in ${where} at ${JSON.stringify(raw.slice(i, i + 12))}`);
    const e = m[0];
    out +=
      e === "&amp;"
        ? "&"
        : e === "&lt;"
          ? "<"
          : e === "&gt;"
            ? ">"
            : e === "&quot;"
              ? '"'
              : e === "&apos;"
                ? "'"
                : String.fromCodePoint(
                    e[2] === "x" ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10),
                  );
    i += e.length - 1;
  }
  return out;
}

/**
 * Parses `xml` into its root element.
 * @throws {Error} with the offset and reason at the first well-formedness violation
 */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`not well-formed at offset ${i}: ${msg}`);
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (text.trim() !== "") fail(`text outside the root element: ${JSON.stringify(text.slice(0, 20))}`);
        if (text.includes("&")) fail("entity outside the root element");
      } else {
        if (text.includes(">") && text.includes("]]>")) fail(`"]]>" in text`);
        top.text += decode(text, "text");
      }
    }
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end === -1) fail("unterminated comment");
      if (xml.slice(i + 4, end).includes("--")) fail(`"--" inside a comment`);
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i + 2);
      if (end === -1) fail("unterminated processing instruction");
      i = end + 2;
      continue;
    }
    if (xml.startsWith("<![CDATA[", i)) {
      const end = xml.indexOf("]]>", i);
      if (end === -1) fail("unterminated CDATA");
      const top = stack[stack.length - 1];
      if (top === undefined) fail("CDATA outside the root element");
      else top.text += xml.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (xml.startsWith("<!", i)) fail("DOCTYPE/declarations are not expected");
    if (xml.startsWith("</", i)) {
      const end = xml.indexOf(">", i);
      if (end === -1) fail("unterminated end tag");
      const name = xml.slice(i + 2, end).trim();
      const top = stack.pop();
      if (top === undefined) fail(`end tag </${name}> without a start tag`);
      else if (top.name !== name) fail(`end tag </${name}> does not match <${top.name}>`);
      i = end + 1;
      continue;
    }
    // start tag
    i++;
    TAG.lastIndex = i;
    const nameMatch = TAG.exec(xml);
    if (!nameMatch) fail("missing element name");
    const name = (nameMatch as RegExpExecArray)[0];
    if (!NAME.test(name)) fail(`bad element name ${JSON.stringify(name)}`);
    i += name.length;
    const node: XmlElement = { name, attrs: {}, children: [], text: "" };
    let selfClosing = false;
    for (;;) {
      WS.lastIndex = i;
      const ws = WS.exec(xml)?.[0].length ?? 0;
      const hadSpace = ws > 0;
      i += ws;
      if (xml.startsWith("/>", i)) {
        selfClosing = true;
        i += 2;
        break;
      }
      if (xml[i] === ">") {
        i += 1;
        break;
      }
      if (i >= xml.length) fail(`unterminated start tag <${name}>`);
      if (!hadSpace) fail(`missing space before attribute in <${name}>`);
      ATTR.lastIndex = i;
      const am = ATTR.exec(xml);
      if (!am) fail(`malformed attribute in <${name}>: ${JSON.stringify(xml.slice(i, i + 30))}`);
      const m = am as RegExpExecArray;
      const an = m[1] as string;
      if (!NAME.test(an)) fail(`bad attribute name ${JSON.stringify(an)}`);
      if (Object.prototype.hasOwnProperty.call(node.attrs, an))
        fail(`duplicate attribute ${an} in <${name}>`);
      node.attrs[an] = decode(m[3] ?? m[4] ?? "", `attribute ${an} of <${name}>`);
      i += m[0].length;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (root === null) root = node;
    else fail(`second root element <${name}>`);
    if (!selfClosing) stack.push(node);
  }
  if (stack.length > 0) throw new Error(`not well-formed: unclosed <${stack[stack.length - 1]?.name}>`);
  if (root === null) throw new Error("not well-formed: no root element");
  return root;
}

/** Every element in document order (depth first), root included. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (n: XmlElement) => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** Elements with this tag name (and, if given, this class among their classes). */
export function select(root: XmlElement, name: string, cls?: string): XmlElement[] {
  return allElements(root).filter(
    (e) => e.name === name && (cls === undefined || (e.attrs.class ?? "").split(/\s+/).includes(cls)),
  );
}

/** The `<title>` text of an element, if any. */
export function titleOf(e: XmlElement): string | undefined {
  return e.children.find((c) => c.name === "title")?.text;
}
