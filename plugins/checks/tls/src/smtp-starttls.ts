import type { Socket } from 'node:net'

/** Most bytes of SMTP replies read before giving up: a real EHLO reply is well under 1 KiB. */
const MAX_REPLY_BYTES = 16_384

type Step = 'greeting' | 'ehlo' | 'starttls'

/**
 * Negotiates SMTP STARTTLS (RFC 3207) on a connected plain socket: reads the
 * 220 greeting, sends EHLO, checks STARTTLS is offered, sends STARTTLS and
 * waits for 220. Then `done()` is called with the socket ready for the TLS
 * handshake and this module's listener removed; a refusal calls
 * `done(message)`. Socket errors, closes and aborts are the caller's: it
 * listens to the socket itself and simply stops caring about `done`.
 *
 * @example
 * smtpStartTls(socket, 'prober.example', (failure) => failure === undefined ? upgrade(socket) : fail(failure))
 */
export function smtpStartTls(socket: Socket, ehloName: string, done: (failure?: string) => void): void {
  let step: Step = 'greeting'
  let buffered = ''
  let lines: string[] = []
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('latin1')
    if (buffered.length > MAX_REPLY_BYTES) {
      finish(`SMTP server sent more than ${MAX_REPLY_BYTES} bytes without a complete reply`)
      return
    }
    let eol: number
    while ((eol = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, eol).replace(/\r$/, '')
      buffered = buffered.slice(eol + 1)
      lines.push(line)
      // `250-...` continues a reply, `250 ...` (or a bare `250`) ends it.
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = lines
        lines = []
        if (!onReply(reply)) return
      }
    }
  }
  // Returns false once finished, to stop reading.
  const onReply = (reply: string[]): boolean => {
    const last = reply[reply.length - 1] as string
    const code = last.slice(0, 3)
    switch (step) {
      case 'greeting':
        if (code !== '220') return finish(`SMTP greeting was ${quote(reply)}, not 220`)
        step = 'ehlo'
        socket.write(`EHLO ${ehloName}\r\n`)
        return true
      case 'ehlo':
        if (code !== '250') return finish(`SMTP server answered EHLO with ${quote(reply)}`)
        if (!reply.some((line) => /^STARTTLS\b/i.test(line.slice(4)))) return finish('SMTP server does not offer STARTTLS in its EHLO reply')
        step = 'starttls'
        socket.write('STARTTLS\r\n')
        return true
      case 'starttls':
        if (code !== '220') return finish(`SMTP server answered STARTTLS with ${quote(reply)}`)
        if (buffered !== '') return finish('SMTP server sent data after its STARTTLS reply (a possible injection; RFC 3207 §5)')
        return finish()
    }
  }
  const finish = (failure?: string): false => {
    socket.removeListener('data', onData)
    done(failure)
    return false
  }
  socket.on('data', onData)
}

function quote(reply: readonly string[]): string {
  const text = reply.join(' / ')
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)
}
