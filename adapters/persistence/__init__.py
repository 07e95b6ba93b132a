"""Persistence: the Django ORM behind the repository and unit-of-work ports (app ``weather``).

Models, migrations, explicit mappers between models and domain objects, one repository per port and
a unit of work over ``transaction.atomic``. Use cases never see a model or a queryset.
"""
