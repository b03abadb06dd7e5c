/** Answers and model tokens counted by who asked for them: the chat socket or the API. */
export type AnswerRoute = 'socket' | 'api';

export interface RouteFigures {
  /** Finished answers, from the model or the cache. */
  requests: number;
  /** Of those, answered from the response cache. */
  cached: number;
  /** Tokens the model generated (cached answers excluded). */
  tokensGenerated: number;
}

export type RouteTotals = ReturnType<typeof createRouteTotals>;

export function createRouteTotals() {
  const figures: Record<AnswerRoute, RouteFigures> = {
    socket: { requests: 0, cached: 0, tokensGenerated: 0 },
    api: { requests: 0, cached: 0, tokensGenerated: 0 },
  };
  return {
    observe(route: AnswerRoute, { cached, completionTokens }: { cached: boolean; completionTokens: number }): void {
      const figure = figures[route];
      figure.requests++;
      if (cached) figure.cached++;
      else figure.tokensGenerated += completionTokens;
    },
    snapshot(): Record<AnswerRoute, RouteFigures> {
      return { socket: { ...figures.socket }, api: { ...figures.api } };
    },
  };
}
