import { useState } from 'react';
import { LIMIT_FIELDS, type LimitField, type LimitsOverride } from '@shared/contract/usage';

type Mode = 'inherit' | 'unlimited' | 'number';
type Draft = Record<LimitField, { mode: Mode; value: string }>;

export const FIELD_LABELS: Record<LimitField, string> = {
  requestsPerMinute: 'Requests / min',
  tokensPerDay: 'Tokens / day',
  concurrent: 'At once',
  maxTokens: 'Longest answer',
};

function draftOf(limits: LimitsOverride): Draft {
  return Object.fromEntries(
    LIMIT_FIELDS.map((f) => {
      const v = limits[f];
      return [
        f,
        v === undefined
          ? { mode: 'inherit', value: '' }
          : v === null
            ? { mode: 'unlimited', value: '' }
            : { mode: 'number', value: String(v) },
      ];
    }),
  ) as Draft;
}

/** The draft as limits, or the first field that is not a positive whole number. */
function limitsOf(draft: Draft): { limits: LimitsOverride } | { invalid: LimitField } {
  const limits: LimitsOverride = {};
  for (const f of LIMIT_FIELDS) {
    const { mode, value } = draft[f];
    if (mode === 'inherit') continue;
    if (mode === 'unlimited') {
      limits[f] = null;
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) return { invalid: f };
    limits[f] = n;
  }
  return { limits };
}

/**
 * One row of the limits editor: a role's defaults (a number or unlimited per field) or a user's
 * override (which may also inherit the role's value). `onSave` gets only valid limits.
 */
export function LimitRow({
  label,
  limits,
  canInherit,
  onSave,
  onDelete,
}: {
  label: string;
  limits: LimitsOverride;
  canInherit: boolean;
  onSave(limits: LimitsOverride): Promise<unknown>;
  onDelete?(): void;
}) {
  const [draft, setDraft] = useState(() => draftOf(limits));
  const [invalid, setInvalid] = useState<LimitField | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (f: LimitField, next: Partial<Draft[LimitField]>) =>
    setDraft((d) => ({ ...d, [f]: { ...d[f], ...next } }));

  const save = () => {
    const result = limitsOf(draft);
    if ('invalid' in result) return setInvalid(result.invalid);
    setInvalid(null);
    setSaving(true);
    void onSave(result.limits)
      .catch(() => undefined)
      .finally(() => setSaving(false));
  };

  return (
    <div className="limits-grid" role="group" aria-label={`Limits of ${label}`}>
      <span>{label}</span>
      {LIMIT_FIELDS.map((f) => (
        <span key={f} className="limit-field">
          <select
            className="input input-sm"
            aria-label={`${FIELD_LABELS[f]} of ${label}`}
            value={draft[f].mode}
            onChange={(e) => set(f, { mode: e.target.value as Mode })}
          >
            {canInherit && <option value="inherit">inherit</option>}
            <option value="unlimited">unlimited</option>
            <option value="number">number</option>
          </select>
          {draft[f].mode === 'number' && (
            <input
              className="input input-sm"
              type="number"
              min={1}
              step={1}
              aria-label={`${FIELD_LABELS[f]} value of ${label}`}
              aria-invalid={invalid === f}
              value={draft[f].value}
              onChange={(e) => set(f, { value: e.target.value })}
            />
          )}
        </span>
      ))}
      <span className="limit-actions">
        <button type="button" className="btn btn-secondary btn-sm" disabled={saving} onClick={save}>
          Save
        </button>
        {onDelete && (
          <button type="button" className="btn btn-danger-text btn-sm" onClick={onDelete}>
            Delete
          </button>
        )}
      </span>
    </div>
  );
}
