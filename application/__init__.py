"""The application: what the product does, as use cases over the domain, behind ports.

Entry points (REST views, Celery tasks, management commands) call a use case with a command or
query and get a result DTO back. Storage, providers, queues and clocks are reached only through
the `typing.Protocol` ports in `application.ports`; nothing here imports a framework.
"""
