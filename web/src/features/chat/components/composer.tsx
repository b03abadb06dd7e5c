import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Icon } from '@/components/ui/icon';
import { IconButton } from '@/components/ui/icon-button';

interface ComposerProps {
  /** An answer is being produced: Send turns into Stop. */
  busy: boolean;
  onSend(text: string): void;
  onStop(): void;
}

const MAX_HEIGHT_PX = 220;

/** The message box. Enter sends, Shift+Enter breaks the line; the box empties on send. */
export function Composer({ busy, onSend, onStop }: ComposerProps) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);

  // Grow with the text up to a limit; CSSOM writes are allowed under the style-src CSP.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  useEffect(() => {
    // Only with a mouse: on phones focusing would pop the keyboard over the conversation.
    if (window.matchMedia('(pointer: fine)').matches) ref.current?.focus();
  }, []);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const content = text.trim();
    if (!content || busy) return;
    setText('');
    onSend(content);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <div className="composer-box">
        <label htmlFor="composer-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          ref={ref}
          className="composer-input"
          rows={1}
          placeholder="Message PocketLLM…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby="composer-hint"
        />
        {busy ? (
          <IconButton
            className="composer-btn composer-stop"
            onClick={onStop}
            label="Stop generating"
            title="Stop"
            icon="stop"
            iconSize={16}
          />
        ) : (
          <button type="submit" className="composer-btn" disabled={!text.trim()} aria-label="Send message" title="Send">
            <Icon name="send" size={18} />
          </button>
        )}
      </div>
      <p id="composer-hint" className="composer-hint">
        <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
      </p>
    </form>
  );
}
