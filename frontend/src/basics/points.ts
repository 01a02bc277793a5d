/** Your own points: read a CSV of x1,x2,label, and add points by clicking the plane. */
import type { Point } from "../shared/events";

/** The result of reading a CSV: the points, and a message per line that could not be read. */
export interface CsvPoints {
  points: Point[];
  problems: string[];
}

/** Reads "x1,x2,label" rows; a header line and blank lines are skipped; bad lines are named. */
export function parsePointsCsv(text: string): CsvPoints {
  const points: Point[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const cells = line.split(/[,;\t]/).map((cell) => cell.trim());
    if (cells.length === 1 && cells[0] === "") return;
    const numbers = cells.map(Number);
    if (cells.length !== 3 || cells.some((cell) => cell === "") || !numbers.every(Number.isFinite)) {
      if (index === 0 && numbers.some((n) => Number.isNaN(n))) return;
      problems.push(`line ${index + 1}: expected three numbers x1,x2,label, got "${line.slice(0, 40)}"`);
      return;
    }
    points.push([numbers[0], numbers[1], numbers[2]]);
  });
  return { points, problems };
}

/** Writes points as CSV with a header, for download. */
export function pointsToCsv(points: Point[]): string {
  return ["x1,x2,label", ...points.map((p) => p.join(","))].join("\n") + "\n";
}

/** Rounds a clicked position to the plane and two decimals, inside [-bound, bound]. */
export function clickedPoint(x1: number, x2: number, label: number, bound = 6): Point {
  const clamp = (v: number) => Math.round(Math.max(-bound, Math.min(bound, v)) * 100) / 100;
  return [clamp(x1), clamp(x2), label];
}
