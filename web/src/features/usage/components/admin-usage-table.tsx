import { useState } from 'react';
import type { UsageFigures, UserUsage } from '@shared/contract/usage';

const number = new Intl.NumberFormat();
const tokensOf = (f: UsageFigures) => f.promptTokens + f.completionTokens;

type Column = 'username' | 'today' | 'last7Days' | 'last30Days' | 'cacheHitRate';

const COLUMNS: Array<{ key: Column; label: string; value: (u: UserUsage) => number | string }> = [
  { key: 'username', label: 'User', value: (u) => u.username.toLowerCase() },
  { key: 'today', label: 'Tokens today', value: (u) => tokensOf(u.today) },
  { key: 'last7Days', label: 'Tokens, 7 days', value: (u) => tokensOf(u.last7Days) },
  { key: 'last30Days', label: 'Tokens, 30 days', value: (u) => tokensOf(u.last30Days) },
  { key: 'cacheHitRate', label: 'Cache hit rate', value: (u) => u.cacheHitRate },
];

function sorted(users: UserUsage[], column: Column, descending: boolean): UserUsage[] {
  const value = COLUMNS.find((c) => c.key === column)!.value;
  return [...users].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  });
}

/** Per-user usage; a click on a column's head sorts by it, a second click reverses. */
export function AdminUsageTable({ users }: { users: UserUsage[] }) {
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({
    column: 'last30Days',
    descending: true,
  });
  const sortBy = (column: Column) =>
    setSort((s) => ({ column, descending: s.column === column ? !s.descending : column !== 'username' }));

  if (users.length === 0) return <p className="usage-empty">No one has used the model in the last 30 days.</p>;
  return (
    <div className="table-wrap">
      <table className="table usage-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                className={c.key === 'username' ? undefined : 'num'}
                aria-sort={sort.column === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" onClick={() => sortBy(c.key)}>
                  {c.label}
                  {sort.column === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted(users, sort.column, sort.descending).map((u) => (
            <tr key={u.userId}>
              <td>{u.username}</td>
              <td className="num">{number.format(tokensOf(u.today))}</td>
              <td className="num">{number.format(tokensOf(u.last7Days))}</td>
              <td className="num">{number.format(tokensOf(u.last30Days))}</td>
              <td className="num">{Math.round(u.cacheHitRate * 100)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
