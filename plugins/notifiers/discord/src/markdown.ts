/**
 * Escapes Discord markdown in names that come from config or checks (a
 * monitor called `api_v2_health` must not turn italic). Mentions stay inert
 * anyway: every message sets `allowed_mentions.parse` to `[]`.
 *
 * @example
 * escapeMarkdown('api_v2_*health*') // 'api\\_v2\\_\\*health\\*'
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|>[\]])/g, '\\$1')
}
