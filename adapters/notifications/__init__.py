"""Notifications to the outside world: the `Notifier` port over webhooks (`webhooks.py`), and the
`WebhookTargets` port by the policy the delivery itself obeys (`targets.py`)."""
