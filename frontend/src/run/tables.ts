/**
 * A `table` event as an HTML table: `{"name", "columns", "rows"}` as rows under their column
 * names; `{"name", "labels", "matrix"}` as a confusion matrix shaded by count (rows the true
 * class, columns the predicted one); anything else as a table of its keys and values.
 */
import { css, POSITIVE } from "../shared/colors";
import { formatCount, formatLoss, h } from "../shared/dom";

/** The most rows of a table the page shows; the rest are counted. */
export const MAX_ROWS = 200;
/** The most list items written out in a key/value table. */
const MAX_ITEMS = 12;
/** The most characters of a nested value written out in a key/value table. */
const MAX_TEXT = 160;

/** A cell's value in words: numbers to three decimals (whole numbers as they are), text as it is. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") return Number.isInteger(value) ? formatCount(value) : formatLoss(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  const text = JSON.stringify(value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** A value of a key/value table: short lists written out, long or nested ones summarised. */
export function summaryText(value: unknown): string {
  if (!Array.isArray(value)) return cellText(value);
  if (value.length && value.every((item) => Array.isArray(item))) {
    const widths = new Set(value.map((item) => (item as unknown[]).length));
    return `${formatCount(value.length)} rows${widths.size === 1 ? ` of ${[...widths][0]}` : ""}`;
  }
  if (value.some((item) => item !== null && typeof item === "object")) return `${formatCount(value.length)} items`;
  const shown = value.slice(0, MAX_ITEMS).map(cellText).join(", ");
  return value.length > MAX_ITEMS ? `${shown}, … (${formatCount(value.length)} in all)` : shown || "none";
}

function caption(name: string, detail = ""): HTMLElement {
  return h("caption", {}, name, detail ? h("span", { className: "hint" }, ` ${detail}`) : null);
}

function rowsTable(name: string, columns: unknown[], rows: unknown[][]): HTMLElement {
  const shown = rows.slice(0, MAX_ROWS);
  return h(
    "table",
    { className: "data-table" },
    caption(name, rows.length > MAX_ROWS ? `(the first ${MAX_ROWS} of ${formatCount(rows.length)} rows)` : ""),
    h("thead", {}, h("tr", {}, columns.map((column) => h("th", { scope: "col" }, String(column))))),
    h("tbody", {}, shown.map((row) => h("tr", {}, (Array.isArray(row) ? row : [row]).map((cell) => h("td", {}, cellText(cell)))))),
  );
}

/** A confusion matrix: counts shaded from white to blue by their share of the largest count. */
function confusionTable(name: string, labels: unknown[], matrix: unknown[][]): HTMLElement {
  const counts = matrix.map((row) => (Array.isArray(row) ? row : []).map((cell) => (typeof cell === "number" && Number.isFinite(cell) ? cell : 0)));
  const most = Math.max(1, ...counts.flat());
  const label = (index: number) => String(labels[index] ?? index);
  return h(
    "table",
    { className: "confusion" },
    caption(name, "(rows: true class, columns: predicted)"),
    h("thead", {}, h("tr", {}, h("td", {}), counts[0]?.map((_, column) => h("th", { scope: "col" }, label(column))))),
    h(
      "tbody",
      {},
      counts.map((row, rowIndex) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, label(rowIndex)),
          row.map((count, column) => {
            const share = count / most;
            const style = `background:${css(POSITIVE, Math.round(share * 100) / 100)};color:${share > 0.55 ? "#fff" : "inherit"}`;
            return h("td", { style, className: rowIndex === column ? "diagonal" : null, title: `true ${label(rowIndex)}, predicted ${label(column)}: ${count}` }, cellText(count));
          }),
        ),
      ),
    ),
  );
}

function keyValueTable(name: string, data: Record<string, unknown>): HTMLElement {
  const keys = Object.keys(data).filter((key) => key !== "name");
  return h(
    "table",
    { className: "data-table" },
    caption(name),
    h("tbody", {}, keys.map((key) => h("tr", {}, h("th", { scope: "row" }, key.replace(/_/g, " ")), h("td", {}, summaryText(data[key]))))),
  );
}

/** A `table` event's data as an HTML table. */
export function tableElement(data: Record<string, unknown>): HTMLElement {
  const name = String(data.name ?? "table");
  if (Array.isArray(data.columns) && Array.isArray(data.rows)) return rowsTable(name, data.columns, data.rows as unknown[][]);
  if (Array.isArray(data.matrix) && data.matrix.every((row) => Array.isArray(row))) {
    return confusionTable(name, Array.isArray(data.labels) ? data.labels : [], data.matrix as unknown[][]);
  }
  return keyValueTable(name, data);
}
