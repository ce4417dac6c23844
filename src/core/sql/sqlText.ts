// SQL text helpers for the query documents: quoting, splitting a document into statements (quotes and
// comments respected, offsets kept), and where DuckDB's error message points.

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface Statement {
  text: string;
  /** Offsets of the statement (without its `;`) in the document. */
  start: number;
  end: number;
}

/** The document's statements, in order; comments and blank text between them are left out. */
export function splitStatements(document: string): Statement[] {
  const statements: Statement[] = [];
  let start = -1;
  let i = 0;
  const close = (end: number) => {
    if (start >= 0) {
      let last = end;
      while (last > start && /\s/.test(document[last - 1])) last -= 1;
      statements.push({ text: document.slice(start, last), start, end: last });
    }
    start = -1;
  };
  while (i < document.length) {
    const ch = document[i];
    const next = document[i + 1];
    if (ch === "-" && next === "-") {
      const eol = document.indexOf("\n", i);
      i = eol < 0 ? document.length : eol + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      const endComment = document.indexOf("*/", i + 2);
      i = endComment < 0 ? document.length : endComment + 2;
      continue;
    }
    if (ch === ";") {
      close(i);
      i += 1;
      continue;
    }
    if (start < 0 && !/\s/.test(ch)) start = i;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < document.length) {
        if (document[j] === ch) {
          if (document[j + 1] === ch) j += 2;
          else break;
        } else j += 1;
      }
      i = j + 1;
      continue;
    }
    i += 1;
  }
  close(document.length);
  return statements;
}

/** The statement the cursor is in (or the one just before it), else the first. */
export function statementAt(statements: readonly Statement[], offset: number): Statement | undefined {
  let found: Statement | undefined;
  for (const statement of statements) {
    if (statement.start <= offset) found = statement;
  }
  return found ?? statements[0];
}

/**
 * Where in `statement` DuckDB's message points: its `LINE n: …` quote and the caret under it. DuckDB cuts long
 * lines to a window around the spot (with `...`), so the quote is found in that line of the statement.
 */
export function errorOffset(message: string, statement: string): number | undefined {
  const lines = message.split("\n");
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l));
  if (at < 0 || at + 1 >= lines.length) return undefined;
  const match = /^LINE (\d+): (.*)$/.exec(lines[at]) as RegExpExecArray;
  const caret = lines[at + 1].indexOf("^");
  if (caret < 0) return undefined;
  const lineNumber = Number(match[1]);
  const prefixLength = lines[at].length - match[2].length;
  let shown = match[2];
  let column = caret - prefixLength;
  if (shown.startsWith("...")) {
    shown = shown.slice(3);
    column -= 3;
  }
  if (shown.endsWith("...")) shown = shown.slice(0, -3);
  const statementLines = statement.split("\n");
  const line = statementLines[lineNumber - 1];
  if (line === undefined) return undefined;
  const lineStart = statementLines.slice(0, lineNumber - 1).reduce((sum, l) => sum + l.length + 1, 0);
  const within = shown ? line.indexOf(shown) : 0;
  const offset = Math.max(0, within) + Math.max(0, column);
  return lineStart + Math.min(offset, line.length);
}

/** DuckDB's message without the quoted line and caret (those become the diagnostic's place). */
export function errorHeadline(message: string): string {
  const cut = message.search(/\n\s*\nLINE \d+: |\nLINE \d+: /);
  return (cut >= 0 ? message.slice(0, cut) : message).trim();
}
