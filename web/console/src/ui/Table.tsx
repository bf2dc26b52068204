import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ComponentChildren;
  /** When given, the column is sortable by this value. */
  sortValue?: (row: T) => string | number | null;
  numeric?: boolean;
}

/** A table with sortable columns (the header is a button: keyboard focusable, aria-sort). */
export function Table<T>({ caption, columns, rows, rowKey }: { caption: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string }) {
  const [sort, setSort] = useState<{ key: string; asc: boolean } | null>(null);
  const column = sort && columns.find((c) => c.key === sort.key);
  const sorted = column?.sortValue ? [...rows].sort((a, b) => compare(column.sortValue!(a), column.sortValue!(b)) * (sort!.asc ? 1 : -1)) : rows;
  const toggle = (key: string) => setSort(sort?.key === key ? { key, asc: !sort.asc } : { key, asc: true });
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" class={c.numeric ? 'numeric' : undefined}
                aria-sort={sort?.key === c.key ? (sort.asc ? 'ascending' : 'descending') : undefined}>
                {c.sortValue ? (
                  <button type="button" class="sort" onClick={() => toggle(c.key)}>
                    {c.header}
                    <span aria-hidden="true">{sort?.key === c.key ? (sort.asc ? ' ▲' : ' ▼') : ' ↕'}</span>
                  </button>
                ) : (
                  c.header
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'numeric' : undefined}>{c.render(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}
