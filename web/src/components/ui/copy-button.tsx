import { useEffect, useState } from 'react';
import { Icon } from './icon';

/** Copies text; the Clipboard API needs a secure context, so plain-HTTP LAN use falls back. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

interface CopyButtonProps {
  getText(): string;
  /** Accessible name. Defaults to "Copy". */
  label?: string;
  /** Shows the label next to the icon. Defaults to false. */
  showLabel?: boolean;
}

export function CopyButton({ getText, label = 'Copy', showLabel = false }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className={showLabel ? 'btn btn-ghost btn-sm' : 'icon-btn icon-btn-sm'}
      onClick={() => void copyText(getText()).then(setCopied)}
      aria-label={showLabel ? undefined : copied ? 'Copied' : label}
      title={label}
    >
      <Icon name={copied ? 'check' : 'copy'} size={16} />
      {showLabel && <span>{copied ? 'Copied' : label}</span>}
      <span className="visually-hidden" aria-live="polite">
        {copied ? 'Copied to clipboard' : ''}
      </span>
    </button>
  );
}
