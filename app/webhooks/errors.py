"""Errors of the webhooks domain."""

from app.core.errors import InvalidInput, NotFound


class WebhookNotFound(NotFound):
    code = "webhook_not_found"
    title = "No such webhook subscription"


class WebhookMessageNotFound(NotFound):
    code = "webhook_message_not_found"
    title = "No such event for this webhook subscription"


class WebhookUrlRefused(InvalidInput):
    code = "webhook_url_refused"
    title = "The webhook URL is not one events may be sent to"
