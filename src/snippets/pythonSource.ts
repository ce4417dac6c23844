// What the collector planner needs to know about a Python scoring file, read with a real parser
// (@lezer/python): top-level imports, init() and run(), their bodies, returns, globals and names.
import { parser } from "@lezer/python";
import type { SyntaxNode } from "@lezer/common";

export interface FunctionInfo {
  node: SyntaxNode;
  /** Where decorators (if any) start: a new function goes above this. */
  start: number;
  name: string;
  params: string[];
  /** Type hints of the parameters, as written. */
  paramTypes: Map<string, string>;
  body: SyntaxNode;
  /** Statements directly in the body (not nested blocks). */
  statements: SyntaxNode[];
}

export interface PythonSource {
  text: string;
  newline: string;
  /** One level of indentation as the file writes it (a tab or N spaces). */
  indentUnit: string;
  top: SyntaxNode;
  imports: SyntaxNode[];
  /** End of the module docstring and `from __future__` imports: where new imports go. */
  importAnchor: number;
  init?: FunctionInfo;
  run?: FunctionInfo;
  names: Set<string>;
  hasSyntaxErrors: boolean;
}

export function readPython(text: string): PythonSource {
  const tree = parser.parse(text);
  const top = tree.topNode;
  const statements = children(top);
  const functions = statements.map((s) => functionOf(s, text)).filter((f): f is FunctionInfo => f !== undefined);
  const names = new Set<string>();
  let hasSyntaxErrors = false;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) hasSyntaxErrors = true;
      if (n.name === "VariableName") names.add(text.slice(n.from, n.to));
    },
  });
  return {
    text, newline: text.includes("\r\n") ? "\r\n" : "\n", indentUnit: detectIndent(text), top,
    imports: statements.filter((s) => s.name === "ImportStatement"),
    importAnchor: importAnchor(statements, text),
    init: functions.find((f) => f.name === "init"),
    run: functions.find((f) => f.name === "run"),
    names, hasSyntaxErrors,
  };
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

export function textOf(source: { text: string }, node: SyntaxNode): string {
  return source.text.slice(node.from, node.to);
}

function functionOf(statement: SyntaxNode, text: string): FunctionInfo | undefined {
  const fn = statement.name === "FunctionDefinition" ? statement : statement.name === "DecoratedStatement" ? statement.getChild("FunctionDefinition") : null;
  if (!fn) return undefined;
  const nameNode = fn.getChild("VariableName");
  const body = fn.getChild("Body");
  const paramList = fn.getChild("ParamList");
  if (!nameNode || !body) return undefined;
  const params: string[] = [];
  const paramTypes = new Map<string, string>();
  let last: string | undefined;
  for (const c of paramList ? children(paramList) : []) {
    if (c.name === "VariableName") {
      last = text.slice(c.from, c.to);
      params.push(last);
    } else if (c.name === "TypeDef" && last) {
      paramTypes.set(last, text.slice(c.from, c.to).replace(/^:\s*/, ""));
    } else if (c.name === "," ) last = undefined;
  }
  return { node: fn, start: statement.from, name: text.slice(nameNode.from, nameNode.to), params, paramTypes, body, statements: children(body).filter((c) => c.name !== ":" && c.name !== "Comment") };
}

function importAnchor(statements: SyntaxNode[], text: string): number {
  let anchor = 0;
  for (const [i, s] of statements.entries()) {
    if (s.name === "Comment") continue;
    const isDocstring = i === firstCode(statements) && s.name === "ExpressionStatement" && s.firstChild?.name === "String";
    const isFuture = s.name === "ImportStatement" && /^from\s+__future__\s+import/.test(text.slice(s.from, s.to));
    if (!isDocstring && !isFuture) break;
    anchor = s.to;
  }
  return anchor;
}

function firstCode(statements: SyntaxNode[]): number {
  return statements.findIndex((s) => s.name !== "Comment");
}

function detectIndent(text: string): string {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length - 1; i++) {
    if (!/:\s*(#.*)?$/.test(lines[i])) continue;
    const next = lines.slice(i + 1).find((l) => l.trim().length > 0);
    const indent = next ? /^[ \t]*/.exec(next)?.[0] ?? "" : "";
    const base = /^[ \t]*/.exec(lines[i])?.[0] ?? "";
    if (indent.length > base.length && indent.startsWith(base)) return indent.slice(base.length);
  }
  return "    ";
}

/** The indentation of the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? "";
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Offset just after the end of the line holding `offset` (after its newline). */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Every descendant of `node` matching `name`, not descending into nested functions or classes. */
export function descendants(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === name) out.push(c);
      if (c.name === "FunctionDefinition" || c.name === "ClassDefinition" || c.name === "LambdaExpression") continue;
      visit(c);
    }
  };
  visit(node);
  return out;
}

export interface CallArguments {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

/** A call's arguments: positional ones in order and keyword ones by name (`*args`/`**kw` are skipped). */
export function callArguments(source: { text: string }, call: SyntaxNode): CallArguments {
  const out: CallArguments = { positional: [], keywords: new Map() };
  const list = call.getChild("ArgList");
  if (!list) return out;
  const parts = children(list).filter((c) => c.name !== "(" && c.name !== ")");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === ",") continue;
    if (part.name === "VariableName" && parts[i + 1]?.name === "AssignOp" && parts[i + 2]) {
      out.keywords.set(textOf(source, part), parts[i + 2]);
      i += 2;
    } else if (part.name !== "*" && part.name !== "**" && parts[i - 1]?.name !== "*" && parts[i - 1]?.name !== "**") {
      out.positional.push(part);
    }
  }
  return out;
}

/** Whether `node` sits in an `except` or `finally` block (below `stop`): where a prediction may not exist. */
export function inErrorPath(node: SyntaxNode, stop: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n && n.from >= stop.from && !sameNode(n, stop); n = n.parent) {
    if (n.name !== "Body" || n.parent?.name !== "TryStatement") continue;
    for (let k = n.prevSibling; k; k = k.prevSibling) {
      if (k.name === "except" || k.name === "finally") return true;
      if (k.name === "try" || k.name === "else") break;
    }
  }
  return false;
}

/** The statement (a direct child of some block) that holds `node`. */
export function statementOf(node: SyntaxNode): SyntaxNode {
  let statement = node;
  while (statement.parent && statement.parent.name !== "Body" && statement.parent.name !== "Script") statement = statement.parent;
  return statement;
}

/** Whether the statement starts its line (so a line can be inserted above it at the same indent). */
export function startsLine(text: string, node: SyntaxNode): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, node.from), node.from));
}

/** lezer hands out a new object per visit: nodes are the same when their type and range are. */
export function sameNode(a: SyntaxNode, b: SyntaxNode): boolean {
  return a.from === b.from && a.to === b.to && a.name === b.name;
}

/** The name the file imports pandas under (`import pandas as pd`), if it does. */
export function pandasName(source: PythonSource): string | undefined {
  for (const i of source.imports) {
    const m = /^import\s+pandas(?:\s+as\s+(\w+))?\s*$/m.exec(textOf(source, i));
    if (m) return m[1] ?? "pandas";
  }
  return undefined;
}
