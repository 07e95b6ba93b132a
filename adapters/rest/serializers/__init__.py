"""Serializers: query and body parsing in, result DTOs out; they double as the OpenAPI schema."""
