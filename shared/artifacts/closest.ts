/** Levenshtein distance, bounded: small inputs only (file paths). */
const distance = (a: string, b: string): number => {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
};

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
