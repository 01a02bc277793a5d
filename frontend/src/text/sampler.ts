/**
 * The sampler: a prompt, a temperature, top-k and a length, sent as a short job on the run's
 * latest checkpoint; the characters stream in as they are written (shown as text, never markup).
 */
import { ApiError } from "../shared/api";
import { h, uniqueId } from "../shared/dom";
import { streamJob } from "../shared/jobs";

/** Where the sampler finds the run it writes with (null: no run yet), and its share token. */
export interface SamplerSource {
  runId(): number | null;
  token?: string;
}

/** The sampler's controls and its output. */
export class Sampler {
  readonly element: HTMLElement;
  private readonly prompt: HTMLTextAreaElement;
  private readonly temperature: HTMLInputElement;
  private readonly temperatureValue: HTMLOutputElement;
  private readonly topK: HTMLInputElement;
  private readonly length: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private readonly output: HTMLElement;
  private readonly written: HTMLElement;
  private readonly status: HTMLElement;
  private readonly source: SamplerSource;
  private busy = false;

  constructor(source: SamplerSource) {
    this.source = source;
    const id = uniqueId("sampler");
    this.prompt = h("textarea", { id: `${id}-prompt`, rows: 2, maxlength: 2000, placeholder: "Text to continue (empty: from a new line)" });
    this.temperature = h("input", { id: `${id}-temperature`, type: "range", min: 0, max: 2, step: 0.05, value: 0.8 });
    this.temperatureValue = h("output", { for: this.temperature.id }, "0.8");
    this.temperature.addEventListener("input", () => (this.temperatureValue.textContent = this.temperature.value));
    this.topK = h("input", { id: `${id}-topk`, type: "number", min: 0, max: 1000, step: 1, value: 0 });
    this.length = h("input", { id: `${id}-length`, type: "number", min: 1, max: 2000, step: 1, value: 300 });
    this.button = h("button", { type: "button", className: "primary", id: "sample-button" }, "Write");
    this.button.addEventListener("click", () => void this.write());
    this.prompt.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void this.write();
    });
    this.written = h("span", { className: "sampled" });
    this.output = h("pre", { className: "sample-text sampler-output", id: "sampler-output", "aria-live": "off" }, this.written);
    this.status = h("p", { className: "hint", role: "status", id: "sampler-status" }, "Train a network, then let it write from a prompt of yours.");
    this.element = h(
      "div",
      { className: "sampler" },
      h("div", { className: "field" }, h("label", { for: this.prompt.id }, "Prompt"), this.prompt),
      h("div", { className: "field field-range" }, h("label", { for: this.temperature.id }, "Temperature", this.temperatureValue), this.temperature,
        h("span", { className: "hint" }, "0 always takes the likeliest character; higher is bolder.")),
      h("div", { className: "sampler-row" },
        h("div", { className: "field" }, h("label", { for: this.topK.id, title: "Draw only among the k likeliest characters; 0 for all" }, "Top k (0: all)"), this.topK),
        h("div", { className: "field" }, h("label", { for: this.length.id }, "Characters to write"), this.length),
        this.button),
      this.output,
      this.status,
    );
  }

  /** Enables writing once a run exists. */
  setReady(ready: boolean): void {
    this.button.disabled = !ready || this.busy;
  }

  /** Asks the run to continue the prompt and shows the characters as they come. */
  async write(): Promise<void> {
    const runId = this.source.runId();
    if (runId === null || this.busy) return;
    this.busy = true;
    this.button.disabled = true;
    const prompt = this.prompt.value;
    const promptSpan = h("span", { className: "prompt-text" });
    promptSpan.textContent = prompt;
    this.written.textContent = "";
    this.output.replaceChildren(promptSpan, this.written);
    this.status.textContent = "Writing…";
    const args = {
      prompt,
      temperature: Number(this.temperature.value),
      top_k: Math.max(0, Math.round(Number(this.topK.value) || 0)),
      length: Math.min(2000, Math.max(1, Math.round(Number(this.length.value) || 300))),
    };
    let count = 0;
    try {
      const result = await streamJob<{ text: string; step: number }>(runId, "sample", args, (part) => {
        const text = String(part.text ?? "");
        count += text.length;
        this.written.append(text);
        this.output.scrollTop = this.output.scrollHeight;
      }, this.source.token || undefined);
      this.written.textContent = result.text;
      this.status.textContent = `Wrote ${result.text.length} characters at temperature ${args.temperature}, with the weights of step ${result.step}.`;
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      this.status.textContent = count ? `Stopped after ${count} characters: ${message}` : message;
    } finally {
      this.busy = false;
      this.button.disabled = false;
    }
  }
}
