import type { Instructions, Key } from '../api/contract';
import type { Translate } from '../i18n';

const TOKEN = 'ANTHROPIC_AUTH_TOKEN';

/**
 * The Claude Code lines for a key, built from the API's `env` so that the comment is in the reader's language (the
 * API's own `snippet` is English, for scripts; issue 15). With the secret — only right after creation — the token
 * line carries it; otherwise a placeholder and where the secret is to be found.
 */
export function claudeCodeSnippet(
  t: Translate,
  instructions: Pick<Instructions, 'env'>,
  key: Pick<Key, 'name' | 'maskedKey' | 'origin'>,
  secret?: string,
): string {
  const lines = Object.entries(instructions.env).map(([name, value]) => {
    if (name !== TOKEN) return `export ${name}="${value}"`;
    if (secret) return `export ${name}="${secret}"`;
    const where =
      key.origin === 'operator'
        ? t('snippet.askOperator', { name: key.name })
        : t('snippet.shownOnce', { name: key.name, masked: key.maskedKey });
    return `export ${name}="cr_..."   # ${where}`;
  });
  return [...lines, 'claude'].join('\n');
}
