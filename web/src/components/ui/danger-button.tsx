import { Icon } from './icon';

/** A row's destructive action (revoke, delete): a small text button with a bin. */
export function DangerButton({
  label,
  ariaLabel,
  onClick,
  disabled,
}: {
  label: string;
  ariaLabel: string;
  onClick(): void;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm btn-danger-text"
      onClick={onClick}
      disabled={disabled}
      aria-label={ariaLabel}
    >
      <Icon name="trash" size={15} />
      {label}
    </button>
  );
}
