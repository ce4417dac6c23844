// Long jobs in progress (compares, training sets), each stopped by its AbortController: the progress
// notification's Cancel and tests both stop them here.
export class RunningJobs {
  private readonly running = new Set<AbortController>();

  track(controller: AbortController): { dispose(): void } {
    this.running.add(controller);
    return { dispose: () => this.running.delete(controller) };
  }

  get count(): number {
    return this.running.size;
  }

  cancelAll(): void {
    for (const controller of this.running) controller.abort();
  }
}
