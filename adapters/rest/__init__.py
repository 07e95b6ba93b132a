"""The REST API under ``/api/v1/`` (Django REST Framework): CONTRACT.md §3-4.

Controllers parse and validate input, call one use case and serialize its result; one exception
handler maps domain errors to RFC 9457 problem+json. No queries and no business rules here.
"""
