"""Notifications to the outside world: the `Notifier` port over webhooks."""
