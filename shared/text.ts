/**
 * Cuts a message to `limit` characters at a line break, saying how much was left out. A line is
 * cut inside only when dropping it whole would leave most of the room unused (an overlong first
 * line, or a short header followed by one enormous line).
 */
export const truncateMessage = (text: string, limit: number): string => {
  if (text.length <= limit) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const left = lines.length - i;
    const note = `…and ${left} more line${left === 1 ? "" : "s"} (${text.length - used} characters) left out`;
    if (used + line.length + 1 + note.length > limit) {
      if (used < limit / 2) {
        const room = Math.max(0, limit - used - note.length - 2);
        return [...kept, `${line.slice(0, room)}…`, note].join("\n").slice(0, limit);
      }
      return [...kept, note].join("\n");
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join("\n");
};

/**
 * Joins a header and as many items as fit in `limit` characters, ending with
 * "…and N more" when some did not fit. Items should be sorted most important first.
 */
export const fitLines = (header: string, items: readonly string[], limit: number): string => {
  const out = [header];
  let used = header.length;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] ?? "";
    const rest = items.length - i - 1;
    const tail = rest > 0 ? `\n…and ${rest} more` : "";
    if (used + 1 + item.length + tail.length > limit) {
      out.push(`…and ${items.length - i} more`);
      return truncateMessage(out.join("\n"), limit);
    }
    out.push(item);
    used += 1 + item.length;
  }
  return out.join("\n");
};

/** "1 finding", "3 findings". */
export const plural = (count: number, noun: string, pluralNoun = `${noun}s`): string =>
  `${count} ${count === 1 ? noun : pluralNoun}`;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces halves of surrogate pairs left alone (text cut inside an emoji) with U+FFFD, so that
 * what is reported is well-formed Unicode. The length stays the same.
 */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, "\uFFFD");

/** C0 and C1 controls but tab and line feed, and the bidirectional embedding, override and isolate marks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Shows control characters as \\uXXXX: a file name from an artifact cannot reorder the text
 * around it (a right-to-left override) or send terminal escapes to whoever reads the message.
 */
export const escapeControls = (text: string): string =>
  text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
