// A column's statistics in full (count, missing, distinct, min/max, mean, std, p5…p95, top values), over all
// rows or over the rows the filters keep. A dialog reachable from the keyboard; every value is text.
import type { ColumnStats } from "../src/core/table/stats";
import type { StatsScope } from "../src/protocol";
import { el, formatNumber } from "./dom";

export class ColumnDetail {
  readonly root = el("div", "column-detail");
  private readonly heading = el("h2", "detail-title");
  private readonly body = el("dl", "detail-stats");
  private readonly allButton = el("button", "detail-scope", "All rows");
  private readonly viewButton = el("button", "detail-scope", "Filtered rows");
  private column = -1;
  private scope: StatsScope = "all";
  private returnFocus: HTMLElement | null = null;

  constructor(private readonly request: (column: number, scope: StatsScope) => void) {
    this.root.setAttribute("role", "dialog");
    this.root.setAttribute("aria-labelledby", "detail-title");
    this.heading.id = "detail-title";
    this.root.hidden = true;
    const close = el("button", "detail-close", "Close");
    close.addEventListener("click", () => this.close());
    const scopes = el("div", "detail-scopes");
    scopes.setAttribute("role", "group");
    scopes.setAttribute("aria-label", "Statistics over");
    this.allButton.addEventListener("click", () => this.ask("all"));
    this.viewButton.addEventListener("click", () => this.ask("view"));
    scopes.append(this.allButton, this.viewButton);
    this.root.append(this.heading, scopes, this.body, close);
    this.root.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.close();
      e.stopPropagation();
    });
  }

  open(column: number, name: string): void {
    this.returnFocus = document.activeElement as HTMLElement | null;
    this.column = column;
    this.heading.textContent = name;
    this.body.replaceChildren(el("dd", "", "Counting…"));
    this.root.hidden = false;
    this.ask("all");
    this.allButton.focus();
  }

  close(): void {
    this.root.hidden = true;
    this.column = -1;
    this.returnFocus?.focus();
  }

  show(column: number, scope: StatsScope, rows: number, s: ColumnStats): void {
    if (column !== this.column || scope !== this.scope) return;
    const numeric = s.type === "integer" || s.type === "number";
    const n = (v: number | undefined) => (v === undefined ? "–" : formatNumber(v));
    const items: Array<[string, string]> = [
      ["over", `${scope === "all" ? "all" : "the filtered"} ${formatNumber(rows)} rows`],
      ["type", s.type], ["count", n(s.count)], ["missing", n(s.missing)], ["distinct", `${n(s.distinct)}${s.distinctCapped ? "+" : ""}`],
    ];
    if (numeric) {
      items.push(["min", n(s.min)], ["max", n(s.max)], ["mean", n(s.mean)], ["std", n(s.std)]);
      const q = s.quantiles;
      if (q) {
        const note = s.quantilesExact ? "" : " (from a uniform sample of 2,048)";
        (["p5", "p25", "p50", "p75", "p95"] as const).forEach((label, i) => items.push([label + (i === 0 ? note : ""), n(q[i])]));
      }
    }
    for (const t of s.top ?? []) items.push([`“${t.value || "(empty)"}”`, n(t.count)]);
    this.body.replaceChildren(...items.flatMap(([k, v]) => [el("dt", "", k), el("dd", "", v)]));
  }

  private ask(scope: StatsScope): void {
    this.scope = scope;
    this.allButton.setAttribute("aria-pressed", String(scope === "all"));
    this.viewButton.setAttribute("aria-pressed", String(scope === "view"));
    this.request(this.column, scope);
  }
}
