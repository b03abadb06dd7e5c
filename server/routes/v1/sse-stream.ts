import type { FastifyReply } from 'fastify';
import type { ChatCompletionChunk, CompletionUsage, OpenAiFinishReason } from '../../../shared/contract/openai.js';
import type { OpenAiError } from './openai-errors.js';
import { openAiErrorBody } from './openai-errors.js';

/** Who the chunks are for: their shared id, time and model, and whether usage was asked for. */
export interface StreamHeader {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
}

/**
 * A streamed chat completion as server-sent events: `data: {chunk}` lines, `: comment` lines
 * while queued, `data: [DONE]` at the end. The response opens (status, headers) on the first
 * write, so a failure before any output is still answered with its own status.
 */
export class CompletionStream {
  private opened = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly header: StreamHeader,
  ) {}

  get started(): boolean {
    return this.opened;
  }

  /** A line clients ignore and a person with curl reads. */
  queued(position: number, etaMs: number | undefined): void {
    this.open(false);
    this.write(`: queued position=${position}${etaMs === undefined ? '' : ` eta_ms=${Math.round(etaMs)}`}\n\n`);
  }

  began(cached: boolean): void {
    this.open(cached);
    this.chunk({ role: 'assistant', content: '' });
  }

  content(text: string): void {
    if (text !== '') this.chunk({ content: text });
  }

  finish(reason: OpenAiFinishReason, usage: CompletionUsage): void {
    this.chunk({}, reason);
    if (this.header.includeUsage) this.data({ ...this.base(), choices: [], usage });
    this.write('data: [DONE]\n\n');
    this.reply.raw.end();
  }

  /** The client left: end without a word. */
  close(): void {
    if (!this.opened) this.reply.hijack();
    this.reply.raw.end();
  }

  /** A failure after the stream began: one error event, then the end. */
  fail(error: OpenAiError): void {
    this.open(false);
    this.data(openAiErrorBody(error));
    this.reply.raw.end();
  }

  private open(cached: boolean): void {
    if (this.opened) return;
    this.opened = true;
    this.reply.hijack();
    this.reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-cache': cached ? 'hit' : 'miss',
      'x-request-id': this.reply.request.id,
    });
  }

  private base(): Omit<ChatCompletionChunk, 'choices'> {
    const { id, created, model, includeUsage } = this.header;
    return { id, object: 'chat.completion.chunk', created, model, ...(includeUsage ? { usage: null } : {}) };
  }

  private chunk(
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: OpenAiFinishReason | null = null,
  ): void {
    this.data({ ...this.base(), choices: [{ index: 0, delta, finish_reason: finish }] });
  }

  private data(value: object): void {
    this.write(`data: ${JSON.stringify(value)}\n\n`);
  }

  private write(text: string): void {
    if (!this.reply.raw.destroyed) this.reply.raw.write(text);
  }
}
