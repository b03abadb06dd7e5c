import { useChat } from '@/features/chat/stores/chat-store';
import { Icon } from '@/components/ui/icon';
import { MAX_SYSTEM_PROMPT_CHARS } from '@shared/contract/limits';

/** A new chat: a greeting and the optional system prompt for the conversation about to start. */
export function ChatEmpty() {
  const systemPrompt = useChat((s) => s.draftSystemPrompt);
  const set = useChat((s) => s.set);
  return (
    <div className="chat-empty">
      <div className="hero-mark" aria-hidden="true">
        <Icon name="sparkle" size={28} />
      </div>
      <h2 className="hero-title welcome-title">How can I help you today?</h2>
      <p className="hero-text welcome-text">
        Your conversations stay on this server. Answers come from a local model running on its CPU.
      </p>
      <details className="system-prompt">
        <summary>
          <Icon name="pencil" size={14} /> System prompt <span className="muted">(optional)</span>
        </summary>
        <label className="field">
          <span className="visually-hidden">System prompt for this conversation</span>
          <textarea
            className="input system-prompt-input"
            rows={3}
            maxLength={MAX_SYSTEM_PROMPT_CHARS}
            placeholder="e.g. You are a concise assistant who answers in plain English."
            value={systemPrompt}
            onChange={(e) => set({ draftSystemPrompt: e.target.value })}
          />
        </label>
        <p className="hint">Shapes how the assistant behaves in this new conversation.</p>
      </details>
    </div>
  );
}
