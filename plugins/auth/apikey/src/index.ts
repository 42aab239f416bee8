import { defineAuth } from '@vedette/sdk'

// Placeholder until the key store lands: refuses every request.
export default defineAuth({
  create() {
    return { authenticate: async () => null }
  }
})
