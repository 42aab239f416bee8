import { createError } from '@vedette/sdk'

export const ConfigEnvError = createError<[string, number, string]>(
  'VDT_ERR_CONFIG_ENV_MISSING',
  '%s:%d: environment variable %s is not set and has no default (write ${NAME:-default})',
  400
)

/**
 * Replaces `${NAME}` and `${NAME:-default}` in a config file's text with
 * environment values, so secrets and ports stay out of the file (as in
 * Docker Compose). Done on the text, line by line, so error line numbers
 * still match the file. `$${...}` is left as a literal `${...}`.
 */
export function interpolateEnv(text: string, filename: string, env: NodeJS.ProcessEnv = process.env): string {
  return text
    .split('\n')
    .map((line, i) =>
      line.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, escape: string, name: string, fallback: string | undefined) => {
        if (escape === '$') return whole.slice(1)
        const value = env[name]
        if (value !== undefined && value !== '') return value
        if (fallback !== undefined) return fallback
        throw new ConfigEnvError(filename, i + 1, name)
      })
    )
    .join('\n')
}
