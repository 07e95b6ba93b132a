"""Queued work: the ticket a refresh returns, and a task's status."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from application.ports.task_queue import TaskState


class TaskTicketSerializer(serializers.Serializer[Any]):
    task_id = serializers.CharField()
    status_url = serializers.URLField(help_text="Where to poll the task's status.")


class TaskStatusSerializer(serializers.Serializer[Any]):
    task_id = serializers.CharField()
    state = serializers.ChoiceField(choices=[state.value for state in TaskState])
    result = serializers.DictField(
        allow_null=True, help_text="The task's JSON result once it succeeded."
    )
    error = serializers.CharField(allow_null=True, help_text="Why the task failed.")
