// Compare windows as date ranges (yyyy-mm-dd, inclusive): the reference just before a production window
// is the same number of days ending the day before it starts.
export interface DateRange {
  from: string;
  to: string;
}

const DAY = 86_400_000;
const toTime = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (time: number) => new Date(time).toISOString().slice(0, 10);

export function isDate(text: unknown): text is string {
  return typeof text === "string" && /^\d{4}-\d\d-\d\d$/.test(text) && !Number.isNaN(toTime(text));
}

export function days(range: DateRange): number {
  return Math.round((toTime(range.to) - toTime(range.from)) / DAY) + 1;
}

export function windowBefore(range: DateRange): DateRange {
  const length = days(range);
  const start = toTime(range.from);
  return { from: toDate(start - length * DAY), to: toDate(start - DAY) };
}

export function shiftDays(date: string, by: number): string {
  return toDate(toTime(date) + by * DAY);
}

export function inRange(date: string, range: DateRange): boolean {
  return date >= range.from && date <= range.to;
}

export function describe(range: DateRange): string {
  return range.from === range.to ? range.from : `${range.from} → ${range.to} (${days(range)} days)`;
}
