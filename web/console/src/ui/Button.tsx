import type { JSX } from 'preact';

type Props = JSX.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger'; busy?: boolean };

/** A button; `busy` disables it and sets aria-busy. Defaults to type="button". */
export function Button({ variant = 'secondary', busy, type = 'button', class: extra, disabled, ...rest }: Props) {
  return (
    <button
      {...rest}
      type={type}
      class={`button ${variant}${extra ? ` ${extra}` : ''}`}
      disabled={Boolean(disabled) || busy}
      aria-busy={busy ? 'true' : undefined}
    />
  );
}
