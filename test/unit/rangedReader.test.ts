// Parallel ranged reads: in order however they finish, bounded, retried, and stopped by a cancel.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { rangedStream } from "../../src/reading/rangedReader";

const blob = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(chunk);
  return Buffer.concat(parts);
}

describe("ranged reads", () => {
  it("hands the ranges on in order though they finish out of order, with at most `concurrency` in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const read = async (offset: number, count: number) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Later ranges answer first.
      await new Promise((r) => setTimeout(r, 30 - (offset / 10_000) * 2));
      inFlight -= 1;
      return blob.subarray(offset, offset + count);
    };
    const out = await collect(rangedStream(read, { size: blob.length, rangeBytes: 10_000, concurrency: 4, signal: new AbortController().signal }));
    assert.ok(out.equals(blob), "every byte once, in order");
    assert.ok(most <= 4 && most >= 2, `${most} ranges in flight at most`);
  });

  it("retries a range that fails, and fails with the error when it keeps failing", async () => {
    const failures = new Map<number, number>();
    const flaky = async (offset: number, count: number) => {
      const n = failures.get(offset) ?? 0;
      if (offset === 30_000 && n < 2) {
        failures.set(offset, n + 1);
        throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      }
      return blob.subarray(offset, offset + count);
    };
    const out = await collect(rangedStream(flaky, { size: blob.length, rangeBytes: 10_000, concurrency: 3, signal: new AbortController().signal }));
    assert.ok(out.equals(blob));
    assert.equal(failures.get(30_000), 2, "range 3 was tried three times");
    const broken = async (offset: number, count: number) => (offset === 50_000 ? Promise.reject(new Error("gone")) : blob.subarray(offset, offset + count));
    await assert.rejects(collect(rangedStream(broken, { size: blob.length, rangeBytes: 10_000, concurrency: 3, signal: new AbortController().signal, tries: 2 })), /gone/);
    const short = async (offset: number, count: number) => blob.subarray(offset, offset + count - (offset === 20_000 ? 1 : 0));
    await assert.rejects(collect(rangedStream(short, { size: blob.length, rangeBytes: 10_000, concurrency: 3, signal: new AbortController().signal, tries: 1 })), /came back with 9999 bytes/);
  });

  it("a cancel stops every range in flight and starts no more", async () => {
    const controller = new AbortController();
    let started = 0;
    let aborted = 0;
    const read = (offset: number, count: number, signal: AbortSignal) => {
      started += 1;
      return new Promise<Buffer>((resolve, reject) => {
        let done = false;
        const timer = setTimeout(() => {
          done = true;
          resolve(blob.subarray(offset, offset + count));
        }, offset === 0 ? 5 : 10_000);
        signal.addEventListener("abort", () => {
          if (done) return;
          clearTimeout(timer);
          aborted += 1;
          reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
        });
      });
    };
    const stream = rangedStream(read, { size: blob.length, rangeBytes: 10_000, concurrency: 4, signal: controller.signal });
    const reading = collect(stream);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await assert.rejects(reading);
    assert.equal(started, 5, "the first range and the window after it, nothing more");
    assert.equal(aborted, 4, "every range in flight was aborted");
  });
});
