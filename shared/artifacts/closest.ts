import { editDistance as distance } from "../suggest.js";

const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** The names most like `wanted`: same base name first, then by edit distance. */
export const closestNames = (wanted: string, names: readonly string[], count = 5): string[] => {
  const target = wanted.toLowerCase();
  const targetBase = baseName(target);
  return names
    .map((name) => {
      const lower = name.toLowerCase();
      const sameBase = baseName(lower) === targetBase ? 0 : 1;
      return { name, sameBase, score: distance(target.slice(0, 200), lower.slice(0, 200)) };
    })
    .sort((a, b) => a.sameBase - b.sameBase || a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((entry) => entry.name);
};
