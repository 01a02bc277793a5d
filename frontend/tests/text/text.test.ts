import { describe, expect, it } from "vitest";
import { layerText, settingValue } from "../../src/shared/settingtext";
import { bodyNet, textNet } from "../../src/text/page";
import { statusLine } from "../../src/text/runview";

describe("the Text network", () => {
  it("puts the layers between the ids of seq_len characters and a decoder to each", () => {
    const layers = [{ type: "Embedding", embedding_dim: 8 }, { type: "LSTM", hidden_size: 16 }];
    expect(textNet(layers, 32, 40)).toEqual({
      version: 1,
      input: { shape: [32], dtype: "long", vocab_size: 40 },
      layers: [...layers, { type: "Linear", out_features: 40 }],
    });
    expect(bodyNet(layers, 32, 40).layers).toEqual(layers);
  });

  it("writes layers of a configuration in one line each", () => {
    expect(layerText({ type: "LSTM", hidden_size: 128, num_layers: 2 })).toBe("LSTM(hidden_size=128, num_layers=2)");
    expect(settingValue("net", [{ type: "OneHot" }, { type: "GRU", hidden_size: 8 }])).toEqual(["OneHot()", "GRU(hidden_size=8)"]);
  });
});

describe("the Text status line", () => {
  it("says the step, the losses in nats and bits, and the speed", () => {
    const line = statusLine({ step: 120, trainLoss: Math.LN2 * 2, valLoss: null, speed: 35000, status: "running", error: "", position: null, message: "" });
    expect(line).toBe("Step 120 · train loss 1.386 (2.00 bits/char) · 35,000 chars/s");
    expect(statusLine({ step: null, trainLoss: null, valLoss: null, speed: null, status: "", error: "", position: null, message: "" })).toBe("Ready to train.");
  });
});

