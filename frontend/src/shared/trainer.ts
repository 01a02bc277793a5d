/** Starts, pauses, steps and stops a Basics run through the API, and streams its events to the page. */
import { ApiError, apiPost, type ApiProblem } from "./api";
import { isTerminal, type Run, type RunEvent } from "./events";
import { RunStream, type StreamState } from "./runstream";

/** Where training stands, for the buttons. */
export type TrainerState = "idle" | "starting" | "queued" | "running" | "paused" | "finished";

/** What the trainer tells the page. */
export interface TrainerHooks {
  /** The run's configuration as the page has it now. */
  config(): Record<string, unknown>;
  /** A run began; `continued` when it carries on from the previous one (Step). */
  onRun(run: Run, continued: boolean): void;
  onEvents(events: RunEvent[]): void;
  onState(state: TrainerState): void;
  onErrors(problems: ApiProblem[]): void;
  onStream?(state: StreamState): void;
}

/** The life of the page's current run. */
export class Trainer {
  /** The current run, if any. */
  run: Run | null = null;
  /** Where training stands. */
  state: TrainerState = "idle";
  private stream: RunStream | null = null;
  private readonly hooks: TrainerHooks;
  private readonly task: string;

  constructor(task: string, hooks: TrainerHooks) {
    this.task = task;
    this.hooks = hooks;
  }

  private setState(state: TrainerState): void {
    this.state = state;
    this.hooks.onState(state);
  }

  private async call<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (error) {
      this.hooks.onErrors(error instanceof ApiError ? error.errors : [{ path: "", message: String(error) }]);
      return null;
    }
  }

  /** Starts a new run from the page's configuration (with `overrides`, e.g. one epoch). */
  async train(overrides: Record<string, unknown> = {}): Promise<void> {
    await this.forget();
    this.setState("starting");
    const run = await this.call(() => apiPost<Run>("runs", { task: this.task, config: { ...this.hooks.config(), ...overrides }, stop_when_unwatched: true }));
    if (!run) return this.setState("idle");
    this.follow(run, false);
  }

  /** Trains one more epoch: continues the current run, or starts a one-epoch run. */
  async step(): Promise<void> {
    const parent = this.run;
    if (!parent || parent.status === "failed") return this.train({ epochs: 1 });
    if (!isTerminal(parent.status)) return;
    this.closeStream();
    this.setState("starting");
    const run = await this.call(() => apiPost<Run>(`runs/${parent.id}/continue`, { epochs: 1 }));
    if (!run) return this.setState("finished");
    this.follow(run, true);
  }

  /** Pauses the running run. */
  async pause(): Promise<void> {
    if (this.run && (await this.call(() => apiPost<Run>(`runs/${this.run!.id}/pause`)))) this.setState("paused");
  }

  /** Resumes the paused run. */
  async resume(): Promise<void> {
    if (this.run && (await this.call(() => apiPost<Run>(`runs/${this.run!.id}/resume`)))) this.setState("running");
  }

  /** Stops the run; it ends cancelled and can still be stepped on. */
  async stop(): Promise<void> {
    if (this.run && !isTerminal(this.run.status)) await this.call(() => apiPost<Run>(`runs/${this.run!.id}/cancel`));
  }

  /**
   * Changes live controls of the run in progress (its task's `controls` in GET /api/tasks: for
   * Basics, `learning_rate`); they reach it at its next step. Answers whether the run was told.
   */
  async setControls(controls: Record<string, unknown>): Promise<boolean> {
    if (!this.run || isTerminal(this.run.status)) return false;
    return (await this.call(() => apiPost<Run>(`runs/${this.run!.id}/control`, controls))) !== null;
  }

  /** Stops any run in progress and forgets it (Reset, new data, a preset). */
  async forget(): Promise<void> {
    const run = this.run;
    this.closeStream();
    this.run = null;
    if (run && !isTerminal(run.status)) await this.call(() => apiPost<Run>(`runs/${run.id}/cancel`));
    this.setState("idle");
  }

  private follow(run: Run, continued: boolean): void {
    this.run = run;
    this.hooks.onRun(run, continued);
    this.setState(run.status === "queued" ? "queued" : "running");
    this.stream = new RunStream({
      runId: run.id,
      onEvents: (events) => this.received(run, events),
      onState: (state) => this.hooks.onStream?.(state),
    });
    this.stream.start();
  }

  private received(run: Run, events: RunEvent[]): void {
    if (run !== this.run) return;
    for (const event of events) {
      if (event.type !== "status") continue;
      run.status = event.data.status as Run["status"];
      this.setState(isTerminal(run.status) ? "finished" : (run.status as TrainerState));
    }
    this.hooks.onEvents(events);
  }

  private closeStream(): void {
    this.stream?.close();
    this.stream = null;
  }
}
