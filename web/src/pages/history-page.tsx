import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { HistoryList } from '@/features/conversations/components/history-list';
import { Icon } from '@/components/ui/icon';
import { NarrowPage } from '@/components/layout/narrow-page';

const DEBOUNCE_MS = 250;

/** Search, open, rename, export and delete conversations. The query lives in the URL (?q=). */
export function HistoryPage() {
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [text, setText] = useState(query);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() !== query) setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, query, setParams]);

  return (
    <NarrowPage title="History">
      <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
        <Icon name="search" className="search-icon" />
        <label htmlFor="history-search" className="visually-hidden">
          Search conversations
        </label>
        <input
          id="history-search"
          className="input search-input"
          type="search"
          placeholder="Search titles and messages…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
        />
      </form>
      <HistoryList query={query} />
    </NarrowPage>
  );
}
