export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

const tones: Record<string, Tone> = {
  completed: 'good', succeeded: 'good', delivered: 'good', active: 'good', ok: 'good',
  failed: 'bad', dead: 'bad', breached: 'bad', cancelled: 'neutral', canceled: 'neutral',
  queued: 'info', running: 'info', pending: 'info', retrying: 'warn', paused: 'warn',
};

/** A status word in a coloured pill; the tone follows common status names unless given. */
export function Badge({ status, tone }: { status: string; tone?: Tone }) {
  return <span class={`badge ${tone ?? tones[status] ?? 'neutral'}`}>{status}</span>;
}
