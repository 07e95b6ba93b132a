"""Management commands (CONTRACT.md §5): a command-line door to the same use cases as the API."""
