import { describe, expect, it } from "vitest";
import { escapeControls, fitLines, plural, truncateMessage, wellFormed } from "../../../shared/text.js";

describe("truncateMessage", () => {
  it("leaves short text alone", () => {
    expect(truncateMessage("a\nb", 10)).toBe("a\nb");
  });

  it("cuts at a line break and says how much was left out", () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    const cut = truncateMessage(text, 120);
    expect(cut.length).toBeLessThanOrEqual(120);
    expect(cut.startsWith("line 0\nline 1\n")).toBe(true);
    const note = cut.split("\n").at(-1) ?? "";
    const keptLines = cut.split("\n").length - 1;
    expect(note).toMatch(new RegExp(`^…and ${100 - keptLines} more lines \\(\\d+ characters\\) left out$`));
  });

  it("cuts inside an enormous line after a short header rather than drop what it says", () => {
    const text = `Invalid UserParameters:\ntimeZone: expected an IANA time zone; got "${"A".repeat(10_000)}"`;
    const cut = truncateMessage(text, 5000);
    expect(cut.length).toBeLessThanOrEqual(5000);
    expect(cut).toMatch(
      /^Invalid UserParameters:\ntimeZone: expected an IANA time zone; got "A+…\n…and 1 more line \(\d+ characters\) left out$/,
    );
  });

  it("cuts inside a single overlong line", () => {
    const cut = truncateMessage("x".repeat(10_000), 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toContain("left out");
  });
});

describe("fitLines", () => {
  it("keeps every item that fits", () => {
    expect(fitLines("head", ["a", "b"], 100)).toBe("head\na\nb");
  });

  it('ends with "…and N more" when items do not fit', () => {
    const items = Array.from({ length: 50 }, (_, i) => `item-${String(i).padStart(2, "0")}`);
    const text = fitLines("header", items, 100);
    expect(text.length).toBeLessThanOrEqual(100);
    const lines = text.split("\n");
    const shown = lines.length - 2;
    expect(lines.at(-1)).toBe(`…and ${50 - shown} more`);
    expect(lines.slice(1, -1)).toEqual(items.slice(0, shown));
  });
});

describe("plural", () => {
  it("agrees with the count", () => {
    expect(plural(1, "finding")).toBe("1 finding");
    expect(plural(2, "finding")).toBe("2 findings");
    expect(plural(0, "entry", "entries")).toBe("0 entries");
  });
});

describe("wellFormed", () => {
  it("replaces a half of a surrogate pair left alone, keeping the length", () => {
    const cut = "🚀🚀".slice(0, 3);
    expect(wellFormed(cut)).toBe("🚀\uFFFD");
    expect(wellFormed("\uDE80x🚀")).toBe("\uFFFDx🚀");
    expect(wellFormed(truncateMessage("🚀".repeat(100), 51)).length).toBeLessThanOrEqual(51);
  });
});

describe("escapeControls", () => {
  it("shows bidirectional overrides and terminal escapes as \\uXXXX, and leaves text, tabs and lines alone", () => {
    expect(escapeControls("report\u202Egnp.json")).toBe("report\\u202Egnp.json");
    expect(escapeControls("\u001B[2Jcleared\u0000")).toBe("\\u001B[2Jcleared\\u0000");
    expect(escapeControls("a\tb\nשלום 🚀 café")).toBe("a\tb\nשלום 🚀 café");
  });
});
