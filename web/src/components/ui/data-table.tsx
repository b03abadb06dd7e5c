import type { ReactNode } from 'react';

/**
 * A table that stacks into labelled cards on a narrow screen (each cell carries its column as
 * `data-label`). `actions` adds a last column whose head is read by screen readers only.
 */
export function DataTable({
  className,
  columns,
  actions = false,
  children,
}: {
  className: string;
  columns: string[];
  actions?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={`table ${className}`}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
