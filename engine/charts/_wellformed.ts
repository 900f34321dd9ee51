/**
 * Well-formedness check and a small query tree for the chart tests: the SVG is parsed by jsdom's
 * strict XML parser (DOMParser, `image/svg+xml`), which reports any XML 1.0 well-formedness error
 * (unbalanced tags, raw `<` or stray `&`, unknown entities, duplicate or unquoted attributes, two
 * roots) as a `parsererror` document; the tree is then copied into plain objects the tests query.
 * @module
 */
import { JSDOM } from "jsdom";

/** An element of the parsed tree. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated, entity-decoded character data directly inside this element. */
  text: string;
}

const { DOMParser } = new JSDOM("").window;
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

function copy(e: Element): XmlElement {
  const attrs: Record<string, string> = {};
  for (const a of Array.from(e.attributes)) attrs[a.name] = a.value;
  const children: XmlElement[] = [];
  let text = "";
  for (const n of Array.from(e.childNodes)) {
    if (n.nodeType === ELEMENT_NODE) children.push(copy(n as Element));
    else if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) text += n.nodeValue ?? "";
  }
  return { name: e.tagName, attrs, children, text };
}

/**
 * Parses `xml` into its root element.
 * @throws {Error} "not well-formed: …" with the parser's reason at the first violation
 */
export function parseXml(xml: string): XmlElement {
  const doc = new DOMParser().parseFromString(xml, "image/svg+xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error !== undefined || doc.documentElement === null) {
    throw new Error(`not well-formed: ${error?.textContent?.trim() ?? "no root element"}`);
  }
  return copy(doc.documentElement);
}

/** Every element in document order (depth first), root included. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
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
