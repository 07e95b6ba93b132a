"""Management commands (CONTRACT.md §5): a command-line door to the same use cases as the API.

Every command derives from `base_command.CliCommand`, which decides how they all fail: one line on
stderr, exit code 2 for the user's mistakes and 1 for the system's. `arguments` holds the value
types the commands share.
"""
