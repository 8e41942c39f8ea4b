"""Webhooks: subscriptions, the durable outbox written with each change, the delivery worker."""
