-- Each partner's own webhook endpoint and signing secret (set with `carebridge-admin partner
-- webhook`). The secret is kept in clear because the follow-ups worker signs with it (HMAC); it is
-- shown once when set and only ever leaves this schema through the internal GetCaseContact RPC.
ALTER TABLE partners
  ADD COLUMN webhook_url    text CHECK (webhook_url ~ '^https?://'),
  ADD COLUMN webhook_secret text;
