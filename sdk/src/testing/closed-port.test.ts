import { connect } from 'node:net'
import t from 'tap'
import { closedPort } from './closed-port.js'

t.test('nothing listens on the port', async (t) => {
  const port = await closedPort()
  t.ok(port > 0)
  const code = await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve('connected'))
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code))
  })
  t.equal(code, 'ECONNREFUSED')
})
