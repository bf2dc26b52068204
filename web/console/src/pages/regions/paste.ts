// "Paste many at once": one prompt per line, checked before anything is sent, then created in
// one request; when that request is refused, each prompt is sent alone so every failure is named.
import { api } from '../../api';
import { messageOf } from '../brands/load';

export const kMaxPromptLength = 2000;

export interface PastedLine {
  text: string;
  /** Why the line will not be sent (empty: it will be). */
  problem: string;
}

/** The pasted text's non-blank lines, each with the reason it cannot be created, if any. */
export function previewLines(text: string, existing: readonly string[]): PastedLine[] {
  const seen = new Set(existing.map((p) => p.trim().toLowerCase()));
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const key = line.toLowerCase();
    const problem = line.length > kMaxPromptLength ? `longer than ${kMaxPromptLength} characters`
      : seen.has(key) ? 'already a prompt of this region config (or pasted twice)' : '';
    seen.add(key);
    return { text: line, problem };
  });
}

export interface CreateOutcome {
  created: number;
  failures: { text: string; message: string }[];
}

/** Creates `texts` as prompts of `configId`: one request, or one per prompt if that is refused. */
export async function createPrompts(configId: string, texts: string[]): Promise<CreateOutcome> {
  const path = `/v1/region-configs/${encodeURIComponent(configId)}/prompts`;
  try {
    await api.post(path, { prompts: texts.map((prompt_text) => ({ prompt_text })) });
    return { created: texts.length, failures: [] };
  } catch (batchError) {
    if (texts.length === 1) return { created: 0, failures: [{ text: texts[0], message: messageOf(batchError) }] };
  }
  const outcome: CreateOutcome = { created: 0, failures: [] };
  for (const text of texts) {
    try {
      await api.post(path, { prompts: [{ prompt_text: text }] });
      outcome.created++;
    } catch (e) {
      outcome.failures.push({ text, message: messageOf(e) });
    }
  }
  return outcome;
}
