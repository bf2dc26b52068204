import { Badge } from '../../ui/Badge';
import { excerpt } from './format';
import type { PromptResult, PromptRow, Source } from './types';

function SourceLink({ source }: { source: Source }) {
  const safe = /^https?:\/\//i.test(source.url);
  const text = source.title || source.domain || source.url;
  return safe ? <a href={source.url} rel="noopener noreferrer nofollow" target="_blank">{text}</a> : <span>{text}</span>;
}

function Result({ result }: { result: PromptResult }) {
  const appears = result.brand_appears === null ? 'not judged' : result.brand_appears ? 'mentioned' : 'not mentioned';
  return (
    <li class="answer">
      <p class="answer-head">
        <strong>{result.platform}</strong>
        {result.sample > 1 && ` (sample ${result.sample})`}{' '}
        <Badge status={result.status === 'answered' ? appears : result.status}
          tone={result.status !== 'answered' ? 'bad' : result.brand_appears ? 'good' : 'neutral'} />
        {result.position !== null && <span> · position {result.position}</span>}
        {result.sentiment && <span> · {result.sentiment}</span>}
      </p>
      {result.error && <p class="field-error">{result.error}</p>}
      {result.answer && <blockquote class="answer-text">{excerpt(result.answer)}</blockquote>}
      {result.competitors_mentioned.length > 0 && <p class="muted">Competitors: {result.competitors_mentioned.join(', ')}</p>}
      {result.sources.length > 0 && (
        <p class="sources">
          Sources:{' '}
          {result.sources.map((s, i) => <span key={s.url}>{i > 0 && ', '}<SourceLink source={s} /></span>)}
        </p>
      )}
      {result.sources.length === 0 && result.citations.length > 0 && <p class="sources">Cited: {result.citations.join(', ')}</p>}
    </li>
  );
}

/** Each prompt with every platform's answer: whether the brand appears, its position, an excerpt
 *  of the answer and the sources it cites. */
export function BrandPrompts({ prompts, total }: { prompts: PromptRow[]; total: number }) {
  if (prompts.length === 0) return <p>No prompts in this report.</p>;
  return (
    <>
      {total > prompts.length && <p class="muted">The first {prompts.length} of {total} prompts are shown here.</p>}
      <ol class="prompts">
        {prompts.map((p) => (
          <li key={p.prompt_id} class="prompt">
            <h3>{p.prompt_text}</h3>
            {p.category && <p class="muted">Category: {p.category}</p>}
            <ul class="answers">
              {p.results.map((r) => <Result key={`${r.platform}:${r.sample}`} result={r} />)}
            </ul>
          </li>
        ))}
      </ol>
    </>
  );
}
