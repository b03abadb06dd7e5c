import type { ConversationView, MessageView } from './conversation-service.js';

export type ExportFormat = 'json' | 'markdown';
export interface ExportFile {
  /** Letters and digits of the title (any script), dashes, the date and an extension. */
  filename: string;
  contentType: string;
  body: string;
}

const ROLE_HEADING: Record<MessageView['role'], string> = {
  user: '**User**',
  assistant: '**Assistant**',
  system: '**System**',
};

/** Why an answer is not the whole answer, said where a reader of the file will see it. */
const STATUS_NOTE: Partial<Record<MessageView['status'], string>> = {
  stopped: '_(Stopped before the answer was finished.)_',
  interrupted: '_(Interrupted: the server stopped while this answer was being written.)_',
  pending: '_(Interrupted: the server stopped while this answer was being written.)_',
};

/** "Trip to Café Noir!" → "trip-to-café-noir"; empty titles fall back to "conversation". */
function slugOf(title: string): string {
  const slug = title
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const short = Array.from(slug).slice(0, 50).join('').replace(/-+$/, '');
  return short || 'conversation';
}

export function exportFilename(title: string, at: Date, extension: string): string {
  return `${slugOf(title)}-${at.toISOString().slice(0, 10)}.${extension}`;
}

/** Quotes every line so a multi-line prompt stays one block. */
const quote = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => (l === '' ? '>' : `> ${l}`))
    .join('\n');

function messageMarkdown(message: MessageView): string {
  const parts = [
    `### ${ROLE_HEADING[message.role]}`,
    '',
    message.content.trim() === '' ? '_(empty)_' : message.content,
  ];
  const note =
    message.status === 'error'
      ? `_(Failed${message.errorCode ? `: ${message.errorCode}` : ''}.)_`
      : STATUS_NOTE[message.status];
  if (note) parts.push('', note);
  return parts.join('\n');
}

export function toMarkdown(conversation: ConversationView, messages: MessageView[], at: Date): string {
  const sections = [`# ${conversation.title}`, `_Exported from PocketLLM Portal on ${at.toISOString()}._`];
  if (conversation.systemPrompt.trim() !== '') sections.push(`## System prompt\n\n${quote(conversation.systemPrompt)}`);
  const body = messages.map(messageMarkdown).join('\n\n---\n\n');
  if (body) sections.push(body);
  return `${sections.join('\n\n')}\n`;
}

export function renderExport(
  conversation: ConversationView,
  messages: MessageView[],
  format: ExportFormat,
  at: Date,
): ExportFile {
  if (format === 'markdown') {
    return {
      filename: exportFilename(conversation.title, at, 'md'),
      contentType: 'text/markdown; charset=utf-8',
      body: toMarkdown(conversation, messages, at),
    };
  }
  const document = { exportedAt: at.toISOString(), conversation, messages };
  return {
    filename: exportFilename(conversation.title, at, 'json'),
    contentType: 'application/json; charset=utf-8',
    body: `${JSON.stringify(document, null, 2)}\n`,
  };
}
