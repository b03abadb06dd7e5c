import type { ButtonHTMLAttributes } from 'react';
import { Icon, type IconName } from './icon';

type IconButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children' | 'type'> & {
  icon: IconName;
  iconSize?: number;
  /** The accessible name; an icon alone says nothing to a screen reader. */
  label: string;
};

/** A plain button that shows only an icon. */
export function IconButton({ icon, iconSize, label, ...rest }: IconButtonProps) {
  return (
    <button type="button" aria-label={label} {...rest}>
      <Icon name={icon} size={iconSize} />
    </button>
  );
}
