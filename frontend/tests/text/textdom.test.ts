// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { CorpusPanel } from "../../src/text/corpus";
import { SamplesPanel } from "../../src/text/samples";
import { charGlyph, charName } from "../../src/text/chars";

describe("text from visitors", () => {
  it("shows a sample's markup as text", () => {
    const samples = new SamplesPanel();
    samples.add("<img src=x onerror=alert(1)>", 10, 0.8);
    expect(samples.element.querySelector("img")).toBeNull();
    expect(samples.element.querySelector("pre")?.textContent).toBe("<img src=x onerror=alert(1)>");
  });

  it("shows an upload's name and the corpus's beginning as text", () => {
    const panel = new CorpusPanel({}, [], () => undefined);
    panel.setUploads([{ id: 3, kind: "text", name: "<b>bold</b>.txt", size: 10, summary: { characters: 10, vocabulary: 5 } }]);
    panel.showPreview({
      corpus: "upload:3",
      statistics: { characters: 10, vocabulary: 5, lines: 1, most_frequent: [[" ", 0.5]], entropy_nats: 1, entropy_bits: 1.44 },
      preview: "<script>x()</script>",
      vocabulary: " <>",
      train_characters: 9,
      val_characters: 1,
    });
    expect(panel.element.querySelector("b, script")).toBeNull();
    expect(panel.element.querySelector("label")?.textContent).toBe("<b>bold</b>.txt");
    expect(panel.element.querySelector("pre")?.textContent).toBe("<script>x()</script>");
  });

  it("names characters that do not show", () => {
    expect([charName(" "), charName("\n"), charName("a")]).toEqual(["space", "newline", "a"]);
    expect(charGlyph(" ")).toBe("␣");
  });
});
