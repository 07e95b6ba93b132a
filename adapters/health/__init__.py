"""Liveness and readiness endpoints (``/health/live``, ``/health/ready``).

Built on django-health-check, which runs the checks; this package picks them and shapes the answer.
"""
